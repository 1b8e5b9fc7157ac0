/**
 * The registration office's queue: every pending application with each rule of SPEC §4.2 shown pass or fail in
 * words, its documents opened in place and what changed since it was submitted, and Register / Refuse with progress
 * and then the proof.
 */
import { useEffect, useState } from "preact/hooks";
import {
  assetName,
  registerPledge,
  refusePledge,
  registrationQueue,
  type Decision,
  type PendingApplication,
} from "../api";
import { date, dateTime, money, reasonText, t, word, REASONS, lang } from "../i18n";
import { current } from "../session";
import { useSignal } from "../state";
import { ErrorBox, Field, Hash, ProofLine, Title } from "./common";
import { RuleTable, useAssetNames } from "./pledgeParts";
import { Party } from "./Party";
import { DecideBy } from "./Inbox";
import { SinceSubmission } from "./SinceSubmission";

export function Queue() {
  const [apps, setApps] = useState<PendingApplication[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const load = () => {
    setError(null);
    registrationQueue(current.get()!.key).then(setApps, setError);
  };
  useEffect(load, []);
  return (
    <section>
      <Title>{t("queue")}</Title>
      <p>
        <button type="button" onClick={load}>
          {t("refresh")}
        </button>
      </p>
      {error !== null && <ErrorBox error={error} next="retryLater" />}
      {apps === null && error === null && <p class="progress">{t("loading")}</p>}
      {apps?.length === 0 && <p>{t("queueEmpty")}</p>}
      {apps?.map((a) => (
        <ApplicationCard key={a.pledgeId} a={a} />
      ))}
    </section>
  );
}

function AssetLabel({ id }: { id: string }) {
  useSignal(lang);
  const [name, setName] = useState<{ kind: string; officialNumber: string } | null>(null);
  useEffect(() => {
    assetName(current.get()!.key, id).then(setName);
  }, [id]);
  return name ? (
    <span>
      {word(name.kind)} <strong>{name.officialNumber}</strong>
    </span>
  ) : (
    <Hash value={id} />
  );
}

function ApplicationCard({ a }: { a: PendingApplication }) {
  const [stage, setStage] = useState<"idle" | "refusing" | "sending" | "done">("idle");
  const [outcome, setOutcome] = useState<Decision | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [code, setCode] = useState<string>(a.failures[0]?.reason ?? "");
  const [note, setNote] = useState("");
  const failed = new Set(a.failures.map((f) => f.reason));
  const headingId = `app-${a.pledgeId}`;
  const names = useAssetNames(a.assets);

  const decide = async (act: () => Promise<Decision>) => {
    setStage("sending");
    setError(null);
    try {
      setOutcome(await act());
      setStage("done");
    } catch (e) {
      setError(e);
      setStage("idle");
    }
  };
  const key = current.get()!.key;

  return (
    <article class="card application" aria-labelledby={headingId} data-testid={`application-${a.pledgeId}`}>
      <h2 id={headingId}>
        {t("application")} #{a.pledgeId}
      </h2>
      <dl class="grid">
        <dt>{t("submittedAt")}</dt>
        <dd>{dateTime(a.submittedAt)}</dd>
        {a.submittedAt && <DecideBy submittedAt={a.submittedAt} />}
        <dt>{t("assets")}</dt>
        <dd>
          <ul class="plain">
            {a.assets.map((id) => (
              <li key={id}>
                <AssetLabel id={id} />
              </li>
            ))}
          </ul>
        </dd>
        <dt>{t("pledgors")}</dt>
        <dd>
          <ul class="plain">
            {a.pledgors.map((p) => (
              <li key={p}>
                <Party address={p} />
              </li>
            ))}
          </ul>
        </dd>
        <dt>{t("pledgee")}</dt>
        <dd>
          <Party address={a.pledgee} />
        </dd>
        <dt>{t("securedAmount")}</dt>
        <dd>
          <strong>{money(a.principal, a.currency)}</strong>
        </dd>
        <dt>{t("maturity")}</dt>
        <dd>{date(a.maturityDate)}</dd>
        <dt>{t("proof")}</dt>
        <dd>
          <ProofLine proof={a.application} />
        </dd>
      </dl>
      <h3>{t("rules")}</h3>
      <p class={failed.size ? "ko" : "ok"}>{failed.size ? t("someFail") : t("allPass")}</p>
      <RuleTable failures={a.failures} names={names} />
      <SinceSubmission a={a} />
      <div aria-live="polite">
        {stage === "sending" && <p class="progress">{t("sending")}</p>}
        {error !== null && <ErrorBox error={error} next="retryLater" />}
        {stage === "done" && outcome && (
          <div class={`result ${outcome.status === "Registered" ? "good" : "bad"}`} role="status">
            <h3>{word(outcome.status)}</h3>
            <ProofLine proof={outcome.proof} />
            <p>
              <a href={`#/notice/${a.pledgeId}`}>
                {t(outcome.status === "Registered" ? "registrationNotice" : "refusalNotice")}
              </a>
            </p>
          </div>
        )}
      </div>
      {stage === "idle" && (
        <div class="actions">
          <button type="button" class="primary" onClick={() => decide(() => registerPledge(key, a.pledgeId))}>
            {t("register")}
          </button>
          <button type="button" class="danger" onClick={() => setStage("refusing")}>
            {t("refuse")}
          </button>
        </div>
      )}
      {stage === "refusing" && (
        <form
          class="refusal"
          onSubmit={(e) => {
            e.preventDefault();
            if (!code && !note.trim()) return setError(new Error(t("needsNote")));
            void decide(() => refusePledge(key, a.pledgeId, code || null, note));
          }}
        >
          <Field label={t("refuseReason")} id={`reason-${a.pledgeId}`}>
            <select id={`reason-${a.pledgeId}`} value={code} onChange={(e) => setCode(e.currentTarget.value)}>
              {Object.entries(REASONS)
                .filter(([, r]) => r.rule !== undefined)
                .sort(([x], [y]) => Number(failed.has(y)) - Number(failed.has(x)))
                .map(([c]) => (
                  <option key={c} value={c}>
                    {failed.has(c) ? "✗ " : ""}
                    {reasonText(c)}
                  </option>
                ))}
              <option value="">{t("freeText")}</option>
            </select>
          </Field>
          <Field label={t("note")} id={`note-${a.pledgeId}`}>
            <textarea
              id={`note-${a.pledgeId}`}
              rows={2}
              maxLength={500}
              value={note}
              onInput={(e) => setNote(e.currentTarget.value)}
              required={!code}
            />
          </Field>
          <div class="actions">
            <button type="submit" class="danger">
              {t("confirmRefuse")}
            </button>
            <button type="button" onClick={() => setStage("idle")}>
              {t("cancel")}
            </button>
          </div>
        </form>
      )}
    </article>
  );
}
