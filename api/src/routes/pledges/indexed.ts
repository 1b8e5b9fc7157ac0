/**
 * The pledge register read from the index (indexer/): a pledge's events, the pledges naming an asset, lists by
 * bank / pledgor / asset / status in pages, and the registration office's queue. The queue's failures still ask the
 * chain (`PledgeLens.evaluatePending`, one call per pending application): they depend on the chain's clock (a
 * report's validity, an asset's expiry or fees, a signature's deadline) and on rules the contract alone decides.
 */
import { decodeBytes32String, getAddress, toUtf8String } from "ethers";
import { sql, type RawBuilder, type Selectable } from "kysely";
import type { PledgesTable } from "../../store/schema";
import { AppError } from "../../errors/AppError";
import type { Registry } from "../../chain/registry";
import { PLEDGE_STATUSES } from "../../../../definitions/enumNames";
import type { ChainEvent } from "../../chain/events";
import type { GatewayIndex } from "../../indexer/gatewayIndex";
import { blockTime, indexedEvents, linkedTo } from "../../indexer/reads";
import { dateOf, isoOf } from "../../openapi/schemas";
import { failureView, proofOf } from "./service";

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

/** A pledge's linked rows (its assets, its pledgors) in their order, as one JSON array column of its row. */
const linked = (table: "pledge_assets" | "pledge_pledgors", column: "asset_id" | "pledgor") =>
  sql<string[]>`(select coalesce(jsonb_agg(l.${sql.ref(column)} order by l.position), '[]'::jsonb)
    from ${sql.table(table)} l where l.pledge_id = pledges.pledge_id)`;

/**
 * One page of pledges matching every given filter, and the cursor of the next page (null on the last): one query,
 * each pledge's assets and pledgors aggregated into its row.
 */
export async function listPledges(index: GatewayIndex, filter: PledgeFilter) {
  let query = index.db
    .selectFrom("pledges")
    .selectAll()
    .select([linked("pledge_assets", "asset_id").as("asset_ids"), linked("pledge_pledgors", "pledgor").as("pledgors")]);
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
  const pledges = page.map((p) => ({
    pledgeId: p.pledge_id,
    status: PLEDGE_STATUSES[p.status],
    registrationNumber: p.registration_number,
    assets: p.asset_ids,
    pledgors: p.pledgors,
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
