/**
 * Receivable pools (SPEC §6): the pool as anyone reads it, its distribution, the auditor's trace from licence to
 * claim, and a period's reconciliation. Money is a decimal string of the payment token's smallest unit.
 */
import { z } from "zod";
import { address, currentToBlock, instant, money, proofSchema, text } from "../../openapi/schemas";
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
/** A calendar date, YYYY-MM-DD (UTC). */
const calendarDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .openapi({ example: "2027-01-01", description: "a calendar date, YYYY-MM-DD (UTC)" });
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

export const poolListSchema = z
  .object({
    pools: z.array(
      z.object({
        pool: z.string(),
        status: z.enum(POOL_STATUSES).nullable().openapi({ description: "null while nothing is deployed there yet" }),
        periodsDistributed: z.number().int(),
        periods: z.number().int().openapi({ description: "the calendar's number of periods" }),
      }),
    ),
  })
  .openapi("PoolList", { description: "Every pool this gateway knows: remembered, or assigned a receivable" });

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
    startDate: calendarDate.openapi({
      description:
        "the calendar's start date (the deal's cut-off date): period 1 runs from it, whenever the pool closed",
    }),
    startsAt: when.openapi({ description: "the instant period 1 starts (the start date at 00:00 UTC when so given)" }),
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
    losses: z
      .object({
        defaulted: amount.openapi({
          description: `lossesDefaulted(): every defaulted instalment's unpaid amount; ${MONEY}`,
        }),
        allocated: amount.openapi({
          description: `what wrote tranches down (see each tranche's writtenDown); ${MONEY}`,
        }),
        absorbedByExcessReturn: amount.openapi({
          description: `lossesAbsorbed(): what exceeded every tranche's outstanding; ${MONEY}`,
        }),
      })
      .openapi({ description: "losses of defaulted instalments: defaulted = allocated + absorbedByExcessReturn" }),
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
    guarantorPaid: amount.openapi({
      description: `pulled from the guarantor in this distribution for its call (0 when the pull failed); ${MONEY}`,
    }),
    feesPaid: amount,
    interestPaid: z.array(amount).openapi({ description: "per senior class, in priority order" }),
    principalPaid: z.array(amount).openapi({ description: "per tranche, the subordinated last" }),
    reserveReleased: amount,
    reserveToppedUp: amount,
    subordinatedPaid: amount,
    dust: amount,
    reserveAfter: amount,
    feeArrearsAfter: amount,
    interestArrearsAfter: z.array(amount).openapi({ description: "per senior class, in priority order" }),
    outstandingAfter: z.array(amount).openapi({
      description: "per tranche after the period, the subordinated last: outstanding ÷ face is its pool factor",
    }),
    books: reconciliationSchema.openapi({
      description: "the pool's reconcile() right after this distribution (its fee transfer counted)",
    }),
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
    tranchesAfter: z
      .array(
        z.object({
          tranche: z.number().int().openapi({ description: "0 = A1 … the subordinated last" }),
          outstanding: amount,
          poolFactor: z.string().openapi({ example: "0.68", description: "outstanding ÷ face, exact to 18 decimals" }),
        }),
      )
      .openapi({ description: "each tranche's outstanding and pool factor right after the period (outstandingAfter)" }),
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
    startDate: calendarDate.openapi({ description: "the calendar's start date: period 1 runs from it" }),
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
            defaults: z.array(
              z.object({
                unpaid: amount,
                ...located,
                allocated: z.array(z.object({ tranche: z.number().int(), amount })).openapi({
                  description: "LossAllocated of the same transaction: the subordinated first, then A2 before A1",
                }),
                absorbedByExcessReturn: amount.openapi({
                  description: `what exceeded every tranche's outstanding (LossAbsorbedByExcessReturn); ${MONEY}`,
                }),
              }),
            ),
            recoveries: z
              .array(z.object({ amount, ...located, distributedIn }))
              .openapi({ description: "payments of the instalment after it was marked defaulted (RecoveryReceived)" }),
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
        losses: z
          .array(z.object({ amount, licenceId: z.string(), index: z.number().int(), ...located }))
          .openapi({ description: "each loss allocated to the tranche, with the defaulted instalment that caused it" }),
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
          payments: z.array(
            z.object({
              payer: z.string(),
              amount,
              ...located,
              pulledByDistribution: z.boolean().openapi({
                description: "pulled under the guarantor's allowance by the distribution that made the call",
              }),
              distributedIn,
            }),
          ),
        }),
      ),
    }),
    windUp: z
      .object({
        period: periodNo.openapi({ description: "the final period, in which the pool was wound up" }),
        toSubordinated: amount.openapi({ description: `what went to the subordinated holders' claims; ${MONEY}` }),
        ...located,
      })
      .nullable()
      .openapi({ description: "PoolWoundUp, null while the pool runs" }),
    currentToBlock,
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
          "distribution (its report's `books`, covered by the digest); without one, now (reconcile())",
      }),
  })
  .openapi("PeriodReconciliation");

export const bookedSchema = z
  .object({ amount, proof: proofSchema })
  .openapi("UnsolicitedBooked", { description: "what was booked into collections" });

export const csvSchema = z.string().openapi({
  description:
    "UTF-8 CSV starting with a byte order mark (EF BB BF, so that Excel shows Chinese names), then the header " +
    "`section,item,tranche,value`, one row per value and no two rows with the same " +
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
  "wind-up": z.object({ from }).openapi("PrepareWindUp", {
    description:
      "The originator's wind-up, once no tranche is outstanding and no instalment is open (neither paid in full nor " +
      "defaulted): a final period pays fee and interest arrears, then everything left (dust and unbooked tokens " +
      "included) to the subordinated holders' claims; the pool then accepts nothing but claims (status WoundUp). " +
      "422 TRANCHE_OUTSTANDING or INSTALMENT_OPEN name what still blocks it.",
    example: { from: "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC" },
  }),
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
      example: "2027-01-01",
      description:
        "the calendar's start date, the deal's cut-off date: a calendar date YYYY-MM-DD (00:00 UTC) or an instant. " +
        "Period 1 runs from it whenever the pool closes (interest counts whole days); before the first period end",
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
  .openapi("PoolDeployment", {
    example: {
      paymentToken: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
      feeRecipient: "0x90F79bf6EB2c4f870365E785982E1f101E93b906",
      guarantor: "0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65",
      guaranteeCap: "10000000",
      feePerPeriod: "100000",
      reserveTarget: "5000000",
      subscriptionDeadline: "2027-01-31T00:00:00Z",
      startDate: "2027-01-01",
      periodEnds: ["2027-04-01", "2027-07-01", "2027-10-01", "2028-01-01"],
      receivables: ["2"],
      tranches: [
        { name: "Licence Fees 2027 Senior A1", symbol: "LF27A1", face: "90000000", couponBps: 500 },
        { name: "Licence Fees 2027 Subordinated", symbol: "LF27S", face: "10000000", couponBps: 0 },
      ],
    },
    description:
      "The pool's configuration; the originator is the calling organisation. The pool is created with its tranche " +
      "tokens; each sub-licence in `receivables` must then be assigned to the pool's address.",
  });

export const authoriseGuaranteeBody = z
  .object({ from: address.openapi({ description: "the pool's guarantor, which signs the transaction" }) })
  .openapi("PrepareAuthoriseGuarantee");

// ───────────── webpool: the next distribution, previewed; a holder's holdings ─────────────

const previewStepSchema = z
  .object({
    step: z.enum(WATERFALL_STEPS),
    tranche: z.number().int().nullable().openapi({ description: "the tranche credited (0 = A1), for credit steps" }),
    amount,
  })
  .openapi("PreviewedStep");

export const nextDistributionSchema = z
  .object({
    pool: z.string(),
    preview: z.literal(true).openapi({ description: "a preview: nothing was sent, nothing changed" }),
    asOf: z
      .object({ blockNumber: z.number().int(), at: when })
      .openapi({ description: "the block the preview was computed at, and its time" }),
    period: periodNo,
    startDate: when,
    endDate: when.openapi({ description: "the period's end: distribute runs from this instant on" }),
    ready: z.boolean().openapi({ description: "true when POST /pools/{pool}/distribute would run now" }),
    missing: z
      .array(
        z.object({
          reason: z.enum(["PERIOD_NOT_ENDED", "INSTALMENT_UNPAID"]),
          until: when.openapi({ description: "PERIOD_NOT_ENDED: the period's end" }),
          licenceId: z.string().nullable(),
          index: z.number().int().nullable().openapi({ description: "INSTALMENT_UNPAID: the instalment, from 0" }),
          dueDate: when,
          unpaid: amount.nullable(),
        }),
      )
      .openapi({
        description:
          "what is missing for the period: its end (PERIOD_NOT_ENDED blocks the distribution) and each instalment " +
          "due by its end and not paid in full nor defaulted (INSTALMENT_UNPAID: its cash is not in the preview)",
      }),
    collections: amount.openapi({ description: `collected and booked since the last distribution; ${MONEY}` }),
    reserveDrawn: amount,
    guarantorCalled: amount,
    guarantorPaid: amount.openapi({
      description: `the call, when the guarantor's allowance and balance cover it now; 0 when it would be unpaid; ${MONEY}`,
    }),
    cashToDivide: amount.openapi({ description: `collections + reserve drawn + guarantor paid; ${MONEY}` }),
    dues: z.object({
      fees: amount.openapi({ description: `the period's fee (if charged) plus fee arrears; ${MONEY}` }),
      interest: z.array(amount).openapi({ description: "per senior class: the period's interest plus its arrears" }),
    }),
    steps: z.array(previewStepSchema).openapi({
      description:
        "the waterfall steps distribute would take, in the order it takes them (as its WaterfallStepped events); a " +
        "step of 0 is left out",
    }),
    after: z.object({
      reserve: amount,
      feeArrears: amount,
      interestArrears: z.array(amount).openapi({ description: "per senior class" }),
      tranches: z.array(
        z.object({
          tranche: z.number().int(),
          outstanding: amount,
          poolFactor: z.string().openapi({ example: "0.68", description: "outstanding ÷ face, exact to 18 decimals" }),
        }),
      ),
    }),
  })
  .openapi("NextDistribution", {
    description:
      "What POST /pools/{pool}/distribute would do now, from the pool's own previewDistribution() — the same code " +
      "as the distribution (its dues, its shortfall cover, Waterfall.allocate), so the figures are the chain's, not " +
      "an estimate. Cash that arrives before the distribution adds to it.",
  });

export const holderParams = poolParams.extend({
  holder: address.openapi({ description: "the holder's account" }),
});

export const holdingsSchema = z
  .object({
    pool: z.string(),
    holder: z.string(),
    asOf: z.object({ blockNumber: z.number().int(), at: when }),
    tranches: z.array(
      z.object({
        index: z.number().int(),
        name: z.string(),
        symbol: z.string(),
        token: z.string(),
        balance: amount.openapi({ description: `tranche tokens held (at face); ${MONEY}` }),
        outstanding: amount.openapi({
          description: `the holding's share of the outstanding: balance × outstanding ÷ face, rounded down; ${MONEY}`,
        }),
        accumulated: amount.openapi({ description: `everything credited to the holding so far; ${MONEY}` }),
        claimed: amount,
        claimable: amount.openapi({ description: `what the holder may claim now; ${MONEY}` }),
      }),
    ),
    claims: z.array(z.object({ tranche: z.number().int(), amount, ...located })),
  })
  .openapi("Holdings", {
    description:
      "A holder's tranche tokens of the pool, what accrued to them, what it claimed (each claim with its proof) and " +
      "what it may claim now (POST /pools/{pool}/prepare/claim)",
  });
// ───────────── end webpool ─────────────
