/**
 * The batch half of /v1/valuations: an evaluator's sealed batches and its one signature over each root, then each
 * report's Merkle proof and its materialisation in the register. See ReportBatcher for how reports are batched.
 */
import type { Router } from "express";
import type { Registry } from "../../chain/registry";
import type { Sent } from "../../chain/relayer";
import { AppError } from "../../errors/AppError";
import { organisationOf } from "../../middleware/auth";
import type { ApiDefinition } from "../../openapi/registry";
import { batchAnchoringTypes } from "../../../../definitions/valuationTypedData";
import { strip } from "../assets/router";
import type { ReportBatcher, StoredBatch } from "./batching";
import {
  batchAnchoredSchema,
  batchListSchema,
  batchProofSchema,
  batchesQuery,
  consentBody,
  documentHashParams,
  rootParams,
  writeResultSchema,
} from "./schema";
import { fromStored, toContractForm, toView, typedDataFor } from "./service";

export function batchRoutes(
  api: ApiDefinition,
  router: Router,
  registry: Registry,
  batcher: ReportBatcher,
  batching: string,
) {
  const v = registry.valuationRegistry;
  const relay = registry.relayer;
  const tag = "Valuation reports";
  // Each write's answer from its mined transaction (also a recovered retry's: openapi/registry.ts `Answer`).
  /** A batch anchored: recorded so in the gateway's batches, with its size. */
  const anchored = async (sent: Sent, { params }: { params: { root: string } }) => {
    await batcher.markAnchored(params.root, strip(sent));
    const batch = (await batcher.batch(params.root))!;
    return { root: batch.root, reportCount: batch.reports.length, proof: strip(sent) };
  };
  const materialised = async (sent: Sent, { params }: { params: { documentHash: string } }) => ({
    documentHash: params.documentHash,
    proof: strip(sent),
  });

  api.route(
    router,
    {
      method: "get",
      path: "/valuations/batches",
      tag,
      summary:
        "The calling evaluator's sealed batches; those awaiting its signature come with BatchAnchoring typed data",
      description: batching,
      roles: ["evaluator"],
      query: batchesQuery,
      response: batchListSchema,
    },
    async ({ query, req }) => {
      const evaluator = organisationOf(req).address;
      await batcher.sealIfDue(evaluator);
      const batches = await Promise.all((await batcher.batchesOf(evaluator)).map((b) => batcher.reconcile(b, v)));
      const wanted = batches.filter((b) => query.state === undefined || b.state === query.state);
      return {
        batches: await Promise.all(
          wanted.map(async (b) => ({
            root: b.root,
            evaluator: b.evaluator,
            state: b.state,
            reportCount: b.reports.length,
            documentHashes: b.reports.map((r) => r.documentHash),
            sealedAt: b.sealedAt,
            typedData:
              b.state === "awaiting-signature"
                ? await typedDataFor(
                    registry,
                    batchAnchoringTypes,
                    { root: b.root, reportCount: b.reports.length },
                    evaluator,
                  )
                : null,
            anchoring: b.anchoring,
          })),
        ),
      };
    },
  );

  api.route(
    router,
    {
      method: "post",
      path: "/valuations/batches/:root/signature",
      tag,
      summary: "Anchor a sealed batch with the evaluator's signature over its root (anchorBatchSigned)",
      description: batching,
      roles: ["evaluator"],
      params: rootParams,
      body: consentBody,
      response: batchAnchoredSchema,
    },
    async ({ params, body, req }) => {
      const evaluator = organisationOf(req).address.toLowerCase();
      const batch = await batcher.batch(params.root);
      if (!batch || batch.evaluator !== evaluator) {
        throw AppError.of("NOT_FOUND", `you have no sealed batch ${params.root}`, "root");
      }
      const count = batch.reports.length;
      const sent = await relay.send(
        () => v.anchorBatchSigned.staticCall(batch.root, count, evaluator, body),
        () => v.anchorBatchSigned(batch.root, count, evaluator, body),
      );
      return anchored(sent, { params });
    },
    anchored,
  );

  api.route(
    router,
    {
      method: "get",
      path: "/valuations/:documentHash/proof",
      tag,
      summary: "A batched report's Merkle proof: root, path and whether the batch is anchored",
      description: `Check it yourself with verifyInBatch(root, report, proof) on the valuation registry. ${batching}`,
      params: documentHashParams,
      response: batchProofSchema,
    },
    async ({ params }) => {
      const { placement, batch } = await placed(params.documentHash);
      const report = toView(fromStored(placement.report));
      if (!batch) {
        return {
          documentHash: params.documentHash,
          state: "queued" as const,
          root: null,
          proof: [],
          anchored: false,
          report,
          verifyInBatch: null,
        };
      }
      const current = await batcher.reconcile(batch, v);
      const args = verifyInBatchArguments(batcher, batch, params.documentHash);
      return {
        documentHash: params.documentHash,
        state: current.state,
        root: batch.root,
        proof: args.proof,
        anchored: current.state === "anchored",
        report,
        verifyInBatch: args,
      };
    },
  );

  api.route(
    router,
    {
      method: "post",
      path: "/valuations/:documentHash/materialise",
      tag,
      summary: "Record a batched report in the register with its proof, as if anchored singly (anyone may)",
      params: documentHashParams,
      response: writeResultSchema,
    },
    async ({ params }) => {
      const { placement, batch } = await placed(params.documentHash);
      if (!batch) {
        throw new AppError(
          "BATCH_NOT_FOUND",
          422,
          `report ${params.documentHash} is still queued: its batch is not sealed`,
        );
      }
      const report = fromStored(placement.report);
      const proof = batcher.proofIn(batch, params.documentHash);
      const sent = await relay.send(
        () => v.materialise.staticCall(batch.root, report, proof),
        () => v.materialise(batch.root, report, proof),
      );
      return materialised(sent, { params });
    },
    materialised,
  );

  /** Where the gateway put a report, sealing its queue first if a lost timer left it overdue. */
  async function placed(documentHash: string) {
    const queued = await batcher.placementOf(documentHash);
    if (!queued) {
      throw AppError.of("NOT_FOUND", `this gateway has not batched report ${documentHash}`, "documentHash");
    }
    if (!queued.root) await batcher.sealIfDue(queued.evaluator);
    const placement = (await batcher.placementOf(documentHash))!;
    return { placement, batch: placement.root ? await batcher.batch(placement.root) : undefined };
  }
}

/** verifyInBatch's (and materialise's) arguments for a report of a sealed batch, in the ABI's own form. */
export function verifyInBatchArguments(batcher: ReportBatcher, batch: StoredBatch, documentHash: string) {
  const stored = batch.reports.find((r) => r.documentHash === documentHash.toLowerCase())!;
  return {
    root: batch.root,
    report: toContractForm(fromStored(stored)),
    proof: batcher.proofIn(batch, documentHash),
  };
}
