/**
 * Nothing half-written is visible after a crash (issue 9): a write made of several records is cut after each of its
 * steps — as kill -9 would cut it — and what the next gateway finds in the store must be the whole write or none of
 * it: the records change in one database transaction, so a cut one leaves nothing.
 */
import { expect } from "chai";
import { Wallet, ZeroHash, hexlify, randomBytes, toUtf8Bytes } from "ethers";
import { createLogger } from "../../../api/src/logger";
import { openDatabase, type ReadModelDatabase } from "../../../api/src/store/database";
import { databaseRecords, type RecordStore, type RecordTransaction } from "../../../api/src/store/records";
import { ReportBatcher } from "../../../api/src/routes/valuations/batching";
import { buildReportBatch, type ValuationReport } from "../../../definitions/valuationTypedData";

/**
 * The gateway's records (in the database, as `npm start` keeps them) whose process "dies" (throws) at its
 * `crashAt`-th record write inside a change: the writes of changes committed before it stay, the change it cuts is
 * rolled back whole.
 */
function crashingRecords(records: RecordStore, crashAt: number): RecordStore & { writes: number } {
  const crashing: RecordStore & { writes: number } = {
    writes: 0,
    get: records.get.bind(records),
    list: records.list.bind(records),
    openDraftsOf: records.openDraftsOf.bind(records),
    put: (kind: string, id: string, value: unknown) => crashing.change((tx) => tx.put(kind, id, value)),
    change<R>(work: (tx: RecordTransaction) => Promise<R>): Promise<R> {
      return records.change((tx) =>
        work({
          get: tx.get.bind(tx),
          async put(kind, id, value) {
            if (++crashing.writes === crashAt) throw new Error("killed");
            await tx.put(kind, id, value);
          },
        }),
      );
    },
  };
  return crashing;
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
  let database: ReadModelDatabase;
  before(async function () {
    this.timeout(60_000);
    database = await openDatabase();
  });
  after(() => database?.close());

  it("queuing a report for a batch: after a crash at any step it is queued once and sealed, or not there at all", async () => {
    // How many records one enqueue writes when the queue is empty (open list, queue, placement), counted, not assumed.
    const counting = crashingRecords(databaseRecords(database.db, "count"), Infinity);
    const countingBatcher = new ReportBatcher(counting, logger, { batchSize: 2, batchSeconds: 3600 });
    await countingBatcher.enqueue(report());
    countingBatcher.close();
    const steps = counting.writes;
    expect(steps).to.be.greaterThan(1);

    for (let crashAt = 1; crashAt <= steps; crashAt++) {
      const records = databaseRecords(database.db, `crash-${crashAt}`);
      const first = report();
      const crashing = new ReportBatcher(crashingRecords(records, crashAt), logger, {
        batchSize: 2,
        batchSeconds: 3600,
      });
      let refused: unknown;
      await crashing.enqueue(first).catch((error) => (refused = error));
      expect(String(refused), `step ${crashAt}`).to.contain("killed");
      crashing.close();

      // The next gateway: the same report may be sent again (its 2xx never came), then a second one seals the batch.
      const batcher = new ReportBatcher(records, logger, { batchSize: 2, batchSeconds: 3600 });
      try {
        const placed = await batcher.placementOf(first.documentHash);
        expect(placed, `step ${crashAt}: a cut change leaves nothing`).to.equal(undefined);
        expect(await batcher.queuedOf(evaluator), `step ${crashAt}`).to.deep.equal([]);
        await batcher.enqueue(first);
        const second = report();
        await batcher.enqueue(second);
        const [batch] = await batcher.batchesOf(evaluator);
        expect(batch, `step ${crashAt}: the batch was sealed`).to.not.equal(undefined);
        const hashes = batch.reports.map((r) => r.documentHash);
        expect(hashes, `step ${crashAt}: each report once`).to.have.members([first.documentHash, second.documentHash]);
        expect(batch.root).to.equal(buildReportBatch([first, second]).root);
        for (const hash of hashes) {
          expect((await batcher.placementOf(hash))?.root, `step ${crashAt}`).to.equal(batch.root);
        }
      } finally {
        batcher.close();
      }
    }
  });
});
