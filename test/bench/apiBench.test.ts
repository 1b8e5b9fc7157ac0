/**
 * Smoke run of the API benchmark (`npm run bench:api`) with a fraction of a second per cell, so that it cannot rot:
 * every cell answered (a non-200 answer fails the run), the table has a row per connection count, and the gateway's
 * lookups are read from the index with two chain calls (the rest is the benchmark's own arithmetic).
 */
import { expect } from "chai";
import { runApiBench } from "../../bench/apiBench";

describe("API benchmark (smoke run)", function () {
  this.timeout(300_000);

  it("measures collateral lookups at 1, 10 and 50 connections against the bare baseline, in one table", async () => {
    const { table, cells } = await runApiBench(0.3);
    expect(cells.map((c) => c.connections)).to.deep.equal([1, 10, 50]);
    for (const { gateway, baseline } of cells) {
      expect(gateway.rps).to.be.greaterThan(0);
      expect(baseline.rps).to.be.greaterThan(0);
      expect(gateway.p99).to.be.at.least(gateway.p50);
    }
    expect(table.split("\n").filter((line) => line.startsWith("| collateral lookup |"))).to.have.length(3);
    expect(table).to.match(/One lookup alone: the two eth_calls [0-9.]+ ms, the read model's queries [0-9.]+ ms\./);
  });
});
