/**
 * Nothing half-written is visible after a crash (issue 9): a write made of several records is cut after each of its
 * steps — as kill -9 would cut it — and what the next gateway finds in the store must be the whole write or none of
 * it, or a state it completes by itself.
 */
import { expect } from "chai";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Wallet, ZeroHash, hexlify, randomBytes, toUtf8Bytes } from "ethers";
import { DocumentStore } from "../../../api/src/documents/store";
import { createLogger } from "../../../api/src/logger";
import { ReportBatcher } from "../../../api/src/routes/valuations/batching";
import { buildReportBatch, type ValuationReport } from "../../../definitions/valuationTypedData";

/** A store whose process "dies" (throws) at its `crashAt`-th record write: the writes before it are on disk. */
class CrashingStore extends DocumentStore {
  writes = 0;
  constructor(
    root: string,
    private readonly crashAt: number,
  ) {
    super(root);
  }
  override putRecord(kind: string, id: string, value: unknown) {
    if (++this.writes === this.crashAt) throw new Error("killed");
    super.putRecord(kind, id, value);
  }
}

const evaluator = Wallet.createRandom().address;
const report = (): ValuationReport => ({
  documentHash: hexlify(randomBytes(32)),
  evaluator,
  assetIds: [hexlify(randomBytes(32))],
  value: 1_000n,
  currency: hexlify(toUtf8Bytes("CNY")),
  method: 0,
  valuationDate: 1_700_000_000n,
  validUntil: 1_800_000_000n,
  supersedes: ZeroHash,
  uri: "",
});

describe("a crash between the steps of a multi-step write", () => {
  const logger = createLogger("silent");
  let root: string;
  beforeEach(() => (root = mkdtempSync(join(tmpdir(), "ipr-half-"))));
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it("queuing a report for a batch: after a crash at any step it is queued once and sealed, or not there at all", () => {
    // How many records one enqueue writes when the queue is empty (open list, queue, placement), counted, not assumed.
    const counting = new CrashingStore(join(root, "count"), Infinity);
    new ReportBatcher(counting, logger, { batchSize: 2, batchSeconds: 3600 }).enqueue(report());
    const steps = counting.writes;
    expect(steps).to.be.greaterThan(1);

    for (let crashAt = 1; crashAt <= steps; crashAt++) {
      const dir = join(root, `crash-${crashAt}`);
      const first = report();
      const crashing = new ReportBatcher(new CrashingStore(dir, crashAt), logger, { batchSize: 2, batchSeconds: 3600 });
      expect(() => crashing.enqueue(first), `step ${crashAt}`).to.throw("killed");
      crashing.close();

      // The next gateway: the same report may be sent again (its 2xx never came), then a second one seals the batch.
      const batcher = new ReportBatcher(new DocumentStore(dir), logger, { batchSize: 2, batchSeconds: 3600 });
      try {
        const placed = batcher.placementOf(first.documentHash);
        if (placed)
          expect(
            batcher.queuedOf(evaluator).map((r) => r.documentHash),
            `step ${crashAt}`,
          ).to.include(first.documentHash);
        if (!placed) batcher.enqueue(first);
        const second = report();
        batcher.enqueue(second);
        const [batch] = batcher.batchesOf(evaluator);
        expect(batch, `step ${crashAt}: the batch was sealed`).to.not.equal(undefined);
        const hashes = batch.reports.map((r) => r.documentHash);
        expect(hashes, `step ${crashAt}: each report once`).to.have.members([first.documentHash, second.documentHash]);
        expect(batch.root).to.equal(buildReportBatch([first, second]).root);
        for (const hash of hashes) expect(batcher.placementOf(hash)?.root, `step ${crashAt}`).to.equal(batch.root);
      } finally {
        batcher.close();
      }
    }
  });
});
