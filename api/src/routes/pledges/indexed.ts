/**
 * The pledge register read from the index (indexer/): a pledge's events, the pledges naming an asset, lists by
 * bank / pledgor / asset / status in pages, and the registration office's queue. The queue's failures still ask the
 * chain (`PledgeLens.evaluatePending`, one call per pending application): they depend on the chain's clock (a
 * report's validity, an asset's expiry or fees, a signature's deadline) and on rules the contract alone decides.
 */
import { ZeroAddress, decodeBytes32String, getAddress, toUtf8String } from "ethers";
import { sql, type RawBuilder, type Selectable } from "kysely";
import type { PledgesTable } from "../../store/schema";
import { jsonArrayFrom } from "kysely/helpers/postgres";
import { AppError } from "../../errors/AppError";
import type { Registry } from "../../chain/registry";
import { PLEDGE_STATUSES } from "../../../../definitions/enumNames";
import { DISPOSAL_METHODS } from "./schema";
import type { ChainEvent } from "../../chain/events";
import { indexedOrChain, type GatewayIndex } from "../../indexer/gatewayIndex";
import { blockTime, chainEventsOf, indexedEvents, indexedEventsQuery, linkedTo } from "../../indexer/reads";
import { dateOf, isoOf } from "../../openapi/schemas";
import { failureView, lossSharingOf, proofOf, readPledge, schemeKeyOf } from "./service";
import { inApiForm } from "../../chain/events";

export const PLEDGE_EVENTS = [
  "PledgeApplied",
  "PledgeRegistered",
  "PledgeRefused",
  "PledgeWithdrawn",
  "PledgeChanged",
  "PledgeReleased",
  "PledgeEnforced",
  "PledgeDisposed",
] as const;
export const LOSS_EVENTS = ["LossShareRecorded", "LossAllocated"] as const;

/** Everything that happened to these pledges (as `pledgeEventsOf` finds it on chain), in chain order. */
export function indexedPledgeEvents(index: GatewayIndex, registry: Registry, pledgeIds: string[] | RawBuilder<string>) {
  return indexedEvents(index.db, registry.deployment, [
    { contract: "pledgeRegistry", names: PLEDGE_EVENTS, arg: "pledgeId", values: pledgeIds },
    { contract: "lossSharing", names: LOSS_EVENTS, arg: "pledgeId", values: pledgeIds },
  ]);
}

/** The pledge events of every pledge naming the asset (one query). */
export function indexedPledgeHistoryOf(
  index: GatewayIndex,
  registry: Registry,
  assetId: string,
): Promise<ChainEvent[]> {
  return indexedPledgeEvents(
    index,
    registry,
    sql<string>`(select pledge_id::text from pledge_assets where asset_id = ${assetId})`,
  );
}

const bytes3Text = (hex: string) => toUtf8String(hex).replace(/\0+$/, "");

/** A pledge row's bank and secured debt in API form. */
const debtView = (p: Selectable<PledgesTable>) => ({
  pledgee: p.pledgee,
  debtor: decodeBytes32String(p.debtor),
  principal: p.principal,
  currency: bytes3Text(p.currency),
  startDate: dateOf(BigInt(p.start_date)),
  maturityDate: dateOf(BigInt(p.maturity_date)),
});

export interface PledgeFilter {
  pledgee?: string;
  pledgor?: string;
  asset?: string;
  status?: (typeof PLEDGE_STATUSES)[number];
  /** The last pledge id of the previous page (pages run by pledge id, ascending). */
  after?: bigint;
  limit: number;
}

/** One page of pledges matching every given filter, and the cursor of the next page (null on the last). */
export async function listPledges(index: GatewayIndex, filter: PledgeFilter) {
  let query = index.db.selectFrom("pledges").selectAll();
  if (filter.pledgee) query = query.where("pledgee", "=", getAddress(filter.pledgee));
  if (filter.status) query = query.where("status", "=", PLEDGE_STATUSES.indexOf(filter.status));
  if (filter.after !== undefined) query = query.where("pledge_id", ">", filter.after.toString());
  if (filter.pledgor) {
    query = query.where(linkedTo("pledge_pledgors", "pledge_id", "pledges", "pledgor", getAddress(filter.pledgor)));
  }
  if (filter.asset) query = query.where(linkedTo("pledge_assets", "pledge_id", "pledges", "asset_id", filter.asset));
  const rows = await query
    .orderBy("pledge_id")
    .limit(filter.limit + 1)
    .execute();
  const page = rows.slice(0, filter.limit);
  const ids = page.map((r) => r.pledge_id);
  const [assets, pledgors] = await Promise.all([
    ids.length
      ? index.db
          .selectFrom("pledge_assets")
          .selectAll()
          .where("pledge_id", "in", ids)
          .orderBy("pledge_id")
          .orderBy("position")
          .execute()
      : [],
    ids.length
      ? index.db
          .selectFrom("pledge_pledgors")
          .selectAll()
          .where("pledge_id", "in", ids)
          .orderBy("pledge_id")
          .orderBy("position")
          .execute()
      : [],
  ]);
  const pledges = page.map((p) => ({
    pledgeId: p.pledge_id,
    status: PLEDGE_STATUSES[p.status],
    registrationNumber: p.registration_number,
    assets: assets.filter((a) => a.pledge_id === p.pledge_id).map((a) => a.asset_id),
    pledgors: pledgors.filter((a) => a.pledge_id === p.pledge_id).map((a) => a.pledgor),
    ...debtView(p),
    valuationReportId: p.valuation_report_id,
    appliedBlock: Number(p.applied_block),
  }));
  return { pledges, nextCursor: rows.length > filter.limit ? (page.at(-1)?.pledge_id ?? null) : null };
}

/** The registration office's queue, as `pendingApplications` answers it, from the index. */
export async function indexedPendingApplications(index: GatewayIndex, registry: Registry) {
  const { pledges } = await listPledges(index, { status: "Pending", limit: 1_000_000 });
  const applied = await indexedEvents(index.db, registry.deployment, [
    {
      contract: "pledgeRegistry",
      names: ["PledgeApplied"],
      arg: "pledgeId",
      values: pledges.map((p) => p.pledgeId),
    },
  ]);
  const blockHashes = await index.db
    .selectFrom("indexed_blocks")
    .select(["number", "hash"])
    .where("number", "in", applied.length ? applied.map((e) => String(e.blockNumber)) : ["-1"])
    .execute();
  const hashOf = new Map(blockHashes.map((b) => [Number(b.number), b.hash]));
  return Promise.all(
    pledges.map(async (p) => {
      const application = applied.find((e) => e.args.pledgeId === p.pledgeId);
      if (!application)
        throw new AppError("INTERNAL", 500, `the index has pledge ${p.pledgeId} without its application`);
      const [submittedAt, failures] = await Promise.all([
        blockTime(index.db, index.model.rpc, hashOf.get(application.blockNumber)!),
        registry.pledgeLens.evaluatePending(BigInt(p.pledgeId)),
      ]);
      return {
        pledgeId: p.pledgeId,
        pledgee: p.pledgee,
        pledgors: p.pledgors,
        assets: p.assets,
        principal: p.principal,
        currency: p.currency,
        maturityDate: p.maturityDate,
        submittedAt: isoOf(submittedAt),
        application: proofOf(application),
        failures: failures.map(failureView),
      };
    }),
  );
}

/** Events that close a pledge (and set its `closedAt`); a disposal follows an enforcement and keeps its time. */
const CLOSING_EVENTS = new Set(["PledgeRefused", "PledgeWithdrawn", "PledgeReleased", "PledgeEnforced"]);

/**
 * A pledge as `readPledge` answers it (GET /v1/pledges/{pledgeId}), from the index: one query for the pledge, its
 * assets, pledgors and history, and the times of the blocks that set its instants (cached by block hash). A loss
 * split, when the history has one, is still asked of LossSharing (its scheme's parties are not indexed).
 */
export async function readIndexedPledge(index: GatewayIndex, registry: Registry, pledgeId: bigint) {
  const db = index.db;
  const id = pledgeId.toString();
  const history = indexedEventsQuery(db, registry.deployment, [
    { contract: "pledgeRegistry", names: PLEDGE_EVENTS, arg: "pledgeId", values: [id] },
    { contract: "lossSharing", names: LOSS_EVENTS, arg: "pledgeId", values: [id] },
  ])!;
  const row = await db
    .selectFrom("pledges as p")
    .selectAll("p")
    .select((eb) => [
      jsonArrayFrom(
        eb.selectFrom("pledge_assets").select("asset_id").whereRef("pledge_id", "=", "p.pledge_id").orderBy("position"),
      ).as("assets"),
      jsonArrayFrom(
        eb
          .selectFrom("pledge_pledgors")
          .select("pledgor")
          .whereRef("pledge_id", "=", "p.pledge_id")
          .orderBy("position"),
      ).as("pledgors"),
      jsonArrayFrom(history).as("history"),
    ])
    .where("p.pledge_id", "=", id)
    .executeTakeFirst();
  if (!row) throw AppError.of("NOT_FOUND", `no pledge ${pledgeId}`, "pledgeId");
  const events = chainEventsOf(registry.deployment, row.history);
  const hashOf = (event: ChainEvent | undefined) =>
    event &&
    row.history.find((e) => Number(e.block_number) === event.blockNumber && e.log_index === event.logIndex)!.block_hash;
  const timeOf = async (event: ChainEvent | undefined) => {
    const hash = hashOf(event);
    return hash ? blockTime(db, index.model.rpc, hash) : 0n;
  };
  const applied = events.find((e) => e.event === "PledgeApplied");
  if (!applied) throw new AppError("INTERNAL", 500, `the index has pledge ${id} without its application`);
  const registration = events.find((e) => e.event === "PledgeRegistered");
  const disposed = events.find((e) => e.event === "PledgeDisposed");
  const [submittedAt, closedAt, disposedAt, lossSharing] = await Promise.all([
    timeOf(applied),
    timeOf(events.filter((e) => CLOSING_EVENTS.has(e.event)).at(-1)),
    timeOf(disposed),
    events.some((e) => e.event === "LossAllocated") ? lossSharingOf(registry, pledgeId) : null,
  ]);
  const disposal = row.disposal as {
    method: number;
    proceeds: string;
    transferee: string;
    loss: string;
    evidenceHash: string;
  } | null;
  return {
    pledgeId: id,
    status: PLEDGE_STATUSES[row.status],
    registrationNumber: row.registration_number,
    assets: row.assets.map((a) => a.asset_id),
    pledgors: row.pledgors.map((p) => p.pledgor),
    ...debtView(row),
    contractHash: row.contract_hash,
    valuationReportId: row.valuation_report_id,
    riskScheme: schemeKeyOf(registry, row.risk_scheme),
    invalidationAcknowledged: row.invalidation_acknowledged,
    submittedAt: isoOf(submittedAt),
    registeredAt: isoOf(BigInt(row.registered_at ?? 0)),
    closedAt: isoOf(closedAt),
    disposal: disposal
      ? {
          method: DISPOSAL_METHODS[disposal.method],
          disposedAt: isoOf(disposedAt),
          transferee: disposal.transferee === ZeroAddress ? null : disposal.transferee,
          proceeds: disposal.proceeds,
          loss: disposal.loss,
          evidenceHash: disposal.evidenceHash,
        }
      : null,
    lossSharing,
    history: events.map(inApiForm),
    proof: {
      application: proofOf(applied),
      registration: registration ? proofOf(registration) : null,
      latest: proofOf(events.at(-1)!),
    },
  };
}

/** A pledge from the index when it is current (cached per head), else from the chain; with `currentToBlock`. */
export async function readPledgeAt(index: GatewayIndex | undefined, registry: Registry, pledgeId: bigint) {
  const { answer, currentToBlock } = await indexedOrChain(
    index,
    `pledge ${pledgeId}`,
    (current) => readIndexedPledge(current, registry, pledgeId),
    () => readPledge(registry, pledgeId),
  );
  return { ...answer, currentToBlock };
}
