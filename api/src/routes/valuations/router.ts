/**
 * /v1/documents and /v1/valuations — SPEC §5. The gateway stores report files content-addressed and anchors their
 * SHA-256 in the valuation registry. Signing stays with the parties: the gateway never holds an evaluator's key. It
 * hands out EIP-712 typed data, takes the evaluator's signature and relays it with its own key.
 */
import { Router } from "express";
import { z } from "zod";
import type { AppParts } from "../../parts";
import { recordsOf } from "../../store/records";
import type { ApiDefinition } from "../../openapi/registry";
import type { Sent } from "../../chain/relayer";
import { sha256Hex } from "../../documents/store";
import { AppError } from "../../errors/AppError";
import { organisationOf } from "../../middleware/auth";
import { reportAnchoringTypes, reportRevocationTypes } from "../../../../definitions/valuationTypedData";
import { strip } from "../assets/router";
import { batchRoutes, verifyInBatchArguments } from "./batchRoutes";
import { ReportBatcher, type BatchingOptions } from "./batching";
import { listReports, readReportAt, reportListQuery, reportListSchema } from "./indexed";
import { indexOnly } from "../../indexer/gatewayIndex";
import { bytesOf, documentRoutes, rawDocumentBody } from "./documents";
import { listingRoute } from "./listing";
import {
  anchorBody,
  batchedReportSchema,
  binary,
  documentHashParams,
  queuedResultSchema,
  reportFieldsBody,
  reportViewSchema,
  revocationTypedDataBody,
  revocationTypedDataSchema,
  revokeBody,
  typedDataResultSchema,
  verifyResultSchema,
  writeResultSchema,
} from "./schema";
import {
  fromStored,
  precheckAnchoring,
  requireDocument,
  requireOwnReport,
  toOnChain,
  toView,
  typedDataFor,
} from "./service";

const TWO_STEPS =
  "Signing stays with the evaluator: the gateway never holds its key. Step 1 returns EIP-712 typed data (with a " +
  "fresh nonce and a deadline) for the evaluator's own wallet; step 2 takes the signature and the gateway relays " +
  "it with its own key.";
const batchingOf = (batcher: ReportBatcher) =>
  `Batching: POST /v1/valuations with batch=true queues a report instead; every ${batcher.batchSize} reports, or ` +
  `${batcher.batchSeconds} s after the first, the evaluator's queue is sealed into a Merkle tree (a batch). ` +
  "Because the gateway never holds the evaluator's key, a sealed batch waits for one BatchAnchoring signature over " +
  "its root (GET /v1/valuations/batches) — one signature per batch instead of one per report — and is then anchored " +
  "in one transaction (POST /v1/valuations/batches/{root}/signature). Each report is proven by its Merkle path " +
  "(GET /v1/valuations/{documentHash}/proof) and recorded in the register, as if anchored singly, with " +
  "POST /v1/valuations/{documentHash}/materialise.";

export function valuationsRouter(api: ApiDefinition, given: AppParts, options: BatchingOptions = {}) {
  const router = Router();
  const parts = { ...given, records: recordsOf(given) };
  const { registry, store } = parts;
  const v = registry.valuationRegistry;
  const relay = registry.relayer;
  // Each write's answer from its mined transaction (also a recovered retry's: openapi/registry.ts `Answer`).
  const anchoredReport = async (sent: Sent, { body }: { body: { report: { documentHash: string } } }) => ({
    documentHash: body.report.documentHash,
    proof: strip(sent),
  });
  const revoked = async (sent: Sent, { params }: { params: { documentHash: string } }) => ({
    documentHash: params.documentHash,
    proof: strip(sent),
  });
  const batcher = new ReportBatcher(parts.records, parts.logger, options);
  const tag = "Valuation reports";
  const batching = batchingOf(batcher);

  const rawDocument = rawDocumentBody(parts.config.MAX_DOCUMENT_BYTES);
  documentRoutes(api, router, parts, rawDocument);

  api.route(
    router,
    {
      method: "get",
      path: "/valuations/reports",
      tag,
      summary: "Reports by evaluator, state and asset, in pages",
      description:
        "From the read model only (`currentToBlock`), in anchoring order; every filter given must match. Pages: " +
        "`limit` and `cursor` = the previous page's `nextCursor`. While the read model lags behind a write this " +
        "gateway answered (or is not open): 503 INDEX_BEHIND.",
      query: reportListQuery,
      response: reportListSchema,
    },
    async ({ query }) => {
      const { index, currentToBlock } = await indexOnly(parts.index);
      return { ...(await listReports(index, query)), currentToBlock };
    },
  );

  api.route(
    router,
    {
      method: "post",
      path: "/valuations/typed-data",
      tag,
      summary: "Step 1 of anchoring a report: the ReportAnchoring typed data for the evaluator to sign",
      description:
        `${TWO_STEPS} The report file must be uploaded first (POST /v1/documents); the register's rules are checked ` +
        "now, so a refusal (422) comes before anyone signs.",
      roles: ["evaluator"],
      body: reportFieldsBody,
      response: typedDataResultSchema,
    },
    async ({ body, req }) => {
      const evaluator = organisationOf(req).address;
      requireDocument(store, body.documentHash, "documentHash");
      await requireNotBatched(body.documentHash, "documentHash");
      const report = toOnChain(body, evaluator);
      await precheckAnchoring(registry, report);
      return {
        report: toView(report),
        typedData: await typedDataFor(registry, reportAnchoringTypes, { report }, evaluator),
      };
    },
  );

  api.route(
    router,
    {
      method: "post",
      path: "/valuations",
      tag,
      summary: "Step 2: anchor a signed report (201), or queue it for the next batch with batch=true (202)",
      description: `${TWO_STEPS}\n\n${batching}`,
      roles: ["evaluator"],
      body: anchorBody,
      response: z.union([writeResultSchema, queuedResultSchema]),
      status: 201,
    },
    async ({ body, req, res }) => {
      const evaluator = organisationOf(req).address;
      if (body.report.evaluator) requireOwnReport(body.report.evaluator, evaluator);
      const report = toOnChain(body.report, evaluator);
      requireDocument(store, report.documentHash, "report.documentHash");
      await requireNotBatched(report.documentHash, "report.documentHash");
      if (body.batch) {
        await precheckAnchoring(registry, report);
        const placement = await batcher.enqueue(report);
        const queued = {
          documentHash: report.documentHash,
          state: placement.root ? ("awaiting-signature" as const) : ("queued" as const),
          root: placement.root,
        };
        res.status(202).json(queued);
        return queued;
      }
      const consent = { signature: body.signature!, nonce: body.nonce!, deadline: body.deadline! };
      const sent = await relay.send(
        () => v.anchorSigned.staticCall(report, consent),
        () => v.anchorSigned(report, consent),
      );
      return anchoredReport(sent, { body });
    },
    anchoredReport,
  );

  listingRoute(api, router, registry, batcher);
  // Before GET /valuations/:documentHash, which would take "batches" for a document hash.
  batchRoutes(api, router, registry, batcher, batching);

  api.route(
    router,
    {
      method: "post",
      path: "/valuations/verify",
      tag,
      summary: "Check a report file: hash it, ask the register (anchored or not, by whom, when, still valid or not)",
      description:
        "The raw body is the file; it is not stored. Anyone can do the same without the gateway: SHA-256 the file " +
        "and call reportOf and verdictFor on the valuation registry.",
      before: rawDocument,
      body: binary,
      bodyMediaType: "application/octet-stream",
      response: verifyResultSchema,
    },
    async ({ req }) => {
      const documentHash = sha256Hex(bytesOf(req));
      return (await readReportAt(parts.index, registry, documentHash)) ?? (await notAnchored(documentHash));
    },
  );

  api.route(
    router,
    {
      method: "get",
      path: "/valuations/:documentHash",
      tag,
      summary: "A report as the register records it: evaluator, state, validity, batch, supersession, verdict, proof",
      description:
        "A report of a sealed batch of this gateway that nobody has materialised is answered with its batch and " +
        "its proof (source: batch), with verifyInBatch's arguments in the ABI's own form; 404 while it is only queued.",
      params: documentHashParams,
      response: z.union([reportViewSchema, batchedReportSchema]),
    },
    async ({ params }) => {
      const found = await readReportAt(parts.index, registry, params.documentHash);
      if (found) return found;
      const placement = await batcher.placementOf(params.documentHash);
      const batch = placement?.root ? await batcher.batch(placement.root) : undefined;
      if (batch) {
        const current = await batcher.reconcile(batch, v);
        return {
          documentHash: params.documentHash,
          source: "batch" as const,
          anchored: current.state === "anchored",
          materialised: false as const,
          batch: { root: batch.root, evaluator: batch.evaluator, state: current.state, anchoring: current.anchoring },
          report: toView(fromStored(placement!.report)),
          verifyInBatch: verifyInBatchArguments(batcher, batch, params.documentHash),
        };
      }
      const hint = placement ? "; it is queued in this gateway's next batch, which is not sealed yet" : "";
      throw AppError.of("NOT_FOUND", `the register has no report ${params.documentHash}${hint}`, "documentHash");
    },
  );

  api.route(
    router,
    {
      method: "post",
      path: "/valuations/:documentHash/revoke/typed-data",
      tag,
      summary: "Step 1 of an evaluator's revocation: the ReportRevocation typed data to sign",
      description: TWO_STEPS,
      roles: ["evaluator"],
      params: documentHashParams,
      body: revocationTypedDataBody,
      response: revocationTypedDataSchema,
    },
    async ({ params, body, req }) => {
      const evaluator = organisationOf(req).address;
      await requireEvaluatorOf(params.documentHash, evaluator);
      const fields = { documentHash: params.documentHash, reason: body.reason };
      return { typedData: await typedDataFor(registry, reportRevocationTypes, fields, evaluator) };
    },
  );

  api.route(
    router,
    {
      method: "post",
      path: "/valuations/:documentHash/revoke",
      tag,
      summary: "Revoke a report with a reason: its evaluator (step 2, with its signature) or the registrar",
      description:
        `An evaluator: ${TWO_STEPS} The registrar revokes without a signature (e.g. the evaluator lost its ` +
        "licence); the gateway's relayer acts for the registration office.",
      roles: ["evaluator", "registrar"],
      params: documentHashParams,
      body: revokeBody,
      response: writeResultSchema,
    },
    async ({ params, body, req }) => {
      const organisation = organisationOf(req);
      const hash = params.documentHash;
      if (organisation.role === "registrar") {
        const sent = await relay.send(
          () => v.revokeAsRegistrar.staticCall(hash, body.reason),
          () => v.revokeAsRegistrar(hash, body.reason),
        );
        return revoked(sent, { params });
      }
      for (const field of ["signature", "nonce", "deadline"] as const) {
        if (body[field] === undefined) {
          throw AppError.of(
            "VALIDATION_FAILED",
            `${field}: an evaluator revokes with its signature over the typed data of …/revoke/typed-data`,
            field,
          );
        }
      }
      await requireEvaluatorOf(hash, organisation.address);
      const consent = { signature: body.signature!, nonce: body.nonce!, deadline: body.deadline! };
      const sent = await relay.send(
        () => v.revoke.staticCall(hash, body.reason, consent),
        () => v.revoke(hash, body.reason, consent),
      );
      return revoked(sent, { params });
    },
    revoked,
  );

  /** A report the gateway queued or batched may not be anchored again, singly or in another batch. */
  async function requireNotBatched(documentHash: string, field: string) {
    if (await batcher.placementOf(documentHash)) {
      throw new AppError("REPORT_ALREADY_BATCHED", 422, `report ${documentHash} is already in a batch`, field);
    }
  }

  async function notAnchored(documentHash: string) {
    const placement = await batcher.placementOf(documentHash);
    const batch = placement?.root ? await batcher.batch(placement.root) : undefined;
    return {
      documentHash,
      anchored: false as const,
      batch: placement
        ? { root: placement.root, anchored: batch ? (await batcher.reconcile(batch, v)).state === "anchored" : false }
        : null,
    };
  }

  async function requireEvaluatorOf(documentHash: string, evaluator: string) {
    const [record] = await v.reportOf(documentHash);
    if (record.status === 0n) {
      throw AppError.of("NOT_FOUND", `the register has no report ${documentHash}`, "documentHash");
    }
    requireOwnReport(record.evaluator, evaluator);
  }

  return Object.assign(router, { close: () => batcher.close() });
}
