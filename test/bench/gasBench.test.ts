/**
 * Smoke run of the gas benchmark (`npm run bench:gas`) at tiny sizes, so that it cannot rot: the table has every
 * snapshot operation, every reference row and every growth row, each floor is below its gas, and the growth rows are
 * flat.
 */
import { expect } from "chai";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { renderTable, runBench, type BenchRow } from "../../bench/gasBench";

const PLEDGES = [2, 5];
const HOLDERS = 3;
/** Growth rows may differ by this much (gas), e.g. a storage word's zero bytes in calldata or a counter's width. */
const FLAT = 0.01;

describe("gas benchmark (smoke run at tiny sizes)", function () {
  this.timeout(600_000);
  let rows: BenchRow[];
  let table: string;

  before(async () => {
    rows = await runBench({ pledges: PLEDGES, holders: HOLDERS, timestampBatch: 4 });
    table = renderTable(rows, "2030-01-01");
    console.log("\n" + table);
  });

  it("has a row for every operation of the gas snapshot, each above its physical floor", () => {
    const snapshot = readFileSync(join(__dirname, "..", "..", "gas-snapshot.txt"), "utf8")
      .split("\n")
      .filter((line) => /^(asset|pledge|valuation|pool|tranche token):/.test(line))
      .map((line) => line.replace(/\s+\d+$/, "").replace("1,000 holders", `${HOLDERS} holders`));
    expect(snapshot.length).to.be.greaterThan(20);
    for (const name of snapshot) {
      const row = rows.find((r) => r.name === name);
      expect(row, name).to.not.equal(undefined);
      expect(table).to.contain(`| ${name} |`);
      expect(row!.floor, name).to.be.greaterThan(0n);
      expect(row!.gas >= row!.floor, `${name}: ${row!.gas} below its floor ${row!.floor}`).to.equal(true);
    }
  });

  it("measures the references in the same run and compares ours with EAS", () => {
    for (const name of [
      "ERC-20 (OpenZeppelin): transfer to an existing holder",
      "ERC-20 (OpenZeppelin): transfer to a new holder",
      "ERC-721 (OpenZeppelin): mint",
      "EAS: attest a valuation report (schema of our report, 1 asset)",
      "EAS: revoke",
      "EAS: timestamp a hash",
      "EAS: multiTimestamp of 4 hashes, gas per hash",
    ])
      expect(rows.find((r) => r.name === name)?.gas ?? 0n, name).to.be.greaterThan(0n);
    // A transfer to a new holder writes one slot more than to an existing one: 22,100 more in the floor.
    const floorOf = (name: string) => rows.find((r) => r.name === name)!.floor;
    expect(floorOf("ERC-20 (OpenZeppelin): transfer to a new holder")).to.equal(
      floorOf("ERC-20 (OpenZeppelin): transfer to an existing holder") + 22_100n,
    );
    const compared = rows.filter((r) => r.versus !== undefined).map((r) => r.name);
    expect(compared).to.have.members([
      "valuation: anchor a report, 1 asset, sent by the evaluator",
      "valuation: batch of 1,000 reports, root gas per report",
      "valuation: revoke, sent by the evaluator",
    ]);
    expect(table).to.match(/\| valuation: revoke, sent by the evaluator \|.*× EAS: revoke/);
  });

  it("has flat growth rows: pledges registered and holders", () => {
    const flat = (prefix: string, count: number) => {
      const growth = rows.filter((r) => r.name.startsWith(prefix));
      expect(growth, prefix).to.have.length(count);
      const gas = growth.map((r) => Number(r.gas));
      expect(Math.max(...gas) - Math.min(...gas), `${prefix}: ${gas.join(", ")}`).to.be.at.most(
        FLAT * Math.min(...gas),
      );
    };
    flat("growth: pledge submit + register, ", PLEDGES.length);
    flat("growth: collateralStatusOf", PLEDGES.length);
    flat("growth: pool: distribute a period", 2);
  });
});
