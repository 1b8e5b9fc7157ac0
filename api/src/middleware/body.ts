/**
 * Request bodies are read only once the caller is known. Behind `authenticate`, `protectedBodies` reads JSON (up to
 * MAX_JSON_BYTES) and, for the document uploads, the raw bytes (up to MAX_DOCUMENT_BYTES). A keyless route — its
 * router one of `publicFeatures` in routes/index.ts, mounted before `authenticate` — reads its own body in its spec's
 * `before`, with a small limit (routes/keyless/router.ts), so an anonymous client can never make the gateway buffer
 * more than that.
 */
import express, { Router } from "express";
import type { Config } from "../config/env";

/** Routes whose body is a document's bytes (paths below /v1). */
export const DOCUMENT_UPLOADS = ["/documents", "/valuations/verify"];

/** The body parsers of the authenticated routes (mounted after `authenticate`, before idempotency). */
export function protectedBodies(config: Pick<Config, "MAX_JSON_BYTES" | "MAX_DOCUMENT_BYTES">) {
  const router = Router();
  // Documents are taken as raw bytes whatever their media type (a JSON file must be hashed as sent, not parsed),
  // before the JSON parser and before idempotency, which must see the bytes to tell two uploads apart.
  router.post(DOCUMENT_UPLOADS, express.raw({ type: () => true, limit: config.MAX_DOCUMENT_BYTES }));
  router.use(express.json({ limit: config.MAX_JSON_BYTES }));
  return router;
}
