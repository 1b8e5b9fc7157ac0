/**
 * The bank's watchlist: every pledge where it is the pledgee (registered or in default), each with the changes that
 * matter flagged in words, the date each appeared, and a link to the asset's page (its record and whole timeline). Read from the index-backed
 * routes (GET /v1/pledges?pledgee=…, /v1/assets/{id}, /v1/collateral/{id}, /v1/valuations/{hash}); the rules are in
 * deskLogic.ts.
 */
import { useEffect, useState } from "preact/hooks";
import {
  assetTimeline,
  encumbranceVerdict,
  pledgesOf,
  reportTimeline,
  transactionTime,
  type AssetTimeline,
  type ListedPledge,
} from "../deskApi";
import { watchFlags, type Flag, type Since } from "../deskLogic";
import { date, lang, money, t, word, type LabelKey } from "../i18n";
import { current } from "../session";
import { useSignal } from "../state";
import { ErrorBox, Title } from "./common";
import "./inbox.css";

interface Watched {
  pledge: ListedPledge;
  assets: AssetTimeline[];
  flags: Flag[];
}

/** Each watched pledge with its assets' timelines and its flags on `today` (YYYY-MM-DD). */
async function readWatchlist(key: string, bank: string, today: string): Promise<Watched[]> {
  const pledges = (await pledgesOf(key, bank)).filter((p) => p.status === "Registered" || p.status === "Defaulted");
  const timelines = new Map<string, Promise<AssetTimeline>>();
  const timelineOf = (id: string) => {
    if (!timelines.has(id.toLowerCase())) timelines.set(id.toLowerCase(), assetTimeline(key, id));
    return timelines.get(id.toLowerCase())!;
  };
  const watched = await Promise.all(
    pledges.map(async (pledge) => {
      const [assets, verdict] = await Promise.all([
        Promise.all(pledge.assets.map(timelineOf)),
        pledge.assets.length > 0 ? encumbranceVerdict(key, pledge.assets[0]) : Promise.resolve(null),
      ]);
      // The report's own history only when its verdict says something happened to it.
      const report = verdict && verdict !== "VALID" ? await reportTimeline(key, pledge.valuationReportId) : null;
      const flags = watchFlags(
        {
          pledgeId: pledge.pledgeId,
          status: pledge.status,
          maturityDate: pledge.maturityDate,
          appliedBlock: pledge.appliedBlock,
          valuationVerdict: verdict,
          report,
        },
        assets,
        today,
      );
      return { pledge, assets, flags };
    }),
  );
  // Flagged pledges first, then by pledge number.
  return watched.sort(
    (a, b) =>
      Number(b.flags.length > 0) - Number(a.flags.length > 0) || Number(a.pledge.pledgeId) - Number(b.pledge.pledgeId),
  );
}

/** The date a flag appeared: a calendar date as it is, a transaction by its block's time. */
function SinceDate({ since }: { since: Since }) {
  if (!since) return <>—</>;
  if ("date" in since) return <time dateTime={since.date}>{date(since.date)}</time>;
  // The asset's events come with their block's time; a report's event is asked for it.
  if (since.at) return <time dateTime={since.at}>{date(since.at)}</time>;
  return <MinedAt hash={since.transactionHash} />;
}

const assetLabel = (a: AssetTimeline) => `${word(a.kind)} ${a.officialNumber}`;

export function Watchlist() {
  useSignal(lang);
  const session = useSignal(current)!;
  const [list, setList] = useState<Watched[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const load = () => {
    setError(null);
    const today = new Date().toISOString().slice(0, 10);
    readWatchlist(session.key, session.org.address, today).then(setList, setError);
  };
  useEffect(load, [session.key]);
  const flagged = list?.filter((w) => w.flags.length > 0).length ?? 0;
  return (
    <section>
      <Title>{t("watchlist")}</Title>
      <p>{t("wlIntro")}</p>
      <p>
        <button type="button" onClick={load}>
          {t("refresh")}
        </button>
      </p>
      {error !== null && <ErrorBox error={error} />}
      {list === null && error === null && <p class="progress">{t("loading")}</p>}
      {list?.length === 0 && <p class="muted">{t("wlNone")}</p>}
      {list && list.length > 0 && (
        <p data-testid="watch-summary">
          {t("wlSummary").replace("{n}", String(list.length)).replace("{m}", String(flagged))}
        </p>
      )}
      {list?.map((w) => (
        <WatchedPledge key={w.pledge.pledgeId} w={w} />
      ))}
    </section>
  );
}

function WatchedPledge({ w }: { w: Watched }) {
  const { pledge: p, assets, flags } = w;
  const byId = new Map(assets.map((a) => [a.assetId.toLowerCase(), a]));
  const headingId = `watch-${p.pledgeId}`;
  return (
    <article
      class={`card watch ${flags.length > 0 ? "flagged" : "clear"}`}
      aria-labelledby={headingId}
      data-testid={`watch-${p.pledgeId}`}
    >
      <header>
        <h2 id={headingId}>
          <a href={`#/pledge/${p.pledgeId}`}>
            {t("pledgeNo")} #{p.pledgeId}
          </a>
        </h2>
        <span>{word(p.status)}</span>
        <strong>{money(p.principal, p.currency)}</strong>
        <span>
          {t("ibMatures")} {date(p.maturityDate)}
        </span>
      </header>
      <ul class="watch-assets">
        {assets.map((a) => (
          <li key={a.assetId}>
            <a href={`#/asset/${a.assetId}`}>{assetLabel(a)}</a>
          </li>
        ))}
      </ul>
      {flags.length === 0 ? (
        <p class="ok">✓ {t("wlClear")}</p>
      ) : (
        <ul class="flags">
          {flags.map((f, i) => {
            const asset = f.assetId ? byId.get(f.assetId.toLowerCase()) : undefined;
            return (
              <li key={i} class={f.code === "NEAR_MATURITY" ? "soon" : ""} data-testid={`flag-${f.code}`}>
                <span class="flag-name">{t(`wlFlag_${f.code}` as LabelKey)}</span>
                <span>
                  {t("wlSince")} <SinceDate since={f.since} />
                </span>
                {asset ? (
                  <a href={`#/asset/${asset.assetId}`}>
                    {assetLabel(asset)} · {t("wlTimeline")}
                  </a>
                ) : (
                  <span class="muted">{t("wlWhole")}</span>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </article>
  );
}

/** When a transaction's block was mined, as a date. */
function MinedAt({ hash }: { hash: string | null }) {
  const key = current.get()!.key;
  const [mined, setMined] = useState<string | null>(null);
  useEffect(() => {
    if (hash) transactionTime(key, hash).then(setMined);
  }, [hash]);
  if (!mined) return <>{hash ? "…" : "—"}</>;
  return <time dateTime={mined}>{date(mined)}</time>;
}
