/**
 * /v1/pools — receivable pools (SPEC §6): the pool now, running a period's waterfall (permissionless, so the gateway
 * relays it with its own key), the auditor's trace from licence to claim, and a period's reconciliation as JSON or
 * CSV. Pools are found by address among those the gateway has seen.
 */
import { Router } from "express";
import type { GatewayParts } from "../../parts";
import type { ApiDefinition } from "../../openapi/registry";
import type { Role } from "../../organisations";
import { AppError } from "../../errors/AppError";
import {
  bookedSchema,
  csvSchema,
  distributionSchema,
  periodReconciliationSchema,
  poolListSchema,
  poolParams,
  poolViewSchema,
  reconciliationQuery,
  traceSchema,
} from "./schema";
import { distributionsOf, knownPool, knownPools, periodReconciliation, readPool, reconciliationCsv } from "./service";
import { ReceivablePool__factory, TrancheToken__factory, type ReceivablePool } from "../../../../typechain-types";
import type { Registry } from "../../chain/registry";
import { traceOf } from "./trace";
import { POOL_STATUSES, inPoolTerms } from "./poolContract";
import { prepareRoutes } from "./prepare";
import { previewRoutes } from "./preview"; // webpool
import { indexedPeriodReconciliation, indexedTrace, poolFromIndex } from "./indexed";

/** The pool's tranche tokens, in tranche order. */
async function trancheTokensOf(pool: ReceivablePool) {
  const count = Number(await pool.trancheCount());
  return Promise.all(Array.from({ length: count }, async (_, i) => (await pool.trancheOf(i)).token));
}

/** Whether `holder` holds any of these tranche tokens now (a balance: asked of the chain). */
async function holdsAnyOf(registry: Registry, tokens: string[], holder: string) {
  for (const token of tokens) {
    if ((await TrancheToken__factory.connect(token, registry.provider).balanceOf(holder)) > 0n) return true;
  }
  return false;
}

/** Who reads everything about a pool; investors also see the pool itself, and the trace of a pool they hold. */
export const POOL_READERS: Role[] = ["auditor", "originator", "pledgee", "registrar"];

export function poolsRouter(api: ApiDefinition, parts: GatewayParts) {
  const router = Router();
  const { registry, records: store } = parts;
  const tag = "Pools";

  api.route(
    router,
    {
      method: "get",
      path: "/pools",
      tag,
      summary: "The pools this gateway knows, with their status and how many periods are distributed",
      roles: [...POOL_READERS, "investor"],
      response: poolListSchema,
    },
    async () => ({
      pools: await Promise.all(
        (await knownPools(registry, store)).map(async (address) => {
          if ((await registry.provider.getCode(address)) === "0x") {
            return { pool: address, status: null, periodsDistributed: 0, periods: 0 };
          }
          const pool = ReceivablePool__factory.connect(address, registry.provider);
          const [status, distributed, ends] = await Promise.all([
            pool.status(),
            pool.periodsDistributed(),
            pool.periodEnds(),
          ]);
          return {
            pool: address,
            status: POOL_STATUSES[Number(status)],
            periodsDistributed: Number(distributed),
            periods: ends.length,
          };
        }),
      ),
    }),
  );

  api.route(
    router,
    {
      method: "get",
      path: "/pools/:pool",
      tag,
      summary: "A pool now: status, calendar, tranches (pool factor), buckets, fees, guarantor, and reconcile()",
      roles: [...POOL_READERS, "investor"],
      params: poolParams,
      response: poolViewSchema,
    },
    async ({ params }) => readPool(await knownPool(registry, store, params.pool)),
  );

  api.route(
    router,
    {
      method: "post",
      path: "/pools/:pool/distribute",
      tag,
      summary: "Run the waterfall of the next period once it has ended",
      description:
        "Permissionless on chain, so the gateway sends it with its own key. Answers the period (numbered from 1), " +
        "its report as the pool emitted it (guarantor pull, arrears, each tranche's outstanding and the books after " +
        "it), its digest, each tranche's pool factor after it and every waterfall step. After the scheduled term " +
        "the pool still distributes what arrives, without fees once no tranche is outstanding and without calling " +
        "the guarantor. 422 PERIOD_NOT_ENDED before the " +
        "period's end, its details naming the period (from 1) and its end (ISO 8601).",
      params: poolParams,
      response: distributionSchema,
      status: 201,
    },
    async ({ params }) => {
      const pool = await knownPool(registry, store, params.pool);
      const sent = await registry.relayer
        .send(
          () => pool.distribute.staticCall(),
          () => pool.distribute(),
        )
        .catch((error: unknown) => Promise.reject(inPoolTerms(error)));
      const done = (await distributionsOf(pool)).find((d) => d.proof.transactionHash === sent.transactionHash);
      if (!done) throw new AppError("INTERNAL", 500, "the distribution mined without a PeriodDistributed event");
      return done;
    },
  );

  api.route(
    router,
    {
      method: "post",
      path: "/pools/:pool/book-unsolicited",
      tag,
      summary: "Book payment tokens sent to the pool directly as collections, for the next waterfall",
      description: "Permissionless on chain, so the gateway sends it with its own key. 422 NOTHING_TO_BOOK if none.",
      params: poolParams,
      response: bookedSchema,
      status: 201,
    },
    async ({ params }) => {
      const pool = await knownPool(registry, store, params.pool);
      const sent = await registry.relayer
        .send(
          () => pool.bookUnsolicited.staticCall(),
          () => pool.bookUnsolicited(),
        )
        .catch((error: unknown) => Promise.reject(inPoolTerms(error)));
      const booked = sent.receipt.logs
        .map((log) => pool.interface.parseLog(log))
        .find((parsed) => parsed?.name === "UnsolicitedBooked");
      return {
        amount: String(booked?.args.amount ?? 0n),
        proof: { transactionHash: sent.transactionHash, blockNumber: sent.blockNumber },
      };
    },
  );

  api.route(
    router,
    {
      method: "get",
      path: "/pools/:pool/trace",
      tag,
      summary: "The auditor's trace: licence → instalments → payments → waterfalls → per-tranche credits and claims",
      description:
        "An investor sees the trace of a pool it holds a tranche of (a tranche token balance at its address); of " +
        "any other pool: 403 FORBIDDEN.",
      roles: [...POOL_READERS, "investor"],
      params: poolParams,
      response: traceSchema,
    },
    async ({ params, req }) => {
      // From the index when it can answer (README "Read model"), else from the chain (currentToBlock null).
      const indexed = await poolFromIndex(parts.index, store, params.pool);
      const pool = indexed ? undefined : await knownPool(registry, store, params.pool);
      const org = req.organisation!;
      const tokens = indexed ? indexed.pool.tranches.map((t) => t.token) : await trancheTokensOf(pool!);
      if (org.role === "investor" && !(await holdsAnyOf(registry, tokens, org.address))) {
        throw AppError.of(
          "FORBIDDEN",
          `an investor sees the trace of a pool it holds; ${org.address} holds none of ${params.pool}`,
        );
      }
      if (!indexed) return { ...(await traceOf(registry, pool!)), currentToBlock: null };
      const { index, currentToBlock } = indexed;
      return { ...(await indexedTrace(index, registry, indexed.pool, currentToBlock)), currentToBlock };
    },
  );

  /**
   * A distributed period's reconciliation from the index when it can answer (a fact of the period's block, which it
   * names: no `currentToBlock`); conservation now, and any period while the index cannot answer, from the chain.
   */
  const reconciliationOf = async (address: string, period: number | undefined) => {
    const indexed = period === undefined ? undefined : await poolFromIndex(parts.index, store, address);
    if (indexed) return indexedPeriodReconciliation(indexed.index, indexed.pool, period!);
    return periodReconciliation(registry, await knownPool(registry, store, address), period);
  };

  const wantsCsv = (format: string | undefined, accept: string | undefined) =>
    format === "csv" || (format === undefined && /text\/csv/i.test(accept ?? ""));

  api.route(
    router,
    {
      method: "get",
      path: "/pools/:pool/reconciliation",
      tag,
      summary: "A distributed period's reconciliation: its report's figures, the digest, and conservation then",
      description:
        "For `period` k (from 1): the report's figures and conservation as the pool stood right after period k's " +
        "distribution — the report's `books`, the pool's own reconcile() taken in that transaction and covered by " +
        "the period's digest. Without `period`: conservation now. " +
        "`format=csv` (or `Accept: text/csv`) answers the same figures as CSV: see /pools/{pool}/reconciliation.csv. " +
        "400 for period 0; 404 NOT_FOUND (field query.period) for a period not distributed yet.",
      roles: POOL_READERS,
      params: poolParams,
      query: reconciliationQuery,
      response: periodReconciliationSchema,
    },
    async ({ params, query, req, res }) => {
      const rec = await reconciliationOf(params.pool, query.period);
      if (wantsCsv(query.format, req.header("accept")))
        res.type("text/csv; charset=utf-8").send(reconciliationCsv(rec));
      return rec;
    },
  );

  api.route(
    router,
    {
      method: "get",
      path: "/pools/:pool/reconciliation.csv",
      tag,
      summary: "A distributed period's reconciliation as UTF-8 CSV (section, item, tranche, value)",
      roles: POOL_READERS,
      params: poolParams,
      query: reconciliationQuery,
      response: csvSchema,
      responseMediaType: "text/csv",
    },
    async ({ params, query, res }) => {
      const rec = await reconciliationOf(params.pool, query.period);
      res.type("text/csv; charset=utf-8").send(reconciliationCsv(rec));
      return "";
    },
  );

  prepareRoutes(api, router, parts);
  previewRoutes(api, router, parts, [...POOL_READERS, "investor"]); // webpool: next distribution, holdings

  return router;
}
