/**
 * One application draft as its bank works it: the terms, the preflight of every §4.2 rule (what it would fail if
 * submitted now), who still has to sign (with a signing link for each pledgor), the bank's own signature in the
 * browser, and Submit with progress and then the proof; once submitted, its status.
 */
import { useEffect, useState } from "preact/hooks";
import { date, money, t, word } from "../i18n";
import {
  addSignature,
  getDraft,
  getPledge,
  signingLink,
  submitDraft,
  type Draft,
  type WriteResult,
} from "../pledgeApi";
import { current } from "../session";
import { Consent } from "../signing/Consent";
import { useDemo } from "../signing/demo";
import { ErrorBox, Hash, ProofLine, Title, useTask } from "./common";
import { RuleTable, track, useAssetNames, useKnownNames } from "./pledgeParts";
import { Party } from "./Party";

export function DraftScreen({ draftId }: { draftId: string }) {
  const key = current.get()!.key;
  const me = current.get()!.org;
  const [draft, setDraft] = useState<Draft | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [submitted, setSubmitted] = useState<WriteResult | null>(null);
  const [signing, setSigning] = useState(false);
  const demo = useDemo();
  const names = useKnownNames(useAssetNames(draft?.terms.assets ?? []));
  const { busy, error, run } = useTask();

  const load = () =>
    getDraft(key, draftId).then((d) => {
      setDraft(d);
      setLoadError(null);
      if (d.pledgeId) {
        track({ draftId, pledgeId: d.pledgeId });
        getPledge(key, d.pledgeId).then(
          (p) => setStatus(p.status),
          () => undefined,
        );
      }
    }, setLoadError);
  useEffect(() => {
    void load();
  }, [draftId]);
  // While someone still has to sign, look again now and then: a patentee signs through its link meanwhile.
  const waiting = !!draft && !draft.pledgeId && draft.signers.some((s) => !s.signed);
  useEffect(() => {
    if (!waiting) return;
    const timer = setInterval(() => void load(), 4000);
    return () => clearInterval(timer);
  }, [waiting]);

  if (loadError) return <ErrorBox error={loadError} />;
  if (!draft) return <p class="progress">{t("loading")}</p>;
  const unsigned = draft.signers.filter((s) => !s.signed);
  const mine = draft.signers.find((s) => s.address.toLowerCase() === me.address.toLowerCase());

  const submit = () =>
    run(async () => {
      const result = await submitDraft(key, draftId);
      setSubmitted(result);
      track({ draftId, pledgeId: result.pledgeId });
      await load();
    });

  return (
    <section>
      <Title>
        {t("application")} · {draft.terms.debtor}
      </Title>
      <p class="muted">
        {t("draftNo")} <code>{draft.draftId}</code>
      </p>
      <div class="card">
        <dl>
          <dt>{t("assets")}</dt>
          <dd>
            <ul class="plain">
              {draft.terms.assets.map((id) => (
                <li key={id}>{names[id.toLowerCase()] ?? <Hash value={id} />}</li>
              ))}
            </ul>
          </dd>
          <dt>{t("securedAmount")}</dt>
          <dd>
            <strong>{money(draft.terms.principal, draft.terms.currency)}</strong>
          </dd>
          <dt>{t("loanTerm")}</dt>
          <dd>
            {date(draft.terms.startDate)} – {date(draft.terms.maturityDate)}
          </dd>
          <dt>{t("valuation")}</dt>
          <dd>
            <a href={`#/verify?hash=${draft.terms.valuationReportId}`}>
              <Hash value={draft.terms.valuationReportId} />
            </a>
          </dd>
        </dl>
      </div>

      {draft.pledgeId ? (
        <div class="result good" role="status" data-testid="submitted">
          <h2>
            {t("submittedAs")} #{draft.pledgeId}: {word(status ?? submitted?.status ?? null)}
          </h2>
          {submitted && <ProofLine proof={submitted.proof} />}
          <p>
            <a href={`#/pledge/${draft.pledgeId}`}>{t("openPledge")}</a>
          </p>
        </div>
      ) : (
        <>
          <h2>{t("preflightTitle")}</h2>
          <p class={draft.preflight.length ? "ko" : "ok"} data-testid="preflight-summary">
            {draft.preflight.length ? t("preflightFails") : t("preflightPasses")}
          </p>
          <RuleTable failures={draft.preflight} names={names} />

          <h2>{t("whoSigns")}</h2>
          <p data-testid="still-to-sign">
            {unsigned.length === 0 ? t("everyoneSigned") : `${t("stillToSign")}: ${unsigned.length}`}
          </p>
          <div class="table-wrap">
            <table class="signers">
              <thead>
                <tr>
                  <th scope="col">{t("party")}</th>
                  <th scope="col">{t("role")}</th>
                  <th scope="col">{t("signature")}</th>
                </tr>
              </thead>
              <tbody>
                {draft.signers.map((s) => (
                  <tr key={s.address} data-testid={`signer-${s.address.toLowerCase()}`}>
                    <td>
                      <Party address={s.address} full />
                    </td>
                    <td>{word(s.role)}</td>
                    <td>
                      {s.signed ? (
                        <span class="ok">✓ {t("signed")}</span>
                      ) : s === mine ? (
                        <button type="button" class="primary" onClick={() => setSigning(true)}>
                          {t("signAsBank")}
                        </button>
                      ) : (
                        <LinkButton draftId={draftId} signer={s.address} />
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {signing && mine && !mine.signed && (
            <div class="card">
              <Consent
                data={mine.typedData}
                expected={mine.address}
                names={names}
                demo={demo}
                onSigned={async (signature) => {
                  setDraft(await addSignature(key, draftId, mine.address, signature));
                  setSigning(false);
                }}
              />
            </div>
          )}
          <div class="actions">
            <button type="button" class="primary" disabled={busy || draft.preflight.length > 0} onClick={submit}>
              {t("submitApplication")}
            </button>
            <button type="button" onClick={() => void load()}>
              {t("refresh")}
            </button>
          </div>
          {draft.preflight.length > 0 && <p class="help">{t("submitWhenClear")}</p>}
          <div aria-live="polite">
            {busy && <p class="progress">{t("sending")}</p>}
            {error !== null && <ErrorBox error={error} />}
          </div>
        </>
      )}
    </section>
  );
}

/** A pledgor's signing link: made on request, shown to copy, and copied to the clipboard when it can be. */
function LinkButton({ draftId, signer }: { draftId: string; signer: string }) {
  const [link, setLink] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  const { busy, error, run } = useTask();
  const make = () =>
    run(async () => {
      const made = await signingLink(current.get()!.key, draftId, signer);
      setLink(made);
      try {
        await navigator.clipboard.writeText(made);
        setCopied(true);
      } catch {
        setCopied(false);
      }
    });
  if (link) {
    return (
      <div class="link-box">
        <label for={`link-${signer}`}>{t(copied ? "linkCopied" : "signingLink")}</label>
        <input
          id={`link-${signer}`}
          readOnly
          value={link}
          class="mono"
          data-testid="signing-link"
          onFocus={(e) => e.currentTarget.select()}
        />
        <p class="help">{t("linkHelp")}</p>
      </div>
    );
  }
  return (
    <>
      <button type="button" disabled={busy} onClick={make}>
        {t("makeLink")}
      </button>
      {error !== null && <ErrorBox error={error} />}
    </>
  );
}
