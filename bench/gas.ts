/**
 * `npm run bench:gas`: runs the gas benchmark (bench/gasBench.ts) at full size in one Hardhat run, prints the table
 * and writes it to bench/results/<YYYY-MM-DD>-gas.md.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { FULL_SIZES, renderTable, runBench } from "./gasBench";

async function main() {
  const date = new Date().toISOString().slice(0, 10);
  const table = renderTable(await runBench(FULL_SIZES), date);
  const dir = join(__dirname, "results");
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${date}-gas.md`);
  writeFileSync(file, table);
  console.log(table);
  console.log(`Written to ${file}`);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
