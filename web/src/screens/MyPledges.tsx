/**
 * The bank's work: its pledges as the register holds them (GET /v1/pledges, from the read model, a page at a time),
 * the applications it started in this browser (drafts, not yet on chain), and any pledge by number.
 */
import { useEffect, useState } from "preact/hooks";
import { date, dateTime, money, t, word } from "../i18n";
import { pledgesOf, type ListedPledge } from "../pledgeList";
import { current } from "../session";
import { useSignal } from "../state";
import { Columns } from "./Columns";
import { ErrorBox, Field, Title, useTask } from "./common";
import { trackedWork, useAssetNames } from "./pledgeParts";

/** The bank's pledges in the register, newest application last (by pledge number), page by page. */
function BankPledges() {
  const session = useSignal(current)!;
  const [pledges, setPledges] = useState<ListedPledge[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const load = useTask();
  const names = useAssetNames([...new Set((pledges ?? []).flatMap((p) => p.assets))]);
  const more = (cursor: string | null) =>
    load.run(async () => {
      const page = await pledgesOf(session.key, session.org.address, cursor);
      setPledges((before) => (cursor ? [...(before ?? []), ...page.pledges] : page.pledges));
      setNext(page.nextCursor);
    });
  useEffect(() => void more(null), []);
  return (
    <>
      <h2>{t("bankPledges")}</h2>
      {load.error !== null && <ErrorBox error={load.error} />}
      {pledges?.length === 0 && <p class="muted">{t("noBankPledges")}</p>}
      {pledges && pledges.length > 0 && (
        <div class="table-wrap">
          <table data-testid="bank-pledges">
            <Columns
              labels={[
                t("pledgeNo"),
                t("regStatusNow"),
                t("registrationNumber"),
                t("assets"),
                t("securedAmount"),
                t("maturity"),
              ]}
            />
            <tbody>
              {pledges.map((p) => (
                <tr key={p.pledgeId}>
                  <td>
                    <a href={`#/pledge/${p.pledgeId}`}>#{p.pledgeId}</a>
                  </td>
                  <td>{word(p.status)}</td>
                  <td>{p.registrationNumber ?? "—"}</td>
                  <td>
                    {p.assets.map((a) => (
                      <div key={a}>{names[a.toLowerCase()] ?? `${a.slice(0, 10)}…`}</div>
                    ))}
                  </td>
                  <td class="num">{money(p.principal, p.currency)}</td>
                  <td>{date(p.maturityDate)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {load.busy && <p class="progress">{t("loading")}</p>}
      {next && (
        <p>
          <button type="button" disabled={load.busy} onClick={() => void more(next)}>
            {t("more")}
          </button>
        </p>
      )}
    </>
  );
}

export function MyPledges() {
  const [number, setNumber] = useState("");
  const work = trackedWork();
  return (
    <section>
      <Title>{t("myPledges")}</Title>
      <p>
        <a class="tile inline" href="#/apply">
          + {t("newApplication")}
        </a>
      </p>
      <form
        class="card row"
        onSubmit={(e) => {
          e.preventDefault();
          if (/^[1-9]\d*$/.test(number.trim())) location.hash = `#/pledge/${number.trim()}`;
        }}
      >
        <Field label={t("pledgeNo")} id="open-pledge">
          <input
            id="open-pledge"
            inputMode="numeric"
            value={number}
            onInput={(e) => setNumber(e.currentTarget.value)}
          />
        </Field>
        <button type="submit">{t("openPledge")}</button>
      </form>
      <BankPledges />
      <h2>{t("startedHere")}</h2>
      {work.length === 0 ? (
        <p class="muted">{t("nothingStarted")}</p>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t("application")}</th>
                <th scope="col">{t("startedOn")}</th>
                <th scope="col" class="nowrap">
                  {t("pledgeNo")}
                </th>
              </tr>
            </thead>
            <tbody>
              {work.map((w) => (
                <tr key={w.draftId}>
                  <td>
                    <a href={`#/application/${w.draftId}`}>{w.label || w.draftId}</a>
                  </td>
                  <td>{dateTime(w.createdAt)}</td>
                  <td>{w.pledgeId ? <a href={`#/pledge/${w.pledgeId}`}>#{w.pledgeId}</a> : "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p class="help">{t("startedHereHelp")}</p>
    </section>
  );
}
