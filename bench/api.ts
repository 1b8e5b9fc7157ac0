/**
 * `npm run bench:api`: collateral lookups through the gateway against a bare Express server (bench/apiBench.ts),
 * BENCH_SECONDS per cell (default 5); prints the table and writes it to bench/results/<YYYY-MM-DD>-api.md.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runApiBench } from "./apiBench";

async function main() {
  const { table } = await runApiBench(Number(process.env.BENCH_SECONDS ?? 5));
  const dir = join(__dirname, "results");
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${new Date().toISOString().slice(0, 10)}-api.md`);
  writeFileSync(file, `${table}\n`);
  console.log(table);
  console.log(`Written to ${file}`);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
