/**
 * Relayed writes per minute through the API, end to end (HTTP request → simulation → relayed transaction → receipt →
 * answer), with 1 and 10 clients, for the old serial relayer (RELAYER_MAX_IN_FLIGHT=1: each write waits for the one
 * before it to be confirmed) beside the default (several in flight), on two chains:
 * - "automine": every transaction mined at once, blocks sharing a second — the embedded chain of `npm start`;
 * - "1 s blocks": automine off, a block every second, as on a real chain.
 * The write is an asset registration (POST /v1/assets, one transaction each): a pledge takes several parties' signed
 * drafts before its one relayed transaction, which would measure the drafts more than the relayer.
 * Chain, gateway and clients share this one process (the embedded chain of `npm start` has a process of its own).
 *   npm run bench:relayer                     (BENCH_SECONDS=15 per run by default)
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { mineEvery, openStandaloneGateway } from "../test/api/helpers/standaloneChain";
import { DEFAULT_MAX_IN_FLIGHT } from "../api/src/chain/relayer";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const YEAR = 365 * 86_400;
const iso = (seconds: bigint) => new Date(Number(seconds) * 1000).toISOString();

type Chain = "automine" | "1 s blocks";

/** Writes per minute of `clients` clients writing one after another for SECONDS, and how many were not 201. */
async function run(chain: Chain, maxInFlight: number, clientCounts: number[]) {
  const g = await openStandaloneGateway({ sameTimestamp: chain === "automine", maxInFlight });
  const server = createServer(g.app);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  const mining = chain === "1 s blocks" ? mineEvery(g.send, 1000) : undefined;
  const headers = { "content-type": "application/json", authorization: `Bearer ${g.apiKey["registration-office"]}` };
  let serial = 0;
  const write = async () => {
    const res = await fetch(`${base}/assets`, {
      method: "POST",
      headers,
      body: JSON.stringify({
        kind: "InventionPatent",
        officialNumber: `ZL2026${String(serial++).padStart(8, "0")}.B`,
        holders: [{ address: g.holder, shareBps: 10_000 }],
        grantDate: iso(g.now - 2n * BigInt(YEAR)),
        expiryDate: iso(g.now + 15n * BigInt(YEAR)),
        feesPaidUntil: iso(g.now + BigInt(YEAR)),
      }),
    });
    await res.arrayBuffer();
    return res.status === 201;
  };
  const results = [];
  try {
    await write(); // warm up: the relayer reads its nonce, the routes their first state
    for (const clients of clientCounts) {
      const end = Date.now() + SECONDS * 1000;
      const start = Date.now();
      const counts = await Promise.all(
        Array.from({ length: clients }, async () => {
          let [ok, failed] = [0, 0];
          while (Date.now() < end) (await write()) ? ok++ : failed++;
          return { ok, failed };
        }),
      );
      const minutes = (Date.now() - start) / 60_000;
      const ok = counts.reduce((sum, c) => sum + c.ok, 0);
      const failed = counts.reduce((sum, c) => sum + c.failed, 0);
      results.push({ clients, perMinute: Math.round(ok / minutes), failed });
    }
  } finally {
    await mining?.stop();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await g.close();
  }
  return results;
}

async function main() {
  const clientCounts = [1, 10];
  const rows: string[][] = [];
  for (const chain of ["automine", "1 s blocks"] as Chain[]) {
    const serial = await run(chain, 1, clientCounts);
    const inFlight = await run(chain, DEFAULT_MAX_IN_FLIGHT, clientCounts);
    for (const [i, clients] of clientCounts.entries()) {
      const failed = serial[i].failed + inFlight[i].failed;
      rows.push([
        chain,
        String(clients),
        String(serial[i].perMinute),
        String(inFlight[i].perMinute),
        `${(inFlight[i].perMinute / Math.max(1, serial[i].perMinute)).toFixed(1)}×`,
        failed ? `${failed} not 201!` : "",
      ]);
    }
  }
  const header = ["chain", "clients", "serial (MAX_IN_FLIGHT=1)", `in flight (${DEFAULT_MAX_IN_FLIGHT})`, "gain", ""];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(" | ")} |`;
  console.log(`\nasset registrations per minute through the API (${SECONDS} s per run)\n`);
  console.log(line(header));
  console.log(line(widths.map((w) => "-".repeat(w))));
  for (const row of rows) console.log(line(row));
  if (rows.some((r) => r[5])) process.exitCode = 1;
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
