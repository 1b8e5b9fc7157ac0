/**
 * Receivable pools (SPEC §6): the pool as anyone reads it, its distribution, the auditor's trace from licence to
 * claim, and a period's reconciliation. Money is a decimal string of the payment token's smallest unit.
 */
import { z } from "zod";
import { address, instant, money, proofSchema, text } from "../../openapi/schemas";

export const POOL_STATUSES = ["Subscription", "Active", "Cancelled"] as const;
/** `WaterfallStep` as the API reports it, in the enum's order. */
export const WATERFALL_STEPS = [
  "Fees",
  "SeniorInterest",
  "ReserveDraw",
  "GuarantorCall",
  "SeniorPrincipal",
  "ReserveTopUp",
  "ReserveRelease",
  "Subordinated",
] as const;

const amount = z.string().openapi({ example: "2500000000" });
const when = z.string().nullable().openapi({ example: "2027-06-30T00:00:00.000Z" });
/** Where an item happened on chain: every item of the trace carries one. */
const located = { blockNumber: z.number().int(), transactionHash: z.string() };

export const poolParams = z.object({ pool: address.openapi({ description: "the pool's contract address" }) });

export const reconciliationQuery = z.object({
  period: z
    .string()
    .regex(/^[0-9]{1,3}$/, "must be a period number (0 is the first)")
    .transform((s) => Number(s))
    .openapi({ type: "string", example: "0" }),
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
    calendar: z.array(z.string()).openapi({ description: "each period's end, ISO 8601" }),
    periodsDistributed: z.number().int(),
    receivables: z.array(z.string()),
    tranches: z.array(trancheViewSchema),
    buckets: z.object({ escrow: amount, collections: amount, reserve: amount, reserveTarget: amount, dust: amount }),
    fees: z.object({ recipient: z.string(), perPeriod: amount, arrears: amount }),
    guarantor: z.object({
      address: z.string(),
      cap: amount,
      called: amount,
      calls: z.array(z.object({ callId: z.number().int(), period: z.number().int(), amount, paid: amount })),
    }),
    reconciliation: reconciliationSchema,
  })
  .openapi("Pool");

export const periodReportSchema = z
  .object({
    period: z.string(),
    startDate: z.string(),
    endDate: z.string(),
    distributedAt: z.string(),
    collections: amount,
    reserveDrawn: amount,
    guarantorCalled: amount,
    feesPaid: amount,
    interestPaid: z.array(amount),
    principalPaid: z.array(amount),
    reserveReleased: amount,
    reserveToppedUp: amount,
    subordinatedPaid: amount,
    dust: amount,
    reserveAfter: amount,
  })
  .openapi("PeriodReport", { description: "As emitted by PeriodDistributed (dates in Unix seconds)." });

const stepSchema = z
  .object({ step: z.enum(WATERFALL_STEPS), tranche: z.number().int().nullable(), amount, ...located })
  .openapi("WaterfallStep");

export const distributionSchema = z
  .object({
    period: z.number().int(),
    digest: z.string().openapi({ description: "keccak256(abi.encode(report)); can itself be anchored" }),
    report: periodReportSchema,
    steps: z.array(stepSchema),
    proof: proofSchema,
  })
  .openapi("PeriodDistribution");

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

const paymentSchema = z.object({ payer: z.string(), amount, late: z.boolean(), paidAt: when, ...located });

export const traceSchema = z
  .object({
    pool: z.string(),
    asOf: z.number().int().openapi({ description: "the block the trace was read at" }),
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
    periods: z.array(distributionSchema),
    tranches: z.array(
      z.object({
        index: z.number().int(),
        name: z.string(),
        token: z.string(),
        credited: z.array(z.object({ period: z.number().int(), step: z.enum(WATERFALL_STEPS), amount, ...located })),
        losses: z.array(z.object({ amount, ...located })),
        claims: z.array(z.object({ holder: z.string(), amount, ...located })),
      }),
    ),
    guarantor: z.object({
      calls: z.array(
        z.object({
          callId: z.number().int(),
          period: z.number().int(),
          amount,
          ...located,
          payments: z.array(z.object({ payer: z.string(), amount, ...located })),
        }),
      ),
    }),
  })
  .openapi("PoolTrace", {
    description:
      "Licence agreement → instalments → payments (who, when, late or not) → each period's waterfall → per-tranche " +
      "credits and per-holder claims. Every item carries its block number and transaction hash.",
  });

export const figureSchema = z
  .object({ section: z.string(), item: z.string(), tranche: z.string().nullable(), amount })
  .openapi("ReconciliationFigure");

export const periodReconciliationSchema = z
  .object({
    pool: z.string(),
    period: z.number().int(),
    startDate: z.string(),
    endDate: z.string(),
    distributedAt: z.string(),
    digest: z.string(),
    digestMatches: z.boolean().openapi({ description: "the report re-hashed equals the digest the pool stored" }),
    proof: proofSchema,
    figures: z.array(figureSchema).openapi({ description: "the period's report, one figure per row" }),
    conservation: z.object({
      asOfBlock: z.number().int(),
      cashIn: amount,
      cashOut: amount,
      held: amount,
      balanced: z.boolean(),
      figures: z.array(figureSchema),
    }),
  })
  .openapi("PeriodReconciliation");

export const bookedSchema = z
  .object({ amount, proof: proofSchema })
  .openapi("UnsolicitedBooked", { description: "what was booked into collections" });

export const csvSchema = z.string().openapi({
  description: "CSV with header `section,item,tranche,amount`: the period's figures, then the conservation check.",
  example: "section,item,tranche,amount\nperiod,collections,,2500000000\n",
});

// ───────────── prepared transactions ─────────────

const from = address.openapi({ description: "the party's own account, which signs the transaction" });
const trancheIndex = z.number().int().min(0).max(4).openapi({ description: "0 = A1 … the subordinated last" });
const positive = money.refine((v) => v > 0n, "must be more than zero");
const licenceId = z
  .union([z.string().regex(/^[1-9][0-9]{0,30}$/, "must be a licence number"), z.number().int().positive()])
  .transform((v) => BigInt(v))
  .openapi({ type: "string", example: "2" });

export const prepareBodies = {
  subscribe: z.object({ from, tranche: trancheIndex, amount: positive }).openapi("PrepareSubscribe"),
  close: z.object({ from }).openapi("PrepareClose"),
  cancel: z.object({ from }).openapi("PrepareCancel"),
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
    guaranteeCap: money,
    feePerPeriod: money,
    reserveTarget: money,
    subscriptionDeadline: instant,
    periodEnds: z.array(instant).min(1).max(64).openapi({ description: "the period calendar, in order" }),
    receivables: z.array(licenceId).min(1).max(64).openapi({ description: "sub-licence ids" }),
    tranches: z
      .array(
        z.object({
          name: text({ min: 1, max: 64 }),
          symbol: text({ min: 1, max: 16 }),
          face: positive,
          couponBps: z.number().int().min(0).max(10_000),
        }),
      )
      .min(2)
      .max(5)
      .openapi({ description: "senior classes in priority order, the subordinated (coupon 0) last" }),
  })
  .openapi("PoolDeployment", { description: "The originator is the caller; see scripts/lib/deployPool.ts." });
