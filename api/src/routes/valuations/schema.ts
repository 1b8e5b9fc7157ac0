/** Valuation reports (SPEC §5) and the documents they are the hashes of: what the gateway takes and answers. */
import { z } from "zod";
import {
  MONEY_WORDS,
  address,
  currentToBlock,
  bytes32,
  calendarDate,
  dateOut,
  eventSchema,
  instantOut,
  money,
  moneyOut,
  proofSchema,
  text,
} from "../../openapi/schemas";
import { VALUATION_METHODS, VALUATION_VERDICTS } from "../../../../definitions/enumNames";

export { VALUATION_METHODS } from "../../../../definitions/enumNames";
/** In the order of the contract's ReportStatus enum. */
export const REPORT_STATUSES = ["None", "Anchored", "Revoked", "Superseded"] as const;
export const CURRENCIES = ["CNY"] as const;
export const BATCH_STATES = ["awaiting-signature", "anchored"] as const;
/** The register refuses a report covering more assets (ValuationRegistry.MAX_ASSETS_PER_REPORT). */
const MAX_ASSETS_PER_REPORT = 255;

const uint = z
  .union([z.string().regex(/^[0-9]{1,78}$/, "must be a whole number"), z.number().int().nonnegative()])
  .transform((v) => BigInt(v))
  .openapi({ type: "string", example: "170141183460469231731687303715884105727" });
const signature = z
  .string()
  .regex(/^0x([0-9a-fA-F]{2})+$/, "must be 0x-prefixed hex bytes")
  .openapi({ description: "the evaluator's EIP-712 signature (65 bytes, or an ERC-1271 wallet's)" });

/** The report as the evaluator states it; the evaluator itself is the calling organisation. */
const reportShape = {
  documentHash: bytes32.openapi({ description: "SHA-256 of the report file, uploaded first with POST /v1/documents" }),
  assetIds: z.array(bytes32).min(1).max(MAX_ASSETS_PER_REPORT),
  value: money
    .refine((v) => v > 0n, "must be more than zero")
    .openapi({ description: MONEY_WORDS, example: "2500000000" }),
  currency: z.enum(CURRENCIES),
  method: z.enum(VALUATION_METHODS),
  valuationDate: calendarDate.openapi({
    description: "calendar date YYYY-MM-DD, not in the future",
    example: "2026-06-30",
  }),
  validUntil: calendarDate.openapi({
    description: "calendar date YYYY-MM-DD: the report may be relied on up to 00:00:00 UTC of this day",
    example: "2027-06-30",
  }),
  supersedes: bytes32.nullish().openapi({ description: "documentHash of the evaluator's report this one replaces" }),
  uri: text({ max: 2048 }).optional().openapi({ description: "where the file can be fetched" }),
};

/** What the register would refuse as ReportInvalid, caught before anyone signs. */
const sensible = <T extends { assetIds: string[]; valuationDate: bigint; validUntil: bigint }>(
  report: T,
  ctx: z.RefinementCtx,
) => {
  if (new Set(report.assetIds).size !== report.assetIds.length) {
    ctx.addIssue({ code: "custom", path: ["assetIds"], message: "an asset is listed twice" });
  }
  if (report.validUntil < report.valuationDate) {
    ctx.addIssue({ code: "custom", path: ["validUntil"], message: "must not be before valuationDate" });
  }
};

export const reportFieldsBody = z.object(reportShape).superRefine(sensible).openapi("ValuationReportFields");
export type ReportFields = z.infer<typeof reportFieldsBody>;

/** A report sent back for anchoring: as the typed-data step returned it (its evaluator may be left out). */
const reportBody = z
  .object({ ...reportShape, evaluator: address.optional() })
  .superRefine(sensible)
  .openapi("ValuationReportInput");

const consentShape = {
  signature,
  nonce: uint.openapi({ description: "as in the typed data the evaluator signed" }),
  deadline: uint.openapi({ description: "as in the typed data the evaluator signed" }),
};
export const consentBody = z.object(consentShape).openapi("EvaluatorConsent");

export const anchorBody = z
  .object({
    report: reportBody,
    batch: z.boolean().optional().openapi({
      description: "queue the report for its evaluator's next batch instead (no signature: the batch's root is signed)",
    }),
    signature: consentShape.signature.optional(),
    nonce: consentShape.nonce.optional(),
    deadline: consentShape.deadline.optional(),
  })
  .superRefine((body, ctx) => {
    if (body.batch) {
      if (body.signature !== undefined) {
        ctx.addIssue({
          code: "custom",
          path: ["signature"],
          message: "a batched report is not signed alone: its evaluator signs the batch's root",
        });
      }
      return;
    }
    for (const field of ["signature", "nonce", "deadline"] as const) {
      if (body[field] === undefined) {
        ctx.addIssue({ code: "custom", path: [field], message: "is required unless batch is true" });
      }
    }
  })
  .openapi("AnchorValuation");

export const revokeBody = z
  .object({
    reason: text({ min: 1, max: 500 }).openapi({ example: "valuation method misapplied" }),
    signature: consentShape.signature.optional().openapi({ description: "the evaluator's; not for the registrar" }),
    nonce: consentShape.nonce.optional(),
    deadline: consentShape.deadline.optional(),
  })
  .openapi("RevokeValuation");
export const revocationTypedDataBody = z.object({ reason: revokeBody.shape.reason }).openapi("RevocationReason");

export const documentHashParams = z.object({ documentHash: bytes32 });
export const rootParams = z.object({ root: bytes32 });
export const batchesQuery = z.object({ state: z.enum(BATCH_STATES).optional() });

/** The report in API form: money as a decimal string, dates in ISO 8601, the method by name. */
export const reportSchema = z
  .object({
    documentHash: z.string(),
    evaluator: z.string(),
    assetIds: z.array(z.string()),
    value: moneyOut,
    currency: z.string().openapi({ description: "ISO 4217", example: "CNY" }),
    method: z.enum(VALUATION_METHODS),
    valuationDate: dateOut,
    validUntil: dateOut,
    supersedes: z.string().nullable(),
    uri: z.string(),
  })
  .openapi("ValuationReport");
export type ReportView = z.infer<typeof reportSchema>;

export const typedDataSchema = z
  .object({
    domain: z.object({
      name: z.string(),
      version: z.string(),
      chainId: z.number().int(),
      verifyingContract: z.string(),
    }),
    types: z.record(z.string(), z.array(z.object({ name: z.string(), type: z.string() }))),
    primaryType: z.string(),
    message: z.record(z.string(), z.unknown()),
  })
  .openapi("TypedData", {
    description: "EIP-712 typed data for the evaluator's own wallet: signTypedData(domain, types, message)",
  });

export const typedDataResultSchema = z
  .object({ report: reportSchema, typedData: typedDataSchema })
  .openapi("ValuationTypedData");
export const revocationTypedDataSchema = z.object({ typedData: typedDataSchema }).openapi("RevocationTypedData");

export const writeResultSchema = z
  .object({ documentHash: z.string(), proof: proofSchema })
  .openapi("ValuationWriteResult");
export const queuedResultSchema = z
  .object({
    documentHash: z.string(),
    state: z.enum(["queued", "awaiting-signature"]),
    root: z.string().nullable().openapi({ description: "set once the batch is sealed" }),
  })
  .openapi("ValuationQueued");

export const documentSchema = z.object({ documentHash: z.string(), bytes: z.number().int() }).openapi("StoredDocument");
export const DOCUMENT_STATES = ["anchored", "anchored-in-batch", "awaiting-signature", "queued", "stored"] as const;
export const documentAnchoringSchema = z
  .object({
    documentHash: z.string(),
    state: z.enum(DOCUMENT_STATES).openapi({
      description:
        "anchored: the register records it (proof); anchored-in-batch: its batch's root is anchored, the report not " +
        "materialised; awaiting-signature: in a sealed batch whose root the evaluator has not signed; queued: in the " +
        "evaluator's next batch; stored: kept, not anchored (its anchoring never came)",
    }),
    batchRoot: z.string().nullable(),
    proof: proofSchema.nullable(),
  })
  .openapi("DocumentAnchoring");
export const binary = z.string().openapi({ type: "string", format: "binary" });

export const reportViewSchema = z
  .object({
    documentHash: z.string(),
    source: z.literal("register"),
    anchored: z.literal(true),
    evaluator: z.string(),
    status: z.enum(REPORT_STATUSES),
    verdict: z.enum(VALUATION_VERDICTS).openapi({
      description: "verdictFor(the report's own assets) now: what a pledge application relying on it would get",
    }),
    validUntil: dateOut,
    anchoredAt: instantOut,
    batchRoot: z.string().nullable(),
    supersededBy: z.string().nullable(),
    report: reportSchema.openapi({ description: "as its ReportAnchored event carries it" }),
    proof: proofSchema.openapi({ description: "the transaction that recorded it (anchored or materialised)" }),
    history: z.array(eventSchema),
    currentToBlock,
  })
  .openapi("ValuationReportRecord");
export const notAnchoredSchema = z
  .object({
    documentHash: z.string(),
    anchored: z.literal(false),
    batch: z
      .object({ root: z.string().nullable(), anchored: z.boolean() })
      .nullable()
      .openapi({ description: "this gateway queued it in a batch: materialise it once the batch is anchored" }),
  })
  .openapi("ValuationNotAnchored");
export const verifyResultSchema = z.union([reportViewSchema, notAnchoredSchema]).openapi("ValuationCheck");

export const batchSchema = z
  .object({
    root: z.string(),
    evaluator: z.string(),
    state: z.enum(BATCH_STATES),
    reportCount: z.number().int(),
    documentHashes: z.array(z.string()),
    sealedAt: z.string().openapi({ format: "date-time", description: "instant, ISO 8601 in UTC" }),
    typedData: typedDataSchema.nullable().openapi({ description: "BatchAnchoring, while awaiting the signature" }),
    anchoring: proofSchema.nullable(),
  })
  .openapi("ValuationBatch");
export const batchListSchema = z.object({ batches: z.array(batchSchema) }).openapi("ValuationBatches");
export const batchAnchoredSchema = z
  .object({ root: z.string(), reportCount: z.number().int(), proof: proofSchema })
  .openapi("ValuationBatchAnchored");

/** The report exactly as the ValuationRegistry ABI takes it (struct ValuationReport): no conversion needed. */
export const contractReportSchema = z
  .object({
    documentHash: z.string().openapi({ description: "bytes32" }),
    evaluator: z.string().openapi({ description: "address" }),
    assetIds: z.array(z.string()).openapi({ description: "bytes32[]" }),
    value: z.string().openapi({ description: "uint256: integer string in the currency's smallest unit" }),
    currency: z.string().openapi({ description: "bytes3: the ISO 4217 letters in UTF-8, e.g. 0x434e59 for CNY" }),
    method: z.number().int().openapi({ description: "uint8: index in enums.ValuationMethod of GET /v1/contracts" }),
    valuationDate: z.string().openapi({ description: "uint40: Unix seconds, as a decimal string" }),
    validUntil: z.string().openapi({ description: "uint40: Unix seconds, as a decimal string" }),
    supersedes: z.string().openapi({ description: "bytes32, zero when it supersedes nothing" }),
    uri: z.string(),
  })
  .openapi("ValuationReportContractForm");
export type ContractReport = z.infer<typeof contractReportSchema>;

export const verifyInBatchSchema = z
  .object({ root: z.string(), report: contractReportSchema, proof: z.array(z.string()) })
  .openapi("VerifyInBatchArguments", {
    description:
      "The arguments of ValuationRegistry.verifyInBatch(root, report, proof) (and of materialise) as the ABI " +
      "takes them: pass them as they are, e.g. registry.verifyInBatch(a.root, a.report, a.proof) in ethers",
  });

export const batchProofSchema = z
  .object({
    documentHash: z.string(),
    state: z.enum(["queued", ...BATCH_STATES]),
    root: z.string().nullable(),
    proof: z.array(z.string()).openapi({ description: "Merkle path from the report's leaf to the root (bytes32[])" }),
    anchored: z.boolean().openapi({ description: "whether the evaluator's batch under this root is on chain" }),
    report: reportSchema,
    verifyInBatch: verifyInBatchSchema.nullable().openapi({ description: "null while the report is queued" }),
  })
  .openapi("ValuationBatchProof");

/** A report in a sealed batch of this gateway that nobody has materialised in the register yet. */
export const batchedReportSchema = z
  .object({
    documentHash: z.string(),
    source: z.literal("batch"),
    anchored: z.boolean().openapi({
      description: "whether the batch's root is on chain: the report is then proven by verifyInBatch",
    }),
    materialised: z.literal(false),
    batch: z.object({
      root: z.string(),
      evaluator: z.string(),
      state: z.enum(BATCH_STATES),
      anchoring: proofSchema.nullable(),
    }),
    report: reportSchema,
    verifyInBatch: verifyInBatchSchema,
  })
  .openapi("ValuationBatchedReport");
