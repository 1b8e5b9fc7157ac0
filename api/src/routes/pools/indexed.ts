/**
 * The auditor's trace and a distributed period's reconciliation read from the index (indexer/): the pool's events
 * as the follower stored them, its immutables (pool_immutables: start, receivables, tranches), the licences and
 * their schedules (the licence projections) and the block times of the payments (block_times). An instalment's
 * record (paid, last paid, defaulted) is what its InstalmentPaid and InstalmentDefaulted events add up to, exactly
 * as payInstalment and markDefaulted write it.
 */
import { getAddress } from "ethers";
import { sql } from "kysely";
import type { Registry } from "../../chain/registry";
import type { ChainEvent } from "../../chain/events";
import type { RecordStore } from "../../store/records";
import type { GatewayIndex } from "../../indexer/gatewayIndex";
import { blockTime, indexedEvents } from "../../indexer/reads";
import type { PoolImmutables } from "../../indexer/poolImmutables";
import { inAbiOrder, type JsonValue } from "../../indexer/decode";
import { isoOf } from "../../openapi/schemas";
import { AppError } from "../../errors/AppError";
import { periodOnChain } from "./poolContract";
import { distributedPeriodReconciliation, remembersPool } from "./service";
import { TRACE_EVENTS, traceFrom, type LicencePart, type TraceFacts } from "./trace";

/**
 * The pool's immutables if the index can answer for it: a pool the gateway knows (remembered, or named by an
 * assignment the index holds), which the follower follows (started here for a pool it has not met yet) and has seen
 * an event of. Undefined otherwise (a pool with no event yet: the route asks the chain, which also says 404).
 */
export async function indexedPool(
  index: GatewayIndex,
  store: Pick<RecordStore, "get">,
  address: string,
): Promise<PoolImmutables | undefined> {
  const pool = getAddress(address);
  const db = index.db;
  const held = await db.selectFrom("pool_immutables").selectAll().where("pool", "=", pool).executeTakeFirst();
  if (held) return held as unknown as PoolImmutables;
  const assigned = await db.selectFrom("licences").select("licence_id").where("pool", "=", pool).executeTakeFirst();
  if (!assigned && !(await remembersPool(store, pool))) return undefined;
  const tracked = await db
    .selectFrom("tracked_addresses")
    .select("address")
    .where("address", "=", pool)
    .executeTakeFirst();
  if (tracked) return undefined;
  const { start_block } = await db.selectFrom("indexer_state").select("start_block").executeTakeFirstOrThrow();
  await index.model.follower.trackAddress(pool, Number(start_block));
  const found = await db.selectFrom("pool_immutables").selectAll().where("pool", "=", pool).executeTakeFirst();
  return found as unknown as PoolImmutables | undefined;
}

/** The pool's events of these names, in chain order, as the chain's logs give them. */
async function poolEvents(index: GatewayIndex, pool: string, names: readonly string[]) {
  const rows = await index.db
    .selectFrom("events")
    .select(["block_number", "log_index", "block_hash", "tx_hash", "name", "args"])
    .where("contract", "=", pool)
    .where("name", "in", [...names])
    .orderBy("block_number")
    .orderBy("log_index")
    .execute();
  return rows.map((row) => ({
    hash: row.block_hash,
    event: {
      event: row.name as string,
      contract: "ReceivablePool",
      blockNumber: Number(row.block_number),
      transactionHash: row.tx_hash,
      logIndex: row.log_index,
      args: inAbiOrder("pool", row.name as string, row.args as Record<string, JsonValue>),
    } satisfies ChainEvent,
  }));
}

/** The trace's facts from the index, current to `currentToBlock`. */
async function indexedTraceFacts(
  index: GatewayIndex,
  registry: Registry,
  pool: PoolImmutables,
  currentToBlock: number,
): Promise<TraceFacts> {
  const db = index.db;
  const [stored, headTime] = await Promise.all([poolEvents(index, pool.pool, TRACE_EVENTS), index.headTime()]);
  const events = Object.fromEntries(
    TRACE_EVENTS.map((name) => [name, stored.filter((s) => s.event.event === name).map((s) => s.event)]),
  ) as TraceFacts["events"];
  // Each block's time, once (a payment's block; the last payment of an instalment is its lastPaidAt).
  const times = new Map<number, bigint>();
  for (const { hash, event } of stored) {
    if (event.event === "InstalmentPaid" && !times.has(event.blockNumber)) {
      times.set(event.blockNumber, await blockTime(db, index.model.rpc, hash));
    }
  }
  const paidAt = new Map([...times].map(([block, time]) => [block, isoOf(time)]));

  const subIds = pool.receivables;
  const subs = subIds.length
    ? await db.selectFrom("licences").selectAll().where("licence_id", "in", subIds).execute()
    : [];
  const firstIds = [...new Set(subs.map((s) => s.first_licence_id as string))];
  const firsts = firstIds.length
    ? await db.selectFrom("licences").selectAll().where("licence_id", "in", firstIds).execute()
    : [];
  const licenceIds = [...subIds, ...firstIds];
  const [assets, schedules, recorded] = await Promise.all([
    firstIds.length
      ? db
          .selectFrom("licence_assets")
          .selectAll()
          .where("licence_id", "in", firstIds)
          .orderBy("licence_id")
          .orderBy("position")
          .execute()
      : [],
    subIds.length
      ? db.selectFrom("instalments").selectAll().where("licence_id", "in", subIds).orderBy("idx").execute()
      : [],
    indexedEvents(db, registry.deployment, [
      {
        contract: "licenceRegistry",
        names: ["FirstLicenceRecorded", "SubLicenceRecorded", "ReceivableAssigned"],
        arg: "licenceId",
        values: licenceIds,
      },
    ]),
  ]);
  const recordingOf = (id: string) => recorded.find((e) => e.event !== "ReceivableAssigned" && e.args.licenceId === id);
  const licenceRow = (id: string) => [...subs, ...firsts].find((l) => l.licence_id === id);
  const part = (id: string): LicencePart => {
    const licence = licenceRow(id);
    if (!licence) throw new AppError("INTERNAL", 500, `the index has pool ${pool.pool}'s licence ${id} unrecorded`);
    const first = licence.kind === 0 ? licence : licenceRow(licence.first_licence_id as string)!;
    const recording = recordingOf(id);
    return {
      licenceId: id,
      // A sub-licence's licensor is its first licence's licensee; its assets are the first licence's.
      licensors: licence.kind === 0 ? (licence.licensors as string[]) : [first.licensee],
      licensee: licence.licensee,
      assets: assets.filter((a) => a.licence_id === first.licence_id).map((a) => a.asset_id),
      startDate: isoOf(BigInt(licence.start_date)),
      endDate: isoOf(BigInt(licence.end_date)),
      contractHash: licence.contract_hash,
      upfrontFee: licence.kind === 0 ? licence.upfront_fee : null,
      blockNumber: recording?.blockNumber ?? 0,
      transactionHash: recording?.transactionHash ?? "",
    };
  };

  return {
    pool: pool.pool,
    asOf: { blockNumber: currentToBlock, time: headTime ?? 0n },
    startDate: BigInt(pool.start_date),
    tranches: pool.tranches.map((t) => ({ token: t.token, name: t.name, face: BigInt(t.face) })),
    events,
    paidAt,
    receivables: subIds.map((id) => {
      const sub = licenceRow(id);
      const schedule = schedules.filter((s) => s.licence_id === id);
      const of = (e: ChainEvent, index: number) => e.args.licenceId === id && Number(e.args.index) === index;
      return {
        licenceId: BigInt(id),
        firstLicence: part(sub?.first_licence_id as string),
        subLicence: part(id),
        assignment: recorded.find(
          (e) => e.event === "ReceivableAssigned" && e.args.licenceId === id && e.args.pool === pool.pool,
        ),
        schedule: schedule.map((s) => ({ dueDate: BigInt(s.due_date), amount: BigInt(s.amount) })),
        records: schedule.map((_, i) => {
          const payments = events.InstalmentPaid.filter((e) => of(e, i));
          const last = payments.at(-1);
          return {
            paid: payments.reduce((sum, e) => sum + BigInt(e.args.amount as string), 0n),
            lastPaidAt: last ? times.get(last.blockNumber)! : 0n,
            defaulted: events.InstalmentDefaulted.some((e) => of(e, i)),
          };
        }),
      };
    }),
  };
}

/** The auditor's trace from the index, read now. */
export async function readIndexedTrace(
  index: GatewayIndex,
  registry: Registry,
  pool: PoolImmutables,
  currentToBlock: number,
) {
  return traceFrom(await indexedTraceFacts(index, registry, pool, currentToBlock));
}

/** The auditor's trace from the index (cached per head). */
export function indexedTrace(index: GatewayIndex, registry: Registry, pool: PoolImmutables, currentToBlock: number) {
  return index.cached(`pool-trace:${pool.pool}`, () => readIndexedTrace(index, registry, pool, currentToBlock));
}

/**
 * A distributed period's reconciliation from the index: its PeriodDistributed event. The digest the pool stored for
 * the period is written in the transaction that emitted the event, so the index holds it as the event's digest.
 */
export function indexedPeriodReconciliation(index: GatewayIndex, pool: PoolImmutables, period: number) {
  return index.cached(`pool-reconciliation:${pool.pool}:${period}`, async () => {
    const row = await index.db
      .selectFrom("events")
      .select(["block_number", "block_hash", "tx_hash", "args"])
      .where("contract", "=", pool.pool)
      .where("name", "=", "PeriodDistributed")
      .where(sql<string>`args->>'period'`, "=", String(periodOnChain(period)))
      .executeTakeFirst();
    if (!row) {
      throw AppError.of("NOT_FOUND", `period ${period} of this pool has not been distributed`, "query.period");
    }
    const args = inAbiOrder("pool", "PeriodDistributed", row.args as Record<string, JsonValue>);
    return distributedPeriodReconciliation({
      pool: pool.pool,
      symbols: pool.tranches.map((t) => t.symbol),
      period,
      report: args.report,
      digest: args.digest as string,
      storedDigest: args.digest as string,
      proof: { blockNumber: Number(row.block_number), transactionHash: row.tx_hash },
      time: await blockTime(index.db, index.model.rpc, row.block_hash),
    });
  });
}

/**
 * The index and the pool's immutables when the index can answer a read of this pool now (it has not fallen behind a
 * write of this gateway, and knows the pool: see `indexedPool`); undefined when the route must ask the chain.
 */
export async function poolFromIndex(index: GatewayIndex | undefined, store: Pick<RecordStore, "get">, address: string) {
  if (!index || (await index.currentTo()) === undefined) return undefined;
  const pool = await indexedPool(index, store, address);
  const currentToBlock = await index.currentTo();
  return pool && currentToBlock !== undefined ? { index, pool, currentToBlock } : undefined;
}
