/** Pieces the bank's pledge screens share: the §4.2 checklist, names for ids, and the bank's own list of its work. */
import { useEffect, useState } from "preact/hooks";
import type { RuleFailure } from "../api";
import { date, lang, money, reasonText, RULES, t, word } from "../i18n";
import { assetById, type Pledge } from "../pledgeApi";
import { current } from "../session";
import { useSignal } from "../state";
import { Hash } from "./common";
import type { Names } from "../signing/Consent";
import "./pledge.css";
import { Party, useDirectory } from "./Party";

/** A failure's detail in words: a date or an instant as a date, a name in words, a bare enum number left out. */
function detailText(detail: string) {
  if (!detail || /^\d{1,3}$/.test(detail)) return "";
  if (/^\d{4}-\d{2}-\d{2}/.test(detail)) return `: ${date(detail)}`;
  if (/^\d{9,11}$/.test(detail)) return `: ${date(new Date(Number(detail) * 1000).toISOString())}`;
  return `: ${word(detail)}`;
}

/** Every rule of SPEC §4.2, pass or fail with its reason in words. */
export function RuleTable({ failures, names }: { failures: RuleFailure[]; names: Names }) {
  useSignal(lang);
  return (
    <div class="table-wrap">
      <table class="rules" data-testid="preflight">
        <tbody>
          {RULES.map((r) => {
            const mine = failures.filter((f) => r.codes.includes(f.reason));
            const ok = mine.length === 0;
            return (
              <tr key={r.rule} class={ok ? "ok" : "ko"}>
                <th scope="row">{r.rule}</th>
                <td class="verdict">{ok ? `✓ ${t("pass")}` : `✗ ${t("fail")}`}</td>
                <td>
                  {r.check[lang.get()]}
                  {mine.map((f, i) => (
                    <div key={i} class="detail">
                      {reasonText(f.reason)}
                      {detailText(f.detail)}
                      {f.assetId && <> — {names[f.assetId.toLowerCase()] ?? <Hash value={f.assetId} />}</>}
                      {f.party && <> — {names[f.party.toLowerCase()] ?? <Party address={f.party} />}</>}
                    </div>
                  ))}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** What a notice states of a pledge (the public look-up has these and no more). */
export type NoticeFacts = Pick<
  Pledge,
  | "assets"
  | "pledgors"
  | "pledgee"
  | "debtor"
  | "principal"
  | "currency"
  | "startDate"
  | "maturityDate"
  | "valuationReportId"
>;

/** What a pledge secures and on what, as dt/dd pairs of a facts list (the pledge page, its notice, the public look-up). */
export function CoreFacts({ p, names, full = false }: { p: NoticeFacts; names: Names; full?: boolean }) {
  const named = (a: string) => names[a.toLowerCase()];
  return (
    <>
      <dt>{t("assets")}</dt>
      <dd>
        <ul class="plain">
          {p.assets.map((id) => (
            <li key={id}>{named(id) ? <strong>{named(id)}</strong> : <Hash value={id} />}</li>
          ))}
        </ul>
      </dd>
      <dt>{t("pledgors")}</dt>
      <dd>
        <ul class="plain">
          {p.pledgors.map((a) => (
            <li key={a}>
              <Party address={a} full={full} />
            </li>
          ))}
        </ul>
      </dd>
      <dt>{t("pledgee")}</dt>
      <dd>
        <Party address={p.pledgee} full={full} />
      </dd>
      <dt>{t("debtor")}</dt>
      <dd>{p.debtor}</dd>
      <dt>{t("securedAmount")}</dt>
      <dd>
        <strong>{money(p.principal, p.currency)}</strong>
      </dd>
      <dt>{t("loanTerm")}</dt>
      <dd>
        {date(p.startDate)} – {date(p.maturityDate)}
      </dd>
      <dt>{t("valuation")}</dt>
      <dd>
        <Hash value={p.valuationReportId} />
      </dd>
    </>
  );
}

/** "发明专利 ZL…" for each asset id (lower-case keys), asked of the register once per id. */
export function useAssetNames(ids: string[]): Names {
  useSignal(lang);
  const [found, setFound] = useState<Record<string, { kind: string; officialNumber: string }>>({});
  const key = current.get()?.key;
  useEffect(() => {
    if (!key) return;
    for (const id of ids) {
      if (found[id.toLowerCase()]) continue;
      assetById(key, id).then(
        (a) => setFound((prev) => ({ ...prev, [id.toLowerCase()]: a })),
        () => undefined,
      );
    }
  }, [ids.join(), key]);
  return Object.fromEntries(Object.entries(found).map(([id, a]) => [id, `${word(a.kind)} ${a.officialNumber}`]));
}

/** The names of the organisations this gateway serves (the signed-in one's own included), added to a names table. */
export function useKnownNames(names: Names): Names {
  const known = Object.fromEntries([...useDirectory()].map(([address, org]) => [address, org.name]));
  return { ...known, ...names };
}

// ───────────── the bank's own list (this browser) ─────────────

export interface Tracked {
  draftId: string;
  pledgeId: string | null;
  label: string;
  createdAt: string;
}
const listKey = () => `ipr.work.${current.get()?.org.id ?? "none"}`;

/** The applications this bank started in this browser (the gateway keeps the drafts; this is only a bookmark list). */
export function trackedWork(): Tracked[] {
  try {
    const list = JSON.parse(localStorage.getItem(listKey()) ?? "[]");
    return Array.isArray(list) ? (list as Tracked[]) : [];
  } catch {
    return [];
  }
}
export function track(item: Partial<Tracked> & { draftId: string }) {
  const list = trackedWork();
  const at = list.findIndex((x) => x.draftId === item.draftId);
  const fresh: Tracked = { draftId: item.draftId, pledgeId: null, label: "", createdAt: new Date().toISOString() };
  const merged: Tracked = { ...(at >= 0 ? list[at] : fresh), ...item };
  if (at >= 0) list[at] = merged;
  else list.unshift(merged);
  localStorage.setItem(listKey(), JSON.stringify(list.slice(0, 200)));
}

/** Yuan as typed ("1,000,000.50") → fen as an integer string; null when it is not an amount. */
export function fenOf(yuan: string): string | null {
  const clean = yuan.replace(/[,\s，]/g, "");
  const m = /^(\d{1,16})(?:\.(\d{1,2}))?$/.exec(clean);
  if (!m) return null;
  return (BigInt(m[1]) * 100n + BigInt((m[2] ?? "").padEnd(2, "0") || "0")).toString();
}
