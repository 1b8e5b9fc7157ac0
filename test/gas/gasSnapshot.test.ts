/**
 * The committed gas snapshot (gas-snapshot.txt): gas of every SPEC'd operation, measured on a fixed clock so that
 * the figures are deterministic (scenarios in test/helpers/gasScenario.ts, shared with the benchmark in bench/).
 * `npm run gas` rewrites the file and shows its diff; `npm test` fails when the contracts' gas drifts from the
 * committed figures, so every change to gas is reviewed.
 */
import { expect } from "chai";
import { readFileSync, writeFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { artifacts } from "hardhat";
import { measureOperations } from "../helpers/gasScenario";

const SNAPSHOT = join(__dirname, "..", "..", "gas-snapshot.txt");
const AIMS: Record<string, number> = {
  "pledge: submit + register, 1 asset (steady state)": 250_000,
  "pledge: release, relayed with the pledgee's signature (steady state)": 60_000,
  "pledge: release, sent by the pledgee": 60_000,
  "valuation: anchor a report, 1 asset, sent by the evaluator": 80_000,
  "valuation: batch of 1,000 reports, root gas per report": 100,
  "pool: distribute a period, two tranches, 1 holder": 250_000,
  "pool: distribute a period, two tranches, 1,000 holders": 250_000,
  "pool: claim (steady state)": 60_000,
};

describe("gas snapshot", function () {
  const rows: [string, bigint][] = [];

  before(async () => {
    for (const { name, gas } of await measureOperations({ holders: 1000 })) rows.push([name, gas]);
    for (const name of [
      "IPAssetRegister",
      "PledgeRegistry",
      "ValuationRegistry",
      "LossSharing",
      "LicenceRegistry",
      "ReceivablePool",
      "TrancheToken",
    ]) {
      const { deployedBytecode } = await artifacts.readArtifact(name);
      rows.push([`size: ${name} runtime bytes (limit 24576)`, BigInt((deployedBytecode.length - 2) / 2)]);
    }
  });

  function render(): string {
    const width = Math.max(...rows.map(([n]) => n.length)) + 2;
    const lines = rows.map(([name, gas]) => `${name.padEnd(width)}${gas.toString().padStart(9)}`);
    return [
      "# Gas per operation (hardhat network, solc 0.8.28, optimizer 200 runs). Regenerate: npm run gas",
      ...lines,
      "",
    ].join("\n");
  }

  it("matches the committed snapshot (npm run gas to update)", () => {
    const current = render();
    console.log("\n" + current);
    if (process.env.UPDATE_GAS_SNAPSHOT === "1" || !existsSync(SNAPSHOT)) {
      writeFileSync(SNAPSHOT, current);
      return;
    }
    expect(current, "gas changed: run `npm run gas`, review the diff and commit gas-snapshot.txt").to.equal(
      readFileSync(SNAPSHOT, "utf8"),
    );
  });

  it("distributes at the same gas whatever the number of holders", () => {
    const one = rows.find(([n]) => n === "pool: distribute a period, two tranches, 1 holder")![1];
    const many = rows.find(([n]) => n === "pool: distribute a period, two tranches, 1,000 holders")![1];
    expect(many).to.equal(one);
  });

  it("reports where each operation stands against its aim", () => {
    for (const [name, aim] of Object.entries(AIMS)) {
      const row = rows.find(([n]) => n === name);
      expect(row, `snapshot row ${name}`).to.not.equal(undefined);
      console.log(`  ${name}: ${row![1]} gas (aim ≤ ${aim})`);
    }
  });
});
