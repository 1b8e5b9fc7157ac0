/**
 * GET /v1/valuations — the calling evaluator's reports, for the web app's list of the firm's reports: those in the
 * register (every ReportAnchored of the evaluator, with its state and verdict now) and those this gateway holds in
 * a queue or a batch not materialised yet.
 */
import type { Router } from "express";
import { z } from "zod";
import type { Registry } from "../../chain/registry";
import { organisationOf } from "../../middleware/auth";
import type { ApiDefinition } from "../../openapi/registry";
import { instantOut, proofSchema } from "../../openapi/schemas";
import { VALUATION_VERDICTS } from "../../../../definitions/enumNames";
import type { ReportBatcher } from "./batching";
import { REPORT_STATUSES, reportSchema } from "./schema";
import { fromStored, readReport, toView } from "./service";

export const STAGES = ["queued", "awaiting-signature", "anchored-in-batch", "registered"] as const;

const listedReportSchema = z
  .object({
    documentHash: z.string(),
    stage: z.enum(STAGES).openapi({
      description:
        "queued: in this gateway's next batch, not sealed; awaiting-signature: in a sealed batch whose root the " +
        "evaluator has not signed; anchored-in-batch: its batch is on chain, the report not materialised; " +
        "registered: the register records it (status and verdict say how it stands)",
    }),
    status: z.enum(REPORT_STATUSES).nullable(),
    verdict: z.enum(VALUATION_VERDICTS).nullable(),
    anchoredAt: instantOut,
    supersededBy: z.string().nullable(),
    batchRoot: z.string().nullable(),
    report: reportSchema,
    proof: proofSchema.nullable().openapi({ description: "the transaction that recorded it; null until registered" }),
  })
  .openapi("ListedValuationReport");

export const reportListSchema = z.object({ reports: z.array(listedReportSchema) }).openapi("ValuationReportList");

export function listingRoute(api: ApiDefinition, router: Router, registry: Registry, batcher: ReportBatcher) {
  const v = registry.valuationRegistry;
  api.route(
    router,
    {
      method: "get",
      path: "/valuations",
      tag: "Valuation reports",
      summary: "The calling evaluator's reports: in the register (state, verdict) and queued or batched here",
      description: "Newest first: the register's reports by block, then those waiting in this gateway's batches.",
      roles: ["evaluator"],
      response: reportListSchema,
    },
    async ({ req }) => {
      const evaluator = organisationOf(req).address;
      const logs = await v.queryFilter(v.filters.ReportAnchored(undefined, evaluator));
      const hashes = [...new Set(logs.map((l) => l.args.documentHash.toLowerCase()))].reverse();
      const registered = (await Promise.all(hashes.map((h) => readReport(registry, h)))).flatMap((r) =>
        r
          ? [
              {
                documentHash: r.documentHash.toLowerCase(),
                stage: "registered" as const,
                status: r.status,
                verdict: r.verdict,
                anchoredAt: r.anchoredAt,
                supersededBy: r.supersededBy,
                batchRoot: r.batchRoot,
                report: r.report,
                proof: r.proof,
              },
            ]
          : [],
      );
      const known = new Set(hashes);
      const waiting =
        (stage: (typeof STAGES)[number], root: string | null) => (report: Parameters<typeof fromStored>[0]) => ({
          documentHash: report.documentHash.toLowerCase(),
          stage,
          status: null,
          verdict: null,
          anchoredAt: null,
          supersededBy: null,
          batchRoot: root,
          report: toView(fromStored(report)),
          proof: null,
        });
      const batched = (
        await Promise.all((await batcher.batchesOf(evaluator)).map((b) => batcher.reconcile(b, v)))
      ).flatMap((b) =>
        b.reports.map(waiting(b.state === "anchored" ? "anchored-in-batch" : "awaiting-signature", b.root)),
      );
      const queued = (await batcher.queuedOf(evaluator)).map(waiting("queued", null));
      return {
        reports: [...registered, ...[...queued, ...batched.reverse()].filter((r) => !known.has(r.documentHash))],
      };
    },
  );
}
