/**
 * Pool pages for the originator, investors and the auditor (SPEC §6): the pools the gateway knows; a pool's
 * licences and instalments, tranches (outstanding, coupon, pool factor), reserve, guarantor calls and next period;
 * each period's waterfall as a table and a chart; outstanding and pool factor over time; the auditor's trace from
 * licence to claim with proofs; a period's reconciliation; CSV exports (web/src/csv.ts).
 */
import type { ComponentChildren } from "preact";
import { useEffect, useState } from "preact/hooks";
import {
  distributeNext,
  listPools,
  readNextDistribution,
  readHoldings,
  readPool,
  readReconciliation,
  readTrace,
  type Distribution,
  type Instalment,
  type NextDistribution,
  type PoolSummary,
  type PoolView,
  type Reconciliation,
  type Trace,
} from "../poolApi";
import { ApiError } from "../api";
import { date, dateTime, lang, money, named, t } from "../i18n";
import { current } from "../session";
import { useSignal } from "../state";
import { download, toCsv } from "../csv";
import { Columns } from "./Columns";
import { ErrorBox, Hash, ProofLine, Title, useTask } from "./common";
import { BarChart, OverTimeChart } from "./PoolCharts";
import { Party } from "./Party";
import { Later } from "./Later";

const yuan = (fen: string | number | unknown) => Number(String(fen ?? "0")) / 100;
const periodName = (n: number) => t("plPeriod").replace("{n}", String(n));
/** A waterfall step in words, with the tranche it credits ("优先级利息 LF27A1"). */
const stepLabelWith = (symbolOf: (i: number | null) => string) => (s: { step: string; tranche: number | null }) =>
  `${named("step_", s.step)}${s.tranche !== null ? ` ${symbolOf(s.tranche)}` : ""}`;
const poolParam = () => new URLSearchParams(location.hash.split("?")[1] ?? "").get("pool");

export function Pools() {
  useSignal(lang);
  const [pool, setPool] = useState(poolParam());
  useEffect(() => {
    const on = () => setPool(poolParam());
    addEventListener("hashchange", on);
    return () => removeEventListener("hashchange", on);
  }, []);
  return pool ? <PoolPage pool={pool} /> : <PoolList />;
}

function PoolList() {
  const session = useSignal(current)!;
  const [pools, setPools] = useState<PoolSummary[] | null>(null);
  // webpool: a holder (investor, or originator keeping a tranche) sees what it holds and may claim in each pool
  const holder = session.org.role === "investor" || session.org.role === "originator";
  const [mine, setMine] = useState<Record<string, { held: bigint; claimable: bigint }>>({});
  const { error, run } = useTask();
  useEffect(() => {
    void run(async () => {
      const list = await listPools(session.key);
      setPools(list);
      if (!holder) return;
      const entries = await Promise.all(
        list
          .filter((p) => p.status !== null)
          .map(async (p) => {
            const h = await readHoldings(session.key, p.pool, session.org.address);
            const total = (k: "balance" | "claimable") => h.tranches.reduce((a, x) => a + BigInt(x[k]), 0n);
            return [p.pool, { held: total("balance"), claimable: total("claimable") }] as const;
          }),
      );
      setMine(Object.fromEntries(entries));
    });
  }, []);
  return (
    <section>
      <Title>{t("pools")}</Title>
      <p>{t("plIntro")}</p>
      {error !== null && <ErrorBox error={error} />}
      {pools === null && error === null && <p class="progress">{t("loading")}</p>}
      {pools?.length === 0 && <p>{t("plNone")}</p>}
      {pools && pools.length > 0 && (
        <div class="table-wrap">
          <table data-testid="pool-list" class={holder ? "wide" : undefined}>
            <Columns
              labels={[
                t("plPool"),
                t("plStatus"),
                t("plPeriods"),
                ...(holder ? [t("plBalance"), t("plClaimable")] : []),
              ]}
            />
            <tbody>
              {pools.map((p) => (
                <tr key={p.pool}>
                  <td>
                    <a href={`#/pools?pool=${p.pool}`}>
                      <code class="hash">{p.pool}</code>
                    </a>
                  </td>
                  <td>{named("pool_", p.status)}</td>
                  <td class="num">
                    {p.periodsDistributed} / {p.periods}
                  </td>
                  {holder && <td class="num">{mine[p.pool] ? money(String(mine[p.pool].held)) : "—"}</td>}
                  {holder && (
                    <td class="num">{mine[p.pool] ? <strong>{money(String(mine[p.pool].claimable))}</strong> : "—"}</td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function PoolPage({ pool }: { pool: string }) {
  const session = useSignal(current)!;
  const [view, setView] = useState<PoolView | null>(null);
  const [trace, setTrace] = useState<Trace | null | "forbidden">(null);
  const [reload, setReload] = useState(0);
  const load = useTask();
  const distribute = useTask();
  useEffect(() => {
    void load.run(async () => {
      setView(await readPool(session.key, pool));
      try {
        setTrace(await readTrace(session.key, pool));
      } catch (e) {
        if (e instanceof ApiError && e.status === 403) setTrace("forbidden");
        else throw e;
      }
    });
  }, [pool, reload]);

  if (!view) {
    return (
      <section>
        <Title>{t("plPool")}</Title>
        {load.error !== null ? <ErrorBox error={load.error} /> : <p class="progress">{t("loading")}</p>}
      </section>
    );
  }
  const symbolOf = (i: number | null) => (i === null ? "" : (view.tranches[i]?.symbol ?? `#${i}`));
  const periods = trace && trace !== "forbidden" ? trace.periods : [];

  return (
    <section>
      <p>
        <a href="#/pools">← {t("plBack")}</a>
      </p>
      <Title>{t("plPool")}</Title>
      <p>
        <code class="hash" data-testid="pool-address">
          {view.pool}
        </code>
      </p>
      <div class="card">
        <h2>{t("plOverview")}</h2>
        <dl class="facts">
          <dt>{t("plStatus")}</dt>
          <dd>{named("pool_", view.status)}</dd>
          <dt>{t("plOriginator")}</dt>
          <dd>
            <Hash value={view.originator} />
          </dd>
          <dt>{t("plPaymentToken")}</dt>
          <dd>
            <Hash value={view.paymentToken} />
          </dd>
          <dt>{t("plStart")}</dt>
          <dd>{date(view.startDate)}</dd>
          <dt>{t("plPeriods")}</dt>
          <dd>
            {view.periodsDistributed} / {view.calendar.length}
          </dd>
          <dt>{t("plCollections")}</dt>
          <dd>{money(view.buckets.collections)}</dd>
          <dt>{t("plReserve")}</dt>
          <dd>
            {money(view.buckets.reserve)} ({t("plReserveTarget")} {money(view.buckets.reserveTarget)})
          </dd>
          <dt>{t("plEscrow")}</dt>
          <dd>{money(view.buckets.escrow)}</dd>
          <dt>{t("plFees")}</dt>
          <dd>
            {money(view.fees.perPeriod)} · {t("plFeeArrears")} {money(view.fees.arrears)}
          </dd>
          <dt>{t("plLosses")}</dt>
          <dd>{money(view.losses.defaulted)}</dd>
          <dt>{t("plReconcile")}</dt>
          <dd class={view.balanced ? "ok" : "ko"}>
            {view.balanced ? `✓ ${t("plBalanced")}` : `✗ ${t("plUnbalanced")}`}
          </dd>
        </dl>
        <h3>{t("plNext")}</h3>
        <NextDistributionPreview
          pool={view.pool}
          reload={reload}
          symbolOf={symbolOf}
          run={
            view.status === "Active"
              ? () =>
                  distribute.run(async () => {
                    await distributeNext(session.key, view.pool);
                    setReload((n) => n + 1);
                  })
              : null
          }
          busy={distribute.busy}
        />
        {distribute.busy && <p class="progress">{t("sending")}</p>}
        {distribute.error !== null && <ErrorBox error={distribute.error} />}
      </div>

      {/* webpool: a holder (an investor, or the originator keeping a tranche) sees its part and claims it */}
      {(session.org.role === "investor" || session.org.role === "originator") && (
        <Later key={`${view.pool}-${reload}`} name="Holdings" props={{ pool: view.pool }} />
      )}

      <div class="card">
        <h2>{t("plTranches")}</h2>
        <div class="table-wrap">
          <table class="wide" data-testid="tranches">
            <Columns
              labels={[
                t("plTranche"),
                t("plSeniority"),
                t("plCoupon"),
                t("plFace"),
                t("plOutstanding"),
                t("plFactor"),
                t("plArrears"),
                t("plWrittenDown"),
              ]}
            />
            <tbody>
              {view.tranches.map((tr) => (
                <tr key={tr.index}>
                  <th scope="row">
                    {tr.symbol}
                    <div class="muted">{tr.name}</div>
                  </th>
                  <td>{t(tr.seniority === "senior" ? "senior" : "subordinated")}</td>
                  <td class="num">{(tr.couponBps / 100).toFixed(2)}%</td>
                  <td class="num">{money(tr.face)}</td>
                  <td class="num">{money(tr.outstanding)}</td>
                  <td class="num">{Number(tr.poolFactor).toFixed(4)}</td>
                  <td class="num">{money(tr.interestArrears)}</td>
                  <td class="num">{money(tr.writtenDown)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <h3>{t("plGuarantor")}</h3>
        <p>
          <Party address={view.guarantor.address} /> · {t("plCap")} {money(view.guarantor.cap)} · {t("plCalled")}{" "}
          {money(view.guarantor.called)}
        </p>
        {view.guarantor.calls.length === 0 ? (
          <p class="muted">{t("plNoCalls")}</p>
        ) : (
          <ul>
            {view.guarantor.calls.map((c) => (
              <li key={c.callId}>
                {periodName(c.period)}: {money(c.amount)} · {t("plPaid")} {money(c.paid)}
              </li>
            ))}
          </ul>
        )}
      </div>

      {trace === "forbidden" && <p class="notice">{t("plNoTrace")}</p>}
      {trace && trace !== "forbidden" && <Licences trace={trace} />}
      {trace && trace !== "forbidden" && <Waterfalls periods={periods} view={view} symbolOf={symbolOf} />}
      {trace && trace !== "forbidden" && <TraceTranches trace={trace} view={view} />}
      {trace && trace !== "forbidden" && <ReconciliationCard pool={view.pool} periods={periods.map((p) => p.period)} />}
    </section>
  );
}

function instalmentState(i: Instalment) {
  if (i.defaulted) return { key: "instDefaulted", cls: "ko" } as const;
  const full = BigInt(i.paid) >= BigInt(i.amount);
  if (full) return i.late ? ({ key: "instLate", cls: "warn" } as const) : ({ key: "instPaid", cls: "ok" } as const);
  const due = i.dueDate ? new Date(i.dueDate).getTime() <= Date.now() : false;
  if (BigInt(i.paid) > 0n) return { key: "instPartial", cls: "warn" } as const;
  return due ? ({ key: "instOverdue", cls: "ko" } as const) : ({ key: "instDue", cls: "" } as const);
}

function Licences({ trace }: { trace: Trace }) {
  return (
    <div class="card">
      <h2>{t("plLicences")}</h2>
      {trace.receivables.map((r) => (
        <div key={r.licenceId}>
          <h3>
            {t("plLicence")} #{r.licenceId} · {t("plLicensee")} <code class="hash">{r.licensee}</code>
          </h3>
          <div class="table-wrap">
            <table class="wide" data-testid={`instalments-${r.licenceId}`}>
              <Columns labels={["#", t("plDue"), t("plAmount"), t("plPaid"), t("plState"), t("plPayments")]} />
              <tbody>
                {r.instalments.map((i) => {
                  const s = instalmentState(i);
                  return (
                    <tr key={i.index}>
                      <td class="num">{i.index + 1}</td>
                      <td>{date(i.dueDate)}</td>
                      <td class="num">{money(i.amount)}</td>
                      <td class="num">{money(i.paid)}</td>
                      <td>
                        <span class={`pill ${s.cls}`}>{t(s.key)}</span>
                      </td>
                      <td class="wrap">
                        {i.payments.map((p) => (
                          <div key={p.transactionHash} class="small">
                            {money(p.amount)} · {dateTime(p.paidAt)} · {t("plDistributedIn")}{" "}
                            {p.distributedIn ? periodName(p.distributedIn) : "—"}
                            <div>
                              <ProofLine proof={{ transactionHash: p.transactionHash, blockNumber: p.blockNumber }} />
                            </div>
                          </div>
                        ))}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </div>
      ))}
    </div>
  );
}

/** Every period's waterfall steps as CSV rows: full ids, integer amounts of the smallest unit. */
export function waterfallCsv(pool: string, periods: Distribution[], symbolOf: (i: number | null) => string) {
  return toCsv([
    ["pool", "period", "step", "tranche", "amount_smallest_unit", "block_number", "transaction_hash"],
    ...periods.flatMap((d) =>
      d.steps.map((s) => [pool, d.period, s.step, symbolOf(s.tranche), s.amount, s.blockNumber, s.transactionHash]),
    ),
  ]);
}

function Waterfalls(props: { periods: Distribution[]; view: PoolView; symbolOf: (i: number | null) => string }) {
  const { periods, view, symbolOf } = props;
  const [chosen, setChosen] = useState<number | null>(null);
  const d = periods.find((p) => p.period === chosen) ?? periods[periods.length - 1];
  if (!d) {
    return (
      <div class="card">
        <h2>{t("plWaterfall")}</h2>
        <p>{t("plNoPeriods")}</p>
      </div>
    );
  }
  const stepLabel = stepLabelWith(symbolOf);
  // Over time: period 0 is the closing (every tranche at its face).
  const xs = [0, ...periods.map((p) => p.period)];
  const totalFace = view.tranches.reduce((a, tr) => a + BigInt(tr.face), 0n);
  const lines = view.tranches.map((tr) => ({
    label: tr.symbol,
    values: [
      yuan(tr.face),
      ...periods.map((p) => yuan(p.tranchesAfter.find((x) => x.tranche === tr.index)?.outstanding)),
    ],
  }));
  const factor = {
    label: t("plFactor"),
    values: [
      1,
      ...periods.map(
        (p) => Number(p.tranchesAfter.reduce((a, x) => a + BigInt(x.outstanding), 0n)) / Number(totalFace),
      ),
    ],
  };
  return (
    <>
      <div class="card">
        <h2>{t("plWaterfall")}</h2>
        <div class="row">
          <label for="waterfall-period">{t("plPeriodCol")}</label>
          <select
            id="waterfall-period"
            value={String(d.period)}
            onChange={(e) => setChosen(Number(e.currentTarget.value))}
          >
            {periods.map((p) => (
              <option key={p.period} value={String(p.period)}>
                {periodName(p.period)}
              </option>
            ))}
          </select>
          <button
            type="button"
            onClick={() => download(`waterfall-${view.pool}.csv`, waterfallCsv(view.pool, periods, symbolOf))}
          >
            {t("plCsvWaterfall")}
          </button>
        </div>
        <p class="muted">
          {date(String(d.report.startDate ?? ""))} – {date(String(d.report.endDate ?? ""))} · {t("plDistributed")}{" "}
          {dateTime(String(d.report.distributedAt ?? ""))}
        </p>
        <StepsAndChart
          cashIn={String(d.report.collections ?? "0")}
          steps={d.steps}
          stepLabel={stepLabel}
          tableId="waterfall-table"
          chartId="waterfall-chart"
          chartLabel={t("plChartWaterfall")}
        >
          <tr>
            <th scope="row">{t("plReserveAfter")}</th>
            <td class="num">{money(String(d.report.reserveAfter ?? "0"))}</td>
          </tr>
        </StepsAndChart>
        <p class="small">
          {t("proof")}: <ProofLine proof={d.proof} />
          <br />
          {t("plDigest")}: <code class="hash">{d.digest}</code>
        </p>
      </div>
      <div class="card">
        <h2>{t("plOverTime")}</h2>
        <figure>
          <figcaption>{t("plChartOutstanding")}</figcaption>
          <OverTimeChart
            periods={xs}
            periodLabel={t("plPeriodCol")}
            lines={lines}
            factor={factor}
            label={t("plChartOutstanding")}
            testId="outstanding-chart"
          />
        </figure>
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">#</th>
                {view.tranches.map((tr) => (
                  <th scope="col" key={tr.index}>
                    {tr.symbol}
                  </th>
                ))}
                <th scope="col">{t("plFactor")}</th>
              </tr>
            </thead>
            <tbody>
              {xs.map((x, i) => (
                <tr key={x}>
                  <th scope="row" class="nowrap">
                    {x === 0 ? "—" : periodName(x)}
                  </th>
                  {lines.map((l) => (
                    <td class="num" key={l.label}>
                      {money(String(Math.round(l.values[i] * 100)))}
                    </td>
                  ))}
                  <td class="num">{factor.values[i].toFixed(4)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>
    </>
  );
}

/**
 * The auditor's trace as CSV rows, in its order: each payment of each instalment (who paid, how much, late or not,
 * when, the period that distributed it), then per tranche each credit of a waterfall step and each holder's claim —
 * every row with its block and transaction; full ids, integer amounts of the smallest unit, instalments and periods
 * numbered from 1.
 */
export function traceCsv(pool: string, trace: Trace, symbolOf: (i: number | null) => string) {
  return toCsv([
    [
      "pool",
      "item",
      "licence_id",
      "instalment",
      "period",
      "step",
      "tranche",
      "party",
      "amount_smallest_unit",
      "late",
      "at",
      "block_number",
      "transaction_hash",
    ],
    ...trace.receivables.flatMap((r) =>
      r.instalments.flatMap((i) =>
        i.payments.map((p) => [
          pool,
          "payment",
          r.licenceId,
          i.index + 1,
          p.distributedIn,
          "",
          "",
          p.payer,
          p.amount,
          p.late,
          p.paidAt,
          p.blockNumber,
          p.transactionHash,
        ]),
      ),
    ),
    ...trace.tranches.flatMap((tr) => [
      ...tr.credited.map((c) => [
        pool,
        "credit",
        "",
        "",
        c.period,
        c.step,
        symbolOf(tr.index),
        "",
        c.amount,
        "",
        "",
        c.blockNumber,
        c.transactionHash,
      ]),
      ...tr.claims.map((c) => [
        pool,
        "claim",
        "",
        "",
        "",
        "",
        symbolOf(tr.index),
        c.holder,
        c.amount,
        "",
        "",
        c.blockNumber,
        c.transactionHash,
      ]),
    ]),
  ]);
}

function TraceTranches({ trace, view }: { trace: Trace; view: PoolView }) {
  const symbolOf = (i: number | null) => (i === null ? "" : (view.tranches[i]?.symbol ?? `#${i}`));
  return (
    <div class="card">
      <h2>{t("plTrace")}</h2>
      <p class="muted">{t("plTraceIntro")}</p>
      <div class="row">
        <button type="button" onClick={() => download(`trace-${view.pool}.csv`, traceCsv(view.pool, trace, symbolOf))}>
          {t("plCsvTrace")}
        </button>
      </div>
      {trace.tranches.map((tr) => (
        <div key={tr.index}>
          <h3>
            {view.tranches[tr.index]?.symbol ?? tr.name} · {t("plCredits")}
          </h3>
          {tr.credited.length === 0 && <p class="muted">{t("plNoCredits")}</p>}
          <div class="table-wrap" hidden={tr.credited.length === 0}>
            <table class="wide" data-testid={`credits-${tr.index}`}>
              <Columns labels={[t("plPeriodCol"), t("plStep"), t("plAmount"), t("proof")]} />
              <tbody>
                {tr.credited.map((c, i) => (
                  <tr key={i}>
                    <td class="num">{c.period}</td>
                    <td>{named("step_", c.step)}</td>
                    <td class="num">{money(c.amount)}</td>
                    <td>
                      <ProofLine proof={{ transactionHash: c.transactionHash, blockNumber: c.blockNumber }} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <h4>{t("plClaims")}</h4>
          {tr.claims.length === 0 ? (
            <p class="muted">{t("plNoClaims")}</p>
          ) : (
            <ul>
              {tr.claims.map((c) => (
                <li key={c.transactionHash}>
                  {t("plHolder")} <Party address={c.holder} />: {money(c.amount)} ·{" "}
                  <ProofLine proof={{ transactionHash: c.transactionHash, blockNumber: c.blockNumber }} />
                </li>
              ))}
            </ul>
          )}
        </div>
      ))}
    </div>
  );
}

function ReconciliationCard({ pool, periods }: { pool: string; periods: number[] }) {
  const session = useSignal(current)!;
  const [period, setPeriod] = useState<number | null>(periods[periods.length - 1] ?? null);
  const [rec, setRec] = useState<Reconciliation | null>(null);
  const { error, run } = useTask();
  useEffect(() => {
    void run(async () => setRec(await readReconciliation(session.key, pool, period)));
  }, [pool, period]);
  const csv = () =>
    toCsv([
      ["pool", "period", "section", "item", "tranche", "value"],
      ...(rec ? [...rec.figures, ...rec.conservation.figures] : []).map((f) => [
        pool,
        rec?.period ?? "",
        f.section,
        f.item,
        f.tranche,
        f.amount,
      ]),
    ]);
  return (
    <div class="card">
      <h2>{t("plReconcile")}</h2>
      <div class="row">
        <label for="reconcile-period">{t("plReconcilePeriod")}</label>
        <select
          id="reconcile-period"
          value={period === null ? "" : String(period)}
          onChange={(e) => setPeriod(e.currentTarget.value ? Number(e.currentTarget.value) : null)}
        >
          {periods.map((p) => (
            <option key={p} value={String(p)}>
              {periodName(p)}
            </option>
          ))}
          <option value="">{t("plNow")}</option>
        </select>
        <button
          type="button"
          disabled={!rec}
          onClick={() => download(`reconciliation-${pool}-${period ?? "now"}.csv`, csv())}
        >
          {t("plCsvReconcile")}
        </button>
      </div>
      {error !== null && <ErrorBox error={error} />}
      {rec && (
        <>
          <p class={rec.conservation.balanced ? "ok" : "ko"} data-testid="conservation">
            {rec.conservation.balanced ? `✓ ${t("plBalanced")}` : `✗ ${t("plUnbalanced")}`}:{" "}
            {money(rec.conservation.cashIn)} = {money(rec.conservation.cashOut)} + {money(rec.conservation.held)}
          </p>
          {rec.digest && (
            <p class="small">
              {t("plDigest")} <code class="hash">{rec.digest}</code>{" "}
              <strong class={rec.digestMatches ? "ok" : "ko"}>
                {rec.digestMatches ? t("plDigestOk") : t("plDigestBad")}
              </strong>
              <br />
              <ProofLine proof={rec.proof} />
            </p>
          )}
          <div class="table-wrap">
            <table class="wide" data-testid="reconciliation">
              <Columns labels={[t("plSection"), t("plItem"), t("plTranche"), t("plAmount")]} />
              <tbody>
                {[...rec.figures, ...rec.conservation.figures].map((f, i) => (
                  <tr key={i}>
                    <td>{named("sec_", f.section)}</td>
                    <td>
                      <FigureName item={f.item} />
                    </td>
                    <td>{f.tranche ?? ""}</td>
                    <td class="num">{/^\d+$/.test(f.amount) ? money(f.amount) : f.amount}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </div>
  );
}

/** A figure's item in words ("books.reserve" is the pool's books right after the period), its API name beside it. */
function FigureName({ item }: { item: string }) {
  const books = item.startsWith("books.");
  const name = books ? item.slice("books.".length) : item;
  return (
    <>
      {books && `${t("plBooks")} · `}
      {named("rec_", name)} <span class="muted small">{item}</span>
    </>
  );
}

/**
 * A waterfall as a table and a bar chart beside it, from one list: cash in, then each step out (a distributed
 * period's, or the preview's); `children` are rows after the steps (what the period leaves behind).
 */
function StepsAndChart(props: {
  cashIn: string;
  steps: { step: string; tranche: number | null; amount: string }[];
  stepLabel: (s: { step: string; tranche: number | null }) => string;
  tableId: string;
  chartId: string;
  chartLabel: string;
  children?: ComponentChildren;
}) {
  const { steps, stepLabel } = props;
  return (
    <div class="split">
      <div class="table-wrap">
        <table data-testid={props.tableId}>
          <Columns labels={[t("plStep"), t("plAmount")]} />
          <tbody>
            <tr>
              <th scope="row">{t("plCashIn")}</th>
              <td class="num">{money(props.cashIn)}</td>
            </tr>
            {steps.map((s, i) => (
              <tr key={i}>
                <th scope="row">{stepLabel(s)}</th>
                <td class="num">{money(s.amount)}</td>
              </tr>
            ))}
            {props.children}
          </tbody>
        </table>
      </div>
      <figure>
        <figcaption>{props.chartLabel}</figcaption>
        <BarChart
          labels={[t("plCashIn"), ...steps.map(stepLabel)]}
          values={[yuan(props.cashIn), ...steps.map((s) => yuan(s.amount))]}
          label={props.chartLabel}
          testId={props.chartId}
        />
      </figure>
    </div>
  );
}

/**
 * What the next distribution would do now, step by step: the pool's own previewDistribution() (the chain's figures,
 * not an estimate), as a table and a chart like a period's waterfall, labelled as a preview, with what the period
 * still waits for; and, once it can run, the button that runs it.
 */
function NextDistributionPreview(props: {
  pool: string;
  reload: number;
  symbolOf: (i: number | null) => string;
  run: (() => void) | null;
  busy: boolean;
}) {
  const session = useSignal(current)!;
  const [next, setNext] = useState<NextDistribution | null | "inactive">(null);
  const { error, run } = useTask();
  useEffect(() => {
    void run(async () => {
      try {
        setNext(await readNextDistribution(session.key, props.pool));
      } catch (e) {
        if (e instanceof ApiError && e.code === "POOL_STATUS_INVALID") setNext("inactive");
        else throw e;
      }
    });
  }, [props.pool, props.reload]);
  if (error !== null) return <ErrorBox error={error} />;
  if (next === null) return <p class="progress">{t("loading")}</p>;
  if (next === "inactive") return <p>{t("plNotActive")}</p>;
  const { symbolOf } = props;
  const stepLabel = stepLabelWith(symbolOf);
  const missingText = (m: NextDistribution["missing"][number]) =>
    m.reason === "PERIOD_NOT_ENDED"
      ? t("missing_PERIOD_NOT_ENDED").replace("{date}", dateTime(m.until))
      : t("missing_INSTALMENT_UNPAID")
          .replace("{licence}", m.licenceId ?? "")
          .replace("{n}", String((m.index ?? 0) + 1))
          .replace("{date}", date(m.dueDate))
          .replace("{amount}", money(m.unpaid));
  return (
    <div data-testid="next-distribution">
      <p data-testid="next-period">
        {periodName(next.period)} · {date(next.startDate)} – {dateTime(next.endDate)}
      </p>
      <h4>
        <span class="badge">{t("plPreview")}</span>
      </h4>
      <p class="muted small">
        {t("plPreviewIntro")} {t("plPreviewAsOf")} {next.asOf.blockNumber?.toLocaleString() ?? "—"} ·{" "}
        {dateTime(next.asOf.at)}
      </p>
      <h4>{t("plMissing")}</h4>
      <ul data-testid="next-missing">
        {next.missing.length === 0 && <li class="ok">{t("plReady")}</li>}
        {next.missing.map((m, i) => (
          <li key={i} class={m.reason === "PERIOD_NOT_ENDED" ? "warn" : undefined}>
            {missingText(m)}
          </li>
        ))}
      </ul>
      <StepsAndChart
        cashIn={next.collections}
        steps={next.steps}
        stepLabel={stepLabel}
        tableId="next-steps"
        chartId="next-chart"
        chartLabel={t("plChartPreview")}
      >
        <tr>
          <th scope="row" colSpan={2}>
            {t("plAfterPreview")}
          </th>
        </tr>
        <tr>
          <th scope="row">{t("plReserveAfter")}</th>
          <td class="num">{money(next.after.reserve)}</td>
        </tr>
        <tr>
          <th scope="row">{t("plFeeArrearsAfter")}</th>
          <td class="num">{money(next.after.feeArrears)}</td>
        </tr>
        {next.after.interestArrears.map((a, i) => (
          <tr key={`arrears-${i}`}>
            <th scope="row">
              {t("plInterestArrearsAfter")} {symbolOf(i)}
            </th>
            <td class="num">{money(a)}</td>
          </tr>
        ))}
        {next.after.tranches.map((x) => (
          <tr key={`outstanding-${x.tranche}`}>
            <th scope="row">
              {t("plOutstanding")} {symbolOf(x.tranche)}
            </th>
            <td class="num">
              {money(x.outstanding)} · {t("plFactor")} {Number(x.poolFactor).toFixed(4)}
            </td>
          </tr>
        ))}
      </StepsAndChart>
      {next.ready && props.run && (
        <button type="button" class="primary" disabled={props.busy} onClick={props.run}>
          {t("plDistribute")}
        </button>
      )}
    </div>
  );
}
