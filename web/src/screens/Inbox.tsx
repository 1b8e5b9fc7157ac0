/**
 * "My work": the landing page of every role — what waits for the signed-in organisation, each item linked to the
 * screen that does it. Signatures to give (any role), applications to decide with their working-day countdown (the
 * office), batches to sign and reports waiting (an evaluator), periods to run (an originator), pledges maturing or in
 * default (a bank). Each part loads on its own: one failing part says so and the others still show.
 */
import type { ComponentChildren } from "preact";
import { useEffect, useState } from "preact/hooks";
import { registrationQueue, type PendingApplication } from "../api";
import {
  openDrafts,
  openLicenceDrafts,
  pledgesOf,
  type ListedPledge,
  type OpenDraft,
  type OpenLicenceDraft,
} from "../deskApi";
import { countdownKnowsHolidays, decisionDueBy, hoursLeft, NEAR_MATURITY_DAYS } from "../deskLogic";
import { CALENDAR_YEARS } from "../../../definitions/workingCalendar";
import { batchesAwaitingSignature, myReports, type Batch, type ListedReport } from "../evaluatorApi";
import { date, dateTime, lang, money, t } from "../i18n";
import { listPools, readPool } from "../poolApi";
import { current } from "../session";
import { useSignal } from "../state";
import { ErrorBox, Hash, Title } from "./common";
import { Party } from "./Party";
import { useAssetNames } from "./pledgeParts";
import "./inbox.css";

/** A read for one part of the inbox: its answer, or its failure. */
function useRead<T>(read: (key: string) => Promise<T>): { data: T | null; error: unknown } {
  const key = current.get()!.key;
  const [state, setState] = useState<{ data: T | null; error: unknown }>({ data: null, error: null });
  useEffect(() => {
    read(key).then(
      (data) => setState({ data, error: null }),
      (error) => setState({ data: null, error }),
    );
  }, [key]);
  return state;
}

/** One part of the inbox: a heading with how many items wait, then the items (or why they could not be read). */
function Part<T>(props: {
  id: string;
  title: string;
  read: { data: T[] | null; error: unknown };
  help?: string;
  children: (items: T[]) => ComponentChildren;
}) {
  const { data, error } = props.read;
  return (
    <section class="inbox-part" aria-labelledby={props.id} data-testid={props.id}>
      <h2 id={props.id}>
        {props.title} {data && <span class="count">{data.length}</span>}
      </h2>
      {props.help && <p class="help">{props.help}</p>}
      {error !== null && (
        <>
          <p class="muted">{t("ibLoadFailed")}</p>
          <ErrorBox error={error} />
        </>
      )}
      {data === null && error === null && <p class="progress">{t("loading")}</p>}
      {data?.length === 0 && <p class="muted">{t("ibNothing")}</p>}
      {data && data.length > 0 && <ul class="inbox-list">{props.children(data)}</ul>}
    </section>
  );
}

/** An item: what it is, its facts, and the link that does it. */
function Item(props: {
  testid: string;
  href: string;
  action: string;
  tone?: "due" | "late";
  children: ComponentChildren;
}) {
  return (
    <li class={`inbox-item ${props.tone ?? ""}`} data-testid={props.testid}>
      <div class="what">{props.children}</div>
      <a class="go" href={props.href}>
        {props.action} →
      </a>
    </li>
  );
}

export function Inbox() {
  useSignal(lang);
  const session = useSignal(current)!;
  const role = session.org.role;
  return (
    <section>
      <Title>{t("inbox")}</Title>
      <p>{t("ibIntro")}</p>
      {role === "registrar" && <Decisions />}
      {/* Only a bank drafts pledge applications, and it is their only organisation signer (pledgors sign by link). */}
      {role === "pledgee" && <Drafts />}
      {role === "evaluator" && <EvaluatorWork />}
      {role === "originator" && <Periods />}
      {role === "pledgee" && <BankPledges address={session.org.address} />}
      <LicenceDrafts always={role === "originator"} />
    </section>
  );
}

// ───────────── signatures to give ─────────────

function Drafts() {
  const read = useRead(openDrafts);
  const drafts = read.data ?? [];
  const names = useAssetNames(drafts.flatMap((d) => d.assets));
  const mine = { data: read.data && drafts.filter((d) => d.awaitingMe), error: read.error };
  const others = { data: read.data && drafts.filter((d) => !d.awaitingMe), error: null };
  /** A draft: its assets, amount, how many signed and until when; for those waiting on others, who is missing. */
  const item = (d: OpenDraft) => (
    <Item
      key={d.draftId}
      testid={`draft-${d.draftId}`}
      href={`#/application/${d.draftId}`}
      action={d.awaitingMe ? t("ibSign") : t("ibOpen")}
      tone={d.awaitingMe ? "due" : undefined}
    >
      <strong>{d.assets.map((id) => names[id.toLowerCase()] ?? id.slice(0, 10)).join("、")}</strong>
      <span>{money(d.principal, d.currency)}</span>
      <SignatureState draft={d} />
    </Item>
  );
  return (
    <>
      <Part id="inbox-signatures" title={t("ibSignatures")} read={mine}>
        {(items) => items.map(item)}
      </Part>
      {others.data && others.data.length > 0 && (
        <Part id="inbox-waiting" title={t("ibWaitingOthers")} read={others}>
          {(items) => items.map(item)}
        </Part>
      )}
    </>
  );
}

/** A draft's signatures: how many are in, until when, and (when the caller is not the one missing) who is missing. */
function SignatureState({ draft: d }: { draft: OpenDraft | OpenLicenceDraft }) {
  return (
    <>
      <span>
        {d.signers.filter((s) => s.signed).length}/{d.signers.length} {t("ibSigned")}
      </span>
      <span>
        {t("ibSignBy")} {dateTime(d.signBy)}
      </span>
      {!d.awaitingMe && (
        <span>
          {d.signers
            .filter((s) => !s.signed)
            .map((s) => (
              <Party key={s.address} address={s.address} />
            ))}
        </span>
      )}
    </>
  );
}

// ───────────── licence drafts (webdesk) ─────────────

/**
 * Licence drafts missing a signature: any organisation may be a licensor (a co-owner of the patent) or a licensee,
 * so every role reads them; the part shows when one is listed, and always for an originator (who drafts them).
 */
function LicenceDrafts({ always }: { always: boolean }) {
  const read = useRead(openLicenceDrafts);
  const names = useAssetNames(read.data?.flatMap((d) => d.assets) ?? []);
  if (!always && read.error === null && (read.data?.length ?? 0) === 0) return null;
  const item = (d: OpenLicenceDraft) => (
    <Item
      key={d.draftId}
      testid={`licence-${d.draftId}`}
      href={`#/licence/${d.draftId}`}
      action={d.awaitingMe ? t("ibSign") : t("ibOpen")}
      tone={d.awaitingMe ? "due" : undefined}
    >
      <strong>{t(d.kind === "first" ? "ibLicenceKind_first" : "ibLicenceKind_sub")}</strong>
      {d.assets.length > 0 && (
        <span>{d.assets.map((id) => names[id.toLowerCase()] ?? id.slice(0, 10)).join("、")}</span>
      )}
      <span>{money(d.amount)}</span>
      <span>
        {date(d.startDate)} – {date(d.endDate)}
      </span>
      <SignatureState draft={d} />
    </Item>
  );
  return (
    <Part id="inbox-licences" title={t("ibLicences")} read={read}>
      {(items) => items.map(item)}
    </Part>
  );
}

// ───────────── the office: applications to decide ─────────────

function Decisions() {
  const read = useRead(registrationQueue);
  const now = Date.now();
  const withDue = (a: PendingApplication) => ({ a, due: a.submittedAt ? decisionDueBy(a.submittedAt) : null });
  const items = read.data?.map(withDue).sort((x, y) => (x.due ?? "").localeCompare(y.due ?? "")) ?? null;
  return (
    <Part
      id="inbox-decide"
      title={t("ibDecide")}
      read={{ data: items, error: read.error }}
      help={t("ibWorkingDayHelp").replace("{years}", CALENDAR_YEARS.join("–"))}
    >
      {(list) =>
        list.map(({ a, due }) => {
          const hours = due ? hoursLeft(due, now) : null;
          return (
            <Item
              key={a.pledgeId}
              testid={`decide-${a.pledgeId}`}
              href="#/queue"
              action={t("ibDecideAction")}
              tone={hours !== null && hours < 0 ? "late" : "due"}
            >
              <strong>#{a.pledgeId}</strong>
              <Party address={a.pledgee} />
              <span>{money(a.principal, a.currency)}</span>
              <span>
                {t("ibReceived")} {dateTime(a.submittedAt)}
              </span>
              <span>
                {t("ibDueBy")} {dateTime(due)}
              </span>
              {hours !== null && (
                <span class="countdown" data-testid="countdown">
                  {(hours < 0 ? t("ibOverdue") : t("ibHoursLeft")).replace("{h}", String(Math.abs(hours)))}
                </span>
              )}
            </Item>
          );
        })
      }
    </Part>
  );
}

/** The years between receipt and deadline (Beijing time) whose holidays the calendar does not hold. */
const unknownYears = (from: string, to: string) =>
  [...new Set([from, to].map((at) => new Date(Date.parse(at) + 8 * 3_600_000).getUTCFullYear()))]
    .filter((y) => !CALENDAR_YEARS.includes(y))
    .join("、");

/** The queue's facts list: when the application must be decided by, and how many hours are left (webdesk). */
export function DecideBy({ submittedAt }: { submittedAt: string }) {
  const due = decisionDueBy(submittedAt);
  const hours = hoursLeft(due, Date.now());
  return (
    <>
      <dt>{t("ibDueBy")}</dt>
      <dd>
        {dateTime(due)} ·{" "}
        <strong class={hours < 0 ? "ko" : ""} data-testid="countdown">
          {(hours < 0 ? t("ibOverdue") : t("ibHoursLeft")).replace("{h}", String(Math.abs(hours)))}
        </strong>
        {!countdownKnowsHolidays(submittedAt, due) && (
          <p class="help" data-testid="holidays-unknown">
            {t("ibHolidaysUnknown").replace("{years}", unknownYears(submittedAt, due))}
          </p>
        )}
      </dd>
    </>
  );
}

// ───────────── an evaluator: batches to sign, reports waiting ─────────────

function EvaluatorWork() {
  const batches = useRead(batchesAwaitingSignature);
  const reports = useRead(myReports);
  const stage = (s: string) => ({
    data: reports.data && reports.data.filter((r) => r.stage === s),
    error: reports.error,
  });
  const report = (r: ListedReport) => (
    <Item key={r.documentHash} testid={`report-${r.documentHash}`} href="#/reports" action={t("ibOpen")}>
      <Hash value={r.documentHash} />
      <span>{money(r.report.value, r.report.currency)}</span>
    </Item>
  );
  return (
    <>
      <Part id="inbox-batches" title={t("ibBatches")} read={batches}>
        {(items: Batch[]) =>
          items.map((b) => (
            <Item key={b.root} testid={`batch-${b.root}`} href="#/reports" action={t("ibSign")} tone="due">
              <strong>{t("ibBatchOf").replace("{n}", String(b.reportCount))}</strong>
              <Hash value={b.root} />
              <span>
                {t("ibSealed")} {dateTime(b.sealedAt)}
              </span>
            </Item>
          ))
        }
      </Part>
      <Part id="inbox-queued" title={t("ibQueued")} read={stage("queued")}>
        {(items) => items.map(report)}
      </Part>
      <Part id="inbox-in-batch" title={t("ibInBatch")} read={stage("anchored-in-batch")}>
        {(items) => items.map(report)}
      </Part>
    </>
  );
}

// ───────────── an originator: periods to run ─────────────

async function nextPeriods(key: string) {
  const pools = (await listPools(key)).filter((p) => p.periodsDistributed < p.periods);
  const views = await Promise.all(pools.map((p) => readPool(key, p.pool)));
  return views
    .map((v) => ({ pool: v.pool, period: v.periodsDistributed + 1, end: v.calendar[v.periodsDistributed] ?? null }))
    .sort((a, b) => (a.end ?? "").localeCompare(b.end ?? ""));
}

function Periods() {
  const read = useRead(nextPeriods);
  const now = Date.now();
  return (
    <Part id="inbox-periods" title={t("ibPeriods")} read={read}>
      {(items) =>
        items.map((p) => {
          const due = p.end !== null && Date.parse(p.end) <= now;
          return (
            <Item
              key={p.pool}
              testid={`period-${p.pool}`}
              href={`#/pools?pool=${p.pool}`}
              action={t("ibOpen")}
              tone={due ? "due" : undefined}
            >
              <strong>{t("ibPeriod").replace("{k}", String(p.period))}</strong>
              <Party address={p.pool} />
              <span>
                {t("ibPeriodEnds")} {date(p.end)}
              </span>
              <span>{due ? t("ibDueNow") : t("ibNotYet")}</span>
            </Item>
          );
        })
      }
    </Part>
  );
}

// ───────────── a bank: pledges maturing or in default ─────────────

const DAY_MS = 86_400_000;

/** The bank's pledges in default, past maturity, or maturing within the window, soonest first. */
export function needingAttention(pledges: ListedPledge[], now: number) {
  return pledges
    .map((p) => {
      const maturity = p.maturityDate ? Date.parse(`${p.maturityDate.slice(0, 10)}T00:00:00Z`) : null;
      const why =
        p.status === "Defaulted"
          ? ("ibInDefault" as const)
          : p.status === "Registered" && maturity !== null && maturity < now - DAY_MS
            ? ("ibPastMaturity" as const)
            : p.status === "Registered" && maturity !== null && maturity - now <= NEAR_MATURITY_DAYS * DAY_MS
              ? ("ibNearMaturity" as const)
              : null;
      return { p, why };
    })
    .filter((x) => x.why !== null)
    .sort((a, b) => (a.p.maturityDate ?? "").localeCompare(b.p.maturityDate ?? ""));
}

function BankPledges({ address }: { address: string }) {
  const read = useRead((key) => pledgesOf(key, address));
  const items = read.data ? needingAttention(read.data, Date.now()) : null;
  return (
    <Part id="inbox-pledges" title={t("ibPledges")} read={{ data: items, error: read.error }}>
      {(list) =>
        list.map(({ p, why }) => (
          <Item
            key={p.pledgeId}
            testid={`pledge-${p.pledgeId}`}
            href={`#/pledge/${p.pledgeId}`}
            action={t("ibOpen")}
            tone={why === "ibNearMaturity" ? "due" : "late"}
          >
            <strong>#{p.pledgeId}</strong>
            <span>{t(why!)}</span>
            <span>{money(p.principal, p.currency)}</span>
            <span>
              {t("ibMatures")} {date(p.maturityDate)}
            </span>
          </Item>
        ))
      }
    </Part>
  );
}
