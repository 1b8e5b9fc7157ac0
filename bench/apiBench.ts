/**
 * The API benchmark (`npm run bench:api`, bench/api.ts; smoke run in test/bench/apiBench.test.ts). One process holds
 * the in-process Hardhat chain, the gateway (the test gateway: demo organisations, read model on in-memory PGlite),
 * a bare Express 5 server answering the same JSON, and the load (Node's fetch, keep-alive, closed loops: each of N
 * loops sends its next request when the last answer is in), so both sides share the same CPU.
 *
 * For each registry size (pledges registered, filled fast with raw transactions: bench/rawTransactions.ts), each
 * read runs at 1, 10 and 50 connections, interleaved with the baseline; then end-to-end registrations (draft →
 * signatures → submit → register, through the gateway) at 1 and 10 clients.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { performance } from "node:perf_hooks";
import express from "express";
import { ethers, network } from "hardhat";
import { encodeBytes32String, hexlify, toUtf8Bytes } from "ethers";
import { openGateway, type GatewayFixture } from "../test/api/helpers/gatewayFixture";
import { PRINCIPAL, anchorReport, docHash, recordPatent, registeredPledge } from "../test/api/helpers/pledgeParties";
import { domainOf, signApplication } from "../test/helpers/pledging";
import { NO_CONSENT, type PledgeTerms } from "../definitions/typedData";
import { indexFor } from "../test/api/helpers/sharedIndex";
import { afterPeriod, poolOn } from "../test/api/helpers/poolParties";
import { indexedPool, readIndexedTrace } from "../api/src/routes/pools/indexed";
import { traceOf } from "../api/src/routes/pools/trace";
import { readIndexedCollateral } from "../api/src/routes/collateral/indexed";
import { FILL_MAX_FEE, devWalletOf, rawSender, type Rpc } from "./rawTransactions";

export interface ApiBenchOptions {
  /** Seconds per cell. */
  seconds: number;
  /** Pledges registered before each round of reads (ascending). */
  pledges: number[];
  /** Connection counts of the reads. */
  connections: number[];
  /** End-to-end registrations: concurrent clients, and registrations each client makes. */
  registrations: { clients: number; each: number }[];
}

export const FULL_OPTIONS: ApiBenchOptions = {
  seconds: 5,
  pledges: [1_000, 10_000],
  connections: [1, 10, 50],
  registrations: [
    { clients: 1, each: 10 },
    { clients: 10, each: 3 },
  ],
};

export interface Cell {
  rps: number;
  p50: number;
  p99: number;
}

export interface ReadCell {
  read: string;
  pledges: number;
  connections: number;
  gateway: Cell;
  baseline: Cell;
}

interface Request {
  method: "GET" | "POST";
  path: string;
  body?: string;
}

function listen(app: express.Express): Promise<{ server: Server; origin: string }> {
  const server = createServer(app);
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () =>
      resolve({ server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }),
    ),
  );
}

const percentiles = (latencies: number[], seconds: number): Cell => {
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
  return { rps: latencies.length / seconds, p50: at(0.5), p99: at(0.99) };
};

/** `connections` closed loops for `seconds`: requests per second and latency percentiles (ms). */
async function load(origin: string, request: Request, apiKey: string, connections: number, seconds: number) {
  const latencies: number[] = [];
  const end = performance.now() + seconds * 1000;
  const headers = {
    authorization: `Bearer ${apiKey}`,
    ...(request.body ? { "content-type": "application/octet-stream" } : {}),
  };
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < end) {
        const start = performance.now();
        const res = await fetch(`${origin}${request.path}`, { method: request.method, headers, body: request.body });
        await res.text();
        if (res.status !== 200) throw new Error(`${origin}${request.path} answered ${res.status}`);
        latencies.push(performance.now() - start);
      }
    }),
  );
  return percentiles(latencies, seconds);
}

/**
 * Registers pledges of `asset` (held by `pledgor`) to bank A and releases each, until `target` pledges are
 * registered: raw transactions signed here, many per block, instant registration on meanwhile.
 */
async function fill(f: GatewayFixture, asset: string, reportId: string, pledgor: string, from: number, target: number) {
  if (target <= from) return;
  const registry = f.contracts.pledgeRegistry;
  const rpc: Rpc = (method, params) => network.provider.request({ method, params });
  const { chainId } = await ethers.provider.getNetwork();
  const bank = f.signerOf["bank-a"];
  const [pledgorWallet, bankWallet] = [devWalletOf(pledgor), devWalletOf(bank.address)];
  const domain = await domainOf(registry);
  const to = await registry.getAddress();
  const terms: PledgeTerms = {
    assetIds: [asset],
    pledgors: [pledgor],
    pledgee: bank.address,
    debt: {
      debtor: encodeBytes32String("91440101MA5CXYZ12K"),
      principal: PRINCIPAL,
      currency: hexlify(toUtf8Bytes("CNY")),
      startDate: f.now,
      maturityDate: f.now + 365n * 86_400n,
    },
    contractHash: docHash("bench fill contract"),
    valuationReportId: reportId,
    riskScheme: 0,
    forfeitureClause: false,
    invalidationAcknowledged: false,
  };
  const { gasLimit } = (await ethers.provider.getBlock("latest"))!;
  const [submitGas, releaseGas] = [600_000n, 100_000n];
  const perBlock = Number(gasLimit / (submitGas + releaseGas));
  const mine = async () => {
    await rpc("hardhat_setNextBlockBaseFeePerGas", [`0x${(FILL_MAX_FEE / 100n).toString(16)}`]);
    await rpc("evm_mine", []);
  };
  const registrar = f.signerOf["registration-office"];
  await (await registry.connect(registrar).setInstantRegistration(true)).wait();
  let nextId = (await registry.lastPledgeId()) + 1n;
  // Nonces far from the gateway's random ones and from earlier fills.
  let nonce = 2n ** 200n + BigInt(from) * 2n;
  await rpc("evm_setAutomine", [false]);
  try {
    const send = rawSender(rpc, chainId);
    for (let filled = from; filled < target;) {
      const consents = [
        await signApplication(registry, pledgorWallet, terms, { nonce: nonce++, domain }),
        await signApplication(registry, bankWallet, terms, { nonce: nonce++, domain }),
      ];
      const submit = registry.interface.encodeFunctionData("submitApplication", [terms, [consents[0]], consents[1]]);
      await send(bankWallet, to, submit, submitGas);
      await send(bankWallet, to, registry.interface.encodeFunctionData("release", [nextId++, NO_CONSENT]), releaseGas);
      if (++filled % perBlock === 0) await mine();
      if (filled % 1_000 === 0) process.stderr.write(`bench: ${filled.toLocaleString("en-US")} pledges registered\n`);
    }
    await mine();
  } finally {
    await rpc("evm_setAutomine", [true]);
  }
  await (await registry.connect(registrar).setInstantRegistration(false)).wait();
  const lastId = await registry.lastPledgeId();
  if (lastId !== nextId - 1n) throw new Error(`fill failed: last pledge id ${lastId}, ${nextId - 1n} sent`);
}

/** Runs the benchmark; returns the Markdown table and the cells. */
export async function runApiBench(options: ApiBenchOptions) {
  const f = await openGateway();
  const [alice, filler] = f.parties;
  // The asset read: alice's patent, valued, pledged to bank A and registered (its history: applied, registered).
  const file = "valuation report of the benchmark's patent";
  const assetId = await recordPatent(f, "ZL202410099001.1", [alice]);
  const reportId = await anchorReport(f, [assetId], file);
  await registeredPledge(f, { assets: [assetId], pledgors: [alice], reportId });
  // The filler: another holder's patent, pledged and released over and over.
  const fillerAsset = await recordPatent(f, "ZL202410099002.2", [filler]);
  const fillerReport = await anchorReport(f, [fillerAsset], "valuation report of the filler patent");

  // The trace's pool: licences, a closed pool of two tranches, its first instalment paid (poolParties.ts), its first
  // period distributed and the senior holder's claim.
  const pooled = await poolOn(f);
  const { poolAddress } = pooled;
  await afterPeriod(pooled.pool, 0);
  const distributed = await f.as("bank-a").post(`/pools/${poolAddress}/distribute`);
  if (distributed.status !== 201) throw new Error(`distribute answered ${distributed.status}: ${distributed.text}`);
  await (await pooled.pool.connect(pooled.people.investor).claim(0)).wait();

  const bankKey = f.keyOf["bank-a"];
  const bank = f.signerOf["bank-a"].address;
  const gateway = await listen(f.app);
  const reads: [string, Request][] = [
    ["collateral lookup", { method: "GET", path: `/v1/collateral/${assetId}` }],
    ["asset timeline", { method: "GET", path: `/v1/assets/${assetId}` }],
    ["bank's pledge list", { method: "GET", path: `/v1/pledges?pledgee=${bank}&status=Registered` }],
    ["verify a document", { method: "POST", path: "/v1/valuations/verify", body: file }],
    ["auditor's trace", { method: "GET", path: `/v1/pools/${poolAddress}/trace` }],
  ];

  const cells: ReadCell[] = [];
  const rows: string[] = [];
  const ms = (x: number) => x.toFixed(1);
  let registered = 1;
  const profile: string[] = [];
  for (const pledges of options.pledges) {
    await fill(f, fillerAsset, fillerReport, filler.address, registered, pledges);
    registered = Math.max(registered, pledges);
    const index = await indexFor(f.deployment);
    for (const [read, request] of reads) {
      const sample = await fetch(`${gateway.origin}${request.path}`, {
        method: request.method,
        headers: { authorization: `Bearer ${bankKey}` },
        body: request.body,
      });
      const body = await sample.json();
      if (sample.status !== 200)
        throw new Error(`${read}: the gateway answered ${sample.status}: ${JSON.stringify(body)}`);
      const bare = express();
      bare[request.method === "GET" ? "get" : "post"](request.path.split("?")[0], (_req, res) => {
        res.json(body);
      });
      const baseline = await listen(bare);
      for (const connections of options.connections) {
        const base = await load(baseline.origin, request, bankKey, connections, options.seconds);
        const ours = await load(gateway.origin, request, bankKey, connections, options.seconds);
        cells.push({ read, pledges, connections, gateway: ours, baseline: base });
        rows.push(
          `| ${read} | ${pledges.toLocaleString("en-US")} | ${connections} | ${ours.rps.toFixed(0)} | ${ms(ours.p50)} | ` +
            `${ms(ours.p99)} | ${base.rps.toFixed(0)} | ${ms(base.p50)} | ${ms(base.p99)} | ` +
            `${((100 * ours.rps) / base.rps).toFixed(1)} % |`,
        );
      }
      baseline.server.close();
    }
    // Where one collateral lookup's time goes, one at a time: the read model's one query and the answer's shaping.
    const meanMs = async (run: () => Promise<unknown>, n = 100) => {
      const start = performance.now();
      for (let i = 0; i < n; i++) await run();
      return ((performance.now() - start) / n).toFixed(2);
    };
    const queryMs = await meanMs(() => readIndexedCollateral(index, f.registry, assetId));
    const cachedMs = await meanMs(() => index.cached(`collateral ${assetId}`, async () => undefined));
    profile.push(
      `${pledges.toLocaleString("en-US")} pledges: the collateral lookup's query and shaping ${queryMs} ms uncached ` +
        `(1 SQL query, 0 chain calls), ${cachedMs} ms from the cache`,
    );
    // The trace uncached, from the index and (as before the index) from the chain's views and logs.
    const held = (await indexedPool(index, f.records, poolAddress))!;
    const head = (await index.currentTo())!;
    const traceIndexMs = await meanMs(() => readIndexedTrace(index, f.registry, held, head), 20);
    const traceChainMs = await meanMs(() => traceOf(f.registry, pooled.pool), 5);
    profile.push(
      `${pledges.toLocaleString("en-US")} pledges: the auditor's trace (one period distributed, one claim) built ` +
        `uncached from the index in ${traceIndexMs} ms (0 chain calls), from the chain in ${traceChainMs} ms`,
    );
  }

  // End-to-end registrations through the gateway: each client registers its own assets, one after another.
  const registrations: string[] = [];
  const registrationCells: { clients: number; cell: Cell }[] = [];
  let serial = 0;
  for (const { clients, each } of options.registrations) {
    const holders = f.parties.slice(2, 2 + clients);
    const assets: string[][] = [];
    for (const holder of holders) {
      const own: string[] = [];
      for (let i = 0; i < each; i++)
        own.push(await recordPatent(f, `ZL2024101${String(++serial).padStart(5, "0")}.1`, [holder]));
      assets.push(own);
    }
    const report = await anchorReport(f, assets.flat(), `valuation report of registration round ${clients}`);
    const latencies: number[] = [];
    const start = performance.now();
    await Promise.all(
      holders.map(async (holder, c) => {
        for (const asset of assets[c]) {
          const begun = performance.now();
          await registeredPledge(f, { assets: [asset], pledgors: [holder], reportId: report });
          latencies.push(performance.now() - begun);
        }
      }),
    );
    const cell = percentiles(latencies, (performance.now() - start) / 1000);
    registrationCells.push({ clients, cell });
    registrations.push(
      `| registration (draft → signatures → submit → register) | ${registered.toLocaleString("en-US")} | ` +
        `${clients} client${clients > 1 ? "s" : ""} | ${cell.rps.toFixed(1)} | ${ms(cell.p50)} | ${ms(cell.p99)} | – | – | – | – |`,
    );
  }
  gateway.server.close();

  const date = new Date().toISOString().slice(0, 10);
  const table = [
    `API benchmark, ${date}, ${options.seconds} s per cell: the gateway (Express 5 + auth + validation, read model on ` +
      `in-memory PGlite, in-process Hardhat chain) against a bare Express 5 server answering the same JSON, ` +
      `interleaved. Regenerate: npm run bench:api`,
    "",
    "| request | pledges | connections | req/s | p50 ms | p99 ms | baseline req/s | baseline p50 ms | baseline p99 ms | ratio |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ...rows,
    ...registrations,
    "",
    "Registrations: registrations per second over the round, and each registration's time (five requests, two " +
      "transactions, each write answered once the index holds it).",
    ...profile.map((p) => `- ${p}`),
  ].join("\n");
  return { table, cells, registrations: registrationCells };
}
