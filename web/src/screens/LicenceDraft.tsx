/**
 * A licence draft for an organisation that is one of its parties (a licensor co-owning the licensed patent, a
 * sub-licensee, or the originator who drafted it): who has signed, and — when this organisation's own signature is
 * missing — the terms in words and Sign, in this browser. The signature goes to the keyless route (a licensor's own
 * signature is its standing); recording the licence stays the originator's step.
 */
import { useEffect, useState } from "preact/hooks";
import { getLicenceDraft, signLicenceDraft, type LicenceDraft } from "../deskApi";
import { lang, t } from "../i18n";
import { current } from "../session";
import { useSignal } from "../state";
import { Consent } from "../signing/Consent";
import { useDemo } from "../signing/demo";
import { ErrorBox, Title } from "./common";
import { Party } from "./Party";
import { useAssetNames, useKnownNames } from "./pledgeParts";

export function LicenceDraftScreen({ draftId }: { draftId: string }) {
  useSignal(lang);
  const session = useSignal(current)!;
  const demo = useDemo();
  const [draft, setDraft] = useState<LicenceDraft | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [justSigned, setJustSigned] = useState(false);
  useEffect(() => {
    getLicenceDraft(session.key, draftId).then(setDraft, setError);
  }, [draftId, session.key]);
  const assets = (draft?.signers[0]?.typedData.message.assetIds as string[] | undefined) ?? [];
  const names = useKnownNames(useAssetNames(assets));

  if (error !== null && !draft) return <ErrorBox error={error} />;
  if (!draft) return <p class="progress">{t("loading")}</p>;
  const mine = draft.signers.find((s) => s.address.toLowerCase() === session.org.address.toLowerCase());
  return (
    <section>
      <p class="no-print">
        <a href="#/inbox">← {t("inbox")}</a>
      </p>
      <Title>
        {t("licDraftTitle")} · {t(draft.kind === "first" ? "ibLicenceKind_first" : "ibLicenceKind_sub")}
      </Title>
      <p>{t("licIntro")}</p>
      <h2>{t("licSigners")}</h2>
      <ul class="plain" data-testid="licence-signers">
        {draft.signers.map((s) => (
          <li key={s.address} data-testid={`licence-signer-${s.address.toLowerCase()}`}>
            <Party address={s.address} /> · {t(s.role === "licensee" ? "licLicensee" : "licLicensors")} ·{" "}
            <strong class={s.signed ? "ok" : "ko"}>{s.signed ? t("licSignedYes") : t("licSignedNo")}</strong>
          </li>
        ))}
      </ul>
      <div aria-live="polite">
        {justSigned && (
          <p class="result good" role="status" data-testid="licence-signed">
            {t("licYouSigned")}
          </p>
        )}
        {draft.complete && <p class="ok">{t("licComplete")}</p>}
      </div>
      {mine && !mine.signed ? (
        <div class="card">
          <Consent
            data={mine.typedData}
            expected={mine.address}
            names={names}
            demo={demo}
            onSigned={async (signature) => {
              setDraft(await signLicenceDraft(draftId, mine.address, signature));
              setJustSigned(true);
            }}
          />
        </div>
      ) : (
        !justSigned && !draft.complete && <p class="muted">{t("licNotYours")}</p>
      )}
    </section>
  );
}
