/**
 * Licences behind the receivables (SPEC §6 steps 1–2): drafts of a first licence or a sub-licence with the EIP-712
 * typed data each consenting party signs, the signatures, and the originator's prepared transactions.
 */
import { z } from "zod";
import { MONEY_WORDS, address, bytes32, instant, money } from "../../openapi/schemas";

/**
 * A licence's dates are calendar dates (YYYY-MM-DD, 00:00:00 UTC on chain). Unlike the asset register's, an instant
 * given here is kept to the second: a pool's instalments fall due at the instant the deal documents state.
 */
const licenceDate = (example: string) =>
  instant.openapi({
    format: "date",
    example,
    description: "calendar date YYYY-MM-DD (00:00:00 UTC); an ISO instant or Unix seconds are kept as given",
  });

const positive = money
  .refine((v) => v > 0n, "must be more than zero")
  .openapi({ description: MONEY_WORDS, example: "1000000000" });

export const draftIdParams = z.object({
  draftId: z
    .string()
    .regex(/^[0-9a-f]{32}$/, "must be a draft id (32 hex digits)")
    .openapi({ example: "3f2a9c0d4b1e4e8fa0c1d2e3f4a5b6c7" }),
});

export const licenceIdParams = z.object({
  licenceId: z
    .string()
    .regex(/^[1-9][0-9]{0,30}$/, "must be a licence number")
    .transform((s) => BigInt(s))
    .openapi({ type: "string", example: "2" }),
});

export const firstLicenceBody = z
  .object({
    assetIds: z.array(bytes32).min(1).max(32),
    licensors: z.array(address).min(1).max(16).openapi({ description: "every holder of every asset signs" }),
    exclusive: z.boolean(),
    subLicensable: z.boolean(),
    upfrontFee: positive.openapi({ description: `the whole multi-year fee, paid up front: ${MONEY_WORDS}` }),
    startDate: licenceDate("2026-07-01"),
    endDate: licenceDate("2031-06-30"),
    contractHash: bytes32.openapi({ description: "SHA-256 of the signed licence contract" }),
  })
  .refine((b) => b.endDate > b.startDate, { message: "must be after startDate", path: ["endDate"] })
  .openapi("FirstLicenceDraft", { description: "The licensee is the calling originator." });

export const subLicenceBody = z
  .object({
    firstLicenceId: licenceIdParams.shape.licenceId,
    licensee: address,
    schedule: z
      .array(z.object({ dueDate: licenceDate("2026-09-30"), amount: positive }))
      .min(1)
      .max(64)
      .openapi({ description: "instalments in order of due date" }),
    startDate: licenceDate("2026-07-01"),
    endDate: licenceDate("2031-06-30"),
    contractHash: bytes32,
  })
  .refine((b) => b.endDate > b.startDate, { message: "must be after startDate", path: ["endDate"] })
  .openapi("SubLicenceDraft", { description: "The licensor is the calling originator." });

export const assignmentBody = z.object({ pool: address }).openapi("ReceivableAssignment");

export const signatureBody = z
  .object({
    signer: address,
    signature: z.string().regex(/^0x([0-9a-fA-F]{2}){1,1024}$/, "must be 0x-prefixed hex bytes"),
  })
  .openapi("LicenceSignature");

const typedDataSchema = z.object({
  domain: z.object({ name: z.string(), version: z.string(), chainId: z.number(), verifyingContract: z.string() }),
  types: z.record(z.string(), z.array(z.object({ name: z.string(), type: z.string() }))),
  primaryType: z.string(),
  message: z.record(z.string(), z.unknown()),
});

export const licenceDraftSchema = z
  .object({
    draftId: z.string(),
    kind: z.enum(["first", "sub"]),
    originator: z.string(),
    terms: z.record(z.string(), z.unknown()).openapi({
      description:
        "the terms in contract form, as the parties sign them (dates as Unix seconds, money as integer strings)",
    }),
    signers: z.array(
      z.object({
        address: z.string(),
        role: z.enum(["licensor", "licensee"]),
        signed: z.boolean(),
        typedData: typedDataSchema,
      }),
    ),
    complete: z.boolean().openapi({ description: "every party signed: the originator's transaction can be prepared" }),
  })
  .openapi("LicenceDraft");
