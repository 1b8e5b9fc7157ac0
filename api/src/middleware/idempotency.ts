/**
 * `Idempotency-Key` on writes: a retry with the same key and the same request gets the first response again and
 * sends no second transaction; the same key with another request is 409 IDEMPOTENCY_KEY_REUSED; a retry while the
 * first is still running — even when the client that sent it has disconnected — is 409 IDEMPOTENCY_IN_PROGRESS.
 *
 * Records are per organisation, in the gateway's records (the database every gateway shares), so a retry sent to
 * another gateway finds them. The request is recorded IN PROGRESS before its handler runs, and the hash of every
 * transaction it sends is added before the transaction is broadcast (chain/sentTransactions.ts); the answer replaces
 * the record before it is sent. While the request runs, its gateway renews the record's lease five times per lease
 * (IDEMPOTENCY_LEASE_MS); a retry meanwhile is 409 IDEMPOTENCY_IN_PROGRESS. A lease not renewed for that long is a gateway
 * that died: a retry then answers from the chain and never sends again — mined and successful, with the route's own
 * answer built from the receipts (the route's `Answer`, openapi/registry.ts: the same body as a first success); a mined
 * revert as the 422 it would have been; one still pending as 202. With no transaction sent, it runs the request anew.
 */
import { createHash } from "node:crypto";
import type { NextFunction, Request, Response } from "express";
import { AppError } from "../errors/AppError";
import type { Registry } from "../chain/registry";
import { TransactionPending, type Sent } from "../chain/relayer";
import { watchSentTransactions } from "../chain/sentTransactions";
import { transactionStatus } from "../routes/transactions/status";
import type { RecordStore } from "../store/records";
import { markRecovered } from "./recoveredWrite";
import { IDEMPOTENCY_KIND } from "../store/kinds";

const KIND = IDEMPOTENCY_KIND;

/** A mined transaction as the relayer's `send` gives it (the version mined, after fee bumps); undefined if not mined. */
async function sentOf(registry: Registry, hash: string): Promise<Sent | undefined> {
  for (const version of registry.relayer.versionsOf(hash)) {
    const receipt = await registry.provider.getTransactionReceipt(version);
    if (receipt) return { transactionHash: receipt.hash, blockNumber: receipt.blockNumber, receipt };
  }
  return undefined;
}

/** A request's gateway renews its lease five times in this period; a lease older than it belongs to a dead one. */
export const DEFAULT_LEASE_MS = 10_000;

type IdempotencyRecord =
  | { state: "in-progress"; requestHash: string; renewedAt: number; transactions: string[] }
  | { state: "done"; requestHash: string; status: number; body: unknown }
  /** Failed without an answer worth keeping (5xx) and sent nothing: the key is free again. */
  | { state: "released"; requestHash: string };

type InProgress = Extract<IdempotencyRecord, { state: "in-progress" }>;

const hash = (text: string) => createHash("sha256").update(text).digest("hex");

/** Records written before this change have no state: they are answers. */
const stateOf = (record: IdempotencyRecord) => record.state ?? "done";

export function idempotency(records: RecordStore, registry: Registry, leaseMs = DEFAULT_LEASE_MS) {
  const leaseHeld = (record: InProgress) => Date.now() - record.renewedAt < leaseMs;
  return async (req: Request, res: Response, next: NextFunction) => {
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

    try {
      // Claim the key, or find who has it: one transaction, so two gateways never both run the request.
      const previous = await records.change(async (tx) => {
        const found = await tx.get<IdempotencyRecord>(KIND, id);
        const abandoned = found?.state === "in-progress" && found.transactions.length === 0 && !leaseHeld(found);
        if (found && found.state !== "released" && !abandoned) return found;
        await tx.put(KIND, id, { state: "in-progress", requestHash, renewedAt: Date.now(), transactions: [] });
        return undefined;
      });
      if (previous) {
        if (previous.requestHash !== requestHash) {
          throw AppError.of("IDEMPOTENCY_KEY_REUSED", "this Idempotency-Key was used for another request");
        }
        if (stateOf(previous) === "done") {
          const done = previous as Extract<IdempotencyRecord, { state: "done" }>;
          res.setHeader("Idempotent-Replayed", "true");
          return res.status(done.status).json(done.body);
        }
        const running = previous as InProgress;
        if (leaseHeld(running)) {
          throw AppError.of("IDEMPOTENCY_IN_PROGRESS", "a request with this Idempotency-Key is still running");
        }
        return await answerFromChain(id, running, req, res, next);
      }
    } catch (error) {
      return next(error);
    }

    let answered = false;
    let sent = 0;
    const renew = () =>
      records.change(async (tx) => {
        const current = await tx.get<IdempotencyRecord>(KIND, id);
        if (current?.state === "in-progress") await tx.put(KIND, id, { ...current, renewedAt: Date.now() });
      });
    const lease = setInterval(() => void renew().catch(() => {}), leaseMs / 5);
    lease.unref();
    recordAnswer(req, res, id, requestHash, () => {
      answered = true;
      clearInterval(lease);
      return sent;
    });
    // An answer that is not JSON (none of the writes has one) is not remembered; the key is free again.
    res.once("finish", () => {
      clearInterval(lease);
      if (!answered && sent === 0) void records.put(KIND, id, { state: "released", requestHash }).catch(() => {});
    });
    const onSent = async (transaction: string) => {
      sent++;
      await records.change(async (tx) => {
        const current = await tx.get<IdempotencyRecord>(KIND, id);
        if (current?.state !== "in-progress") return;
        await tx.put(KIND, id, { ...current, transactions: [...current.transactions, transaction] });
      });
    };
    watchSentTransactions(onSent, () => next());
  };

  /**
   * The answer is recorded before it is sent: successes and refusals (4xx). A 5xx may be retried for real — unless a
   * transaction was sent (`answering()` says how many), whose outcome a retry then reads from the chain.
   */
  function recordAnswer(req: Request, res: Response, id: string, requestHash: string, answering: () => number) {
    const json = res.json.bind(res);
    let answered = false;
    res.json = (payload: unknown) => {
      if (answered) return res;
      answered = true;
      const sent = answering();
      const status = res.statusCode;
      const record: IdempotencyRecord | undefined =
        status < 500
          ? { state: "done", requestHash, status, body: payload }
          : sent === 0
            ? { state: "released", requestHash }
            : undefined;
      const recorded = record ? records.put(KIND, id, record) : Promise.resolve();
      recorded
        .catch((err) => req.log?.error({ err }, "idempotency: recording the answer failed"))
        .finally(() => json(payload));
      return res;
    };
  }

  /**
   * A request whose gateway died after it sent its transaction(s): what the last one came to, from the chain. Mined
   * and successful, the route answers it from the receipts (its `answer`, openapi/registry.ts), as its first attempt
   * would have; its handler does not run again.
   */
  async function answerFromChain(id: string, record: InProgress, req: Request, res: Response, next: NextFunction) {
    const last = record.transactions.at(-1)!;
    const outcome = await transactionStatus(registry, last).catch((error) => {
      if (error instanceof AppError && error.code === "NOT_FOUND") return undefined;
      throw error;
    });
    if (!outcome || outcome.status === "PENDING" || outcome.status === "DROPPED") {
      // Sent and not mined (or not seen by the chain yet): its sender may still be waiting for it.
      if (outcome?.status === "PENDING") throw new TransactionPending(last);
      throw new AppError(
        "IDEMPOTENCY_IN_PROGRESS",
        409,
        "a request with this Idempotency-Key is still running",
        undefined,
        { transactionHash: last },
      );
    }
    res.setHeader("Idempotent-Replayed", "true");
    if (outcome.status === "FAILED") {
      const { code, message } = outcome.error!;
      const details = "details" in outcome.error! ? outcome.error.details : {};
      const at = { transactionHash: outcome.transactionHash, blockNumber: outcome.blockNumber };
      const answer = { status: 422, body: { error: { code, message, details: { ...details, ...at } } } };
      // Mined: final, so it is the key's answer from now on.
      await records.put(KIND, id, { state: "done", requestHash: record.requestHash, ...answer });
      return res.status(answer.status).json(answer.body);
    }
    const earlier = await Promise.all(record.transactions.slice(0, -1).map((hash) => sentOf(registry, hash)));
    const sent = await sentOf(registry, outcome.transactionHash);
    if (!sent) throw new TransactionPending(last); // its receipt went away meanwhile (a reorg): not final yet
    markRecovered(req, { sent, earlier: earlier.filter((e) => e !== undefined), outcome });
    recordAnswer(req, res, id, record.requestHash, () => record.transactions.length);
    next();
  }
}
