/**
 * /v1/documents — the report files behind the anchored hashes, stored content-addressed (the address is the
 * SHA-256), so that a bank can fetch exactly the bytes a loan relied on and hash them again.
 */
import { ZeroHash } from "ethers";
import express, { type Request, type RequestHandler, type Router } from "express";
import type { ApiDefinition } from "../../openapi/registry";
import type { GatewayParts } from "../../parts";
import { sha256Hex } from "../../documents/store";
import { AppError } from "../../errors/AppError";
import { batchingStateOf } from "./batching";
import { binary, documentAnchoringSchema, documentHashParams, documentSchema } from "./schema";

/** The request body as a file's bytes: any media type, up to `limit` bytes (413 PAYLOAD_TOO_LARGE beyond). */
export function rawDocumentBody(limit: number): RequestHandler[] {
  return [
    express.raw({ type: () => true, limit }),
    // (server.ts reads document uploads as raw bytes before the JSON parser, so a JSON file arrives as sent.)
    (req, _res, next) => {
      if (Buffer.isBuffer(req.body) && req.body.length > 0) return next();
      next(AppError.of("VALIDATION_FAILED", "body: the document's bytes are required", "body"));
    },
  ];
}

export const bytesOf = (req: Request) => req.body as Buffer;

export function documentRoutes(api: ApiDefinition, router: Router, parts: GatewayParts, rawDocument: RequestHandler[]) {
  const { store } = parts;

  api.route(
    router,
    {
      method: "post",
      path: "/documents",
      tag: "Documents",
      summary: "Store a document (content-addressed by its SHA-256)",
      description:
        `The raw body is the file, of any media type, up to ${parts.config.MAX_DOCUMENT_BYTES} bytes. ` +
        "Storing the same bytes again is harmless: the address is the hash.",
      before: rawDocument,
      body: binary,
      bodyMediaType: "application/octet-stream",
      response: documentSchema,
      status: 201,
    },
    async ({ req }) => {
      const bytes = bytesOf(req);
      // Its media type first, then the bytes: a crash in between leaves a media type without a document, which
      // nobody sees (GET answers 404), never a document served without its media type.
      const documentHash = sha256Hex(bytes);
      if (!store.getRecord("document-meta", documentHash)) {
        store.putRecord("document-meta", documentHash, { mediaType: req.get("content-type") ?? null });
      }
      store.putDocument(bytes);
      return { documentHash, bytes: bytes.length };
    },
  );

  api.route(
    router,
    {
      method: "get",
      path: "/documents/:documentHash",
      tag: "Documents",
      summary: "Fetch a stored document's bytes (hash them to check)",
      description:
        "The bytes are confidential (signed contracts, valuation reports): any organisation's key may fetch them, " +
        "nobody without one. To check a report without a key, hash the file and ask the valuation registry on chain.",
      params: documentHashParams,
      response: binary,
      responseMediaType: "application/octet-stream",
    },
    async ({ params, res }) => {
      const bytes = store.getDocument(params.documentHash);
      if (!bytes) throw AppError.of("NOT_FOUND", `no document ${params.documentHash} in the store`, "documentHash");
      const meta = store.getRecord<{ mediaType: string | null }>("document-meta", params.documentHash);
      // Served as a download with the media type it was uploaded with, never rendered on the gateway's origin.
      res.setHeader("Content-Disposition", `attachment; filename="${params.documentHash.slice(2)}"`);
      res.type(meta?.mediaType ?? "application/octet-stream").send(bytes);
      return "";
    },
  );

  api.route(
    router,
    {
      method: "get",
      path: "/documents/:documentHash/anchoring",
      tag: "Documents",
      summary: "Whether a stored document is anchored: on chain, in a batch, or stored only",
      description:
        "Storing a report file (POST /v1/documents) and anchoring its hash (POST /v1/valuations, with the " +
        "evaluator's signature) are two requests. A document whose anchoring never came — the evaluator stopped, or " +
        "the gateway was stopped in between, even by kill -9 — is kept and answered here as `stored`: the gateway " +
        "holds no evaluator's key, so it cannot anchor it alone; the evaluator anchors it with a fresh signature. " +
        "Anchoring refuses a hash whose file is not stored, so every anchored report's file is here.",
      params: documentHashParams,
      response: documentAnchoringSchema,
    },
    async ({ params }) => {
      const documentHash = params.documentHash.toLowerCase();
      if (!store.getDocument(documentHash)) {
        throw AppError.of("NOT_FOUND", `no document ${documentHash} in the store`, "documentHash");
      }
      const v = parts.registry.valuationRegistry;
      const [record, batchRoot] = await v.reportOf(documentHash);
      if (record.status !== 0n) {
        const [anchored] = await v.queryFilter(v.filters.ReportAnchored(documentHash));
        return {
          documentHash,
          state: "anchored" as const,
          batchRoot: batchRoot === ZeroHash ? null : batchRoot,
          proof: anchored ? { transactionHash: anchored.transactionHash, blockNumber: anchored.blockNumber } : null,
        };
      }
      const batched = await batchingStateOf(parts.records, v, documentHash);
      if (!batched) return { documentHash, state: "stored" as const, batchRoot: null, proof: null };
      const state = batched.state === "anchored" ? ("anchored-in-batch" as const) : batched.state;
      return { documentHash, state, batchRoot: batched.root, proof: null };
    },
  );
}
