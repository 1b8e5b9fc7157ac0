/**
 * The bank's new pledge application: assets by number (each shown with its standing and holders, who become the
 * pledgors), the loan's terms, the contract and the valuation report (hashed in the browser), then "prepare": the
 * gateway keeps the draft and the bank goes on to its preflight and signatures (Draft.tsx).
 */
import { useEffect, useState } from "preact/hooks";
import { checkReportHash, type ReportCheck } from "../api";
import { date, reasonText, t, word } from "../i18n";
import { assetByNumber, createApplication, riskSchemes, type AssetInfo, type RiskScheme } from "../pledgeApi";
import { current } from "../session";
import { ErrorBox, Field, Title, useTask } from "./common";
import { KindSelect } from "./Collateral";
import { sha256Of } from "./FileDrop";
import { fenOf, track } from "./pledgeParts";
import { Party } from "./Party";

interface AssetRow {
  kind: string;
  number: string;
  found: AssetInfo | null | undefined;
  error: unknown;
}
const HASH = /^0x[0-9a-fA-F]{64}$/;
const isoDay = (d: Date) => d.toISOString().slice(0, 10);

export function Apply() {
  const key = current.get()!.key;
  const [rows, setRows] = useState<AssetRow[]>([
    { kind: "InventionPatent", number: "", found: undefined, error: null },
  ]);
  const [debtor, setDebtor] = useState("");
  const [principal, setPrincipal] = useState("");
  const today = new Date();
  const [startDate, setStartDate] = useState(isoDay(today));
  const [maturityDate, setMaturityDate] = useState(
    isoDay(new Date(Date.UTC(today.getUTCFullYear() + 1, today.getUTCMonth(), today.getUTCDate()))),
  );
  const [contractHash, setContractHash] = useState("");
  const [reportId, setReportId] = useState("");
  const [report, setReport] = useState<ReportCheck | null>(null);
  const [schemes, setSchemes] = useState<RiskScheme[]>([]);
  const [scheme, setScheme] = useState("");
  const [forfeiture, setForfeiture] = useState(false);
  const [invalidationAck, setInvalidationAck] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const { busy, error, run } = useTask();

  useEffect(() => {
    riskSchemes(key).then(
      (s) => setSchemes(s.filter((x) => x.active)),
      () => setSchemes([]),
    );
  }, []);
  useEffect(() => {
    setReport(null);
    if (HASH.test(reportId)) checkReportHash(reportId).then(setReport, () => setReport(null));
  }, [reportId]);

  const setRow = (i: number, patch: Partial<AssetRow>) =>
    setRows((prev) => prev.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const lookUp = async (i: number) => {
    const row = rows[i];
    if (!row.number.trim()) return;
    setRow(i, { found: undefined, error: null });
    try {
      setRow(i, { found: await assetByNumber(key, row.kind, row.number.trim()) });
    } catch (e) {
      setRow(i, { error: e });
    }
  };
  const assets = rows.map((r) => r.found).filter((a): a is AssetInfo => !!a);
  const pledgors = [
    ...new Map(assets.flatMap((a) => a.holders).map((h) => [h.address.toLowerCase(), h.address])).values(),
  ];

  const prepare = () =>
    run(async () => {
      setProblem(null);
      const fen = fenOf(principal);
      const missing =
        assets.length !== rows.length
          ? t("lookUpEveryAsset")
          : !debtor.trim()
            ? t("debtor")
            : !fen || fen === "0"
              ? t("principalYuan")
              : !HASH.test(contractHash)
                ? t("contractHash")
                : !HASH.test(reportId)
                  ? t("valuation")
                  : null;
      if (missing) {
        setProblem(missing);
        return;
      }
      const draft = await createApplication(key, {
        assets: assets.map((a) => a.assetId),
        pledgors,
        debtor: debtor.trim(),
        principal: fen!,
        currency: "CNY",
        startDate,
        maturityDate,
        contractHash: contractHash.toLowerCase(),
        valuationReportId: reportId.toLowerCase(),
        ...(scheme ? { riskScheme: scheme } : {}),
        forfeitureClause: forfeiture,
        invalidationAcknowledged: invalidationAck,
      });
      track({ draftId: draft.draftId, label: `${assets.map((a) => a.officialNumber).join(", ")} · ${debtor.trim()}` });
      location.hash = `#/application/${draft.draftId}`;
    });

  return (
    <section>
      <Title>{t("newApplication")}</Title>
      <p class="help">{t("applyIntro")}</p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void prepare();
        }}
      >
        <fieldset class="card">
          <legend>{t("assets")}</legend>
          {rows.map((row, i) => (
            <div key={i} class="asset-row" data-testid={`asset-row-${i}`}>
              <div class="row">
                <Field label={t("assetKind")} id={`kind-${i}`}>
                  <KindSelect
                    id={`kind-${i}`}
                    value={row.kind}
                    onChange={(v) => setRow(i, { kind: v, found: undefined })}
                  />
                </Field>
                <Field label={t("officialNumber")} id={`number-${i}`}>
                  <input
                    id={`number-${i}`}
                    value={row.number}
                    spellcheck={false}
                    onInput={(e) => setRow(i, { number: e.currentTarget.value, found: undefined })}
                    onBlur={() => row.found === undefined && void lookUp(i)}
                    onKeyDown={(e) => {
                      if (e.key === "Enter") {
                        e.preventDefault();
                        void lookUp(i);
                      }
                    }}
                  />
                </Field>
                <button type="button" onClick={() => lookUp(i)}>
                  {t("lookUp")}
                </button>
                {rows.length > 1 && (
                  <button type="button" class="danger" onClick={() => setRows(rows.filter((_, j) => j !== i))}>
                    {t("remove")}
                  </button>
                )}
              </div>
              <div aria-live="polite">
                {row.error !== null && <ErrorBox error={row.error} />}
                {row.found === null && <p class="ko">{t("noAsset")}</p>}
                {row.found && <AssetSummary a={row.found} />}
              </div>
            </div>
          ))}
          <button
            type="button"
            onClick={() => setRows([...rows, { kind: "InventionPatent", number: "", found: undefined, error: null }])}
          >
            {t("addAsset")}
          </button>
          <h3>{t("pledgors")}</h3>
          <p class="help">{t("pledgorsAre")}</p>
          {pledgors.length === 0 ? (
            <p class="muted">—</p>
          ) : (
            <ul class="plain" data-testid="pledgors">
              {pledgors.map((p) => (
                <li key={p}>
                  <Party address={p} full />
                </li>
              ))}
            </ul>
          )}
        </fieldset>

        <fieldset class="card">
          <legend>{t("loanTerms")}</legend>
          <Field label={t("debtor")} id="debtor" help={t("debtorHelp")}>
            <input
              id="debtor"
              value={debtor}
              maxLength={31}
              aria-describedby="debtor-help"
              onInput={(e) => setDebtor(e.currentTarget.value)}
            />
          </Field>
          <div class="row">
            <Field label={t("principalYuan")} id="principal">
              <input
                id="principal"
                inputMode="decimal"
                value={principal}
                placeholder="1,000,000.00"
                onInput={(e) => setPrincipal(e.currentTarget.value)}
              />
            </Field>
            <Field label={t("startDate")} id="start-date">
              <input
                id="start-date"
                type="date"
                value={startDate}
                onInput={(e) => setStartDate(e.currentTarget.value)}
              />
            </Field>
            <Field label={t("maturity")} id="maturity-date">
              <input
                id="maturity-date"
                type="date"
                value={maturityDate}
                onInput={(e) => setMaturityDate(e.currentTarget.value)}
              />
            </Field>
          </div>
          <Field label={t("riskScheme")} id="risk-scheme">
            <select id="risk-scheme" value={scheme} onChange={(e) => setScheme(e.currentTarget.value)}>
              <option value="">{t("none")}</option>
              {schemes.map((s) => (
                <option key={s.key} value={s.key}>
                  {s.name}
                </option>
              ))}
            </select>
          </Field>
          <div class="check">
            <input
              id="forfeiture"
              type="checkbox"
              checked={forfeiture}
              onChange={(e) => setForfeiture(e.currentTarget.checked)}
            />
            <label for="forfeiture">{t("forfeitureClause")}</label>
          </div>
          <div class="check">
            <input
              id="invalidation-ack"
              type="checkbox"
              checked={invalidationAck}
              onChange={(e) => setInvalidationAck(e.currentTarget.checked)}
            />
            <label for="invalidation-ack">{t("invalidationAck")}</label>
          </div>
        </fieldset>

        <fieldset class="card">
          <legend>{t("documents")}</legend>
          <p class="help">{t("hashedHere")}</p>
          <HashInput id="contract" label={t("contractHash")} value={contractHash} onChange={setContractHash} />
          <HashInput id="report" label={t("valuation")} value={reportId} onChange={setReportId} />
          {report && (
            <p class={report.verdict === "VALID" ? "ok" : "ko"} data-testid="report-verdict">
              {report.anchored ? `${t("anchored")} · ${reasonText(report.verdict)}` : t("notFound")}
              {report.validUntil && ` · ${t("validUntil")} ${date(report.validUntil)}`}
            </p>
          )}
        </fieldset>

        <div aria-live="polite">
          {problem && (
            <p class="error" role="alert">
              {t("stillMissing")}: {problem}
            </p>
          )}
          {busy && <p class="progress">{t("preparing")}</p>}
          {error !== null && <ErrorBox error={error} />}
        </div>
        <button type="submit" class="primary" disabled={busy}>
          {t("prepareApplication")}
        </button>
      </form>
    </section>
  );
}

function AssetSummary({ a }: { a: AssetInfo }) {
  const good = a.standing === "IN_GOOD_STANDING";
  return (
    <div class={`result ${good ? "good" : "bad"} compact`} data-testid="asset-summary">
      <strong>
        {word(a.kind)} {a.officialNumber}
      </strong>{" "}
      — <span class={good ? "ok" : "ko"}>{reasonText(a.standing)}</span>
      <dl>
        <dt>{t("assetStatus")}</dt>
        <dd>
          {word(a.status)}
          {a.freeze && a.freeze !== "None" ? ` · ${word(a.freeze)}` : ""}
          {a.invalidationPending ? ` · ${reasonText("INVALIDATION_PENDING")}` : ""}
        </dd>
        <dt>{t("feesPaidUntil")}</dt>
        <dd>{date(a.feesPaidUntil)}</dd>
        <dt>{t("expires")}</dt>
        <dd>{date(a.expiryDate)}</dd>
        <dt>{t("holders")}</dt>
        <dd>
          <ul class="plain">
            {a.holders.map((h) => (
              <li key={h.address}>
                <Party address={h.address} full /> · {(h.shareBps / 100).toFixed(2)} %
              </li>
            ))}
          </ul>
        </dd>
      </dl>
    </div>
  );
}

/** A document by its SHA-256: choose the file (hashed here) or paste the hash. */
function HashInput(props: { id: string; label: string; value: string; onChange: (v: string) => void }) {
  const [name, setName] = useState<string | null>(null);
  return (
    <div class="row hash-input">
      <Field label={props.label} id={`${props.id}-hash`}>
        <input
          id={`${props.id}-hash`}
          value={props.value}
          placeholder="0x…"
          spellcheck={false}
          class="mono"
          onInput={(e) => (setName(null), props.onChange(e.currentTarget.value.trim()))}
        />
      </Field>
      <Field label={t("orChooseFile")} id={`${props.id}-file`}>
        <input
          id={`${props.id}-file`}
          type="file"
          onChange={async (e) => {
            const file = e.currentTarget.files?.[0];
            if (!file) return;
            setName(file.name);
            props.onChange(await sha256Of(file));
          }}
        />
      </Field>
      {name && <p class="help file-name">{name}</p>}
    </div>
  );
}
