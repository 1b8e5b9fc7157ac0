/**
 * The registration office's asset register: the assets searched by part of their number and kind (newest first,
 * page by page), and the form to record a new one (kind, number, holders with their shares, dates). Each asset opens
 * its own page (AssetPage.tsx) with its maintenance steps and its timeline.
 */
import { useEffect, useState } from "preact/hooks";
import { recordAsset, searchAssets, type Holder, type ListedAsset } from "../assetApi";
import { date, t, word } from "../i18n";
import { current } from "../session";
import { useSignal } from "../state";
import { lang } from "../i18n";
import { Columns } from "./Columns";
import { KindSelect, useAssetKinds } from "./Collateral";
import { ErrorBox, Field, ProofLine, Title, useTask } from "./common";
import "./assets.css";

const ADDRESS = /^0x[0-9a-fA-F]{40}$/;

export function AssetRegister() {
  useSignal(lang);
  const session = useSignal(current)!;
  const kinds = useAssetKinds();
  const [q, setQ] = useState("");
  const [kind, setKind] = useState("");
  const [assets, setAssets] = useState<ListedAsset[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [recording, setRecording] = useState(false);
  const load = useTask();

  const search = (cursor: string | null = null) =>
    load.run(async () => {
      const page = await searchAssets(session.key, { q, kind, cursor });
      setAssets(cursor ? [...(assets ?? []), ...page.assets] : page.assets);
      setNext(page.nextCursor);
    });
  useEffect(() => void search(), []);

  return (
    <section>
      <Title>{t("assetRegister")}</Title>
      <p>{t("assetRegisterIntro")}</p>
      {session.org.role === "registrar" && (
        <p>
          <button
            type="button"
            class="primary"
            aria-expanded={recording}
            aria-controls="record-asset"
            onClick={() => setRecording(!recording)}
          >
            {t("recordAsset")}
          </button>
        </p>
      )}
      {recording && <RecordAsset onCancel={() => setRecording(false)} />}
      <form
        class="card row"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          void search();
        }}
      >
        <Field label={t("searchNumber")} id="asset-q">
          <input id="asset-q" type="search" spellcheck={false} value={q} onInput={(e) => setQ(e.currentTarget.value)} />
        </Field>
        <Field label={t("assetKind")} id="asset-filter-kind">
          <select id="asset-filter-kind" value={kind} onChange={(e) => setKind(e.currentTarget.value)}>
            <option value="">{t("allKinds")}</option>
            {kinds.map((k) => (
              <option key={k} value={k}>
                {word(k)}
              </option>
            ))}
          </select>
        </Field>
        <button type="submit" disabled={load.busy}>
          {t("search")}
        </button>
      </form>
      <div aria-live="polite">
        {load.busy && <p class="progress">{t("loading")}</p>}
        {load.error !== null && <ErrorBox error={load.error} />}
        {assets?.length === 0 && <p class="muted">{t("noAssets")}</p>}
      </div>
      {assets && assets.length > 0 && (
        <div class="table-wrap">
          <table data-testid="asset-list" class="asset-list">
            <Columns
              labels={[
                t("officialNumberShort"),
                t("assetKind"),
                t("assetStatus"),
                t("assetFlags"),
                t("feesPaidUntil"),
                t("expires"),
              ]}
            />
            <tbody>
              {assets.map((a) => (
                <tr key={a.assetId}>
                  <td>
                    <a href={`#/asset/${a.assetId}`}>
                      <strong>{a.officialNumber}</strong>
                    </a>
                  </td>
                  <td>{word(a.kind)}</td>
                  <td>{word(a.status)}</td>
                  <td>
                    <Flags freeze={a.freeze} invalidationPending={a.invalidationPending} />
                  </td>
                  <td>{date(a.feesPaidUntil)}</td>
                  <td>{date(a.expiryDate)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {next && (
        <p>
          <button type="button" disabled={load.busy} onClick={() => void search(next)}>
            {t("more")}
          </button>
        </p>
      )}
    </section>
  );
}

/** A freeze and pending invalidation proceedings, as badges (a dash when neither). */
export function Flags({ freeze, invalidationPending }: { freeze: string; invalidationPending: boolean }) {
  if (freeze === "None" && !invalidationPending) return <>—</>;
  return (
    <span class="flags">
      {freeze !== "None" && <span class="badge warn">{word(freeze)}</span>}
      {invalidationPending && <span class="badge warn">{t("invalidationPending")}</span>}
    </span>
  );
}

/** One holder row being typed: an address and a share in per cent (two decimals at most). */
interface HolderRow {
  address: string;
  percent: string;
}

/** The typed rows as the register's holders (shares in basis points), or the problem in words. */
export function holdersOf(rows: HolderRow[]): Holder[] | string {
  const holders: Holder[] = [];
  for (const r of rows) {
    if (!ADDRESS.test(r.address.trim())) return t("badHolderAddress");
    const m = /^(\d{1,3})(?:[.,](\d{1,2}))?$/.exec(r.percent.trim());
    if (!m) return t("badShare");
    const bps = Number(m[1]) * 100 + Number((m[2] ?? "").padEnd(2, "0"));
    if (bps <= 0) return t("badShare");
    holders.push({ address: r.address.trim(), shareBps: bps });
  }
  if (holders.reduce((sum, h) => sum + h.shareBps, 0) !== 10_000) return t("sharesNot100");
  return holders;
}

/** The holders and their shares, row by row (add, remove); shares must come to 100 %. */
export function HoldersEditor({ rows, onChange }: { rows: HolderRow[]; onChange: (rows: HolderRow[]) => void }) {
  const set = (i: number, patch: Partial<HolderRow>) =>
    onChange(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  return (
    <fieldset class="holders">
      <legend>{t("holdersAndShares")}</legend>
      <p class="help">{t("holdersHelp")}</p>
      {rows.map((r, i) => (
        <div class="row holder-row" key={i}>
          <Field label={`${t("holderAddress")} ${i + 1}`} id={`holder-${i}`}>
            <input
              id={`holder-${i}`}
              class="mono"
              spellcheck={false}
              autoComplete="off"
              required
              value={r.address}
              onInput={(e) => set(i, { address: e.currentTarget.value })}
            />
          </Field>
          <Field label={`${t("sharePercent")} ${i + 1}`} id={`share-${i}`}>
            <input
              id={`share-${i}`}
              inputMode="decimal"
              required
              value={r.percent}
              onInput={(e) => set(i, { percent: e.currentTarget.value })}
            />
          </Field>
          {rows.length > 1 && (
            <button type="button" onClick={() => onChange(rows.filter((_, j) => j !== i))}>
              {t("remove")} {i + 1}
            </button>
          )}
        </div>
      ))}
      <button type="button" onClick={() => onChange([...rows, { address: "", percent: "" }])}>
        {t("addHolder")}
      </button>
    </fieldset>
  );
}

function RecordAsset({ onCancel }: { onCancel: () => void }) {
  const session = useSignal(current)!;
  const [kind, setKind] = useState("InventionPatent");
  const [number, setNumber] = useState("");
  const [rows, setRows] = useState<HolderRow[]>([{ address: "", percent: "100" }]);
  const [grantDate, setGrantDate] = useState("");
  const [expiryDate, setExpiryDate] = useState("");
  const [feesPaidUntil, setFeesPaidUntil] = useState("");
  const [done, setDone] = useState<{ assetId: string; proof: import("../api").Proof | null } | null>(null);
  const task = useTask();

  const submit = () =>
    task.run(async () => {
      const holders = holdersOf(rows);
      if (typeof holders === "string") throw new Error(holders);
      setDone(
        await recordAsset(session.key, { kind, officialNumber: number, holders, grantDate, expiryDate, feesPaidUntil }),
      );
    });

  return (
    <form
      class="card"
      id="record-asset"
      aria-labelledby="record-asset-title"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <h2 id="record-asset-title">{t("recordAsset")}</h2>
      <div class="row">
        <Field label={t("assetKind")} id="new-kind">
          <KindSelect id="new-kind" value={kind} onChange={setKind} />
        </Field>
        <Field label={t("officialNumber")} id="new-number">
          <input
            id="new-number"
            required
            spellcheck={false}
            value={number}
            onInput={(e) => setNumber(e.currentTarget.value)}
          />
        </Field>
      </div>
      <HoldersEditor rows={rows} onChange={setRows} />
      <div class="row align-top">
        <Field label={t("grantDate")} id="new-grant" help={t("grantDateHelp")}>
          <input id="new-grant" type="date" value={grantDate} onInput={(e) => setGrantDate(e.currentTarget.value)} />
        </Field>
        <Field label={t("expires")} id="new-expiry">
          <input id="new-expiry" type="date" value={expiryDate} onInput={(e) => setExpiryDate(e.currentTarget.value)} />
        </Field>
        <Field label={t("feesPaidUntil")} id="new-fees">
          <input
            id="new-fees"
            type="date"
            value={feesPaidUntil}
            onInput={(e) => setFeesPaidUntil(e.currentTarget.value)}
          />
        </Field>
      </div>
      <div class="actions">
        <button type="submit" class="primary" disabled={task.busy || !number.trim()}>
          {t("recordNow")}
        </button>
        <button type="button" onClick={onCancel}>
          {t("cancel")}
        </button>
      </div>
      <div aria-live="polite">
        {task.busy && <p class="progress">{t("sending")}</p>}
        {task.error !== null && <ErrorBox error={task.error} />}
        {done && (
          <div class="result good" data-testid="asset-recorded">
            <h3>✓ {t("assetRecorded")}</h3>
            <p>
              <ProofLine proof={done.proof} />
            </p>
            <p>
              <a href={`#/asset/${done.assetId}`}>{t("openAsset")}</a>
            </p>
          </div>
        )}
      </div>
    </form>
  );
}
