/** Reads and writes of the IP asset register. */
import { ZeroHash } from "ethers";
import { AppError } from "../../errors/AppError";
import { historyOf } from "../../chain/events";
import type { Registry } from "../../chain/registry";
import { isoOf } from "../../openapi/schemas";
import { ASSET_KINDS, ASSET_STATUSES, FREEZE_KINDS, STANDING } from "./schema";

export async function assetIdOf(registry: Registry, kind: (typeof ASSET_KINDS)[number], officialNumber: string) {
  return (await registry.assetRegister.assetIdOf(ASSET_KINDS.indexOf(kind), officialNumber)).toLowerCase();
}

/** An asset's record as the register keeps it now (404 if it is not in the register). */
export async function readAssetRecord(registry: Registry, assetId: string) {
  const r = registry.assetRegister;
  const asset = await r.assetOf(assetId);
  if (asset.recordedAt === 0n) throw AppError.of("NOT_FOUND", `no asset ${assetId} in the register`, "assetId");
  const [officialNumber, holders, standing] = await Promise.all([
    r.officialNumberOf(assetId),
    r.holdersOf(assetId),
    r.standingOf(assetId),
  ]);
  return {
    assetId,
    kind: ASSET_KINDS[Number(asset.kind)],
    officialNumber,
    status: ASSET_STATUSES[Number(asset.status)],
    standing: STANDING[Number(standing)],
    invalidationPending: asset.invalidationPending,
    freeze: FREEZE_KINDS[Number(asset.freeze)],
    grantDate: isoOf(asset.grantDate),
    expiryDate: isoOf(asset.expiryDate),
    feesPaidUntil: isoOf(asset.feesPaidUntil),
    recordedAt: isoOf(asset.recordedAt),
    holders: holders.map((h) => ({ address: h.holder, shareBps: Number(h.shareBps) })),
  };
}

/** The record and its full history, rebuilt from the register's events. */
export async function readAsset(registry: Registry, assetId: string) {
  const r = registry.assetRegister;
  const [record, history] = await Promise.all([
    readAssetRecord(registry, assetId),
    historyOf(r, "IPAssetRegister", [
      r.filters.AssetRecorded(assetId),
      r.filters.HoldersRecorded(assetId),
      r.filters.AssetTermRecorded(assetId),
      r.filters.AnnualFeesRecorded(assetId),
      r.filters.AssetStatusRecorded(assetId),
      r.filters.InvalidationProceedingsRecorded(assetId),
      r.filters.FreezeRecorded(assetId),
    ]),
  ]);
  return { ...record, history };
}

export const docOrZero = (hash?: string) => hash ?? ZeroHash;
