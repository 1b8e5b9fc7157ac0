/**
 * Shapes shared by several routes, with the API's conventions (README "Conventions"): money is an integer string in
 * the currency's smallest unit; a calendar date is YYYY-MM-DD; an instant is ISO 8601 with a zone.
 */
import { isAddress } from "ethers";
import { z } from "zod";
import "./registry";

export const bytes32 = z
  .string()
  .regex(/^0x[0-9a-fA-F]{64}$/, "must be 0x followed by 64 hex digits")
  .transform((s) => s.toLowerCase())
  .openapi({ example: "0x9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08" });

/** An account: in one letter case, or in mixed case with a valid EIP-55 checksum (a wrong one is likely a typo). */
export const address = z
  .string()
  .regex(/^0x[0-9a-fA-F]{40}$/, "must be a 0x-prefixed 20-byte address")
  .refine(isAddress, "has a wrong EIP-55 checksum (mixed case); check it, or send it in lower case")
  .openapi({ example: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8" });

/** A lone UTF-16 surrogate (one half of a pair): JSON can carry it, UTF-8 and so the chain cannot. */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

/**
 * Free text as people type it (an official number, a reason, a note, a name, a URI): trimmed, within `max` characters,
 * and well-formed Unicode. Every free-text field of every request uses it, so ill-formed text is refused here, once,
 * with 400 VALIDATION_FAILED naming the field, before it reaches the chain's UTF-8 encoding.
 */
export const text = (bounds: { min?: number; max: number }) =>
  z
    .string()
    .trim()
    .min(bounds.min ?? 0)
    .max(bounds.max)
    .refine((s) => !LONE_SURROGATE.test(s), "must be well-formed Unicode (it holds a lone surrogate)");

/** An instant: ISO 8601 (e.g. 2027-06-30T00:00:00Z) or Unix seconds; seconds as a bigint inside. */
export const instant = z
  .union([z.iso.datetime({ offset: true }), z.iso.date(), z.number().int().nonnegative()])
  .transform((v) => (typeof v === "number" ? BigInt(v) : BigInt(Math.floor(Date.parse(v) / 1000))))
  .openapi({ type: "string", example: "2027-06-30T00:00:00Z" });

const DAY_SECONDS = 86_400n;

/**
 * A calendar date (grant, expiry, fees paid until, valuation date, validity end, licence term): `YYYY-MM-DD`,
 * stored on chain as 00:00:00 UTC of that day. An ISO instant or Unix seconds are accepted too and mean their UTC
 * day, so that what the API shows back (the day) is exactly what the register holds.
 */
export const calendarDate = z
  .union([z.iso.date(), z.iso.datetime({ offset: true }), z.number().int().nonnegative()])
  .transform((v) => {
    const seconds = typeof v === "number" ? BigInt(v) : BigInt(Math.floor(Date.parse(v) / 1000));
    return (seconds / DAY_SECONDS) * DAY_SECONDS;
  })
  .openapi({
    type: "string",
    format: "date",
    example: "2026-06-30",
    description: "calendar date YYYY-MM-DD (00:00:00 UTC of that day on chain)",
  });

export const MONEY_WORDS = "integer string in the currency's smallest unit (fen for CNY: 100 = 1.00 CNY)";

/** Money in the smallest unit (fen for CNY), as a decimal string so that no precision is lost. */
export const money = z
  .union([
    z.string().regex(/^[0-9]{1,70}$/, "must be a whole number of the smallest unit"),
    z.number().int().nonnegative(),
  ])
  .transform((v) => BigInt(v))
  .openapi({ type: "string", pattern: "^[0-9]+$", example: "1000000000", description: MONEY_WORDS });

/** Shapes of answers: money, a calendar date, an instant (null where the register has none). */
export const moneyOut = z.string().openapi({ pattern: "^[0-9]+$", example: "1000000000", description: MONEY_WORDS });
export const dateOut = z
  .string()
  .nullable()
  .openapi({ format: "date", example: "2027-06-30", description: "calendar date YYYY-MM-DD" });
export const instantOut = z
  .string()
  .nullable()
  .openapi({ format: "date-time", example: "2026-06-30T08:15:00.000Z", description: "instant, ISO 8601 in UTC" });

export { dateOf, isoOf } from "./time";

export const proofSchema = z
  .object({ transactionHash: z.string(), blockNumber: z.number().int() })
  .openapi("TransactionProof", { description: "Where to check it on chain yourself." });

/** Every answer read from the index says which block it is current to (README, API conventions). */
export const currentToBlock = z
  .number()
  .int()
  .nullable()
  .openapi({
    description:
      "the block the read model (the index of the chain's events) is current to: the answer holds every event up to " +
      "it. null: answered from the chain itself, because the index has not yet reached a write this gateway answered",
    example: 1234,
  });

export const eventSchema = z
  .object({
    event: z.string(),
    contract: z.string(),
    blockNumber: z.number().int(),
    transactionHash: z.string(),
    logIndex: z.number().int(),
    args: z.record(z.string(), z.unknown()),
  })
  .openapi("ChainEvent");
