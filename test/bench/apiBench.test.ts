/**
 * Smoke run of the API benchmark (`npm run bench:api`) at tiny sizes and a fraction of a second per cell, so that it
 * cannot rot: every cell answered (a non-200 answer fails the run), a row per read, size and connection count, and
 * the end-to-end registrations ran.
 */
import { expect } from "chai";
import { runApiBench } from "../../bench/apiBench";

describe("API benchmark (smoke run)", function () {
  this.timeout(300_000);

  it("measures each read at each size and connection count against the bare baseline, and registrations, in one table", async () => {
    const { table, cells, registrations } = await runApiBench({
      seconds: 0.2,
      pledges: [3, 6],
      connections: [1, 10],
      registrations: [
        { clients: 1, each: 1 },
        { clients: 2, each: 1 },
      ],
    });
    const reads = ["collateral lookup", "asset timeline", "bank's pledge list", "verify a document", "auditor's trace"];
    expect(cells.map((c) => `${c.read} ${c.pledges} ${c.connections}`)).to.deep.equal(
      [3, 6].flatMap((size) => reads.flatMap((read) => [1, 10].map((n) => `${read} ${size} ${n}`))),
    );
    for (const { gateway, baseline } of cells) {
      expect(gateway.rps).to.be.greaterThan(0);
      expect(baseline.rps).to.be.greaterThan(0);
      expect(gateway.p99).to.be.at.least(gateway.p50);
    }
    expect(registrations.map((r) => [r.clients, r.cell.rps > 0])).to.deep.equal([
      [1, true],
      [2, true],
    ]);
    expect(table.split("\n").filter((line) => line.startsWith("| "))).to.have.length(1 + cells.length + 2);
    expect(table).to.match(/6 pledges: the collateral lookup's query and shaping [0-9.]+ ms uncached/);
  });
});
