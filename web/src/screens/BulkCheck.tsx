/** Bulk collateral check: a pasted list of numbers → a table and a CSV (UTF-8 with BOM, formula-injection-safe). */
import { useState } from "preact/hooks";
import { collateralCheck, type Collateral } from "../api";
import { date, money, reasonText, t, word } from "../i18n";
import { current } from "../session";
import { download, toCsv } from "../csv";
import { ErrorBox, Field, Title } from "./common";
import { KindSelect, useAssetKinds } from "./Collateral";
import { Party } from "./Party";

interface Row {
  kind: string;
  number: string;
  found?: Collateral | null;
  error?: unknown;
}

/** "ZL2021…" or "Trademark,12345" (also tab- or semicolon-separated): one asset per line. */
export function parseList(text: string, defaultKind: string, kinds: string[]): Row[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const parts = line.split(/[,\t;，]/).map((p) => p.trim());
      const kind = parts.length > 1 && kinds.includes(parts[0]) ? parts[0] : null;
      return kind ? { kind, number: parts.slice(1).join(",") } : { kind: defaultKind, number: line };
    });
}

export function BulkCheck() {
  const [text, setText] = useState("");
  const [kind, setKind] = useState("InventionPatent");
  const kinds = useAssetKinds();
  const [rows, setRows] = useState<Row[]>([]);
  const [done, setDone] = useState(0);
  const [busy, setBusy] = useState(false);

  const run = async () => {
    const list = parseList(text, kind, kinds);
    setRows(list);
    setDone(0);
    setBusy(true);
    const key = current.get()!.key;
    const out = [...list];
    // One at a time: a bank's list may be long, and the gateway's rate limit is shared.
    for (let i = 0; i < out.length; i++) {
      try {
        out[i] = { ...out[i], found: await collateralCheck(key, out[i].kind, out[i].number) };
      } catch (error) {
        out[i] = { ...out[i], error };
      }
      setRows([...out]);
      setDone(i + 1);
    }
    setBusy(false);
  };

  const csv = () =>
    toCsv([
      [
        "kind",
        "official_number",
        "state",
        "pledge_id",
        "registration_number",
        "pledgee",
        "principal_smallest_unit",
        "currency",
        "maturity",
        "valuation_report",
        "valuation_verdict",
        "standing",
      ],
      ...rows.map((r) => {
        const p = r.found?.pledge;
        const state = r.error ? "error" : r.found === null ? "not_found" : r.found?.pledged ? "pledged" : "free";
        return [
          r.kind,
          r.number,
          state,
          p?.pledgeId,
          p?.registrationNumber,
          p?.pledgee,
          p?.principal,
          p?.currency,
          p?.maturityDate,
          p?.valuationReportId,
          p?.valuationVerdict,
          r.found?.standing,
        ];
      }),
    ]);

  return (
    <section>
      <Title>{t("bulk")}</Title>
      <form
        class="card"
        onSubmit={(e) => {
          e.preventDefault();
          void run();
        }}
      >
        <Field label={t("numbers")} id="bulk-list" help={t("bulkIntro")}>
          <textarea
            id="bulk-list"
            rows={6}
            spellcheck={false}
            aria-describedby="bulk-list-help"
            value={text}
            onInput={(e) => setText(e.currentTarget.value)}
          />
        </Field>
        <Field label={t("defaultKind")} id="bulk-kind">
          <KindSelect id="bulk-kind" value={kind} onChange={setKind} />
        </Field>
        <button type="submit" class="primary" disabled={busy || !text.trim()}>
          {t("checkAll")}
        </button>{" "}
        <button
          type="button"
          disabled={busy || rows.length === 0}
          onClick={() => download("collateral-check.csv", csv())}
        >
          {t("downloadCsv")}
        </button>
      </form>
      {rows.length > 0 && (
        <>
          <p aria-live="polite">
            <label for="bulk-progress">{t("progress")}</label>{" "}
            <progress id="bulk-progress" max={rows.length} value={done} /> {done}/{rows.length}
          </p>
          <div class="table-wrap">
            <table data-testid="bulk-table">
              <thead>
                <tr>
                  <th scope="col">{t("officialNumberShort")}</th>
                  <th scope="col">{t("result")}</th>
                  <th scope="col">{t("pledgee")}</th>
                  <th scope="col">{t("securedAmount")}</th>
                  <th scope="col">{t("maturity")}</th>
                  <th scope="col">{t("valuationHolds")}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r, i) => {
                  const p = r.found?.pledge;
                  return (
                    <tr key={i}>
                      <td>
                        {word(r.kind)} {r.number}
                      </td>
                      <td>
                        {r.error ? (
                          <ErrorBox error={r.error} />
                        ) : r.found === undefined ? (
                          "…"
                        ) : r.found === null ? (
                          t("noAsset")
                        ) : r.found.pledged ? (
                          t("pledgedNow")
                        ) : (
                          t("freeNow")
                        )}
                      </td>
                      <td>{p ? <Party address={p.pledgee} /> : "—"}</td>
                      <td class="num">{p ? money(p.principal, p.currency) : "—"}</td>
                      <td>{p ? date(p.maturityDate) : "—"}</td>
                      <td>{p ? reasonText(p.valuationVerdict) : "—"}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
