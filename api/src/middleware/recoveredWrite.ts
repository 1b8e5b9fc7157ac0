/**
 * A retry answered from its dead first attempt's mined transactions: the idempotency middleware finds them
 * (middleware/idempotency.ts), and the route answers from their receipts (openapi/registry.ts `Answer`).
 * A module of its own so that the route definitions need not import the middleware (and its imports).
 */
import type { Request } from "express";
import type { Sent } from "../chain/relayer";

export interface RecoveredWrite {
  /** The last transaction the first attempt sent, mined and successful. */
  sent: Sent;
  /** The ones it sent before, oldest first. */
  earlier: Sent[];
  /** The last one's status, as GET /v1/transactions/{hash} tells it: the answer of a route without its own. */
  outcome: unknown;
}

const recovered = new WeakMap<Request, RecoveredWrite>();

export const markRecovered = (req: Request, write: RecoveredWrite) => recovered.set(req, write);

/** The receipts a retry is answered from, when its first attempt died after its transaction was mined. */
export const recoveredWriteOf = (req: Request) => recovered.get(req);
