/** The bank's work: applications it started in this browser (drafts and their pledges), and any pledge by number. */
import { useState } from "preact/hooks";
import { dateTime, t } from "../i18n";
import { Field, Title } from "./common";
import { trackedWork } from "./pledgeParts";

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
