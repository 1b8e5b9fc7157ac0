/**
 * Automatic batching of valuation reports. The gateway never holds an evaluator's key, so it cannot anchor a batch
 * by itself: it queues each evaluator's reports, seals the queue into a Merkle tree every `batchSize` reports or
 * `batchSeconds` after the first one, and keeps the sealed batch until the evaluator signs its root (one
 * BatchAnchoring signature for the whole batch instead of one per report). Queues and batches are records in the
 * document store, the gateway's only state: a restarted gateway picks them up again.
 *
 * Records: `valuation-queue/<evaluator>` (reports waiting), `valuation-batch/<root>` (a sealed batch),
 * `valuation-batches/<evaluator>` (its roots), `valuation-batched/<documentHash>` (where a report went) and
 * `valuation-queues/open` (evaluators with a waiting queue, to restart their timers). Every change is made without
 * awaiting in between, so requests of one process never interleave inside it.
 */
import type { Registry } from "../../chain/registry";
import type { DocumentStore } from "../../documents/store";
import { AppError } from "../../errors/AppError";
import type { Logger } from "../../logger";
import { buildReportBatch, type ValuationReport } from "../../../../definitions/valuationTypedData";
import { fromStored, toStored, type StoredReport } from "./service";

export interface BatchingOptions {
  /** Seal an evaluator's queue when it holds this many reports (default 100). */
  batchSize?: number;
  /** …or this many seconds after its first report was queued (default 60). */
  batchSeconds?: number;
}

export type BatchState = "awaiting-signature" | "anchored";

export interface StoredBatch {
  root: string;
  evaluator: string;
  state: BatchState;
  reports: StoredReport[];
  sealedAt: string;
  anchoring: { transactionHash: string; blockNumber: number } | null;
}

interface Queue {
  evaluator: string;
  openedAt: number;
  reports: StoredReport[];
}

/** Where the gateway put a report: still queued (root null) or in the sealed batch `root`. */
export interface Placement {
  evaluator: string;
  root: string | null;
  report: StoredReport;
}

const QUEUE = "valuation-queue";
const BATCH = "valuation-batch";
const ROOTS = "valuation-batches";
const PLACED = "valuation-batched";
const OPEN = "valuation-queues";

export class ReportBatcher {
  readonly batchSize: number;
  readonly batchSeconds: number;
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly store: DocumentStore,
    private readonly logger: Logger,
    options: BatchingOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 100;
    this.batchSeconds = options.batchSeconds ?? 60;
    for (const evaluator of this.openQueues()) {
      const queue = this.store.getRecord<Queue>(QUEUE, evaluator);
      if (queue?.reports.length) this.schedule(evaluator, queue.openedAt);
    }
  }

  /** Queue a report of its evaluator; seals the queue when it is full. */
  enqueue(report: ValuationReport): Placement {
    const evaluator = report.evaluator.toLowerCase();
    const documentHash = report.documentHash.toLowerCase();
    if (this.placementOf(documentHash)) {
      throw new AppError("REPORT_ALREADY_BATCHED", 422, `report ${documentHash} is already in a batch`, "report");
    }
    const queue = this.store.getRecord<Queue>(QUEUE, evaluator) ?? { evaluator, openedAt: 0, reports: [] };
    if (queue.reports.length === 0) {
      queue.openedAt = Date.now();
      this.setOpen(evaluator, true);
      this.schedule(evaluator, queue.openedAt);
    }
    // The queue first, then where the report went: a crash in between leaves the report in the queue without its
    // placement (sealing writes every queued report's placement, and queuing it again does not add it twice), never
    // a placement that says "queued" for a report no queue holds — which would be refused again and never sealed.
    const stored = toStored({ ...report, documentHash });
    if (!queue.reports.some((r) => r.documentHash.toLowerCase() === documentHash)) queue.reports.push(stored);
    this.store.putRecord(QUEUE, evaluator, queue);
    this.store.putRecord(PLACED, documentHash, { evaluator, root: null, report: stored } satisfies Placement);
    if (queue.reports.length >= this.batchSize) this.seal(evaluator);
    return this.placementOf(documentHash)!;
  }

  placementOf(documentHash: string): Placement | undefined {
    return this.store.getRecord<Placement>(PLACED, documentHash.toLowerCase());
  }

  /** Seal the evaluator's queue now if its time is up (also done by the timer; this covers a lost timer). */
  sealIfDue(evaluator: string) {
    const queue = this.store.getRecord<Queue>(QUEUE, evaluator.toLowerCase());
    if (queue?.reports.length && Date.now() >= queue.openedAt + this.batchSeconds * 1000) this.seal(evaluator);
  }

  /**
   * Seal the evaluator's queue into a batch. The batch is written before the queue is emptied: after a crash in
   * between, sealing again builds the same tree and rewrites the same records.
   */
  seal(evaluator: string): StoredBatch | undefined {
    evaluator = evaluator.toLowerCase();
    this.clearTimer(evaluator);
    const queue = this.store.getRecord<Queue>(QUEUE, evaluator);
    if (!queue?.reports.length) return undefined;
    const { root } = buildReportBatch(queue.reports.map(fromStored));
    const batch: StoredBatch = {
      root,
      evaluator,
      state: "awaiting-signature",
      reports: queue.reports,
      sealedAt: new Date().toISOString(),
      anchoring: null,
    };
    this.store.putRecord(BATCH, root, batch);
    const roots = this.rootsOf(evaluator);
    if (!roots.includes(root)) this.store.putRecord(ROOTS, evaluator, { roots: [...roots, root] });
    for (const report of queue.reports) {
      this.store.putRecord(PLACED, report.documentHash, { evaluator, root, report } satisfies Placement);
    }
    this.store.putRecord(QUEUE, evaluator, { evaluator, openedAt: 0, reports: [] } satisfies Queue);
    this.setOpen(evaluator, false);
    this.logger.info({ evaluator, root, reportCount: batch.reports.length }, "valuation batch sealed");
    return batch;
  }

  /** The reports waiting in the evaluator's queue (not sealed into a batch yet). */
  queuedOf(evaluator: string): StoredReport[] {
    return this.store.getRecord<Queue>(QUEUE, evaluator.toLowerCase())?.reports ?? [];
  }

  batch(root: string): StoredBatch | undefined {
    return this.store.getRecord<StoredBatch>(BATCH, root.toLowerCase());
  }

  batchesOf(evaluator: string): StoredBatch[] {
    return this.rootsOf(evaluator.toLowerCase())
      .map((root) => this.batch(root))
      .filter((b): b is StoredBatch => b !== undefined);
  }

  /** The Merkle path of a report in its sealed batch (the tree is rebuilt from the batch's reports). */
  proofIn(batch: StoredBatch, documentHash: string): string[] {
    return buildReportBatch(batch.reports.map(fromStored)).proofOf(documentHash);
  }

  markAnchored(root: string, anchoring: StoredBatch["anchoring"]) {
    const batch = this.batch(root);
    if (batch) this.store.putRecord(BATCH, batch.root, { ...batch, state: "anchored", anchoring });
  }

  /** The register is the truth: a batch anchored on chain (even if the gateway missed the answer) is anchored. */
  async reconcile(batch: StoredBatch, registry: Registry["valuationRegistry"]): Promise<StoredBatch> {
    if (batch.state === "anchored") return batch;
    if ((await registry.batchOf(batch.evaluator, batch.root)).anchoredAt === 0n) return batch;
    const [log] = await registry.queryFilter(registry.filters.BatchAnchored(batch.root, batch.evaluator));
    const anchoring = log ? { transactionHash: log.transactionHash, blockNumber: log.blockNumber } : null;
    this.markAnchored(batch.root, anchoring);
    return { ...batch, state: "anchored", anchoring };
  }

  /** Stop the timers (the queues stay in the store and are picked up by the next gateway). */
  close() {
    for (const evaluator of [...this.timers.keys()]) this.clearTimer(evaluator);
  }

  private schedule(evaluator: string, openedAt: number) {
    this.clearTimer(evaluator);
    const delay = Math.max(0, openedAt + this.batchSeconds * 1000 - Date.now());
    const timer = setTimeout(() => {
      this.timers.delete(evaluator);
      try {
        this.seal(evaluator);
      } catch (error) {
        this.logger.error({ err: error, evaluator }, "sealing a valuation batch failed");
      }
    }, delay);
    // A waiting queue must not keep the process alive: it is in the store and is sealed by the next gateway.
    timer.unref();
    this.timers.set(evaluator, timer);
  }

  private clearTimer(evaluator: string) {
    clearTimeout(this.timers.get(evaluator));
    this.timers.delete(evaluator);
  }

  private rootsOf(evaluator: string): string[] {
    return this.store.getRecord<{ roots: string[] }>(ROOTS, evaluator)?.roots ?? [];
  }

  private openQueues(): string[] {
    return this.store.getRecord<{ evaluators: string[] }>(OPEN, "open")?.evaluators ?? [];
  }

  private setOpen(evaluator: string, open: boolean) {
    const others = this.openQueues().filter((e) => e !== evaluator);
    this.store.putRecord(OPEN, "open", { evaluators: open ? [...others, evaluator] : others });
  }
}

/**
 * Where this gateway's batching put a report, read from the store alone (no timers, no sealing): for read-only
 * routes outside the valuations feature. The register decides "anchored": a batch anchored on chain that this
 * gateway did not hear of is anchored.
 */
export async function batchingStateOf(
  store: DocumentStore,
  registry: Registry["valuationRegistry"],
  documentHash: string,
): Promise<{ state: "queued" | BatchState; root: string | null } | null> {
  const placement = store.getRecord<Placement>(PLACED, documentHash.toLowerCase());
  if (!placement) return null;
  if (!placement.root) return { state: "queued", root: null };
  const batch = store.getRecord<StoredBatch>(BATCH, placement.root);
  if (batch?.state === "anchored") return { state: "anchored", root: placement.root };
  const onChain = (await registry.batchOf(placement.evaluator, placement.root)).anchoredAt !== 0n;
  return { state: onChain ? "anchored" : "awaiting-signature", root: placement.root };
}
