/**
 * Routes the browser app needs without an API key (mounted before authentication):
 * - GET /v1/public/valuations/:documentHash — the public verify page's question "is this file's hash anchored, by
 *   whom, when, still valid?". Only what anyone can read from the valuation registry on chain (reportOf,
 *   verdictFor, the ReportAnchored event): no document, no value, nothing this gateway holds privately.
 * - GET /v1/public/registrations/:registrationNumber — a registration notice's facts and proof (registration.ts).
 * - GET /v1/session — who an API key belongs to (401 without one), so that the app can show the right menus.
 */
import { Router } from "express";
import { z } from "zod";
import type { ApiDefinition } from "../../openapi/registry";
import type { GatewayParts } from "../../parts";
import { proofSchema } from "../../openapi/schemas";
import { documentHashParams, REPORT_STATUSES } from "../valuations/schema";
import { VALUATION_VERDICTS } from "../../../../definitions/enumNames";
import { readReportAt } from "../valuations/indexed";
import { batchingStateOf } from "../valuations/batching";
import { ROLES } from "../../organisations";
import { registrationRoute } from "./registration";

const publicCheckSchema = z
  .object({
    documentHash: z.string(),
    anchored: z.boolean(),
    evaluator: z.string().nullable(),
    status: z.enum(REPORT_STATUSES).nullable(),
    verdict: z.enum(VALUATION_VERDICTS).nullable(),
    validUntil: z.string().nullable(),
    anchoredAt: z.string().nullable(),
    supersededBy: z.string().nullable(),
    proof: proofSchema.nullable(),
    batch: z
      .object({ state: z.enum(["queued", "awaiting-signature", "anchored"]), root: z.string().nullable() })
      .nullable()
      .openapi({
        description:
          "not in the register yet but in this gateway's batching: queued for the next batch, in a sealed batch " +
          "awaiting its evaluator's signature, or in a batch anchored on chain (not recorded singly yet)",
      }),
  })
  .openapi("PublicReportCheck", { description: "What the register says of a report hash; anchored false when never" });

const sessionSchema = z
  .object({ id: z.string(), name: z.string(), role: z.enum(ROLES), address: z.string() })
  .openapi("Session");

export function publicRouter(api: ApiDefinition, parts: Pick<GatewayParts, "registry" | "records" | "index">) {
  const router = Router();
  api.route(
    router,
    {
      method: "get",
      path: "/public/valuations/:documentHash",
      keyless: true,
      tag: "Public",
      summary: "Is a report hash anchored — by whom, when, still valid? No API key needed; the file is never sent",
      description: "For the public verify page: hash the file yourself (SHA-256) and ask by hash.",
      params: documentHashParams,
      response: publicCheckSchema,
    },
    async ({ params }) => {
      const found = await readReportAt(parts.index, parts.registry, params.documentHash);
      if (!found) {
        return {
          documentHash: params.documentHash,
          anchored: false,
          evaluator: null,
          status: null,
          verdict: null,
          validUntil: null,
          anchoredAt: null,
          supersededBy: null,
          proof: null,
          batch: await batchingStateOf(parts.records, parts.registry.valuationRegistry, params.documentHash),
        };
      }
      return {
        documentHash: found.documentHash,
        anchored: true,
        evaluator: found.evaluator,
        status: found.status,
        verdict: found.verdict,
        validUntil: found.validUntil,
        anchoredAt: found.anchoredAt,
        supersededBy: found.supersededBy,
        proof: found.proof,
        batch: null,
      };
    },
  );
  registrationRoute(api, router, parts.registry);
  return router;
}

/** Mounted after authentication: the calling organisation as the directory knows it. */
export function sessionRouter(api: ApiDefinition) {
  const router = Router();
  api.route(
    router,
    {
      method: "get",
      path: "/session",
      tag: "Public",
      summary: "The organisation this API key belongs to (its role decides the web app's menus)",
      response: sessionSchema,
    },
    async ({ req }) => {
      const org = req.organisation!;
      return { id: org.id, name: org.name, role: org.role, address: org.address };
    },
  );
  return router;
}
