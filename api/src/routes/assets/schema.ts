/** IP assets (SPEC §3): what the registrar records and what anyone reads. */
import { z } from "zod";
import {
  address,
  bytes32,
  calendarDate,
  currentToBlock,
  dateOut,
  eventSchema,
  instantOut,
  proofSchema,
  text,
} from "../../openapi/schemas";

export { ASSET_KINDS, ASSET_STATUSES, FREEZE_KINDS, STANDING } from "../../../../definitions/enumNames";
import { ASSET_KINDS, ASSET_STATUSES, FREEZE_KINDS } from "../../../../definitions/enumNames";

const holder = z.object({ address, shareBps: z.number().int().min(1).max(10_000) });
const documentHash = bytes32.optional().openapi({ description: "SHA-256 of the office's decision document" });

export const recordAssetBody = z
  .object({
    kind: z.enum(ASSET_KINDS),
    officialNumber: text({ min: 1, max: 64 }).openapi({ example: "ZL202110012345.6" }),
    holders: z.array(holder).min(1).max(16),
    grantDate: calendarDate
      .optional()
      .openapi({ description: "calendar date YYYY-MM-DD; absent while only applied for", example: "2024-01-01" }),
    expiryDate: calendarDate.optional().openapi({ example: "2041-01-05" }),
    feesPaidUntil: calendarDate.optional().openapi({ example: "2027-01-05" }),
    documentHash,
  })
  .openapi("RecordAsset");

export const assetIdParams = z.object({ assetId: bytes32 });
export const lookupQuery = z.object({ kind: z.enum(ASSET_KINDS), officialNumber: text({ min: 1, max: 64 }) });

export const annualFeesBody = z.object({ paidUntil: calendarDate, documentHash }).openapi("AnnualFees");
export const statusBody = z.object({ status: z.enum(ASSET_STATUSES), documentHash }).openapi("AssetStatusChange");
export const termBody = z
  .object({ grantDate: calendarDate, expiryDate: calendarDate.optional(), documentHash })
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
    grantDate: dateOut,
    expiryDate: dateOut,
    feesPaidUntil: dateOut,
    recordedAt: instantOut,
    holders: z.array(z.object({ address: z.string(), shareBps: z.number() })),
    history: z.array(eventSchema).openapi({ description: "the asset's events; dates, instants and enums in API form" }),
    currentToBlock,
  })
  .openapi("Asset");

export const writeResultSchema = z.object({ assetId: z.string(), proof: proofSchema }).openapi("AssetWriteResult");
