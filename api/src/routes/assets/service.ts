/** Reads and writes of the IP asset register. */
import { ZeroHash } from "ethers";
import { AppError } from "../../errors/AppError";
import { historyOf, inApiForm } from "../../chain/events";
import type { Registry } from "../../chain/registry";
import { dateOf, isoOf } from "../../openapi/schemas";
import { ASSET_KIND_WORDS } from "../../../../definitions/enumNames";
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
    grantDate: dateOf(asset.grantDate),
    expiryDate: dateOf(asset.expiryDate),
    feesPaidUntil: dateOf(asset.feesPaidUntil),
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
  return { ...record, history: history.map(inApiForm) };
}

export const docOrZero = (hash?: string) => hash ?? ZeroHash;

/** How long an error message may wait to name an asset before it falls back to the asset's id. */
const NAMING_TIMEOUT_MS = 1_500;

/** "invention patent ZL202110012345.6", as a clerk names an asset; undefined if unknown or not told in time. */
export async function assetNameOf(registry: Registry, assetId: string): Promise<string | undefined> {
  const r = registry.assetRegister;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => (timer = setTimeout(resolve, NAMING_TIMEOUT_MS, undefined)));
  const lookup = Promise.all([r.assetOf(assetId), r.officialNumberOf(assetId)]).then(([asset, officialNumber]) =>
    asset.recordedAt === 0n ? undefined : `${ASSET_KIND_WORDS[Number(asset.kind)]} ${officialNumber}`,
  );
  try {
    return await Promise.race([lookup, late]);
  } finally {
    clearTimeout(timer);
  }
}
