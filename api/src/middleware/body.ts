/**
 * Request bodies are read only once the caller is known. Behind `authenticate`, `protectedBodies` reads JSON (up to
 * MAX_JSON_BYTES) and, for the document uploads, the raw bytes (up to MAX_DOCUMENT_BYTES). A public route — mounted
 * before `authenticate`, see `publicFeatures` in routes/index.ts — reads its own body at the route, with the small
 * PUBLIC_JSON_BYTES limit (`ApiDefinition.route` does it for a spec marked `public: true`), so an anonymous client
 * can never make the gateway buffer more than that.
 */
import express, { Router } from "express";
import type { Config } from "../config/env";

/** The most an anonymous client may send: a signature or a signed transaction fits with room to spare. */
export const PUBLIC_JSON_BYTES = 64 * 1024;

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

/** A public route's JSON body, read at the route. */
export const publicJsonBody = express.json({ limit: PUBLIC_JSON_BYTES });
