/**
 * The evaluator's desk (SPEC §5): a report file hashed here, its fields, the rules checked before signing, then
 * signed in this page and anchored at once or queued for the next batch; the batches awaiting one signature; the
 * firm's reports with their state, to supersede or revoke with a reason.
 */
import { useEffect, useState } from "preact/hooks";
import { ApiError, checkReportHash, findAssetId, type Proof } from "../api";
import {
  anchorSigned,
  anchoringTypedData,
  batchesAwaitingSignature,
  materialise,
  myReports,
  queueForBatch,
  revocationTypedData,
  revoke,
  signBatch,
  uploadDocument,
  VALUATION_METHODS,
  type Batch,
  type ListedReport,
  type ReportFields,
} from "../evaluatorApi";
import { Consent, SignerChooser, type Names } from "../signing/Consent";
import { useDemo } from "../signing/demo";
import type { TypedData } from "../signing/typedData";
import { date, dateTime, lang, money, named, reasonText, t, word, type LabelKey } from "../i18n";
import { current } from "../session";
import { useSignal } from "../state";
import { Columns } from "./Columns";
import { ErrorBox, Field, Hash, ProofLine, Title, useTask } from "./common";
import { FileDrop, sha256Of } from "./FileDrop";
import "./desk.css";
import { KindSelect } from "./Collateral";

const HASH = /^0x[0-9a-fA-F]{64}$/;
const today = () => new Date().toISOString().slice(0, 10);
const inYears = (n: number) => {
  const d = new Date();
  d.setUTCFullYear(d.getUTCFullYear() + n);
  return d.toISOString().slice(0, 10);
};

/** "2,500,000.00" or "2500000" yuan → fen as an integer string; null when it is not an amount. */
export function yuanToFen(text: string): string | null {
  const m = /^(\d+)(?:\.(\d{1,2}))?$/.exec(text.replace(/[,，\s]/g, ""));
  if (!m) return null;
  const fen = BigInt(m[1]) * 100n + BigInt((m[2] ?? "").padEnd(2, "0"));
  return fen > 0n ? fen.toString() : null;
}

export function Evaluator() {
  useSignal(lang);
  const [reload, setReload] = useState(0);
  const [supersedes, setSupersedes] = useState("");
  return (
    <section>
      <Title>{t("reports")}</Title>
      <KeyPanel />
      <NewReport supersedes={supersedes} setSupersedes={setSupersedes} onDone={() => setReload((n) => n + 1)} />
      <Batches reload={reload} onDone={() => setReload((n) => n + 1)} />
      <MyReports
        reload={reload}
        onSupersede={(hash) => {
          setSupersedes(hash);
          document.getElementById("new-report")?.scrollIntoView();
          document.getElementById("evaluator-file")?.focus();
        }}
        onDone={() => setReload((n) => n + 1)}
      />
    </section>
  );
}

/** The signing key, chosen once for the page (the unified signing module: demo key, key file, wallet). */
function KeyPanel() {
  const session = useSignal(current)!;
  const demo = useDemo();
  return (
    <div class="card" id="signing-key">
      <h2>{t("evKey")}</h2>
      <p class="help">{t("evKeyHelp")}</p>
      <SignerChooser expected={session.org.address} demo={demo} />
    </div>
  );
}

type Receipt = { documentHash: string; proof: Proof | null; at: string | null } | { queued: string };

function NewReport(props: { supersedes: string; setSupersedes: (h: string) => void; onDone: () => void }) {
  const session = useSignal(current)!;
  const [file, setFile] = useState<File | null>(null);
  const [hash, setHash] = useState<string | null>(null);
  const [kind, setKind] = useState("InventionPatent");
  const [assets, setAssets] = useState("");
  const [value, setValue] = useState("");
  const [method, setMethod] = useState<string>("Income");
  const [valuationDate, setValuationDate] = useState(today());
  const [validUntil, setValidUntil] = useState(inYears(1));
  const [uri, setUri] = useState("");
  const [prepared, setPrepared] = useState<{ fields: ReportFields; typedData: TypedData; names: Names } | null>(null);
  const demo = useDemo();
  const [receipt, setReceipt] = useState<Receipt | null>(null);
  const prepare = useTask();
  const send = useTask();

  const takeFile = async (f: File) => {
    setFile(f);
    setHash(null);
    setPrepared(null);
    setReceipt(null);
    setHash(await sha256Of(f));
  };

  /** The asset ids of the lines typed, and each line in words (kind and number, or the id as typed). */
  const assetIds = async () => {
    const ids: string[] = [];
    const names: Names = {};
    const lines = assets
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter(Boolean);
    for (const line of lines) {
      if (HASH.test(line)) {
        ids.push(line.toLowerCase());
        continue;
      }
      const found = await findAssetId(session.key, kind, line);
      if (!found) throw new Error(`${t("evUnknownAsset")}: ${line}`);
      ids.push(found.assetId);
      names[found.assetId.toLowerCase()] = `${word(kind)} ${line}`;
    }
    return { ids, names };
  };

  const onPrepare = () =>
    prepare.run(async () => {
      setPrepared(null);
      setReceipt(null);
      if (!file || !hash) throw new Error(t("evNoFile"));
      const fen = yuanToFen(value);
      if (!fen) throw new Error(t("evBadValue"));
      const { ids, names } = await assetIds();
      const fields: ReportFields = {
        documentHash: hash,
        assetIds: ids,
        value: fen,
        currency: "CNY",
        method,
        valuationDate,
        validUntil,
        supersedes: props.supersedes.trim() || null,
        uri: uri.trim(),
      };
      const stored = await uploadDocument(session.key, file);
      if (stored.toLowerCase() !== hash.toLowerCase()) throw new Error(`the gateway stored ${stored}, not ${hash}`);
      const answer = await anchoringTypedData(session.key, fields);
      setPrepared({ fields, typedData: answer.typedData, names });
    });

  const finish = (r: Receipt) => {
    setReceipt(r);
    setPrepared(null);
    props.setSupersedes("");
    props.onDone();
  };

  return (
    <div class="card" id="new-report">
      <h2>{t("evNew")}</h2>
      <p class="help" id="evaluator-file-help">
        {t("evFileIntro")}
      </p>
      <FileDrop
        id="evaluator-file"
        describedBy="evaluator-file-help"
        fileName={file?.name ?? null}
        onFile={(f) => void takeFile(f)}
      />
      {hash && (
        <p>
          {t("fileHash")}:{" "}
          <code class="hash" data-testid="local-hash">
            {hash}
          </code>
        </p>
      )}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void onPrepare();
        }}
      >
        <div class="row">
          <Field label={t("assetKind")} id="ev-kind">
            <KindSelect id="ev-kind" value={kind} onChange={setKind} />
          </Field>
          <Field label={t("evMethod")} id="ev-method">
            <select id="ev-method" value={method} onChange={(e) => setMethod(e.currentTarget.value)}>
              {VALUATION_METHODS.map((m) => (
                <option key={m} value={m}>
                  {named("method_", m)}
                </option>
              ))}
            </select>
          </Field>
        </div>
        <Field label={t("evAssets")} id="ev-assets">
          <textarea
            id="ev-assets"
            rows={2}
            spellcheck={false}
            required
            value={assets}
            onInput={(e) => setAssets(e.currentTarget.value)}
          />
        </Field>
        <div class="row align-top">
          <Field label={t("evValue")} id="ev-value" help={t("evValueHelp")}>
            <input
              id="ev-value"
              inputMode="decimal"
              required
              aria-describedby="ev-value-help"
              value={value}
              onInput={(e) => setValue(e.currentTarget.value)}
            />
          </Field>
          <Field label={t("evValuationDate")} id="ev-date">
            <input
              id="ev-date"
              type="date"
              required
              value={valuationDate}
              onInput={(e) => setValuationDate(e.currentTarget.value)}
            />
          </Field>
          <Field label={t("evValidUntil")} id="ev-until">
            <input
              id="ev-until"
              type="date"
              required
              value={validUntil}
              onInput={(e) => setValidUntil(e.currentTarget.value)}
            />
          </Field>
        </div>
        <div class="row">
          <Field label={t("evSupersedes")} id="ev-supersedes">
            <input
              id="ev-supersedes"
              class="mono"
              spellcheck={false}
              value={props.supersedes}
              onInput={(e) => props.setSupersedes(e.currentTarget.value)}
            />
          </Field>
          <Field label={t("evUri")} id="ev-uri">
            <input id="ev-uri" value={uri} onInput={(e) => setUri(e.currentTarget.value)} />
          </Field>
        </div>
        <button type="submit" class="primary" disabled={prepare.busy || send.busy}>
          {t("evPrepare")}
        </button>
      </form>
      <div aria-live="polite">
        {prepare.busy && <p class="progress">{t("evPreparing")}</p>}
        {prepare.error !== null && <ErrorBox error={prepare.error} />}
        {prepared && (
          <div class="result warn" data-testid="confirm">
            <h3>{t("evConfirm")}</h3>
            <p>{t("evConfirmText")}</p>
            <Consent
              data={prepared.typedData}
              expected={session.org.address}
              names={prepared.names}
              demo={demo}
              chooser={false}
              label="evSignAnchor"
              onSigned={async (signature) => {
                const done = await anchorSigned(session.key, prepared.fields, prepared.typedData, signature);
                const check = await checkReportHash(done.documentHash);
                finish({ documentHash: done.documentHash, proof: done.proof, at: check.anchoredAt });
              }}
            />
            <div class="row">
              <button
                type="button"
                disabled={send.busy}
                onClick={() =>
                  send.run(async () => {
                    const q = await queueForBatch(session.key, prepared.fields);
                    finish({ queued: q.state });
                  })
                }
              >
                {t("evQueue")}
              </button>
              <button type="button" disabled={send.busy} onClick={() => setPrepared(null)}>
                {t("cancel")}
              </button>
            </div>
          </div>
        )}
        {send.busy && <p class="progress">{t("evSigning")}</p>}
        {send.error !== null && <ErrorBox error={send.error} />}
        {receipt && "queued" in receipt && (
          <div class="result warn" data-testid="receipt">
            <h3>{t("pvQueued")}</h3>
            <p>{t("evQueuedReceipt")}</p>
          </div>
        )}
        {receipt && "documentHash" in receipt && (
          <div class="result good" data-testid="receipt">
            <h3>✓ {t("evReceipt")}</h3>
            <dl>
              <dt>{t("fileHash")}</dt>
              <dd>
                <Hash value={receipt.documentHash} />
              </dd>
              <dt>{t("proof")}</dt>
              <dd>
                <ProofLine proof={receipt.proof} />
              </dd>
              <dt>{t("time")}</dt>
              <dd>{dateTime(receipt.at)}</dd>
            </dl>
            <p>
              <a href={`#/verify?hash=${receipt.documentHash}`}>{t("verify")}</a>
            </p>
          </div>
        )}
      </div>
    </div>
  );
}

function Batches(props: { reload: number; onDone: () => void }) {
  const session = useSignal(current)!;
  const demo = useDemo();
  const [batches, setBatches] = useState<Batch[] | null>(null);
  const [signing, setSigning] = useState<Batch | null>(null);
  const [done, setDone] = useState<{ root: string; proof: Proof | null } | null>(null);
  const load = useTask();
  const act = useTask();
  useEffect(() => {
    void load.run(async () => setBatches(await batchesAwaitingSignature(session.key)));
  }, [props.reload]);
  return (
    <div class="card">
      <h2>{t("evBatches")}</h2>
      {load.error !== null && <ErrorBox error={load.error} />}
      {batches?.length === 0 && <p class="muted">{t("evNoBatches")}</p>}
      <ul class="plain">
        {batches?.map((b) => (
          <li key={b.root}>
            {t("evBatchLine")} <code class="hash">{b.root}</code> · {b.reportCount} {t("evReportCount")}{" "}
            <button
              type="button"
              class="primary"
              disabled={act.busy || !b.typedData}
              aria-expanded={signing?.root === b.root}
              onClick={() => (setDone(null), setSigning(signing?.root === b.root ? null : b))}
            >
              {t("evReviewBatch")}
            </button>
          </li>
        ))}
      </ul>
      {signing?.typedData && (
        <div class="result warn" data-testid="batch-consent">
          <Consent
            data={signing.typedData}
            expected={session.org.address}
            names={{}}
            demo={demo}
            chooser={false}
            label="evSignBatch"
            onSigned={(signature) =>
              act.run(async () => {
                const signed = await signBatch(session.key, signing, signature);
                // Each report is then recorded in the register with its proof, as if anchored singly.
                for (const h of signing.documentHashes) await materialise(session.key, h);
                setSigning(null);
                setDone(signed);
                props.onDone();
              })
            }
          />
        </div>
      )}
      {act.busy && <p class="progress">{t("evSigning")}</p>}
      {act.error !== null && <ErrorBox error={act.error} />}
      {done && (
        <p class="result good">
          ✓ {t("evBatchLine")} <code class="hash">{done.root}</code> <ProofLine proof={done.proof} />
        </p>
      )}
    </div>
  );
}

function MyReports(props: { reload: number; onSupersede: (hash: string) => void; onDone: () => void }) {
  const session = useSignal(current)!;
  const [reports, setReports] = useState<ListedReport[] | null>(null);
  const [revoking, setRevoking] = useState<string | null>(null);
  const [reason, setReason] = useState("");
  const [revocation, setRevocation] = useState<TypedData | null>(null);
  const demo = useDemo();
  const load = useTask();
  const act = useTask();
  useEffect(() => {
    void load.run(async () => setReports(await myReports(session.key)));
  }, [props.reload]);
  return (
    <div class="card">
      <h2>{t("evMine")}</h2>
      {load.error !== null && <ErrorBox error={load.error} />}
      {reports?.length === 0 && <p class="muted">{t("evNoReports")}</p>}
      {reports && reports.length > 0 && (
        <div class="table-wrap">
          <table class="wide" data-testid="my-reports">
            <Columns
              labels={[t("fileHash"), t("evValue"), t("evValidUntil"), t("evStage"), t("evVerdict"), t("evActions")]}
            />
            <tbody>
              {reports.map((r) => (
                <tr key={r.documentHash}>
                  <td>
                    <a href={`#/verify?hash=${r.documentHash}`} title={r.documentHash}>
                      <code>{`${r.documentHash.slice(0, 10)}…${r.documentHash.slice(-8)}`}</code>
                    </a>
                  </td>
                  <td class="num">{money(r.report.value, r.report.currency)}</td>
                  <td>{date(r.report.validUntil)}</td>
                  <td>{r.status ? word(r.status) : t(`stage_${r.stage}` as LabelKey)}</td>
                  <td>{r.verdict ? reasonText(r.verdict) : "—"}</td>
                  <td>
                    {r.stage === "registered" && r.status === "Anchored" && (
                      <span class="actions">
                        <button type="button" onClick={() => props.onSupersede(r.documentHash)}>
                          {t("evSupersede")}
                        </button>
                        <button
                          type="button"
                          class="danger"
                          onClick={() => (setRevoking(r.documentHash), setReason(""), setRevocation(null))}
                        >
                          {t("evRevoke")}
                        </button>
                      </span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {revoking && (
        <form
          class="result warn"
          onSubmit={(e) => {
            e.preventDefault();
            const hash = revoking;
            void act.run(async () => {
              if (!reason.trim()) throw new ApiError(400, "VALIDATION_FAILED", t("needsNote"));
              setRevocation(await revocationTypedData(session.key, hash, reason.trim()));
            });
          }}
        >
          <p>
            {t("evRevoke")}: <code class="hash">{revoking}</code>
          </p>
          <Field label={t("evRevokeReason")} id="revoke-reason">
            <input
              id="revoke-reason"
              required
              value={reason}
              onInput={(e) => (setReason(e.currentTarget.value), setRevocation(null))}
            />
          </Field>
          <button type="submit" class="danger" disabled={act.busy}>
            {t("reviewSigning")}
          </button>{" "}
          <button type="button" onClick={() => (setRevoking(null), setRevocation(null))}>
            {t("cancel")}
          </button>
        </form>
      )}
      {revoking && revocation && (
        <div class="result warn" data-testid="revoke-consent">
          <Consent
            data={revocation}
            expected={session.org.address}
            names={{}}
            demo={demo}
            chooser={false}
            label="evConfirmRevoke"
            onSigned={async (signature) => {
              await revoke(session.key, revoking, reason.trim(), revocation, signature);
              setRevoking(null);
              setRevocation(null);
              props.onDone();
            }}
          />
        </div>
      )}
      {act.busy && <p class="progress">{t("evSigning")}</p>}
      {act.error !== null && <ErrorBox error={act.error} />}
    </div>
  );
}
