/**
 * `npm run bench:api`: the gateway's reads against a bare Express server, and end-to-end registrations
 * (bench/apiBench.ts). BENCH_SECONDS per cell (default 5), BENCH_PLEDGES sizes (default 1000,10000); prints the
 * table and writes it to bench/results/<YYYY-MM-DD>-api.md.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { FULL_OPTIONS, runApiBench } from "./apiBench";

async function main() {
  const { table } = await runApiBench({
    ...FULL_OPTIONS,
    seconds: Number(process.env.BENCH_SECONDS ?? FULL_OPTIONS.seconds),
    pledges: process.env.BENCH_PLEDGES ? process.env.BENCH_PLEDGES.split(",").map(Number) : FULL_OPTIONS.pledges,
  });
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
