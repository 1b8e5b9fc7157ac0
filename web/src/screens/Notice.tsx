/**
 * The registration notice (质押登记通知书) as a printable A4 page: registration number and date, assets, pledgors,
 * pledgee, debtor, secured amount, term, valuation report, the chain proof, and a QR code that opens the public
 * verify page for it. A refused application gets the refusal notice with its reason in words instead.
 */
import { useEffect, useState } from "preact/hooks";
import QRCode from "qrcode";
import { date, dateTime, reasonText, t } from "../i18n";
import { getPledge, type Pledge } from "../pledgeApi";
import { current } from "../session";
import { ErrorBox, Hash } from "./common";
import { CoreFacts, useAssetNames, useKnownNames } from "./pledgeParts";

/**
 * The public look-up of this notice's registration number: anyone scanning the code sees, without a key, what the
 * register holds under that number (the notice's facts, the status now, the proof) and can check the report from it.
 */
export const verifyUrlOf = (p: Pledge) =>
  `${location.origin}/#/verify?registration=${encodeURIComponent(p.registrationNumber ?? "")}`;

export function Notice({ pledgeId }: { pledgeId: string }) {
  const [pledge, setPledge] = useState<Pledge | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [qr, setQr] = useState<string | null>(null);
  const names = useKnownNames(useAssetNames(pledge?.assets ?? []));
  useEffect(() => {
    getPledge(current.get()!.key, pledgeId).then(setPledge, setError);
  }, [pledgeId]);
  useEffect(() => {
    if (!pledge?.registrationNumber) return;
    QRCode.toString(verifyUrlOf(pledge), { type: "svg", margin: 1, errorCorrectionLevel: "M" }).then(setQr, setError);
  }, [pledge]);

  if (error) return <ErrorBox error={error} />;
  if (!pledge) return <p class="progress">{t("loading")}</p>;
  const proof = pledge.proof.registration ?? pledge.proof.latest;

  return (
    <section class="notice-page">
      <p class="no-print actions">
        <button type="button" class="primary" onClick={() => print()}>
          {t("print")}
        </button>
        <a href={`#/pledge/${pledge.pledgeId}`}>{t("openPledge")}</a>
      </p>
      <article class="sheet" data-testid="notice">
        <header class="sheet-head">
          <p class="issuer">{t("noticeIssuer")}</p>
          <h1 tabIndex={-1}>{pledge.refusal ? t("refusalNotice") : t("registrationNotice")}</h1>
          {pledge.registrationNumber && (
            <p class="reg-no">
              {t("registrationNumber")}: <strong data-testid="notice-number">{pledge.registrationNumber}</strong>
            </p>
          )}
        </header>
        {pledge.refusal ? (
          <>
            <p>{t("refusalText").replace("{id}", pledge.pledgeId)}</p>
            <dl>
              <dt>{t("refuseReason")}</dt>
              <dd class="ko" data-testid="refusal-reason">
                <strong>{pledge.refusal.reason ? reasonText(pledge.refusal.reason) : t("otherReason")}</strong>
                {pledge.refusal.note && <div>{pledge.refusal.note}</div>}
              </dd>
              <dt>{t("refusedOn")}</dt>
              <dd>{dateTime(pledge.closedAt)}</dd>
            </dl>
          </>
        ) : pledge.registrationNumber ? (
          <p>{t("registrationText")}</p>
        ) : (
          <p class="ko">{t("notRegisteredYet")}</p>
        )}
        <dl class="sheet-facts">
          {pledge.registrationNumber && (
            <>
              <dt>{t("registeredAt")}</dt>
              <dd>{date(pledge.registeredAt)}</dd>
            </>
          )}
          <CoreFacts p={pledge} names={names} full />
          <dt>{t("proof")}</dt>
          <dd>
            {proof ? (
              <>
                {t("transaction")} <Hash value={proof.transactionHash} />
                <br />
                {t("block")} {proof.blockNumber ?? "—"}
              </>
            ) : (
              "—"
            )}
          </dd>
        </dl>
        {qr && pledge.registrationNumber && (
          <figure class="qr">
            <div class="qr-code" role="img" aria-label={t("qrLabel")} dangerouslySetInnerHTML={{ __html: qr }} />
            <figcaption>
              {t("qrCaption")}
              <br />
              <span class="hash" data-testid="qr-url">
                {verifyUrlOf(pledge)}
              </span>
            </figcaption>
          </figure>
        )}
        <footer class="sheet-foot muted">{t("noticeFoot")}</footer>
      </article>
    </section>
  );
}
