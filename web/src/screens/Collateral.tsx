/** The bank's collateral check (SPEC §4.4): one asset by kind and official number. */
import { useEffect, useState } from "preact/hooks";
import { assetKinds, collateralCheck, type Collateral } from "../api";
import { date, dateTime, money, reasonText, t, word } from "../i18n";
import { current } from "../session";
import { ErrorBox, Field, Hash, HistoryTable, ProofLine, Title, useTask } from "./common";
import { Party } from "./Party";

/** The asset kinds the gateway accepts (the first is the default). */
export function useAssetKinds() {
  const [kinds, setKinds] = useState<string[]>(["InventionPatent"]);
  useEffect(() => {
    void assetKinds().then(setKinds);
  }, []);
  return kinds;
}

export function KindSelect(props: { id: string; value: string; onChange: (v: string) => void }) {
  const kinds = useAssetKinds();
  return (
    <select id={props.id} value={props.value} onChange={(e) => props.onChange(e.currentTarget.value)}>
      {kinds.map((k) => (
        <option key={k} value={k}>
          {word(k)}
        </option>
      ))}
    </select>
  );
}

export function CollateralCheck() {
  const [kind, setKind] = useState("InventionPatent");
  const [number, setNumber] = useState("");
  const [result, setResult] = useState<Collateral | null | undefined>(undefined);
  const { busy, error, run } = useTask();

  const check = () =>
    run(async () => {
      setResult(undefined);
      setResult(await collateralCheck(current.get()!.key, kind, number.trim()));
    });

  return (
    <section>
      <Title>{t("collateral")}</Title>
      <form
        class="card row"
        onSubmit={(e) => {
          e.preventDefault();
          void check();
        }}
      >
        <Field label={t("assetKind")} id="asset-kind">
          <KindSelect id="asset-kind" value={kind} onChange={setKind} />
        </Field>
        <Field label={t("officialNumber")} id="official-number">
          <input
            id="official-number"
            value={number}
            onInput={(e) => setNumber(e.currentTarget.value)}
            required
            spellcheck={false}
          />
        </Field>
        <button type="submit" class="primary" disabled={busy || !number.trim()}>
          {t("check")}
        </button>
      </form>
      <div aria-live="polite">
        {busy && <p class="progress">{t("loading")}</p>}
        {error !== null && <ErrorBox error={error} />}
        {result === null && (
          <div class="result bad" data-testid="collateral-result">
            <h2>{t("noAsset")}</h2>
          </div>
        )}
        {result && <CollateralView c={result} />}
      </div>
    </section>
  );
}

function CollateralView({ c }: { c: Collateral }) {
  const p = c.pledge;
  return (
    <div class={`result ${c.pledged ? "warn" : "good"}`} data-testid="collateral-result">
      <h2>
        {word(c.kind)} {c.officialNumber}: {c.pledged ? t("pledgedNow") : t("freeNow")}
      </h2>
      <dl>
        <dt>{t("standing")}</dt>
        <dd>{reasonText(c.standing)}</dd>
        {p && (
          <>
            <dt>{t("pledgee")}</dt>
            <dd>
              <Party address={p.pledgee} />
            </dd>
            <dt>{t("securedAmount")}</dt>
            <dd>
              <strong>{money(p.principal, p.currency)}</strong>
            </dd>
            <dt>{t("maturity")}</dt>
            <dd>{date(p.maturityDate)}</dd>
            <dt>{t("registrationNumber")}</dt>
            <dd>
              {p.registrationNumber ?? "—"} ({word(p.status)})
            </dd>
            <dt>{t("registeredAt")}</dt>
            <dd>{dateTime(p.registeredAt)}</dd>
            <dt>{t("valuation")}</dt>
            <dd>
              {p.valuationReportId ? (
                <a href={`#/verify?hash=${p.valuationReportId}`}>
                  <Hash value={p.valuationReportId} />
                </a>
              ) : (
                "—"
              )}
            </dd>
            <dt>{t("valuationHolds")}</dt>
            <dd class={p.valuationVerdict === "VALID" ? "ok" : "ko"}>{reasonText(p.valuationVerdict)}</dd>
            <dt>{t("proof")}</dt>
            <dd>
              <ProofLine proof={p.registration} />
            </dd>
          </>
        )}
      </dl>
      <h3>{t("history")}</h3>
      {c.history.length === 0 ? <p>{t("noHistory")}</p> : <HistoryTable history={c.history} withPledge />}
    </div>
  );
}
