/**
 * `Idempotency-Key` on writes: a retry with the same key and the same request gets the first response again and
 * sends no second transaction; the same key with another request is 409 IDEMPOTENCY_KEY_REUSED; a retry while the
 * first is still running — even when the client that sent it has disconnected — is 409 IDEMPOTENCY_IN_PROGRESS.
 * Records are per organisation, kept in the document store.
 */
import { createHash } from "node:crypto";
import type { NextFunction, Request, Response } from "express";
import { AppError } from "../errors/AppError";
import type { DocumentStore } from "../documents/store";

interface IdempotencyRecord {
  requestHash: string;
  status: number;
  body: unknown;
}

const hash = (text: string) => createHash("sha256").update(text).digest("hex");

export function idempotency(store: DocumentStore) {
  const inFlight = new Set<string>();
  return (req: Request, res: Response, next: NextFunction) => {
    const key = req.header("idempotency-key");
    if (req.method !== "POST" || key === undefined) return next();
    if (!/^[\x21-\x7e]{1,200}$/.test(key)) {
      return next(
        AppError.of("VALIDATION_FAILED", "Idempotency-Key must be 1–200 visible ASCII characters", "Idempotency-Key"),
      );
    }
    const id = hash(`${req.organisation?.id ?? "anonymous"}:${key}`);
    const body = Buffer.isBuffer(req.body) ? hash(req.body.toString("base64")) : JSON.stringify(req.body ?? null);
    const requestHash = hash(`${req.method} ${req.originalUrl} ${body}`);

    const previous = store.getRecord<IdempotencyRecord>("idempotency", id);
    if (previous) {
      if (previous.requestHash !== requestHash) {
        return next(AppError.of("IDEMPOTENCY_KEY_REUSED", "this Idempotency-Key was used for another request"));
      }
      res.setHeader("Idempotent-Replayed", "true");
      return res.status(previous.status).json(previous.body);
    }
    if (inFlight.has(id)) {
      return next(AppError.of("IDEMPOTENCY_IN_PROGRESS", "a request with this Idempotency-Key is still running"));
    }
    // In progress until the request's own answer is written — not until the client goes away: a client that gives
    // up does not stop the write, so its retry must wait for (and then replay) the first answer.
    inFlight.add(id);
    const json = res.json.bind(res);
    res.json = (payload: unknown) => {
      // Only outcomes are remembered: successes and refusals (4xx). A 5xx may be retried for real.
      if (res.statusCode < 500)
        store.putRecord("idempotency", id, { requestHash, status: res.statusCode, body: payload });
      return json(payload);
    };
    // Every answer ends here (JSON or not, the client still connected or not).
    const end = res.end.bind(res) as (...args: unknown[]) => Response;
    res.end = ((...args: unknown[]) => {
      inFlight.delete(id);
      return end(...args);
    }) as Response["end"];
    next();
  };
}
