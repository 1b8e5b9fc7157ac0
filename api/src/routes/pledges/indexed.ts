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
import { disposalView, failureView, lossSharingView, pledgePage, proofOf } from "./service";

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

/** The time of an indexed block (one that holds an event of the index), as the chain's clock had it. */
async function indexedBlockTime(index: GatewayIndex, blockNumber: number) {
  const block = await index.db
    .selectFrom("indexed_blocks")
    .select("hash")
    .where("number", "=", String(blockNumber))
    .executeTakeFirstOrThrow();
  return blockTime(index.db, index.model.rpc, block.hash);
}

/** The calendar year (China Standard Time) of an instant, as LossSharing files a loss under it (CalendarYear.sol). */
const cstYear = (seconds: bigint) => BigInt(new Date((Number(seconds) + 8 * 3_600) * 1_000).getUTCFullYear());

/**
 * The pledge page (GET /v1/pledges/{id}) from the index: the pledge's row and links, its events (and its loss split's)
 * and their blocks' times — the instants the registry stores are those blocks' times (submittedAt: the application,
 * closedAt: the refusal, withdrawal, release or default, disposedAt: the disposal), the year of a loss split the
 * year (CST) of its block.
 */
export async function readIndexedPledge(index: GatewayIndex, registry: Registry, pledgeId: bigint) {
  const id = pledgeId.toString();
  const db = index.db;
  const row = await db.selectFrom("pledges").selectAll().where("pledge_id", "=", id).executeTakeFirst();
  if (!row) throw AppError.of("NOT_FOUND", `no pledge ${pledgeId}`, "pledgeId");
  const [assets, pledgors, history] = await Promise.all([
    db.selectFrom("pledge_assets").select("asset_id").where("pledge_id", "=", id).orderBy("position").execute(),
    db.selectFrom("pledge_pledgors").select("pledgor").where("pledge_id", "=", id).orderBy("position").execute(),
    indexedPledgeEvents(index, registry, [id]),
  ]);
  const timeOf = async (event: ChainEvent | undefined) =>
    event ? indexedBlockTime(index, event.blockNumber) : Promise.resolve(0n);
  const named = (name: string) => history.find((e) => e.event === name);
  const closing = history.find((e) =>
    ["PledgeRefused", "PledgeWithdrawn", "PledgeReleased", "PledgeEnforced"].includes(e.event),
  );
  const disposed = named("PledgeDisposed");
  const allocated = history.find((e) => e.event === "LossAllocated" && e.contract !== "PledgeRegistry");
  const [submittedAt, closedAt, disposedAt, allocatedAt] = await Promise.all(
    [named("PledgeApplied"), closing, disposed, allocated].map(timeOf),
  );
  const d = row.disposal as {
    method: number;
    proceeds: string;
    transferee: string;
    loss: string;
    evidenceHash: string;
  };
  let lossSharing = null;
  if (allocated) {
    const schemeId = String(allocated.args.schemeId);
    const [created] = await indexedEvents(db, registry.deployment, [
      { contract: "lossSharing", names: ["SchemeCreated"], arg: "schemeId", values: [schemeId] },
    ]);
    const parties = (created?.args.parties ?? []) as { name: string }[];
    const shares = history.filter((e) => e.event === "LossShareRecorded");
    lossSharing = lossSharingView(
      registry,
      {
        schemeId: BigInt(schemeId),
        year: cstYear(allocatedAt),
        loss: BigInt(allocated.args.loss as string),
        bankShare: BigInt(allocated.args.bankShare as string),
        partyShares: parties.map((_, i) =>
          BigInt((shares.find((e) => Number(e.args.partyIndex) === i)?.args.amount as string) ?? 0),
        ),
      },
      parties,
    );
  }
  return pledgePage(registry, {
    pledgeId,
    pledge: {
      status: row.status,
      registrationNumber: BigInt(row.registration_number ?? 0),
      pledgee: row.pledgee,
      debtor: row.debtor,
      principal: BigInt(row.principal),
      currency: row.currency,
      startDate: BigInt(row.start_date),
      maturityDate: BigInt(row.maturity_date),
      contractHash: row.contract_hash,
      valuationReportId: row.valuation_report_id,
      riskScheme: row.risk_scheme,
      invalidationAcknowledged: row.invalidation_acknowledged,
      submittedAt,
      registeredAt: BigInt(row.registered_at ?? 0),
      closedAt,
    },
    assets: assets.map((a) => a.asset_id),
    pledgors: pledgors.map((p) => p.pledgor),
    history,
    disposal:
      d && disposed
        ? disposalView({
            method: d.method,
            disposedAt,
            transferee: d.transferee,
            proceeds: BigInt(d.proceeds),
            loss: BigInt(d.loss),
            evidenceHash: d.evidenceHash,
          })
        : null,
    lossSharing,
  });
}
