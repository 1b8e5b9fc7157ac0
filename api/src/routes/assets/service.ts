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

export async function readAsset(registry: Registry, assetId: string) {
  const r = registry.assetRegister;
  const asset = await r.assetOf(assetId);
  if (asset.recordedAt === 0n) throw AppError.of("NOT_FOUND", `no asset ${assetId} in the register`, "assetId");
  const [officialNumber, holders, standing, history] = await Promise.all([
    r.officialNumberOf(assetId),
    r.holdersOf(assetId),
    r.standingOf(assetId),
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
    history,
  };
}

export const docOrZero = (hash?: string) => hash ?? ZeroHash;
