/**
 * Pledges (SPEC §4): applications the bank prepares and the parties co-sign, the registrar's queue and decisions, the
 * pledge as anyone reads it, and the parties' later steps (release, default, disposal, change, withdrawal).
 */
import { z } from "zod";
import { REASON_CODES } from "../../../../definitions/reasons";
import {
  address,
  bytes32,
  calendarDate,
  currentToBlock,
  dateOut,
  eventSchema,
  instantOut,
  money,
  moneyOut,
  proofSchema,
  text,
} from "../../openapi/schemas";
import { DISPOSAL_METHODS, PLEDGE_STATUSES } from "../../../../definitions/enumNames";

export { DISPOSAL_METHODS };
export const SIGNER_ROLES = ["pledgor", "pledgee", "newPledgee"] as const;
export type SignerRole = (typeof SIGNER_ROLES)[number];

/** A whole number up to 2^256 − 1 (nonces, deadlines), as a decimal string so that no precision is lost. */
const uint256 = z
  .union([z.string().regex(/^[0-9]{1,78}$/, "must be a whole number"), z.number().int().nonnegative()])
  .transform((v) => BigInt(v))
  .refine((v) => v < 2n ** 256n, "must fit in 256 bits")
  .openapi({ type: "string", example: "16045690984833335023" });

const signature = z
  .string()
  .regex(/^0x([0-9a-fA-F]{2}){1,1024}$/, "must be 0x-prefixed hex bytes")
  .openapi({ description: "EIP-712 signature (65-byte ECDSA, or whatever an ERC-1271 wallet accepts)" });

const positiveMoney = money.refine((v) => v > 0n, "must be more than zero");

export const pledgeIdParams = z.object({
  pledgeId: z
    .string()
    .regex(/^[1-9][0-9]{0,30}$/, "must be a pledge number")
    .transform((s) => BigInt(s))
    .openapi({ type: "string", example: "1" }),
});
export const draftIdParams = z.object({
  draftId: z
    .string()
    .regex(/^[0-9a-f]{32}$/, "must be a draft id (32 hex digits)")
    .openapi({ example: "3f2a9c0d4b1e4e8fa0c1d2e3f4a5b6c7" }),
});

// ───────────── applications ─────────────

export const applicationBody = z
  .object({
    assets: z.array(bytes32).min(1).max(32).openapi({ description: "asset ids (GET /v1/assets finds them)" }),
    pledgors: z.array(address).min(1).max(16).openapi({ description: "every holder of every asset must sign" }),
    debtor: text({ min: 1, max: 31 })
      .refine((s) => Buffer.byteLength(s, "utf8") <= 31, "must be at most 31 bytes (it is kept as a bytes32 string)")
      .openapi({ example: "91440101MA5CXYZ12K", description: "e.g. the unified social credit code" }),
    principal: positiveMoney,
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, "must be an ISO 4217 code")
      .default("CNY"),
    startDate: calendarDate,
    maturityDate: calendarDate,
    contractHash: bytes32.openapi({ description: "SHA-256 of the signed pledge contract" }),
    valuationReportId: bytes32.openapi({ description: "SHA-256 of the valuation report file" }),
    riskScheme: z
      .string()
      .regex(/^[a-z0-9-]{1,32}$/)
      .optional()
      .openapi({ example: "zhongshan", description: "risk-compensation scheme; absent = none" }),
    forfeitureClause: z.boolean().openapi({ description: "the contract lets the IP fall to the pledgee if unpaid" }),
    invalidationAcknowledged: z
      .boolean()
      .openapi({ description: "the parties knowingly pledge an asset under invalidation proceedings" }),
  })
  .refine((b) => b.maturityDate > b.startDate, { message: "must be after startDate", path: ["maturityDate"] })
  .openapi("PledgeApplication");
export type ApplicationInput = z.infer<typeof applicationBody>;

export const termsSchema = z
  .object({
    assets: z.array(z.string()),
    pledgors: z.array(z.string()),
    pledgee: z.string(),
    debtor: z.string(),
    principal: moneyOut,
    currency: z.string(),
    startDate: dateOut,
    maturityDate: dateOut,
    contractHash: z.string(),
    valuationReportId: z.string(),
    riskScheme: z.string().nullable(),
    forfeitureClause: z.boolean(),
    invalidationAcknowledged: z.boolean(),
  })
  .openapi("PledgeTerms");

export const typedDataSchema = z
  .object({
    domain: z.object({
      name: z.string(),
      version: z.string(),
      chainId: z.number(),
      verifyingContract: z.string(),
    }),
    types: z.record(z.string(), z.array(z.object({ name: z.string(), type: z.string() }))),
    primaryType: z.string(),
    message: z.record(z.string(), z.unknown()),
  })
  .openapi("TypedData", {
    description:
      "EIP-712 typed data, ready for ethers `signTypedData(domain, types, message)` (add EIP712Domain to `types` " +
      "for eth_signTypedData_v4). Numbers are decimal strings.",
  });

export const signingRequestSchema = z
  .object({ address: z.string(), role: z.enum(SIGNER_ROLES), typedData: typedDataSchema })
  .openapi("SigningRequest", { description: "What one party signs with its own wallet: its own nonce and deadline." });

export const failureSchema = z
  .object({
    reason: z.enum(REASON_CODES).openapi({ example: "CO_OWNER_CONSENT_MISSING" }),
    assetId: z.string().nullable(),
    party: z.string().nullable(),
    detail: z
      .string()
      .nullable()
      .openapi({
        description:
          "what the rule found, in API form: the fees-paid-until or expiry date (YYYY-MM-DD), the freeze or the " +
          "valuation verdict by name, the blocking pledge id, the nonce, the signature's deadline (ISO 8601); null " +
          "when the rule has nothing to show",
      }),
    message: z
      .string()
      .openapi({ description: "what failed, in words (the message a submission would be refused with)" }),
  })
  .openapi("RuleFailure");

export const draftSchema = z
  .object({
    draftId: z.string(),
    createdBy: z.string(),
    terms: termsSchema,
    signers: z.array(signingRequestSchema.extend({ signed: z.boolean() })),
    preflight: z.array(failureSchema).openapi({ description: "every rule the application would fail now" }),
    pledgeId: z.string().nullable().openapi({ description: "set once submitted" }),
  })
  .openapi("PledgeDraft");

export const signatureBody = z.object({ signer: address, signature }).openapi("DraftSignature");

export const writeResultSchema = z
  .object({ pledgeId: z.string(), status: z.enum(PLEDGE_STATUSES), proof: proofSchema })
  .openapi("PledgeWriteResult");

// ───────────── the registrar ─────────────

export const queueSchema = z
  .object({
    applications: z.array(
      z.object({
        pledgeId: z.string(),
        pledgee: z.string(),
        pledgors: z.array(z.string()),
        assets: z.array(z.string()),
        principal: moneyOut,
        currency: z.string(),
        maturityDate: dateOut,
        submittedAt: instantOut,
        application: proofSchema,
        failures: z.array(failureSchema),
      }),
    ),
    currentToBlock,
  })
  .openapi("RegistrationQueue");

// ───────────── lists (from the read model) ─────────────

export const pledgeListQuery = z.object({
  pledgee: address.optional().openapi({ description: "the bank (pledgee)" }),
  pledgor: address.optional(),
  asset: bytes32.optional().openapi({ description: "an asset named in the pledge" }),
  status: z.enum(PLEDGE_STATUSES.filter((s) => s !== "None") as [string, ...string[]]).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50).openapi({ description: "pledges per page (1–500)" }),
  cursor: z
    .string()
    .regex(/^[1-9][0-9]{0,30}$/, "must be the nextCursor of the previous page")
    .transform((s) => BigInt(s))
    .optional()
    .openapi({ type: "string", description: "the previous page's `nextCursor`; absent: the first page" }),
});

/** What a list (and a registration notice) shows of a pledge's terms. */
export const pledgeFacts = termsSchema.pick({
  assets: true,
  pledgors: true,
  pledgee: true,
  debtor: true,
  principal: true,
  currency: true,
  startDate: true,
  maturityDate: true,
  valuationReportId: true,
});

export const pledgeListSchema = z
  .object({
    pledges: z.array(
      z.object({
        pledgeId: z.string(),
        status: z.enum(PLEDGE_STATUSES),
        registrationNumber: z.string().nullable(),
        ...pledgeFacts.shape,
        appliedBlock: z.number().int().openapi({ description: "the block of its application (PledgeApplied)" }),
      }),
    ),
    nextCursor: z
      .string()
      .nullable()
      .openapi({ description: "pass as `cursor` for the next page; null on the last page" }),
    currentToBlock: z.number().int().openapi({ description: "the block the read model is current to" }),
  })
  .openapi("PledgeList");

export const refusalBody = z
  .object({
    reasonCode: z.enum(REASON_CODES).optional().openapi({ description: "absent: a free-text reason in `note`" }),
    note: text({ max: 500 }).optional(),
  })
  .refine((b) => (b.reasonCode && b.reasonCode !== "REFUSED_BY_REGISTRAR") || b.note, {
    message: "a refusal needs a reason code or a note",
    path: ["note"],
  })
  .openapi("Refusal");

// ───────────── the pledge ─────────────

export const disposalSchema = z
  .object({
    method: z.enum(DISPOSAL_METHODS),
    disposedAt: instantOut,
    transferee: z.string().nullable(),
    proceeds: moneyOut,
    loss: moneyOut,
    evidenceHash: z.string(),
  })
  .openapi("Disposal");

export const lossSharingSchema = z
  .object({
    scheme: z.string().nullable(),
    schemeId: z.number(),
    year: z.number(),
    loss: moneyOut,
    bankShare: moneyOut,
    parties: z.array(z.object({ name: z.string(), share: moneyOut })),
  })
  .openapi("LossAllocation", {
    description:
      "How the unrecovered loss was split by the risk-compensation scheme. Every disposal under a scheme has one, " +
      "a loss of zero too (every share 0); without a scheme it is null (the bank bears the whole loss).",
  });

export const pledgeSchema = termsSchema
  .extend({
    pledgeId: z.string(),
    status: z.enum(PLEDGE_STATUSES),
    registrationNumber: z.string().nullable(),
    submittedAt: instantOut,
    registeredAt: instantOut,
    closedAt: instantOut,
    disposal: disposalSchema.nullable(),
    lossSharing: lossSharingSchema.nullable(),
    history: z.array(eventSchema),
    proof: z.object({ application: proofSchema, registration: proofSchema.nullable(), latest: proofSchema }),
    currentToBlock,
  })
  .omit({ forfeitureClause: true })
  .openapi("Pledge");

// ───────────── the parties' later steps ─────────────

export const releaseFields = z.object({}).openapi("PledgeReleaseFields");
export const defaultFields = z
  .object({
    evidenceHash: bytes32
      .optional()
      .openapi({ description: "SHA-256 of the evidence of a default event; required before maturity" }),
  })
  .openapi("PledgeDefaultFields");
export const disposalFields = z
  .object({
    method: z.enum(DISPOSAL_METHODS),
    proceeds: money,
    transferee: address.optional().openapi({ description: "required for a Transfer" }),
    evidenceHash: bytes32.openapi({ description: "SHA-256 of the auction record or agreement" }),
  })
  .openapi("PledgeDisposalFields");
export const changeFields = z
  .object({
    principal: positiveMoney,
    maturityDate: calendarDate,
    pledgee: address.optional().openapi({ description: "the assignee when the loan is assigned; absent = unchanged" }),
  })
  .openapi("PledgeChangeFields");
export const withdrawalFields = z.object({ party: address }).openapi("PledgeWithdrawalFields");

export const signaturesField = z
  .array(z.object({ signer: address, signature, nonce: uint256, deadline: uint256 }))
  .min(1)
  .max(18)
  .openapi({ description: "each signer's signature over the typed data it was given, with that nonce and deadline" });
export type SignatureInput = z.infer<typeof signaturesField>[number];

export const actionSigningSchema = z
  .object({ pledgeId: z.string(), action: z.string(), signers: z.array(signingRequestSchema) })
  .openapi("PledgeActionSigning");

export const actionResultSchema = writeResultSchema
  .extend({ disposal: disposalSchema.nullable().optional(), lossSharing: lossSharingSchema.nullable().optional() })
  .openapi("PledgeActionResult");
