/**
 * What the API tests check a pool against. Its books rebuilt from its events alone, as an auditor without the
 * contract's reconcile() would: every cash total is the sum of the events that move it, every bucket what went in
 * less what came out, the token balance the sum of the token's transfers. The API shows the contract's own snapshot
 * (the report's `books`); the tests hold it against this independent account. Also: the waterfall model of a pool's
 * configuration, and the tranche token's rounding.
 */
import { Interface, type EventLog, type Log } from "ethers";
import type { ReceivablePool } from "../../../typechain-types";
import type { PoolConfig } from "../../../scripts/lib/deployPool";
import { PoolModel } from "../../helpers/poolModel";

/** The end of transaction `transactionIndex` of block `blockNumber`. */
export interface ChainPoint {
  blockNumber: number;
  transactionIndex: number;
}

/** Steps that credit a tranche's holders (WaterfallStep: SeniorInterest = 1, SeniorPrincipal = 4, Subordinated = 7). */
const CREDIT_STEPS = new Set([1, 4, 7]);
const TRANSFER = new Interface(["event Transfer(address indexed from, address indexed to, uint256 value)"]);

const upTo = (point: ChainPoint) => (log: Log) =>
  log.blockNumber < point.blockNumber ||
  (log.blockNumber === point.blockNumber && log.transactionIndex <= point.transactionIndex);

/** The pool's books at `point`, same fields as reconcile(), as decimal strings (balanced as a boolean). */
export async function booksFromEvents(pool: ReceivablePool, point: ChainPoint): Promise<Record<string, unknown>> {
  const address = await pool.getAddress();
  const token = await pool.paymentToken();
  const provider = pool.runner!.provider!;
  const transfers = (topics: (string | null)[]) =>
    provider.getLogs({ address: token, topics, fromBlock: 0, toBlock: point.blockNumber });
  const [logs, tokenIn, tokenOut] = await Promise.all([
    pool.queryFilter("*" as unknown as Parameters<ReceivablePool["queryFilter"]>[0], 0, point.blockNumber),
    transfers(TRANSFER.encodeFilterTopics("Transfer", [null, address]) as string[]),
    transfers(TRANSFER.encodeFilterTopics("Transfer", [address]) as string[]),
  ]);
  const events = logs.filter(upTo(point)).filter((l): l is EventLog => "fragment" in l && l.fragment !== undefined);
  const total = (name: string, field: string) =>
    events.filter((e) => e.fragment.name === name).reduce((sum, e) => sum + BigInt(e.args[field]), 0n);
  const reports = events.filter((e) => e.fragment.name === "PeriodDistributed").map((e) => e.args.report);
  const reported = (field: string) => reports.reduce((sum: bigint, r) => sum + BigInt(r[field]), 0n);
  const transferred = (found: Log[]) =>
    found.filter(upTo(point)).reduce((sum, l) => sum + BigInt(TRANSFER.parseLog(l)!.args.value), 0n);
  // Holders are credited through their tranche token; what its rounding could not credit is the reports' dust.
  const steps = events.filter((e) => e.fragment.name === "WaterfallStepped" && CREDIT_STEPS.has(Number(e.args.step)));
  const credited = steps.reduce((sum, e) => sum + BigInt(e.args.amount), 0n) - reported("dust");

  const subscribed = total("Subscribed", "amount");
  const proceedsPaid = total("PoolClosed", "proceeds");
  const refunded = total("Refunded", "amount");
  const reserveFunded = total("PoolClosed", "reserve");
  const claimsPaid = total("Claimed", "amount");
  const collected = total("InstalmentPaid", "amount");
  const guarantorPaid = total("GuarantorPaid", "amount");
  const unsolicited = total("UnsolicitedBooked", "amount");
  const feesPaid = reported("feesPaid");
  const held = {
    escrow: subscribed - refunded - proceedsPaid - reserveFunded,
    collectionsAvailable: collected + guarantorPaid + unsolicited - reported("collections") - reported("guarantorPaid"),
    reserve: reserveFunded + reported("reserveToppedUp") - reported("reserveDrawn") - reported("reserveReleased"),
    trancheClaimable: credited - claimsPaid,
    dust: reported("dust"),
  };
  const heldTotal = Object.values(held).reduce((a, b) => a + b, 0n);
  const tokenBalance = transferred(tokenIn) - transferred(tokenOut);
  const unbooked = tokenBalance - heldTotal;
  const figures = {
    subscribed,
    collected,
    guarantorPaid,
    unsolicited,
    proceedsPaid,
    feesPaid,
    claimsPaid,
    refunded,
    ...held,
    tokenBalance,
    unbooked,
  };
  const cashIn = subscribed + collected + guarantorPaid + unsolicited;
  const cashOut = proceedsPaid + feesPaid + claimsPaid + refunded;
  return {
    ...Object.fromEntries(Object.entries(figures).map(([k, v]) => [k, v.toString()])),
    balanced: cashIn === cashOut + heldTotal && unbooked >= 0n,
  };
}

const MAGNITUDE = 2n ** 128n;

/**
 * The tranche token's per-token accounting (SPEC §6: rounding never credits more than was distributed): a
 * distribution credits amount × 2^128 ÷ supply per token, rounded down; an exact one (the wind-up) rounds the
 * increment up so that the tranche is credited to the unit. A holder's share is its balance × the per-token total,
 * rounded down.
 */
export class TokenModel {
  private magnifiedPerToken = 0n;
  private magnifiedCredited = 0n;
  constructor(private readonly supply: bigint) {}
  /** What one distribution of `amount` credits to the holders; the rest is dust. */
  distribute(amount: bigint, exact = false): bigint {
    if (amount === 0n) return 0n;
    const before = this.magnifiedCredited / MAGNITUDE;
    const increment = exact
      ? ((before + amount) * MAGNITUDE - this.magnifiedCredited + this.supply - 1n) / this.supply
      : (amount * MAGNITUDE) / this.supply;
    this.magnifiedPerToken += increment;
    this.magnifiedCredited += increment * this.supply;
    return this.magnifiedCredited / MAGNITUDE - before;
  }
  /** Everything credited to the tranche's holders so far. */
  get credited() {
    return this.magnifiedCredited / MAGNITUDE;
  }
  accumulatedOf(balance: bigint) {
    return (this.magnifiedPerToken * balance) / MAGNITUDE;
  }
}

/** The independent model (SPEC §6) of a pool of `config`, closed (reserve funded), its calendar from the start. */
export function poolModelOf(config: PoolConfig): PoolModel {
  const model = new PoolModel({
    faces: config.tranches.map((t) => BigInt(t.face)),
    couponsBps: config.tranches.map((t) => BigInt(t.couponBps)),
    feePerPeriod: BigInt(config.feePerPeriod),
    reserveTarget: BigInt(config.reserveTarget),
    guaranteeCap: BigInt(config.guaranteeCap),
    startDate: BigInt(config.startDate),
    periodEnds: config.periodEnds.map(BigInt),
  });
  model.close();
  return model;
}
