/**
 * Receivable pools (SPEC §6): the pool as anyone reads it, its distribution, the auditor's trace from licence to
 * claim, and a period's reconciliation. Money is a decimal string of the payment token's smallest unit.
 */
import { z } from "zod";
import { address, instant, money, proofSchema } from "../../openapi/schemas";
import { POOL_STATUSES, WATERFALL_STEPS } from "./poolContract";

const MONEY = "integer string in the payment token's smallest unit (fen for CNY), without separators";
/** Money: an integer string in the payment token's smallest unit, no separators. */
const amount = z
  .string()
  .regex(/^[0-9]+$/)
  .openapi({ example: "2500000000", description: MONEY });
/** An instant: ISO 8601 in UTC, or null when it has not happened. */
const when = z
  .string()
  .nullable()
  .openapi({ example: "2027-06-30T00:00:00.000Z", description: "an instant, ISO 8601 in UTC" });
const periodNo = z
  .number()
  .int()
  .min(1)
  .openapi({ description: "the period, numbered from 1 as in the deal documents" });
/** Where an item happened on chain: every item of the trace carries one. */
const located = { blockNumber: z.number().int(), transactionHash: z.string() };

export const poolParams = z.object({ pool: address.openapi({ description: "the pool's contract address" }) });

export const reconciliationQuery = z.object({
  period: z
    .string()
    .regex(/^[1-9][0-9]{0,2}$/, "must be a period number (1 is the first)")
    .transform((s) => Number(s))
    .optional()
    .openapi({
      type: "string",
      example: "1",
      description: "a distributed period, numbered from 1; without it, the pool's conservation now",
    }),
  format: z.enum(["json", "csv"]).optional().openapi({ description: "csv: the same figures as text/csv" }),
});

export const trancheViewSchema = z
  .object({
    index: z.number().int(),
    name: z.string(),
    symbol: z.string(),
    token: z.string(),
    seniority: z.enum(["senior", "subordinated"]),
    couponBps: z.number().int(),
    face: amount,
    outstanding: amount,
    poolFactor: z.string().openapi({ example: "0.95", description: "outstanding ÷ face, exact to 18 decimals" }),
    interestArrears: amount,
    claimable: amount,
    writtenDown: amount,
  })
  .openapi("Tranche");

export const reconciliationSchema = z
  .object({
    subscribed: amount,
    collected: amount,
    guarantorPaid: amount,
    unsolicited: amount,
    proceedsPaid: amount,
    feesPaid: amount,
    claimsPaid: amount,
    refunded: amount,
    escrow: amount,
    collectionsAvailable: amount,
    reserve: amount,
    trancheClaimable: amount,
    dust: amount,
    tokenBalance: amount,
    unbooked: amount,
    balanced: z.boolean(),
  })
  .openapi("PoolReconcile", { description: "The pool's own reconcile(): cash in = cash out + held, to the unit." });

export const poolViewSchema = z
  .object({
    pool: z.string(),
    status: z.enum(POOL_STATUSES),
    paymentToken: z.string(),
    originator: z.string(),
    subscriptionDeadline: when,
    closedAt: when,
    calendar: z.array(z.string()).openapi({ description: "each period's end (period 1 first), ISO 8601 in UTC" }),
    periodsDistributed: z.number().int(),
    receivables: z.array(z.string()),
    tranches: z.array(trancheViewSchema),
    buckets: z.object({ escrow: amount, collections: amount, reserve: amount, reserveTarget: amount, dust: amount }),
    fees: z.object({ recipient: z.string(), perPeriod: amount, arrears: amount }),
    guarantor: z.object({
      address: z.string(),
      cap: amount,
      called: amount,
      calls: z.array(z.object({ callId: z.number().int(), period: periodNo, amount, paid: amount })),
    }),
    reconciliation: reconciliationSchema,
  })
  .openapi("Pool");

export const periodReportSchema = z
  .object({
    period: periodNo,
    startDate: when,
    endDate: when,
    distributedAt: when,
    collections: amount,
    reserveDrawn: amount,
    guarantorCalled: amount,
    feesPaid: amount,
    interestPaid: z.array(amount).openapi({ description: "per senior class, in priority order" }),
    principalPaid: z.array(amount).openapi({ description: "per tranche, the subordinated last" }),
    reserveReleased: amount,
    reserveToppedUp: amount,
    subordinatedPaid: amount,
    dust: amount,
    reserveAfter: amount,
  })
  .catchall(z.unknown())
  .openapi("PeriodReport", {
    description:
      "As the pool emitted it in PeriodDistributed, field by field (any field the pool adds is shown too), with the " +
      "period numbered from 1 and instants in ISO 8601; money in the payment token's smallest unit.",
  });

const stepSchema = z
  .object({
    step: z.enum(WATERFALL_STEPS),
    tranche: z.number().int().nullable().openapi({ description: "the tranche credited (0 = A1), for credit steps" }),
    amount,
    ...located,
    logIndex: z.number().int(),
  })
  .openapi("WaterfallStep");

export const distributionSchema = z
  .object({
    period: periodNo,
    digest: z.string().openapi({
      description:
        "keccak256(abi.encode(report)) of the report as the chain holds it (there the period counts from 0 and " +
        "instants are Unix seconds: convert back before re-hashing); can itself be anchored",
    }),
    report: periodReportSchema,
    steps: z.array(stepSchema),
    proof: proofSchema,
  })
  .openapi("PeriodDistribution");

/** The distribution that paid an item out to the tranches, or null while it waits for the next one. */
const distributedIn = z
  .object({ period: periodNo, ...located })
  .nullable()
  .openapi({ description: "the period whose distribution paid this cash out (its transaction), null until then" });

const licencePartSchema = z.object({
  licenceId: z.string(),
  licensors: z.array(z.string()),
  licensee: z.string(),
  assets: z.array(z.string()),
  startDate: when,
  endDate: when,
  contractHash: z.string(),
  upfrontFee: amount.nullable(),
  ...located,
});

const paymentSchema = z.object({
  payer: z.string(),
  amount,
  late: z.boolean(),
  paidAt: when,
  ...located,
  distributedIn,
});

const creditSchema = z.object({ period: periodNo, step: z.enum(WATERFALL_STEPS), amount, ...located });

export const traceSchema = z
  .object({
    pool: z.string(),
    asOf: z
      .object({ blockNumber: z.number().int(), at: when })
      .openapi({ description: "the block the trace was read at, and its time" }),
    receivables: z.array(
      z.object({
        licenceId: z.string(),
        firstLicence: licencePartSchema,
        subLicence: licencePartSchema,
        assignment: proofSchema.nullable(),
        instalments: z.array(
          z.object({
            index: z.number().int(),
            dueDate: when,
            amount,
            paid: amount,
            lastPaidAt: when,
            late: z.boolean(),
            defaulted: z.boolean(),
            payments: z.array(paymentSchema),
            defaults: z.array(z.object({ unpaid: amount, ...located })),
          }),
        ),
      }),
    ),
    issuance: z.object({
      subscriptions: z.array(z.object({ tranche: z.number().int(), investor: z.string(), amount, ...located })),
      closing: z.object({ proceeds: amount, reserve: amount, ...located }).nullable(),
    }),
    unsolicited: z
      .array(z.object({ amount, ...located, distributedIn }))
      .openapi({ description: "tokens sent to the pool directly, booked as collections" }),
    periods: z.array(distributionSchema),
    tranches: z.array(
      z.object({
        index: z.number().int(),
        name: z.string(),
        token: z.string(),
        credited: z.array(creditSchema),
        losses: z.array(z.object({ amount, ...located })),
        claims: z.array(
          z.object({
            holder: z.string(),
            amount,
            ...located,
            since: proofSchema
              .nullable()
              .openapi({ description: "the holder's previous claim of the tranche, if any" }),
            drewOn: z.array(creditSchema).openapi({
              description: "the tranche's credits since the holder's previous claim: what this claim was paid from",
            }),
          }),
        ),
      }),
    ),
    guarantor: z.object({
      calls: z.array(
        z.object({
          callId: z.number().int(),
          period: periodNo,
          amount,
          ...located,
          payments: z.array(z.object({ payer: z.string(), amount, ...located, distributedIn })),
        }),
      ),
    }),
  })
  .openapi("PoolTrace", {
    description:
      "Licence agreement → instalments → payments (who, when, late or not) → each period's waterfall → per-tranche " +
      "credits and per-holder claims. Each payment names the period that distributed it, each claim the credits it " +
      "drew on; every item carries its block number and transaction hash.",
  });

export const figureSchema = z
  .object({ section: z.string(), item: z.string(), tranche: z.string().nullable(), amount })
  .openapi("ReconciliationFigure");

export const periodReconciliationSchema = z
  .object({
    pool: z.string(),
    period: periodNo.nullable().openapi({ description: "the period, from 1; null for the pool's conservation now" }),
    startDate: when,
    endDate: when,
    distributedAt: when,
    digest: z.string().nullable(),
    digestMatches: z
      .boolean()
      .nullable()
      .openapi({ description: "the report re-hashed equals the digest the pool stored" }),
    proof: proofSchema.nullable().openapi({ description: "the period's distribution transaction" }),
    figures: z.array(figureSchema).openapi({
      description: "the period's report, one figure per field (section `report`; lists per tranche)",
    }),
    conservation: z
      .object({
        asOf: z.object({ blockNumber: z.number().int(), at: when }),
        cashIn: amount,
        cashOut: amount,
        held: amount,
        balanced: z.boolean(),
        figures: z.array(figureSchema),
      })
      .openapi({
        description:
          "cash in = cash out + held, to the unit: for a period, as the pool stood right after that period's " +
          "distribution transaction (rebuilt from the pool's events up to it); without one, now (reconcile())",
      }),
  })
  .openapi("PeriodReconciliation");

export const bookedSchema = z
  .object({ amount, proof: proofSchema })
  .openapi("UnsolicitedBooked", { description: "what was booked into collections" });

export const csvSchema = z.string().openapi({
  description:
    "UTF-8 CSV with header `section,item,tranche,value`, one row per value and no two rows with the same " +
    "(section, item, tranche): the period's heading (full ids, ISO 8601 instants), its report's figures, then " +
    "conservation. Money is an integer of the smallest unit without separators. A cell that a spreadsheet would " +
    "read as a formula (starting with = + - @) is prefixed with an apostrophe.",
  example: "section,item,tranche,value\nperiod,number,,1\nreport,collections,,2500000000\n",
});

// ───────────── prepared transactions ─────────────

const from = address.openapi({ description: "the party's own account, which signs the transaction" });
const trancheIndex = z.number().int().min(0).max(4).openapi({ description: "0 = A1 … the subordinated last" });
const moneyIn = money.openapi({ description: MONEY });
const positive = money.refine((v) => v > 0n, "must be more than zero").openapi({ description: `${MONEY}, above 0` });
const instantIn = instant.openapi({ description: "an instant: ISO 8601 with a zone (or Unix seconds)" });
const licenceId = z
  .union([z.string().regex(/^[1-9][0-9]{0,30}$/, "must be a licence number"), z.number().int().positive()])
  .transform((v) => BigInt(v))
  .openapi({ type: "string", example: "2" });

export const prepareBodies = {
  subscribe: z.object({ from, tranche: trancheIndex, amount: positive }).openapi("PrepareSubscribe"),
  close: z.object({ from }).openapi("PrepareClose"),
  cancel: z.object({ from }).openapi("PrepareCancel"),
  "wind-up": z.object({ from }).openapi("PrepareWindUp"),
  refund: z.object({ from, tranche: trancheIndex }).openapi("PrepareRefund"),
  claim: z.object({ from, tranche: trancheIndex }).openapi("PrepareClaim"),
  "pay-instalment": z
    .object({ from, licenceId, index: z.number().int().min(0).max(63), amount: positive })
    .openapi("PreparePayInstalment"),
  "pay-guarantor-call": z
    .object({ from, callId: z.number().int().min(0), amount: positive })
    .openapi("PreparePayGuarantorCall"),
};

export const deploymentBody = z
  .object({
    paymentToken: address.openapi({ description: "the pool's cash: an ERC-20 stablecoin" }),
    feeRecipient: address,
    guarantor: address,
    guaranteeCap: moneyIn,
    feePerPeriod: moneyIn,
    reserveTarget: moneyIn,
    subscriptionDeadline: instantIn,
    startDate: instantIn.openapi({
      description:
        "the deal's cut-off date: period 1 runs from it whenever the pool closes; before the first period end",
    }),
    periodEnds: z
      .array(instantIn)
      .min(1)
      .max(64)
      .openapi({ description: "the period calendar: the end of period 1, 2…, in order" }),
    receivables: z.array(licenceId).min(1).max(64).openapi({ description: "sub-licence ids" }),
    tranches: z
      .array(
        z.object({
          name: z.string().min(1).max(64),
          symbol: z.string().min(1).max(16),
          face: positive,
          couponBps: z.number().int().min(0).max(10_000),
        }),
      )
      .min(2)
      .max(5)
      .openapi({ description: "senior classes in priority order, the subordinated (coupon 0) last" }),
  })
  .openapi("PoolDeployment", {
    description:
      "The pool's configuration; the originator is the calling organisation. The pool is created with its tranche " +
      "tokens; each sub-licence in `receivables` must then be assigned to the pool's address.",
  });

export const authoriseGuaranteeBody = z
  .object({ from: address.openapi({ description: "the pool's guarantor, which signs the transaction" }) })
  .openapi("PrepareAuthoriseGuarantee");
