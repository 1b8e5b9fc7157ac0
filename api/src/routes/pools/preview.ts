/**
 * /v1/pools/{pool}/next-distribution — what the next distribution would do now, step by step, from the pool's own
 * previewDistribution() (the same code as distribute: its dues, its shortfall cover, Waterfall.allocate), with what is
 * still missing for the period; and /v1/pools/{pool}/holders/{holder} — a holder's tranche tokens, what accrued to
 * them, its claims and what it may claim now.
 */
import type { Router } from "express";
import { getAddress } from "ethers";
import type { ApiDefinition } from "../../openapi/registry";
import type { GatewayParts } from "../../parts";
import { AppError } from "../../errors/AppError";
import { isoOf } from "../../openapi/schemas";
import { TrancheToken__factory } from "../../../../typechain-types";
import { holderParams, holdingsSchema, nextDistributionSchema, poolParams } from "./schema";
import { knownPool, poolFactor } from "./service";
import { inPoolTerms, periodNumber, type WaterfallStepName } from "./poolContract";
import type { Role } from "../../organisations";

const str = (v: bigint) => v.toString();

type Step = { step: WaterfallStepName; tranche: number | null; amount: string };

/** `readers`: the roles that read a pool (router.ts POOL_READERS, with investors). */
export function previewRoutes(api: ApiDefinition, router: Router, parts: GatewayParts, readers: Role[]) {
  const { registry, records: store } = parts;

  api.route(
    router,
    {
      method: "get",
      path: "/pools/:pool/next-distribution",
      tag: "Pools",
      summary:
        "A preview of the next period's distribution: each waterfall step it would take now, and what is missing",
      description:
        "Read only: nothing is sent. The figures are the pool's own previewDistribution(), computed by the code that " +
        "distributes, from the books as they stand: `ready` says whether POST /pools/{pool}/distribute would run now, " +
        "`missing` what the period still waits for (its end; instalments due and unpaid, whose cash is not in it). " +
        "422 POOL_STATUS_INVALID when the pool is not active (no period to distribute).",
      roles: readers,
      params: poolParams,
      response: nextDistributionSchema,
    },
    async ({ params }) => {
      const pool = await knownPool(registry, store, params.pool);
      const latest = (await registry.provider.getBlock("latest"))!;
      const blockTag = latest.number;
      const p = await pool.previewDistribution({ blockTag }).catch((e: unknown) => Promise.reject(inPoolTerms(e)));
      const count = Number(await pool.trancheCount({ blockTag }));
      const faces = await Promise.all(
        Array.from({ length: count }, async (_, i) => (await pool.trancheOf(i, { blockTag })).face),
      );
      const { inflow, allocation: a } = p;
      const senior = count - 1;

      // In the order distribute emits its WaterfallStepped events; a step of 0 is silent there, and left out here.
      const all: Step[] = [
        { step: "ReserveDraw", tranche: null, amount: str(p.reserveDrawn) },
        { step: "GuarantorCall", tranche: null, amount: str(p.guarantorCalled) },
        { step: "Fees", tranche: null, amount: str(a.feesPaid) },
        ...a.interestPaid.map((x, i): Step => ({ step: "SeniorInterest", tranche: i, amount: str(x) })),
        { step: "ReserveRelease", tranche: null, amount: str(a.reserveReleased) },
        ...a.principalPaid
          .slice(0, senior)
          .map((x, i): Step => ({ step: "SeniorPrincipal", tranche: i, amount: str(x) })),
        { step: "ReserveTopUp", tranche: null, amount: str(a.reserveToppedUp) },
        { step: "Subordinated", tranche: senior, amount: str(a.subordinatedPaid) },
      ];

      // What the period still waits for: its end, and instalments due by then that are neither paid nor defaulted.
      const missing = [];
      if (BigInt(latest.timestamp) < p.endDate) {
        missing.push({
          reason: "PERIOD_NOT_ENDED" as const,
          until: isoOf(p.endDate),
          licenceId: null,
          index: null,
          dueDate: null,
          unpaid: null,
        });
      }
      for (const licenceId of await pool.receivables({ blockTag })) {
        const schedule = await registry.licenceRegistry.scheduleOf(licenceId, { blockTag });
        for (const [index, due] of schedule.entries()) {
          if (due.dueDate > p.endDate) continue;
          const record = await pool.instalmentRecordOf(licenceId, index, { blockTag });
          if (record.defaulted || record.paid >= due.amount) continue;
          missing.push({
            reason: "INSTALMENT_UNPAID" as const,
            until: null,
            licenceId: str(licenceId),
            index,
            dueDate: isoOf(due.dueDate),
            unpaid: str(due.amount - record.paid),
          });
        }
      }

      const outstandingAfter = inflow.outstanding.map((x, i) => x - a.principalPaid[i]);
      return {
        pool: await pool.getAddress(),
        preview: true as const,
        asOf: { blockNumber: latest.number, at: isoOf(latest.timestamp) },
        period: periodNumber(p.period),
        startDate: isoOf(p.startDate),
        endDate: isoOf(p.endDate),
        ready: missing.every((m) => m.reason !== "PERIOD_NOT_ENDED"),
        missing,
        collections: str(p.collections),
        reserveDrawn: str(p.reserveDrawn),
        guarantorCalled: str(p.guarantorCalled),
        guarantorPaid: str(p.guarantorPaid),
        cashToDivide: str(inflow.available),
        dues: { fees: str(inflow.feeDue), interest: inflow.interestDue.map(str) },
        steps: all.filter((s) => s.amount !== "0"),
        after: {
          reserve: str(inflow.reserve - a.reserveReleased + a.reserveToppedUp),
          feeArrears: str(inflow.feeDue - a.feesPaid),
          interestArrears: inflow.interestDue.map((due, i) => str(due - a.interestPaid[i])),
          tranches: outstandingAfter.map((outstanding, tranche) => ({
            tranche,
            outstanding: str(outstanding),
            poolFactor: poolFactor(outstanding, faces[tranche]),
          })),
        },
      };
    },
  );

  api.route(
    router,
    {
      method: "get",
      path: "/pools/:pool/holders/:holder",
      tag: "Pools",
      summary: "A holder's tranche tokens of the pool: balance, what accrued, its claims and what it may claim now",
      description:
        "An investor (or an originator keeping a tranche) reads its own holdings: another account's is 403 " +
        "FORBIDDEN for it. The auditor, the registration office and lenders read any holder's.",
      roles: readers,
      params: holderParams,
      response: holdingsSchema,
    },
    async ({ params, req }) => {
      const org = req.organisation!;
      const holder = getAddress(params.holder);
      const readsAny = org.role === "auditor" || org.role === "registrar" || org.role === "pledgee";
      if (!readsAny && getAddress(org.address) !== holder) {
        throw AppError.of("FORBIDDEN", `${org.role} ${org.address} reads its own holdings, not ${holder}'s`);
      }
      const pool = await knownPool(registry, store, params.pool);
      const latest = (await registry.provider.getBlock("latest"))!;
      const blockTag = latest.number;
      const count = Number(await pool.trancheCount({ blockTag }));
      const tranches = await Promise.all(
        Array.from({ length: count }, async (_, index) => {
          const t = await pool.trancheOf(index, { blockTag });
          const token = TrancheToken__factory.connect(t.token, registry.provider);
          const [name, symbol, balance, accumulated, claimable] = await Promise.all([
            token.name({ blockTag }),
            token.symbol({ blockTag }),
            token.balanceOf(holder, { blockTag }),
            token.accumulatedOf(holder, { blockTag }),
            token.claimableOf(holder, { blockTag }),
          ]);
          return {
            index,
            name,
            symbol,
            token: t.token,
            balance: str(balance),
            outstanding: str((balance * t.outstanding) / t.face),
            accumulated: str(accumulated),
            claimed: str(accumulated - claimable),
            claimable: str(claimable),
          };
        }),
      );
      const claims = await pool.queryFilter(pool.filters.Claimed(undefined, holder), undefined, blockTag);
      return {
        pool: await pool.getAddress(),
        holder,
        asOf: { blockNumber: latest.number, at: isoOf(latest.timestamp) },
        tranches,
        claims: claims.map((e) => ({
          tranche: Number(e.args.tranche),
          amount: str(e.args.amount),
          blockNumber: e.blockNumber,
          transactionHash: e.transactionHash,
        })),
      };
    },
  );
}
