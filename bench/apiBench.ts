/**
 * The API benchmark (`npm run bench:api`, bench/api.ts; smoke run in test/bench/apiBench.test.ts): collateral lookups
 * per second through the gateway (reads from the read model), at 1, 10 and 50 connections,
 * interleaved with a bare Express 5 server answering the same JSON: the ratio is what the gateway's request path
 * costs. One process holds the in-process Hardhat chain, the gateway, the baseline and the load (Node's fetch, keep-alive,
 * closed loops: each of N loops sends its next request when the last answer is in), so both sides share the same CPU.
 */
import { mkdtempSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import express from "express";
import { ethers, network } from "hardhat";
import { connectRegistry } from "../api/src/chain/registry";
import { Relayer } from "../api/src/chain/relayer";
import { DocumentStore } from "../api/src/documents/store";
import { GatewayIndex } from "../api/src/indexer/gatewayIndex";
import { eip1193JsonRpc } from "../api/src/indexer/jsonRpc";
import { openReadModel } from "../api/src/indexer/readModel";
import { createLogger } from "../api/src/logger";
import { OrganisationDirectory, hashApiKey, newApiKey } from "../api/src/organisations";
import { buildApp } from "../api/src/server";
import { deployStory, storyOf } from "../test/api/indexer/story";
import { indexedAssetRow } from "../api/src/routes/assets/indexed";
import { indexedPledgeHistoryOf } from "../api/src/routes/pledges/indexed";
import { tmpdir } from "node:os";

const CONNECTIONS = [1, 10, 50];

interface Cell {
  rps: number;
  p50: number;
  p99: number;
}

function listen(app: express.Express): Promise<{ server: Server; origin: string }> {
  const server = createServer(app);
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () =>
      resolve({ server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }),
    ),
  );
}

/** `connections` closed loops for `seconds`: requests per second and latency percentiles (ms). */
async function load(origin: string, path: string, apiKey: string, connections: number, seconds: number) {
  const latencies: number[] = [];
  const end = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < end) {
        const start = performance.now();
        const res = await fetch(`${origin}${path}`, { headers: { authorization: `Bearer ${apiKey}` } });
        await res.text();
        if (res.status !== 200) throw new Error(`${origin}${path} answered ${res.status}`);
        latencies.push(performance.now() - start);
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
  return { rps: latencies.length / seconds, p50: at(0.5), p99: at(0.99) } satisfies Cell;
}

/** Runs every cell for `seconds` each; returns the Markdown table and the cells (gateway and baseline). */
export async function runApiBench(seconds: number) {
  // A registry with a story: five pledges in every state; patent B carries a registered pledge and its history.
  const d = await deployStory();
  const story = storyOf(d.f);
  for (const step of story.steps) await step();
  const assetId = story.assets.patentB;

  const [relayerSigner] = await ethers.getSigners();
  const deployment = {
    chainId: d.chainId,
    deployedAt: new Date().toISOString(),
    blockNumber: await ethers.provider.getBlockNumber(),
    firstBlock: d.startBlock,
    contracts: d.contracts,
    riskSchemes: {},
  };
  const apiKey = newApiKey();
  const organisations = new OrganisationDirectory([
    { id: "bank", name: "Bank", role: "pledgee", address: relayerSigner.address, keyHash: hashApiKey(apiKey) },
  ]);
  const readModel = await openReadModel({ deployment, rpc: eip1193JsonRpc(network.provider) });
  await readModel.follower.syncOnce();
  const gateway = buildApp({
    config: { MAX_JSON_BYTES: 256 * 1024, MAX_DOCUMENT_BYTES: 1024 * 1024, RATE_LIMIT_PER_MINUTE: 100_000_000 },
    logger: createLogger("silent"),
    registry: connectRegistry(deployment, new Relayer(relayerSigner)),
    store: new DocumentStore(mkdtempSync(join(tmpdir(), "ipr-bench-api-"))),
    organisations,
    index: new GatewayIndex(readModel, 5_000),
  });
  const path = `/v1/collateral/${assetId}`;
  const running = await listen(gateway);
  const sample = await fetch(`${running.origin}${path}`, { headers: { authorization: `Bearer ${apiKey}` } });
  if (sample.status !== 200) throw new Error(`the gateway answered ${sample.status}: ${await sample.text()}`);
  const body = await sample.json();

  const bare = express();
  bare.get("/v1/collateral/:assetId", (_req, res) => {
    res.json(body);
  });
  const baseline = await listen(bare);

  const rows: string[] = [];
  const cells: { connections: number; gateway: Cell; baseline: Cell }[] = [];
  for (const connections of CONNECTIONS) {
    const base = await load(baseline.origin, path, apiKey, connections, seconds);
    const ours = await load(running.origin, path, apiKey, connections, seconds);
    cells.push({ connections, gateway: ours, baseline: base });
    const ms = (x: number) => x.toFixed(1);
    rows.push(
      `| collateral lookup | ${connections} | ${ours.rps.toFixed(0)} | ${ms(ours.p50)} | ${ms(ours.p99)} | ` +
        `${base.rps.toFixed(0)} | ${ms(base.p50)} | ${ms(base.p99)} | ${((100 * ours.rps) / base.rps).toFixed(1)} % |`,
    );
  }
  // Where one lookup's time goes, one at a time: the two chain calls, and the read model's queries.
  const registry = connectRegistry(deployment, new Relayer(relayerSigner));
  const index = new GatewayIndex(readModel, 5_000);
  const meanMs = async (run: () => Promise<unknown>, n = 200) => {
    const start = performance.now();
    for (let i = 0; i < n; i++) await run();
    return ((performance.now() - start) / n).toFixed(2);
  };
  const chainMs = await meanMs(() =>
    Promise.all([registry.assetRegister.standingOf(assetId), registry.pledgeRegistry.collateralStatusOf(assetId)]),
  );
  const indexMs = await meanMs(() =>
    Promise.all([index.currentTo(), indexedAssetRow(index, assetId), indexedPledgeHistoryOf(index, registry, assetId)]),
  );
  const size = Buffer.byteLength(JSON.stringify(body));
  const table = [
    `Collateral lookup (${size} bytes of JSON, ${body.history.length} history events), ${seconds} s per cell, ` +
      `${new Date().toISOString().slice(0, 10)}; gateway: Express 5 + auth + validation, read model on in-memory ` +
      `PGlite, 2 eth_calls to the in-process Hardhat chain per lookup; baseline: bare Express 5, same JSON.`,
    "",
    "| read | connections | req/s | p50 ms | p99 ms | baseline req/s | baseline p50 ms | baseline p99 ms | ratio |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ...rows,
    "",
    `One lookup alone: the two eth_calls ${chainMs} ms, the read model's queries ${indexMs} ms.`,
  ].join("\n");
  running.server.close();
  baseline.server.close();
  await readModel.close();
  return { table, cells };
}
