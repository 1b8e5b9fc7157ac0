/**
 * Automatic batching of valuation reports. The gateway never holds an evaluator's key, so it cannot anchor a batch
 * by itself: it queues each evaluator's reports, seals the queue into a Merkle tree every `batchSize` reports or
 * `batchSeconds` after the first one, and keeps the sealed batch until the evaluator signs its root (one
 * BatchAnchoring signature for the whole batch instead of one per report). Queues and batches are the gateway's
 * records (store/records.ts), in the database every gateway shares: a restarted gateway, or another one, picks them up.
 *
 * Records: `valuation-queue/<evaluator>` (reports waiting), `valuation-batch/<root>` (a sealed batch),
 * `valuation-batches/<evaluator>` (its roots), `valuation-batched/<documentHash>` (where a report went) and
 * `valuation-queues/open` (evaluators with a waiting queue, to restart their timers). Every change is one records
 * transaction (read, version-checked write): requests of several gateways never interleave inside it. Each gateway
 * times the queues it knows of; whichever seals a queue first seals it, the other finds it empty.
 */
import type { Registry } from "../../chain/registry";
import type { RecordStore, RecordTransaction } from "../../store/records";
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
  private closed = false;

  constructor(
    private readonly store: RecordStore,
    private readonly logger: Logger,
    options: BatchingOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 100;
    this.batchSeconds = options.batchSeconds ?? 60;
    this.restartTimers().catch((err) => this.logger.error({ err }, "restarting the valuation batch timers failed"));
  }

  /** Time every queue still waiting (left by an earlier run or by another gateway). */
  private async restartTimers() {
    for (const evaluator of await this.openQueues(this.store)) {
      const queue = await this.store.get<Queue>(QUEUE, evaluator);
      if (queue?.reports.length && !this.closed) this.schedule(evaluator, queue.openedAt);
    }
  }

  /** Queue a report of its evaluator; seals the queue when it is full. */
  async enqueue(report: ValuationReport): Promise<Placement> {
    const evaluator = report.evaluator.toLowerCase();
    const documentHash = report.documentHash.toLowerCase();
    const { placement, opened, sealed } = await this.store.change(async (tx) => {
      if (await tx.get<Placement>(PLACED, documentHash)) {
        throw new AppError("REPORT_ALREADY_BATCHED", 422, `report ${documentHash} is already in a batch`, "report");
      }
      const queue = (await tx.get<Queue>(QUEUE, evaluator)) ?? { evaluator, openedAt: 0, reports: [] };
      const opened = queue.reports.length === 0;
      if (opened) {
        queue.openedAt = Date.now();
        await this.setOpen(tx, evaluator, true);
      }
      const stored = toStored({ ...report, documentHash });
      queue.reports.push(stored);
      await tx.put(PLACED, documentHash, { evaluator, root: null, report: stored } satisfies Placement);
      await tx.put(QUEUE, evaluator, queue);
      const sealed = queue.reports.length >= this.batchSize ? await this.sealIn(tx, evaluator) : undefined;
      return { placement: (await tx.get<Placement>(PLACED, documentHash))!, opened: opened && !sealed, sealed };
    });
    if (opened) this.schedule(evaluator, Date.now());
    if (sealed) this.sealed(sealed);
    return placement;
  }

  placementOf(documentHash: string): Promise<Placement | undefined> {
    return this.store.get<Placement>(PLACED, documentHash.toLowerCase());
  }

  /** Seal the evaluator's queue now if its time is up (also done by the timer; this covers a lost timer). */
  async sealIfDue(evaluator: string) {
    const queue = await this.store.get<Queue>(QUEUE, evaluator.toLowerCase());
    if (queue?.reports.length && Date.now() >= queue.openedAt + this.batchSeconds * 1000) await this.seal(evaluator);
  }

  /** Seal the evaluator's queue into a batch (nothing when it is empty: another gateway may have sealed it). */
  async seal(evaluator: string): Promise<StoredBatch | undefined> {
    evaluator = evaluator.toLowerCase();
    this.clearTimer(evaluator);
    const batch = await this.store.change((tx) => this.sealIn(tx, evaluator));
    if (batch) this.sealed(batch);
    return batch;
  }

  /** The sealing itself, inside a records transaction: the batch and the emptied queue commit together. */
  private async sealIn(tx: RecordTransaction, evaluator: string): Promise<StoredBatch | undefined> {
    const queue = await tx.get<Queue>(QUEUE, evaluator);
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
    await tx.put(BATCH, root, batch);
    const roots = (await tx.get<{ roots: string[] }>(ROOTS, evaluator))?.roots ?? [];
    if (!roots.includes(root)) await tx.put(ROOTS, evaluator, { roots: [...roots, root] });
    for (const report of queue.reports) {
      await tx.put(PLACED, report.documentHash, { evaluator, root, report } satisfies Placement);
    }
    await tx.put(QUEUE, evaluator, { evaluator, openedAt: 0, reports: [] } satisfies Queue);
    await this.setOpen(tx, evaluator, false);
    return batch;
  }

  private sealed(batch: StoredBatch) {
    this.clearTimer(batch.evaluator);
    this.logger.info(
      { evaluator: batch.evaluator, root: batch.root, reportCount: batch.reports.length },
      "valuation batch sealed",
    );
  }

  /** The reports waiting in the evaluator's queue (not sealed into a batch yet). */
  async queuedOf(evaluator: string): Promise<StoredReport[]> {
    return (await this.store.get<Queue>(QUEUE, evaluator.toLowerCase()))?.reports ?? [];
  }

  batch(root: string): Promise<StoredBatch | undefined> {
    return this.store.get<StoredBatch>(BATCH, root.toLowerCase());
  }

  async batchesOf(evaluator: string): Promise<StoredBatch[]> {
    const roots = (await this.store.get<{ roots: string[] }>(ROOTS, evaluator.toLowerCase()))?.roots ?? [];
    const batches = await Promise.all(roots.map((root) => this.batch(root)));
    return batches.filter((b): b is StoredBatch => b !== undefined);
  }

  /** The Merkle path of a report in its sealed batch (the tree is rebuilt from the batch's reports). */
  proofIn(batch: StoredBatch, documentHash: string): string[] {
    return buildReportBatch(batch.reports.map(fromStored)).proofOf(documentHash);
  }

  async markAnchored(root: string, anchoring: StoredBatch["anchoring"]) {
    await this.store.change(async (tx) => {
      const batch = await tx.get<StoredBatch>(BATCH, root.toLowerCase());
      if (batch) await tx.put(BATCH, batch.root, { ...batch, state: "anchored", anchoring });
    });
  }

  /** The register is the truth: a batch anchored on chain (even if the gateway missed the answer) is anchored. */
  async reconcile(batch: StoredBatch, registry: Registry["valuationRegistry"]): Promise<StoredBatch> {
    if (batch.state === "anchored") return batch;
    if ((await registry.batchOf(batch.evaluator, batch.root)).anchoredAt === 0n) return batch;
    const [log] = await registry.queryFilter(registry.filters.BatchAnchored(batch.root, batch.evaluator));
    const anchoring = log ? { transactionHash: log.transactionHash, blockNumber: log.blockNumber } : null;
    await this.markAnchored(batch.root, anchoring);
    return { ...batch, state: "anchored", anchoring };
  }

  /** Stop the timers (the queues stay in the records and are picked up by the next gateway). */
  close() {
    this.closed = true;
    for (const evaluator of [...this.timers.keys()]) this.clearTimer(evaluator);
  }

  private schedule(evaluator: string, openedAt: number) {
    if (this.closed) return;
    this.clearTimer(evaluator);
    const delay = Math.max(0, openedAt + this.batchSeconds * 1000 - Date.now());
    const timer = setTimeout(() => {
      this.timers.delete(evaluator);
      this.seal(evaluator).catch((error) =>
        this.logger.error({ err: error, evaluator }, "sealing a valuation batch failed"),
      );
    }, delay);
    // A waiting queue must not keep the process alive: it is in the records and is sealed by the next gateway.
    timer.unref();
    this.timers.set(evaluator, timer);
  }

  private clearTimer(evaluator: string) {
    clearTimeout(this.timers.get(evaluator));
    this.timers.delete(evaluator);
  }

  private async openQueues(tx: Pick<RecordTransaction, "get">): Promise<string[]> {
    return (await tx.get<{ evaluators: string[] }>(OPEN, "open"))?.evaluators ?? [];
  }

  private async setOpen(tx: RecordTransaction, evaluator: string, open: boolean) {
    const others = (await this.openQueues(tx)).filter((e) => e !== evaluator);
    await tx.put(OPEN, "open", { evaluators: open ? [...others, evaluator] : others });
  }
}

/**
 * Where the gateways' batching put a report, read from the records alone (no timers, no sealing): for read-only
 * routes outside the valuations feature. The register decides "anchored": a batch anchored on chain that this
 * gateway did not hear of is anchored.
 */
export async function batchingStateOf(
  store: RecordStore,
  registry: Registry["valuationRegistry"],
  documentHash: string,
): Promise<{ state: "queued" | BatchState; root: string | null } | null> {
  const placement = await store.get<Placement>(PLACED, documentHash.toLowerCase());
  if (!placement) return null;
  if (!placement.root) return { state: "queued", root: null };
  const batch = await store.get<StoredBatch>(BATCH, placement.root);
  if (batch?.state === "anchored") return { state: "anchored", root: placement.root };
  const onChain = (await registry.batchOf(placement.evaluator, placement.root)).anchoredAt !== 0n;
  return { state: onChain ? "anchored" : "awaiting-signature", root: placement.root };
}
