/**
 * The pool routes (SPEC §6) as the pool pages read them: the pools the gateway knows, a pool now, the auditor's
 * trace and a period's reconciliation. Money stays an integer string of the smallest unit; read defensively as in
 * api.ts.
 */
import { arr, bool, call, num, obj, proof, str, type Proof, type When } from "./api";

export interface PoolSummary {
  pool: string;
  status: string | null;
  periodsDistributed: number;
  periods: number;
}
export interface Tranche {
  index: number;
  name: string;
  symbol: string;
  seniority: string;
  couponBps: number;
  face: string;
  outstanding: string;
  poolFactor: string;
  interestArrears: string;
  writtenDown: string;
}
export interface PoolView {
  pool: string;
  status: string | null;
  paymentToken: string;
  originator: string;
  startDate: string | null;
  /** the instant period 1 starts */
  startsAt: When | null;
  calendar: When[];
  periodsDistributed: number;
  tranches: Tranche[];
  buckets: { escrow: string; collections: string; reserve: string; reserveTarget: string };
  fees: { perPeriod: string; arrears: string };
  guarantor: {
    address: string;
    cap: string;
    called: string;
    calls: { callId: number; period: number; amount: string; paid: string }[];
  };
  losses: { defaulted: string; allocated: string };
  balanced: boolean;
}
export interface Step {
  step: string;
  tranche: number | null;
  amount: string;
  blockNumber: number | null;
  transactionHash: string;
}
export interface Distribution {
  period: number;
  digest: string;
  report: Record<string, unknown>;
  tranchesAfter: { tranche: number; outstanding: string; poolFactor: string }[];
  steps: Step[];
  proof: Proof | null;
}
export interface Payment {
  payer: string;
  amount: string;
  late: boolean;
  paidAt: When | null;
  transactionHash: string;
  blockNumber: number | null;
  distributedIn: number | null;
}
export interface Instalment {
  index: number;
  dueDate: When | null;
  amount: string;
  paid: string;
  late: boolean;
  defaulted: boolean;
  payments: Payment[];
}
export interface Receivable {
  licenceId: string;
  licensee: string;
  licensors: string[];
  instalments: Instalment[];
}
export interface Credit {
  period: number;
  step: string;
  amount: string;
  transactionHash: string;
  blockNumber: number | null;
}
export interface Claim {
  holder: string;
  amount: string;
  transactionHash: string;
  blockNumber: number | null;
  drewOn: Credit[];
}
export interface Trace {
  receivables: Receivable[];
  periods: Distribution[];
  tranches: { index: number; name: string; credited: Credit[]; claims: Claim[] }[];
}
export interface Figure {
  section: string;
  item: string;
  tranche: string | null;
  amount: string;
}
export interface Reconciliation {
  period: number | null;
  digest: string | null;
  digestMatches: boolean | null;
  proof: Proof | null;
  figures: Figure[];
  conservation: { cashIn: string; cashOut: string; held: string; balanced: boolean; figures: Figure[] };
}

const amount = (v: unknown) => str(v) ?? "0";

export async function listPools(key: string): Promise<PoolSummary[]> {
  const o = await call("/pools", { key });
  return arr(o.pools).map((v) => {
    const p = obj(v);
    return {
      pool: str(p.pool) ?? "",
      status: str(p.status),
      periodsDistributed: num(p.periodsDistributed) ?? 0,
      periods: num(p.periods) ?? 0,
    };
  });
}

export async function readPool(key: string, pool: string): Promise<PoolView> {
  const o = await call(`/pools/${pool}`, { key });
  const b = obj(o.buckets);
  const f = obj(o.fees);
  const g = obj(o.guarantor);
  const l = obj(o.losses);
  return {
    pool: str(o.pool) ?? pool,
    status: str(o.status),
    paymentToken: str(o.paymentToken) ?? "",
    originator: str(o.originator) ?? "",
    startDate: str(o.startDate),
    startsAt: str(o.startsAt),
    calendar: arr(o.calendar).map((c) => str(c) ?? ""),
    periodsDistributed: num(o.periodsDistributed) ?? 0,
    tranches: arr(o.tranches).map((v) => {
      const x = obj(v);
      return {
        index: num(x.index) ?? 0,
        name: str(x.name) ?? "",
        symbol: str(x.symbol) ?? "",
        seniority: str(x.seniority) ?? "",
        couponBps: num(x.couponBps) ?? 0,
        face: amount(x.face),
        outstanding: amount(x.outstanding),
        poolFactor: str(x.poolFactor) ?? "",
        interestArrears: amount(x.interestArrears),
        writtenDown: amount(x.writtenDown),
      };
    }),
    buckets: {
      escrow: amount(b.escrow),
      collections: amount(b.collections),
      reserve: amount(b.reserve),
      reserveTarget: amount(b.reserveTarget),
    },
    fees: { perPeriod: amount(f.perPeriod), arrears: amount(f.arrears) },
    guarantor: {
      address: str(g.address) ?? "",
      cap: amount(g.cap),
      called: amount(g.called),
      calls: arr(g.calls).map((v) => {
        const c = obj(v);
        return {
          callId: num(c.callId) ?? 0,
          period: num(c.period) ?? 0,
          amount: amount(c.amount),
          paid: amount(c.paid),
        };
      }),
    },
    losses: { defaulted: amount(l.defaulted), allocated: amount(l.allocated) },
    balanced: bool(obj(o.reconciliation).balanced),
  };
}

const located = (x: Record<string, unknown>) => ({
  transactionHash: str(x.transactionHash) ?? "",
  blockNumber: num(x.blockNumber),
});
const credit = (v: unknown): Credit => {
  const c = obj(v);
  return { period: num(c.period) ?? 0, step: str(c.step) ?? "", amount: amount(c.amount), ...located(c) };
};
const distribution = (v: unknown): Distribution => {
  const d = obj(v);
  return {
    period: num(d.period) ?? 0,
    digest: str(d.digest) ?? "",
    report: obj(d.report),
    tranchesAfter: arr(d.tranchesAfter).map((t) => {
      const x = obj(t);
      return { tranche: num(x.tranche) ?? 0, outstanding: amount(x.outstanding), poolFactor: str(x.poolFactor) ?? "" };
    }),
    steps: arr(d.steps).map((s) => {
      const x = obj(s);
      return { step: str(x.step) ?? "", tranche: num(x.tranche), amount: amount(x.amount), ...located(x) };
    }),
    proof: proof(d.proof),
  };
};

export async function readTrace(key: string, pool: string): Promise<Trace> {
  const o = await call(`/pools/${pool}/trace`, { key });
  return {
    receivables: arr(o.receivables).map((v) => {
      const r = obj(v);
      const sub = obj(r.subLicence);
      return {
        licenceId: str(r.licenceId) ?? "",
        licensee: str(sub.licensee) ?? "",
        licensors: arr(sub.licensors).map((x) => str(x) ?? ""),
        instalments: arr(r.instalments).map((i) => {
          const x = obj(i);
          return {
            index: num(x.index) ?? 0,
            dueDate: str(x.dueDate),
            amount: amount(x.amount),
            paid: amount(x.paid),
            late: bool(x.late),
            defaulted: bool(x.defaulted),
            payments: arr(x.payments).map((p) => {
              const y = obj(p);
              return {
                payer: str(y.payer) ?? "",
                amount: amount(y.amount),
                late: bool(y.late),
                paidAt: str(y.paidAt),
                ...located(y),
                distributedIn: y.distributedIn ? num(obj(y.distributedIn).period) : null,
              };
            }),
          };
        }),
      };
    }),
    periods: arr(o.periods).map(distribution),
    tranches: arr(o.tranches).map((v) => {
      const x = obj(v);
      return {
        index: num(x.index) ?? 0,
        name: str(x.name) ?? "",
        credited: arr(x.credited).map(credit),
        claims: arr(x.claims).map((c) => {
          const y = obj(c);
          return {
            holder: str(y.holder) ?? "",
            amount: amount(y.amount),
            ...located(y),
            drewOn: arr(y.drewOn).map(credit),
          };
        }),
      };
    }),
  };
}

const figures = (v: unknown): Figure[] =>
  arr(v).map((f) => {
    const x = obj(f);
    return {
      section: str(x.section) ?? "",
      item: str(x.item) ?? "",
      tranche: str(x.tranche),
      amount: amount(x.amount),
    };
  });

/** A distributed period's reconciliation (period from 1), or the pool's conservation now (period null). */
export async function readReconciliation(key: string, pool: string, period: number | null): Promise<Reconciliation> {
  const o = await call(`/pools/${pool}/reconciliation${period ? `?period=${period}` : ""}`, { key });
  const c = obj(o.conservation);
  return {
    period: num(o.period),
    digest: str(o.digest),
    digestMatches: o.digestMatches === null || o.digestMatches === undefined ? null : bool(o.digestMatches),
    proof: proof(o.proof),
    figures: figures(o.figures),
    conservation: {
      cashIn: amount(c.cashIn),
      cashOut: amount(c.cashOut),
      held: amount(c.held),
      balanced: bool(c.balanced),
      figures: figures(c.figures),
    },
  };
}

export async function distributeNext(key: string, pool: string): Promise<Distribution> {
  return distribution(await call(`/pools/${pool}/distribute`, { key, method: "POST" }));
}

// ───────────── webpool: the next distribution previewed; a holder's holdings and claims ─────────────

export interface PreviewStep {
  step: string;
  tranche: number | null;
  amount: string;
}
export interface Missing {
  reason: string;
  until: When | null;
  licenceId: string | null;
  index: number | null;
  dueDate: When | null;
  unpaid: string | null;
}
/** What the next distribution would do now: the pool's own previewDistribution(), step by step. */
export interface NextDistribution {
  period: number;
  startDate: When | null;
  endDate: When | null;
  ready: boolean;
  missing: Missing[];
  asOf: { blockNumber: number | null; at: When | null };
  collections: string;
  cashToDivide: string;
  dues: { fees: string; interest: string[] };
  steps: PreviewStep[];
  after: {
    reserve: string;
    feeArrears: string;
    interestArrears: string[];
    tranches: { tranche: number; outstanding: string; poolFactor: string }[];
  };
}

export async function readNextDistribution(key: string, pool: string): Promise<NextDistribution> {
  const o = await call(`/pools/${pool}/next-distribution`, { key });
  const asOf = obj(o.asOf);
  const dues = obj(o.dues);
  const after = obj(o.after);
  return {
    period: num(o.period) ?? 0,
    startDate: str(o.startDate),
    endDate: str(o.endDate),
    ready: bool(o.ready),
    missing: arr(o.missing).map((v) => {
      const m = obj(v);
      return {
        reason: str(m.reason) ?? "",
        until: str(m.until),
        licenceId: str(m.licenceId),
        index: num(m.index),
        dueDate: str(m.dueDate),
        unpaid: str(m.unpaid),
      };
    }),
    asOf: { blockNumber: num(asOf.blockNumber), at: str(asOf.at) },
    collections: amount(o.collections),
    cashToDivide: amount(o.cashToDivide),
    dues: { fees: amount(dues.fees), interest: arr(dues.interest).map(amount) },
    steps: arr(o.steps).map((v) => {
      const x = obj(v);
      return { step: str(x.step) ?? "", tranche: num(x.tranche), amount: amount(x.amount) };
    }),
    after: {
      reserve: amount(after.reserve),
      feeArrears: amount(after.feeArrears),
      interestArrears: arr(after.interestArrears).map(amount),
      tranches: arr(after.tranches).map((v) => {
        const x = obj(v);
        return {
          tranche: num(x.tranche) ?? 0,
          outstanding: amount(x.outstanding),
          poolFactor: str(x.poolFactor) ?? "",
        };
      }),
    },
  };
}

export interface Holding {
  index: number;
  name: string;
  symbol: string;
  balance: string;
  outstanding: string;
  accumulated: string;
  claimed: string;
  claimable: string;
}
export interface Holdings {
  holder: string;
  tranches: Holding[];
  claims: { tranche: number; amount: string; transactionHash: string; blockNumber: number | null }[];
}

/** A holder's tranche tokens of the pool, what accrued to them, its claims and what it may claim now. */
export async function readHoldings(key: string, pool: string, holder: string): Promise<Holdings> {
  const o = await call(`/pools/${pool}/holders/${holder}`, { key });
  return {
    holder: str(o.holder) ?? holder,
    tranches: arr(o.tranches).map((v) => {
      const x = obj(v);
      return {
        index: num(x.index) ?? 0,
        name: str(x.name) ?? "",
        symbol: str(x.symbol) ?? "",
        balance: amount(x.balance),
        outstanding: amount(x.outstanding),
        accumulated: amount(x.accumulated),
        claimed: amount(x.claimed),
        claimable: amount(x.claimable),
      };
    }),
    claims: arr(o.claims).map((v) => {
      const x = obj(v);
      return { tranche: num(x.tranche) ?? 0, amount: amount(x.amount), ...located(x) };
    }),
  };
}

/** An unsigned transaction the gateway prepared for the party's own key (POST /pools/{pool}/prepare/*). */
export interface PreparedStep {
  action: string;
  description: string;
  transaction: Record<string, unknown> & { to: string | null; data: string; from: string; chainId: number };
}

export async function prepareClaim(key: string, pool: string, from: string, tranche: number): Promise<PreparedStep[]> {
  const o = await call(`/pools/${pool}/prepare/claim`, { key, method: "POST", body: { from, tranche } });
  return arr(o.steps).map((v) => {
    const x = obj(v);
    const tx = obj(x.transaction);
    return {
      action: str(x.action) ?? "",
      description: str(x.description) ?? "",
      transaction: {
        ...tx,
        to: str(tx.to),
        data: str(tx.data) ?? "0x",
        from: str(tx.from) ?? "",
        chainId: num(tx.chainId) ?? 0,
      },
    };
  });
}

/** Broadcast a transaction signed in the page (POST /transactions): its proof and the events it emitted. */
export async function broadcastSigned(key: string, signedTransaction: string) {
  const o = await call("/transactions", { key, method: "POST", body: { signedTransaction } });
  return {
    transactionHash: str(o.transactionHash) ?? "",
    blockNumber: num(o.blockNumber),
    events: arr(o.events).map((e) => obj(e)),
  };
}
// ───────────── end webpool ─────────────
