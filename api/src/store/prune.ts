/**
 * Records that expire: an idempotency record is kept IDEMPOTENCY_RETENTION_HOURS after it last changed (a retry after
 * that runs as a new request), a prepared transaction until its signing window closed (`expiresAt`; it can no longer
 * be broadcast without a key anyway). Every gateway sweeps them every RECORD_SWEEP_INTERVAL_MS, each kind with one SQL
 * DELETE: two gateways sweeping at once delete each row once, and a row another gateway changes meanwhile is judged
 * again on its new version (PostgreSQL re-checks the condition after the row lock), so a record just renewed — a retry
 * claiming its key, a transaction prepared again — is kept. The sweep stops on graceful shutdown, before the database
 * is closed.
 */
import { sql, type Kysely } from "kysely";
import type { ReadModel } from "./schema";
import { IDEMPOTENCY_KIND, PREPARED_KIND } from "./kinds";

export interface Retention {
  /** How long an idempotency record is kept after it last changed. */
  idempotencyMs: number;
  /** "Now", in ms (injected by tests). */
  now?: () => number;
}

/** One sweep of one record scope: how many records of each kind it deleted. */
export async function pruneRecords(db: Kysely<ReadModel>, scope: string, retention: Retention) {
  const now = (retention.now ?? Date.now)();
  const idempotency = await db
    .deleteFrom("gateway_records")
    .where("scope", "=", scope)
    .where("kind", "=", IDEMPOTENCY_KIND)
    .where("updated_at", "<", new Date(now - retention.idempotencyMs))
    .executeTakeFirst();
  const prepared = await db
    .deleteFrom("gateway_records")
    .where("scope", "=", scope)
    .where("kind", "=", PREPARED_KIND)
    .where(sql`(value->>'expiresAt')::int8`, "<=", now)
    .executeTakeFirst();
  return { idempotency: Number(idempotency.numDeletedRows), prepared: Number(prepared.numDeletedRows) };
}

export interface RecordSweep {
  /** Stop sweeping; resolves once a sweep under way has ended. */
  stop(): Promise<void>;
}

/** Sweep every `intervalMs` (the first one right away); a failed sweep is reported and the next one tried. */
export function startRecordSweep(
  db: Kysely<ReadModel>,
  options: Retention & {
    scope?: string;
    intervalMs: number;
    onSwept?: (deleted: Awaited<ReturnType<typeof pruneRecords>>) => void;
    onError?: (error: unknown) => void;
  },
): RecordSweep {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const sweep = () => {
    running = pruneRecords(db, options.scope ?? "", options)
      .then((deleted) => options.onSwept?.(deleted), options.onError)
      .finally(() => {
        if (!stopped) timer = setTimeout(sweep, options.intervalMs).unref();
      });
  };
  sweep();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
