/**
 * The registration office's queue: every pending application with each rule of SPEC §4.2 shown pass or fail in
 * words, and Register / Refuse with progress and then the proof.
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
import { date, dateTime, money, reasonText, RULES, t, word, REASONS, lang } from "../i18n";
import { current } from "../session";
import { useSignal } from "../state";
import { ErrorBox, Field, Hash, ProofLine, Title } from "./common";

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

/** A failure's detail: a date or an instant in words, a pledge id or text as sent; a bare enum number is left out. */
function detailText(detail: string) {
  if (!detail || /^\d{1,3}$/.test(detail)) return "";
  if (/^\d{4}-\d{2}-\d{2}/.test(detail)) return `: ${date(detail)}`;
  if (/^\d{9,11}$/.test(detail)) return `: ${date(new Date(Number(detail) * 1000).toISOString())}`;
  return `: ${detail}`;
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
                <Hash value={p} />
              </li>
            ))}
          </ul>
        </dd>
        <dt>{t("pledgee")}</dt>
        <dd>
          <Hash value={a.pledgee} />
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
      <div class="table-wrap">
        <table class="rules">
          <tbody>
            {RULES.map((r) => {
              const failures = a.failures.filter((f) => r.codes.includes(f.reason));
              const ok = failures.length === 0;
              return (
                <tr key={r.rule} class={ok ? "ok" : "ko"}>
                  <th scope="row">{r.rule}</th>
                  <td class="verdict">{ok ? `✓ ${t("pass")}` : `✗ ${t("fail")}`}</td>
                  <td>
                    {r.check[lang.get()]}
                    {failures.map((f, i) => (
                      <div key={i} class="detail">
                        {reasonText(f.reason)}
                        {detailText(f.detail)}
                        {f.assetId && (
                          <>
                            {" "}
                            — <AssetLabel id={f.assetId} />
                          </>
                        )}
                        {f.party && (
                          <>
                            {" "}
                            — <Hash value={f.party} />
                          </>
                        )}
                      </div>
                    ))}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
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
