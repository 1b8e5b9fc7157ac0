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
    history: z.array(eventSchema.extend({ at: instantOut })).openapi({
      description: "the asset's events, each with its block's time (`at`); dates, instants and enums in API form",
    }),
    currentToBlock,
  })
  .openapi("Asset");

export const writeResultSchema = z.object({ assetId: z.string(), proof: proofSchema }).openapi("AssetWriteResult");

/** GET /assets/search: the register's assets, newest first, optionally by kind, status and part of the number. */
export const assetSearchQuery = z.object({
  q: text({ max: 64 })
    .optional()
    .openapi({ description: "part of the official number (case-insensitive)", example: "ZL2021" }),
  kind: z.enum(ASSET_KINDS).optional(),
  status: z.enum(ASSET_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50).openapi({ description: "assets per page (1–500)" }),
  cursor: z
    .string()
    .regex(/^[0-9]{1,20}:0x[0-9a-f]{64}$/, "must be the nextCursor of the previous page")
    .optional()
    .openapi({ description: "the previous page's `nextCursor`; absent: the first page" }),
});

export const assetListSchema = z
  .object({
    assets: z.array(
      z.object({
        assetId: z.string(),
        kind: z.enum(ASSET_KINDS),
        officialNumber: z.string(),
        status: z.enum(ASSET_STATUSES),
        invalidationPending: z.boolean(),
        freeze: z.enum(FREEZE_KINDS),
        expiryDate: dateOut,
        feesPaidUntil: dateOut,
        holders: z.number().int().openapi({ description: "how many holders (co-owners) the asset has" }),
        recordedBlock: z.number().int(),
      }),
    ),
    nextCursor: z.string().nullable(),
    currentToBlock,
  })
  .openapi("AssetList");
