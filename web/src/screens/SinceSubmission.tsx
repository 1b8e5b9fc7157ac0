/**
 * The office's queue, per application: the attached documents (the pledge contract and the valuation report) opened in
 * place and checked against their hashes, and what changed since it was submitted — the assets' and the report's
 * events recorded after the application's block, and fees or validity run out since its day (deskLogic.ts).
 */
import { useEffect, useState } from "preact/hooks";
import { getAsset } from "../assetApi";
import { reportTimeline, transactionTime } from "../deskApi";
import { changesSince, type Change } from "../deskLogic";
import { getPledge } from "../pledgeApi";
import type { PendingApplication } from "../api";
import { date, dateTime, lang, named, t, word } from "../i18n";
import { current } from "../session";
import { useSignal } from "../state";
import { ErrorBox } from "./common";
import { DocumentView } from "./DocumentView";
import "./documents.css";

interface Read {
  contractHash: string;
  reportId: string;
  changes: Change[];
  names: Map<string, { kind: string; officialNumber: string }>;
}

async function readSinceSubmission(key: string, a: PendingApplication, today: string): Promise<Read> {
  const pledge = await getPledge(key, a.pledgeId);
  const [assets, report] = await Promise.all([
    Promise.all(a.assets.map((id) => getAsset(key, id))),
    reportTimeline(key, pledge.valuationReportId),
  ]);
  // The report's events carry no block time: ask for it (once per transaction), so every change has its date.
  const reportHistory = report
    ? await Promise.all(
        report.history.map(async (e) => ({
          ...e,
          at: e.transactionHash ? await transactionTime(key, e.transactionHash) : null,
        })),
      )
    : [];
  const submittedAt = a.submittedAt ?? pledge.submittedAt;
  const changes = changesSince(
    {
      appliedBlock: a.application?.blockNumber ?? pledge.proof.application?.blockNumber ?? 0,
      submittedDay: (submittedAt ?? today).slice(0, 10),
    },
    assets,
    report ? { validUntil: report.validUntil, history: reportHistory } : null,
    today,
  );
  return {
    contractHash: pledge.contractHash,
    reportId: pledge.valuationReportId,
    changes,
    names: new Map(assets.map((x) => [x.assetId.toLowerCase(), x])),
  };
}

export function SinceSubmission({ a }: { a: PendingApplication }) {
  useSignal(lang);
  const [read, setRead] = useState<Read | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    setError(null);
    readSinceSubmission(current.get()!.key, a, new Date().toISOString().slice(0, 10)).then(setRead, setError);
  }, [a]); // the queue's Refresh reads the applications again: each card then reads its changes again

  if (error !== null) return <ErrorBox error={error} next="retryLater" />;
  if (!read) return <p class="progress">{t("loading")}</p>;
  const assetName = (id: string | null) => {
    const asset = id ? read.names.get(id.toLowerCase()) : undefined;
    return asset ? `${word(asset.kind)} ${asset.officialNumber}` : t("changeReport");
  };
  return (
    <>
      <h3>{t("documents")}</h3>
      <DocumentView hash={read.contractHash} label={t("docContract")} testid={`doc-contract-${a.pledgeId}`} />
      <DocumentView hash={read.reportId} label={t("docReport")} testid={`doc-report-${a.pledgeId}`} />
      <h3>{t("changesTitle")}</h3>
      <p class="muted">{t("changesAsOf").replace("{b}", String(a.application?.blockNumber ?? "—"))}</p>
      {read.changes.length === 0 ? (
        <p class="ok" data-testid={`changes-${a.pledgeId}`}>
          ✓ {t("changesNone")}
        </p>
      ) : (
        <ul class="changes" data-testid={`changes-${a.pledgeId}`}>
          {read.changes.map((c, i) => (
            <li key={i} data-testid={`change-${c.code}`}>
              <span class="change-name">{named("change_", c.code)}</span> · {assetName(c.assetId)} ·{" "}
              {c.at ? <time dateTime={c.at}>{c.transactionHash ? dateTime(c.at) : date(c.at)}</time> : "—"}
              {c.assetId && (
                <>
                  {" "}
                  · <a href={`#/asset/${c.assetId}`}>{t("timeline")}</a>
                </>
              )}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
