/** IP assets (SPEC §3): what the registrar records and what anyone reads. */
import { z } from "zod";
import { address, bytes32, eventSchema, instant, proofSchema } from "../../openapi/schemas";

export { ASSET_KINDS, ASSET_STATUSES, FREEZE_KINDS, STANDING } from "../../chain/names";
import { ASSET_KINDS, ASSET_STATUSES, FREEZE_KINDS } from "../../chain/names";

const holder = z.object({ address, shareBps: z.number().int().min(1).max(10_000) });
const documentHash = bytes32.optional().openapi({ description: "SHA-256 of the office's decision document" });

export const recordAssetBody = z
  .object({
    kind: z.enum(ASSET_KINDS),
    officialNumber: z.string().trim().min(1).max(64).openapi({ example: "ZL202110012345.6" }),
    holders: z.array(holder).min(1).max(16),
    grantDate: instant.optional().openapi({ description: "absent while only applied for" }),
    expiryDate: instant.optional(),
    feesPaidUntil: instant.optional(),
    documentHash,
  })
  .openapi("RecordAsset");

export const assetIdParams = z.object({ assetId: bytes32 });
export const lookupQuery = z.object({ kind: z.enum(ASSET_KINDS), officialNumber: z.string().trim().min(1).max(64) });

export const annualFeesBody = z.object({ paidUntil: instant, documentHash }).openapi("AnnualFees");
export const statusBody = z.object({ status: z.enum(ASSET_STATUSES), documentHash }).openapi("AssetStatusChange");
export const termBody = z
  .object({ grantDate: instant, expiryDate: instant.optional(), documentHash })
  .openapi("AssetTerm");
export const freezeBody = z.object({ freeze: z.enum(FREEZE_KINDS), documentHash }).openapi("Freeze");
export const invalidationBody = z.object({ pending: z.boolean(), documentHash }).openapi("InvalidationProceedings");
export const holdersBody = z.object({ holders: z.array(holder).min(1).max(16), documentHash }).openapi("Holders");

export const assetSchema = z
  .object({
    assetId: z.string(),
    kind: z.enum(ASSET_KINDS),
    officialNumber: z.string(),
    status: z.enum(ASSET_STATUSES),
    standing: z.string().openapi({ description: "IN_GOOD_STANDING, or the first reason it could not back a pledge" }),
    invalidationPending: z.boolean(),
    freeze: z.enum(FREEZE_KINDS),
    grantDate: z.string().nullable(),
    expiryDate: z.string().nullable(),
    feesPaidUntil: z.string().nullable(),
    recordedAt: z.string().nullable(),
    holders: z.array(z.object({ address: z.string(), shareBps: z.number() })),
    history: z.array(eventSchema),
  })
  .openapi("Asset");

export const writeResultSchema = z.object({ assetId: z.string(), proof: proofSchema }).openapi("AssetWriteResult");
