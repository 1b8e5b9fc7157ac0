/**
 * One asset of the register: its record (status, standing, freeze, proceedings, dates, holders), the office's
 * maintenance steps (annual fees, lapse / restore, freeze / unfreeze, invalidation proceedings, a holder change, a
 * renewed term), each one transaction with its proof and, when the clerk attaches one, the decision document (hashed in
 * the browser, stored by the gateway, its hash in the event); and the asset's whole history as a timeline: every event
 * in words, with its date, its proof (transaction, block) and its decision document opened in place.
 */
import { useEffect, useState } from "preact/hooks";
import type { ComponentChildren } from "preact";
import { ASSET_STATUSES, FREEZE_KINDS } from "../../../definitions/enumNames";
import { getAsset, maintainAsset, type AssetRecord, type Maintenance, type TimelineEvent } from "../assetApi";
import type { Proof } from "../api";
import { date, dateTime, lang, named, reasonText, t, word, type LabelKey } from "../i18n";
import { current } from "../session";
import { useSignal } from "../state";
import { ErrorBox, Field, Hash, ProofLine, Title, useTask } from "./common";
import { Flags, HoldersEditor, holdersOf } from "./AssetRegister";
import { DocumentView } from "./DocumentView";
import { FileDrop, sha256Of } from "./FileDrop";
import { uploadDocument } from "../evaluatorApi";
import "./assets.css";

const ZERO_HASH = /^0x0{64}$/;
const percent = (bps: number) => `${(bps / 100).toLocaleString(undefined, { maximumFractionDigits: 2 })}\u00a0%`;

export function AssetPage({ assetId }: { assetId: string }) {
  useSignal(lang);
  const session = useSignal(current)!;
  const [asset, setAsset] = useState<AssetRecord | null>(null);
  const [reload, setReload] = useState(0);
  const load = useTask();
  useEffect(() => {
    void load.run(async () => setAsset(await getAsset(session.key, assetId)));
  }, [assetId, reload]);

  if (load.error !== null && !asset) return <ErrorBox error={load.error} />;
  if (!asset) return <p class="progress">{t("loading")}</p>;
  return (
    <section>
      <p class="no-print">
        {session.org.role === "registrar" && <a href="#/asset-register">← {t("assetRegister")}</a>}
        {session.org.role === "pledgee" && <a href="#/watchlist">← {t("wlBack")}</a>}
      </p>
      <Title>
        {word(asset.kind)} {asset.officialNumber}
      </Title>
      <div class="card" data-testid="asset-record">
        <dl>
          <dt>{t("assetStatus")}</dt>
          <dd>
            <strong>{word(asset.status)}</strong>
          </dd>
          <dt>{t("standing")}</dt>
          <dd class={asset.standing === "IN_GOOD_STANDING" ? "ok" : "ko"}>{reasonText(asset.standing)}</dd>
          <dt>{t("assetFlags")}</dt>
          <dd data-testid="asset-flags">
            <Flags freeze={asset.freeze} invalidationPending={asset.invalidationPending} />
          </dd>
          <dt>{t("grantDate")}</dt>
          <dd>{date(asset.grantDate)}</dd>
          <dt>{t("expires")}</dt>
          <dd>{date(asset.expiryDate)}</dd>
          <dt>{t("feesPaidUntil")}</dt>
          <dd>{date(asset.feesPaidUntil)}</dd>
          <dt>{t("holders")}</dt>
          <dd>
            <ul class="plain">
              {asset.holders.map((h) => (
                <li key={h.address}>
                  <Hash value={h.address} /> · <strong>{percent(h.shareBps)}</strong>
                </li>
              ))}
            </ul>
          </dd>
          <dt>{t("assetId")}</dt>
          <dd>
            <Hash value={asset.assetId} />
          </dd>
        </dl>
      </div>
      {session.org.role === "registrar" && <Maintain asset={asset} onDone={() => setReload((n) => n + 1)} />}
      <h2 id="timeline-title">{t("timeline")}</h2>
      <Timeline events={asset.history} />
    </section>
  );
}

/** The office's steps; each sends one transaction, shows its proof and reloads the asset. */
function Maintain({ asset, onDone }: { asset: AssetRecord; onDone: () => void }) {
  const session = useSignal(current)!;
  const [done, setDone] = useState<{ what: LabelKey; proof: Proof | null } | null>(null);
  const task = useTask();
  // The decision document goes with the next step sent: hashed here, stored by the gateway, its hash on chain.
  const [decision, setDecision] = useState<{ file: File; hash: string } | null>(null);
  const [dropKey, setDropKey] = useState(0);
  const send = (what: LabelKey, m: Maintenance) =>
    task.run(async () => {
      setDone(null);
      let documentHash: string | undefined;
      if (decision) {
        documentHash = await uploadDocument(session.key, decision.file);
        if (documentHash !== decision.hash) throw new Error(t("decisionUploadMismatch"));
      }
      setDone({ what, proof: await maintainAsset(session.key, asset.assetId, m, documentHash) });
      setDecision(null);
      setDropKey((k) => k + 1);
      onDone();
    });

  const [fees, setFees] = useState("");
  const [status, setStatus] = useState(asset.status === "Granted" ? "Lapsed" : "Granted");
  const [freeze, setFreeze] = useState(asset.freeze === "None" ? "PreservationOrder" : "None");
  const [grant, setGrant] = useState(asset.grantDate ?? "");
  const [expiry, setExpiry] = useState(asset.expiryDate ?? "");
  const [rows, setRows] = useState(() =>
    asset.holders.map((h) => ({ address: h.address, percent: String(h.shareBps / 100) })),
  );
  useEffect(() => {
    setStatus(asset.status === "Granted" ? "Lapsed" : "Granted");
    setFreeze(asset.freeze === "None" ? "PreservationOrder" : "None");
  }, [asset.status, asset.freeze]);

  return (
    <div class="card maintain" aria-labelledby="maintain-title">
      <h2 id="maintain-title">{t("maintainAsset")}</h2>
      <div class="decision-file" data-testid="decision-file">
        <h3>{t("decisionFile")}</h3>
        <FileDrop
          key={dropKey}
          id="decision-file"
          describedBy="decision-file-help"
          fileName={decision?.file.name ?? null}
          onFile={(file) => void sha256Of(file).then((hash) => setDecision({ file, hash }))}
        />
        <p class="help" id="decision-file-help">
          {t("decisionFileHelp")}
        </p>
        {decision && (
          <p data-testid="decision-hash">
            {t("decisionFileHash")}: <Hash value={decision.hash} />
          </p>
        )}
      </div>
      <div class="steps">
        <Step
          title={t("stepFees")}
          onSubmit={() => send("stepFees", { step: "annual-fees", paidUntil: fees })}
          busy={task.busy}
          disabled={!fees}
          button={t("recordNow")}
        >
          <Field label={t("feesPaidUntil")} id="step-fees">
            <input id="step-fees" type="date" required value={fees} onInput={(e) => setFees(e.currentTarget.value)} />
          </Field>
        </Step>
        <Step
          title={t("stepStatus")}
          onSubmit={() => send("stepStatus", { step: "status", status })}
          busy={task.busy}
          button={t("recordNow")}
        >
          <Field label={t("newStatus")} id="step-status">
            <select id="step-status" value={status} onChange={(e) => setStatus(e.currentTarget.value)}>
              {ASSET_STATUSES.filter((s) => s !== asset.status).map((s) => (
                <option key={s} value={s}>
                  {named("statusStep_", s)}
                </option>
              ))}
            </select>
          </Field>
        </Step>
        <Step
          title={t("stepFreeze")}
          onSubmit={() => send("stepFreeze", { step: "freeze", freeze })}
          busy={task.busy}
          button={t("recordNow")}
        >
          <Field label={t("freezeKind")} id="step-freeze">
            <select id="step-freeze" value={freeze} onChange={(e) => setFreeze(e.currentTarget.value)}>
              {FREEZE_KINDS.filter((f) => f !== asset.freeze).map((f) => (
                <option key={f} value={f}>
                  {f === "None" ? t("unfreeze") : word(f)}
                </option>
              ))}
            </select>
          </Field>
        </Step>
        <Step
          title={t("stepInvalidation")}
          onSubmit={() => send("stepInvalidation", { step: "invalidation", pending: !asset.invalidationPending })}
          busy={task.busy}
          button={asset.invalidationPending ? t("closeProceedings") : t("openProceedings")}
        >
          <p class="help">{asset.invalidationPending ? t("proceedingsOpenNow") : t("proceedingsNone")}</p>
        </Step>
        <Step
          title={t("stepTerm")}
          onSubmit={() => send("stepTerm", { step: "term", grantDate: grant, expiryDate: expiry })}
          busy={task.busy}
          disabled={!grant}
          button={t("recordNow")}
        >
          <div class="row">
            <Field label={t("grantDate")} id="step-grant">
              <input
                id="step-grant"
                type="date"
                required
                value={grant}
                onInput={(e) => setGrant(e.currentTarget.value)}
              />
            </Field>
            <Field label={t("expires")} id="step-expiry">
              <input id="step-expiry" type="date" value={expiry} onInput={(e) => setExpiry(e.currentTarget.value)} />
            </Field>
          </div>
        </Step>
      </div>
      <Step
        title={t("stepHolders")}
        onSubmit={() => {
          const holders = holdersOf(rows);
          if (typeof holders === "string") return task.run(() => Promise.reject(new Error(holders)));
          return send("stepHolders", { step: "holders", holders });
        }}
        busy={task.busy}
        button={t("recordHolderChange")}
      >
        <HoldersEditor rows={rows} onChange={setRows} />
      </Step>
      <div aria-live="polite">
        {task.busy && <p class="progress">{t("sending")}</p>}
        {task.error !== null && <ErrorBox error={task.error} />}
        {done && (
          <p class="result good" data-testid="step-done">
            ✓ {t(done.what)}: <ProofLine proof={done.proof} />
          </p>
        )}
      </div>
    </div>
  );
}

function Step(props: {
  title: string;
  button: string;
  busy: boolean;
  disabled?: boolean;
  onSubmit: () => void;
  children: ComponentChildren;
}) {
  return (
    <form
      class="step"
      aria-label={props.title}
      onSubmit={(e) => {
        e.preventDefault();
        props.onSubmit();
      }}
    >
      <h3>{props.title}</h3>
      {props.children}
      <button type="submit" disabled={props.busy || props.disabled}>
        {props.button}
      </button>
    </form>
  );
}

/** What an event says, in words: the title and the facts it recorded. */
function eventWords(e: TimelineEvent): { title: string; facts: [LabelKey, ComponentChildren][] } {
  const a = e.args;
  const s = (v: unknown) => (v === null || v === undefined ? null : String(v));
  const title = named("ev_", e.event);
  const facts: [LabelKey, ComponentChildren][] = [];
  switch (e.event) {
    case "AssetRecorded":
      facts.push(
        ["assetStatus", word(s(a.status))],
        ["grantDate", date(s(a.grantDate))],
        ["expires", date(s(a.expiryDate))],
        ["feesPaidUntil", date(s(a.feesPaidUntil))],
      );
      break;
    case "HoldersRecorded":
      facts.push([
        "holders",
        <ul class="plain">
          {(Array.isArray(a.holders) ? a.holders : []).map((h: Record<string, unknown>, i) => (
            <li key={i}>
              <Hash value={s(h.holder ?? h.address)} /> · <strong>{percent(Number(h.shareBps))}</strong>
            </li>
          ))}
        </ul>,
      ]);
      break;
    case "AssetTermRecorded":
      facts.push(["grantDate", date(s(a.grantDate))], ["expires", date(s(a.expiryDate))]);
      break;
    case "AnnualFeesRecorded":
      facts.push(["feesPaidUntil", date(s(a.feesPaidUntil))]);
      break;
    case "AssetStatusRecorded":
      facts.push(["newStatus", <strong>{word(s(a.status))}</strong>]);
      break;
    case "InvalidationProceedingsRecorded":
      facts.push(["stepInvalidation", <strong>{a.pending ? t("proceedingsOpened") : t("proceedingsClosed")}</strong>]);
      break;
    case "FreezeRecorded":
      facts.push(["freezeKind", <strong>{a.freeze === "None" ? t("unfrozen") : word(s(a.freeze))}</strong>]);
      break;
  }
  const doc = s(a.documentHash);
  if (doc && !ZERO_HASH.test(doc)) {
    facts.push([
      "decisionDocument",
      <DocumentView hash={doc} label={t("docDecision")} testid={`decision-${e.transactionHash ?? ""}-${e.event}`} />,
    ]);
  }
  return { title, facts };
}

/** The asset's history, newest first: date, the event in words, and its proof. */
export function Timeline({ events }: { events: TimelineEvent[] }) {
  if (events.length === 0) return <p class="muted">{t("noAssetEvents")}</p>;
  return (
    <ol class="timeline" aria-labelledby="timeline-title" data-testid="timeline">
      {[...events].reverse().map((e, i) => {
        const { title, facts } = eventWords(e);
        return (
          <li key={i} data-event={e.event}>
            <p class="when">
              <time dateTime={e.at ?? undefined}>{dateTime(e.at)}</time>
            </p>
            <div class="what">
              <h3>{title}</h3>
              {facts.length > 0 && (
                <dl>
                  {facts.map(([label, value]) => (
                    <>
                      <dt key={`${label}-t`}>{t(label)}</dt>
                      <dd key={`${label}-d`}>{value}</dd>
                    </>
                  ))}
                </dl>
              )}
              <p class="muted proof-line">
                {t("proof")}:{" "}
                <ProofLine
                  proof={e.transactionHash ? { transactionHash: e.transactionHash, blockNumber: e.blockNumber } : null}
                />
              </p>
            </div>
          </li>
        );
      })}
    </ol>
  );
}
