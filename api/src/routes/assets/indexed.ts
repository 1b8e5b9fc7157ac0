/**
 * The asset register read from the index (indexer/): the record, holders and history as the events left them. The
 * standing, which depends on the chain's clock (expiry, annual fees paid until now), is judged at the time of the
 * index's head block (`standingAt`), as `standingOf` judged it in that block.
 */
import { AbiCoder, keccak256 } from "ethers";
import { sql } from "kysely";
import { AppError } from "../../errors/AppError";
import { inApiForm } from "../../chain/events";
import type { Registry } from "../../chain/registry";
import type { GatewayIndex } from "../../indexer/gatewayIndex";
import { blockTime, indexedEvents } from "../../indexer/reads";
import { dateOf, isoOf } from "../../openapi/schemas";
import { ASSET_KINDS, ASSET_STATUSES, FREEZE_KINDS, STANDING } from "./schema";

export const ASSET_EVENTS = [
  "AssetRecorded",
  "HoldersRecorded",
  "AssetTermRecorded",
  "AnnualFeesRecorded",
  "AssetStatusRecorded",
  "InvalidationProceedingsRecorded",
  "FreezeRecorded",
] as const;

/** The register's asset id for a kind and official number (IPAssetRegister.assetIdOf, computed here). */
export const localAssetIdOf = (kind: (typeof ASSET_KINDS)[number], officialNumber: string) =>
  keccak256(AbiCoder.defaultAbiCoder().encode(["uint8", "string"], [ASSET_KINDS.indexOf(kind), officialNumber]));

/** Kinds whose holders pay annual fees (AssetStanding.paysAnnualFees). */
const PAYS_ANNUAL_FEES = new Set<number>(
  (["InventionPatent", "UtilityModel", "Design", "PlantVariety"] as const).map((k) => ASSET_KINDS.indexOf(k)),
);

/** What the standing is judged on: the asset's row as the index holds it. */
export interface StandingInputs {
  kind: number;
  status: number;
  freeze_kind: number;
  expiry_date: string | number;
  fees_paid_until: string | number;
}

/**
 * `IPAssetRegister.standingOf` at unix time `now` (AssetStanding.firstProblem): the first of SPEC §4.2 rules 2–5
 * the asset fails, or IN_GOOD_STANDING. Judged from the index at its head block's time instead of asking the chain.
 */
export function standingAt(asset: StandingInputs, now: bigint): (typeof STANDING)[number] {
  const status = ASSET_STATUSES[asset.status];
  const expiry = BigInt(asset.expiry_date);
  if (status === "Lapsed" || status === "Invalidated" || (expiry !== 0n && expiry <= now)) return "ASSET_NOT_IN_FORCE";
  if (status === "Applied") return "ASSET_NOT_GRANTED";
  if (status === "Granted" && PAYS_ANNUAL_FEES.has(asset.kind) && BigInt(asset.fees_paid_until) < now) {
    return "ANNUAL_FEE_UNPAID";
  }
  if (FREEZE_KINDS[asset.freeze_kind] !== "None") return "ASSET_FROZEN";
  return "IN_GOOD_STANDING";
}

/** The index's head time, the "now" of a standing or verdict read from the index. */
export async function indexNow(index: GatewayIndex): Promise<bigint> {
  const now = await index.headTime();
  if (now === undefined) throw AppError.of("INDEX_BEHIND", "the read model holds no block yet; try again shortly");
  return now;
}

/** The asset's row; 404 when the index has no such asset. */
export async function indexedAssetRow(index: GatewayIndex, assetId: string) {
  const asset = await index.db.selectFrom("assets").selectAll().where("asset_id", "=", assetId).executeTakeFirst();
  if (!asset) throw AppError.of("NOT_FOUND", `no asset ${assetId} in the register`, "assetId");
  return asset;
}

/** The record as `readAssetRecord` answers it, from the index and one chain call (the standing). */
export async function readIndexedAssetRecord(index: GatewayIndex, registry: Registry, assetId: string) {
  const [asset, holders] = await Promise.all([
    indexedAssetRow(index, assetId),
    index.db
      .selectFrom("asset_holders")
      .select(["holder", "share_bps"])
      .where("asset_id", "=", assetId)
      .orderBy("position")
      .execute(),
  ]);
  const recorded = await index.db
    .selectFrom("events")
    .select("block_hash")
    .where("block_number", "=", asset.recorded_block)
    .where("name", "=", "AssetRecorded")
    .where(sql<string>`args->>'assetId'`, "=", assetId)
    .executeTakeFirstOrThrow();
  const [now, recordedAt] = await Promise.all([
    indexNow(index),
    blockTime(index.db, index.model.rpc, recorded.block_hash),
  ]);
  return {
    assetId,
    kind: ASSET_KINDS[asset.kind],
    officialNumber: asset.official_number,
    status: ASSET_STATUSES[asset.status],
    standing: standingAt(asset, now),
    invalidationPending: asset.invalidation_pending,
    freeze: FREEZE_KINDS[asset.freeze_kind],
    grantDate: dateOf(BigInt(asset.grant_date)),
    expiryDate: dateOf(BigInt(asset.expiry_date)),
    feesPaidUntil: dateOf(BigInt(asset.fees_paid_until)),
    recordedAt: isoOf(recordedAt),
    holders: holders.map((h) => ({ address: h.holder, shareBps: h.share_bps })),
  };
}

/** An asset's timeline: the record and every event about it, from the index. */
export async function readIndexedAsset(index: GatewayIndex, registry: Registry, assetId: string) {
  const [record, history] = await Promise.all([
    readIndexedAssetRecord(index, registry, assetId),
    indexedEvents(index.db, registry.deployment, [
      { contract: "assetRegister", names: ASSET_EVENTS, arg: "assetId", values: [assetId] },
    ]),
  ]);
  return { ...record, history: history.map(inApiForm) };
}

export interface AssetSearch {
  q?: string;
  kind?: (typeof ASSET_KINDS)[number];
  status?: (typeof ASSET_STATUSES)[number];
  /** `${recordedBlock}:${assetId}` of the previous page's last asset (pages run newest first). */
  cursor?: string;
  limit: number;
}

/** One page of the register's assets, newest first, matching every filter given; the next page's cursor or null. */
export async function searchIndexedAssets(index: GatewayIndex, search: AssetSearch) {
  let query = index.db
    .selectFrom("assets")
    .select([
      "asset_id",
      "kind",
      "official_number",
      "status",
      "invalidation_pending",
      "freeze_kind",
      "expiry_date",
      "fees_paid_until",
      "recorded_block",
      sql<number>`(select count(*) from asset_holders h where h.asset_id = assets.asset_id)::int`.as("holders"),
    ]);
  if (search.q) {
    // A LIKE pattern of the typed text, its own % and _ taken literally.
    const literal = search.q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`);
    query = query.where(sql<string>`lower(official_number)`, "like", `%${literal}%`);
  }
  if (search.kind) query = query.where("kind", "=", ASSET_KINDS.indexOf(search.kind));
  if (search.status) query = query.where("status", "=", ASSET_STATUSES.indexOf(search.status));
  if (search.cursor) {
    const [block, assetId] = search.cursor.split(":");
    query = query.where((eb) =>
      eb.or([
        eb("recorded_block", "<", block),
        eb.and([eb("recorded_block", "=", block), eb("asset_id", ">", assetId)]),
      ]),
    );
  }
  const rows = await query
    .orderBy("recorded_block", "desc")
    .orderBy("asset_id")
    .limit(search.limit + 1)
    .execute();
  const page = rows.slice(0, search.limit);
  const last = page.at(-1);
  return {
    assets: page.map((a) => ({
      assetId: a.asset_id,
      kind: ASSET_KINDS[a.kind],
      officialNumber: a.official_number,
      status: ASSET_STATUSES[a.status],
      invalidationPending: a.invalidation_pending,
      freeze: FREEZE_KINDS[a.freeze_kind],
      expiryDate: dateOf(BigInt(a.expiry_date)),
      feesPaidUntil: dateOf(BigInt(a.fees_paid_until)),
      holders: Number(a.holders),
      recordedBlock: Number(a.recorded_block),
    })),
    nextCursor: rows.length > search.limit && last ? `${last.recorded_block}:${last.asset_id}` : null,
  };
}

/** The time of each block an event is in: from the index's blocks (and its cache of times), else from the chain. */
export async function blockTimesOf(registry: Registry, index: GatewayIndex | undefined, blocks: number[]) {
  const unique = [...new Set(blocks)];
  const hashes = index
    ? await index.db
        .selectFrom("indexed_blocks")
        .select(["number", "hash"])
        .where("number", "in", unique.length ? unique.map(String) : ["-1"])
        .execute()
    : [];
  const hashOf = new Map(hashes.map((b) => [Number(b.number), b.hash]));
  const times = await Promise.all(
    unique.map(async (n) => {
      const hash = hashOf.get(n);
      if (index && hash) return blockTime(index.db, index.model.rpc, hash);
      const block = await registry.provider.getBlock(n);
      return block ? BigInt(block.timestamp) : null;
    }),
  );
  return new Map(unique.map((n, i) => [n, times[i]]));
}
