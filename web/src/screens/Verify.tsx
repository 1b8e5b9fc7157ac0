/**
 * The public verify page (no sign-in): a registration number (质押登记号, what a notice's QR code opens) answered
 * with the notice's facts and their proof; and a report file, hashed here with crypto.subtle (only the hash is sent).
 */
import { useEffect, useState } from "preact/hooks";
import { checkReportHash, type ReportCheck } from "../api";
import { lookUpRegistration, type PublicRegistration } from "../assetApi";
import { date, dateTime, reasonText, t, word } from "../i18n";
import { ErrorBox, Field, Hash, ProofLine, Title, useTask } from "./common";
import { FileDrop, sha256Of } from "./FileDrop";
import { Party } from "./Party";
import { CoreFacts } from "./pledgeParts";

const HASH = /^0x[0-9a-fA-F]{64}$/;

export function Verify() {
  const [reportHash, setReportHash] = useState<string | null>(null);
  return (
    <section>
      <Title>{t("verify")}</Title>
      <RegistrationLookup onCheckReport={setReportHash} />
      <ReportCheckPanel asked={reportHash} />
    </section>
  );
}

const REGISTRATION_NUMBER = /^[1-9][0-9]{0,19}$/;

/** By registration number: the notice's facts and proof, or "not found". Opened with ?registration=N: asks at once. */
function RegistrationLookup({ onCheckReport }: { onCheckReport: (hash: string) => void }) {
  const [number, setNumber] = useState(
    () => new URLSearchParams(location.hash.split("?")[1] ?? "").get("registration") ?? "",
  );
  const [found, setFound] = useState<PublicRegistration | null | undefined>(undefined);
  const { busy, error, run } = useTask();
  const ask = (n: string) =>
    run(async () => {
      setFound(undefined);
      if (!REGISTRATION_NUMBER.test(n)) throw new Error(t("badRegNumber"));
      setFound(await lookUpRegistration(n));
    });
  useEffect(() => {
    if (number) void ask(number.trim());
  }, []);
  return (
    <div class="card" id="registration-lookup">
      <h2>{t("regLookup")}</h2>
      <p class="help">{t("regLookupIntro")}</p>
      <form
        class="row"
        onSubmit={(e) => {
          e.preventDefault();
          void ask(number.trim());
        }}
      >
        <Field label={t("regNumberField")} id="registration-number">
          <input
            id="registration-number"
            inputMode="numeric"
            spellcheck={false}
            autoComplete="off"
            value={number}
            onInput={(e) => setNumber(e.currentTarget.value)}
          />
        </Field>
        <button type="submit" class="primary" disabled={busy || !number.trim()}>
          {t("lookUp")}
        </button>
      </form>
      <div aria-live="polite">
        {busy && <p class="progress">{t("asking")}</p>}
        {error !== null && <ErrorBox error={error} />}
        {found === null && (
          <div class="result bad" data-testid="registration-result">
            <h3>✗ {t("regNotFound")}</h3>
            <p>{t("regNotFoundHelp")}</p>
          </div>
        )}
        {found && <RegistrationFacts r={found} onCheckReport={onCheckReport} />}
      </div>
    </div>
  );
}

function RegistrationFacts(props: { r: PublicRegistration; onCheckReport: (hash: string) => void }) {
  const r = props.r;
  const names = Object.fromEntries(
    r.assetNames.map((a) => [a.assetId.toLowerCase(), `${word(a.kind)} ${a.officialNumber}`]),
  );
  const current = r.status === "Registered";
  return (
    <div class={`result ${current ? "good" : "warn"}`} data-testid="registration-result">
      <h3>
        {current ? "✓" : "!"} {t("regFound")} · {t("registrationNumber")} {r.registrationNumber}
      </h3>
      <dl class="registration-facts">
        <dt>{t("regStatusNow")}</dt>
        <dd>
          <strong data-testid="registration-status">{word(r.status)}</strong>
        </dd>
        <dt>{t("registeredAt")}</dt>
        <dd>{date(r.registeredAt)}</dd>
        <CoreFacts p={r} names={names} full />
        <dt>{t("valuationHolds")}</dt>
        <dd class={r.valuationVerdict === "VALID" ? "ok" : "ko"}>
          {reasonText(r.valuationVerdict)} ·{" "}
          <button
            type="button"
            class="link-button"
            onClick={() => {
              props.onCheckReport(r.valuationReportId);
              document.getElementById("report-check")?.scrollIntoView();
            }}
          >
            {t("checkThisReport")}
          </button>
        </dd>
        <dt>{t("proof")}</dt>
        <dd>
          <ProofLine proof={r.registration} />
        </dd>
        {r.latest && r.latest.transactionHash !== r.registration?.transactionHash && (
          <>
            <dt>{t("regLatestProof")}</dt>
            <dd>
              <ProofLine proof={r.latest} />
            </dd>
          </>
        )}
      </dl>
    </div>
  );
}

/** A report file (hashed here) or a pasted hash: anchored or not, by whom, when, still valid. */
function ReportCheckPanel({ asked }: { asked: string | null }) {
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
  // Asked from the registration look-up: check the notice's valuation report.
  useEffect(() => {
    if (!asked) return;
    setPasted(asked);
    setResult(null);
    setError(null);
    setFileName(null);
    void ask(asked);
  }, [asked]);
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
    <div class="card" id="report-check">
      <h2>{t("reportCheckTitle")}</h2>
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
    </div>
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
