/**
 * The public verify page (no sign-in): the file is hashed here with crypto.subtle and only the hash is sent.
 */
import { useEffect, useState } from "preact/hooks";
import { checkReportHash, type ReportCheck } from "../api";
import { date, dateTime, reasonText, t, word } from "../i18n";
import { ErrorBox, Field, Hash, ProofLine, Title } from "./common";
import { FileDrop, sha256Of } from "./FileDrop";
import { Party } from "./Party";

const HASH = /^0x[0-9a-fA-F]{64}$/;

export function Verify() {
  const [pasted, setPasted] = useState(() => new URLSearchParams(location.hash.split("?")[1] ?? "").get("hash") ?? "");
  const [fileName, setFileName] = useState<string | null>(null);
  const [stage, setStage] = useState<"idle" | "hashing" | "asking" | "done">("idle");
  const [result, setResult] = useState<ReportCheck | null>(null);
  const [error, setError] = useState<unknown>(null);

  const ask = async (hash: string) => {
    setStage("asking");
    try {
      setResult(await checkReportHash(hash.toLowerCase()));
    } catch (e) {
      setError(e);
    }
    setStage("done");
  };
  // Opened from a link with ?hash=… (the collateral check links its valuation report): ask at once.
  useEffect(() => {
    if (HASH.test(pasted)) void ask(pasted);
  }, []);
  const takeFile = async (file: File) => {
    setError(null);
    setResult(null);
    setFileName(file.name);
    setStage("hashing");
    const hash = await sha256Of(file);
    setPasted(hash);
    await ask(hash);
  };

  return (
    <section>
      <Title>{t("verify")}</Title>
      <p>{t("verifyIntro")}</p>
      <p class="notice" id="never-leaves">
        {t("neverLeaves")}
      </p>
      <FileDrop id="report-file" describedBy="never-leaves" fileName={fileName} onFile={(f) => void takeFile(f)} />
      <form
        class="card"
        onSubmit={(e) => {
          e.preventDefault();
          setError(null);
          setResult(null);
          setFileName(null);
          if (!HASH.test(pasted.trim())) return setError(new Error(t("badHash")));
          void ask(pasted.trim());
        }}
      >
        <Field label={t("orPasteHash")} id="report-hash">
          <input
            id="report-hash"
            class="mono"
            spellcheck={false}
            value={pasted}
            onInput={(e) => setPasted(e.currentTarget.value)}
          />
        </Field>
        <button type="submit" class="primary">
          {t("check")}
        </button>
      </form>
      <div aria-live="polite">
        {stage === "hashing" && <p class="progress">{t("hashing")}</p>}
        {stage === "asking" && <p class="progress">{t("asking")}</p>}
        {error !== null && <ErrorBox error={error} />}
        {result && <Outcome r={result} />}
      </div>
    </section>
  );
}

function Outcome({ r }: { r: ReportCheck }) {
  if (!r.anchored && r.batch) {
    // In the gateway's batching: queued, awaiting the evaluator's signature over its batch, or in an anchored batch.
    const inAnchoredBatch = r.batch === "anchored";
    return (
      <div class={`result ${inAnchoredBatch ? "good" : "warn"}`} data-testid="verify-result">
        <h2>{inAnchoredBatch ? `✓ ${t("pvInAnchoredBatch")}` : `… ${t("pvQueued")}`}</h2>
        <p>{t(inAnchoredBatch ? "pvInAnchoredBatchHelp" : "pvQueuedHelp")}</p>
        <dl>
          <dt>{t("fileHash")}</dt>
          <dd>
            <Hash value={r.documentHash} />
          </dd>
          <dt>{t("pvBatchState")}</dt>
          <dd>{t(r.batch === "queued" ? "pvStageQueued" : inAnchoredBatch ? "pvStageInBatch" : "pvStageAwaiting")}</dd>
        </dl>
      </div>
    );
  }
  if (!r.anchored) {
    return (
      <div class="result bad" data-testid="verify-result">
        <h2>✗ {t("notFound")}</h2>
        <p>{t("notFoundHelp")}</p>
        <dl>
          <dt>{t("fileHash")}</dt>
          <dd>
            <Hash value={r.documentHash} />
          </dd>
        </dl>
      </div>
    );
  }
  const good = r.verdict === "VALID";
  return (
    <div class={`result ${good ? "good" : "warn"}`} data-testid="verify-result">
      <h2>
        {good ? "✓" : "!"} {t("anchored")} · {reasonText(r.verdict)}
      </h2>
      <dl>
        <dt>{t("fileHash")}</dt>
        <dd>
          <Hash value={r.documentHash} />
        </dd>
        <dt>{t("reportState")}</dt>
        <dd>{word(r.status)}</dd>
        <dt>{t("evaluator")}</dt>
        <dd>{r.evaluator ? <Party address={r.evaluator} full /> : "—"}</dd>
        <dt>{t("anchoredAt")}</dt>
        <dd>{dateTime(r.anchoredAt)}</dd>
        <dt>{t("validUntil")}</dt>
        <dd>{date(r.validUntil)}</dd>
        {r.supersededBy && (
          <>
            <dt>{t("supersededBy")}</dt>
            <dd>
              <Hash value={r.supersededBy} />
            </dd>
          </>
        )}
        <dt>{t("proof")}</dt>
        <dd>
          <ProofLine proof={r.proof} />
        </dd>
      </dl>
    </div>
  );
}
