/**
 * The page a signing link opens (no sign-in): only that draft's terms for this one party, in words; the party signs
 * in the browser with its own key file or wallet, and the signature is posted with the link's token, no API key.
 */
import { useEffect, useState } from "preact/hooks";
import { t, word } from "../i18n";
import { openLink, signViaLink, type LinkView } from "../pledgeApi";
import { Consent, type Names } from "../signing/Consent";
import { useDemo } from "../signing/demo";
import { ErrorBox, Title } from "./common";
import "./pledge.css";

export function SignLink({ token }: { token: string }) {
  const [view, setView] = useState<LinkView | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [justSigned, setJustSigned] = useState(false);
  const demo = useDemo();
  useEffect(() => {
    openLink(token).then(setView, setError);
  }, [token]);

  if (error) return <ErrorBox error={error} next="askBankForLink" />;
  if (!view) return <p class="progress">{t("loading")}</p>;
  const names: Names = Object.fromEntries(
    view.assets
      .filter((a) => a.kind && a.officialNumber)
      .map((a) => [a.assetId.toLowerCase(), `${word(a.kind)} ${a.officialNumber}`]),
  );
  if (view.pledgee.name) names[view.pledgee.address.toLowerCase()] = view.pledgee.name;
  const bank = view.pledgee.name ?? view.pledgee.address;

  return (
    <section>
      <Title>{t("signLinkTitle")}</Title>
      <p class="notice">{t("signLinkIntro").replace("{bank}", bank)}</p>
      {view.request.signed ? (
        <div class="result good" role="status" data-testid="link-signed">
          <h2>{justSigned ? t("thanksSigned") : t("alreadySigned")}</h2>
          <p>{view.pledgeId ? `${t("submittedAs")} #${view.pledgeId}` : t("bankWillSubmit").replace("{bank}", bank)}</p>
        </div>
      ) : view.pledgeId ? (
        <div class="result bad" role="status">
          <h2>
            {t("submittedAs")} #{view.pledgeId}
          </h2>
          <p>{t("tooLateToSign")}</p>
        </div>
      ) : (
        <div class="card">
          <Consent
            data={view.request.typedData}
            expected={view.request.address}
            names={names}
            demo={demo}
            onSigned={async (signature) => {
              setView(await signViaLink(token, signature));
              setJustSigned(true);
            }}
          />
        </div>
      )}
    </section>
  );
}
