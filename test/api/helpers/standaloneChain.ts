/**
 * A chain of its own for a gateway, apart from the tests' shared in-process network: a fresh Hardhat network in this
 * process, served over HTTP as `npm start`'s chain is (its clock may let blocks share a second, as the embedded chain
 * does, or mine on an interval, as a real chain does), the registry deployed on it the way `npm start` deploys, and
 * the real app on it with a relayer that is a wallet on a JSON-RPC URL. Used by the relayer's concurrency tests and
 * by bench/relayer.ts.
 */
import { createServer } from "node:http";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { JsonRpcProvider, Wallet } from "ethers";
import hre from "hardhat";
import { createProvider } from "hardhat/internal/core/providers/construction";
import type { EIP1193Provider, HardhatNetworkConfig } from "hardhat/types";
import request from "supertest";
import { deployForGateway, setUpDemoOrganisations } from "../../../scripts/lib/bootstrap";
import { ChainProvider } from "../../../api/src/chain/provider";
import { connectRegistry } from "../../../api/src/chain/registry";
import { Relayer } from "../../../api/src/chain/relayer";
import { DocumentStore } from "../../../api/src/documents/store";
import { createLogger } from "../../../api/src/logger";
import { OrganisationDirectory } from "../../../api/src/organisations";
import { buildApp } from "../../../api/src/server";
import { DEFAULT_TEST_CONFIG } from "./customGateway";
import { RELAYER_KEY } from "./walletRelayer";

export interface StandaloneChainOptions {
  /** Automined blocks within one second share it (the embedded chain of `npm start`). */
  sameTimestamp?: boolean;
}

/** A fresh Hardhat network served on 127.0.0.1 over JSON-RPC. */
export async function startChain(options: StandaloneChainOptions = {}) {
  const hardhat = hre.config.networks.hardhat as HardhatNetworkConfig;
  const config = {
    ...hre.config,
    networks: {
      ...hre.config.networks,
      hardhat: { ...hardhat, allowBlocksWithSameTimestamp: options.sameTimestamp ?? false },
    },
  };
  const chain: EIP1193Provider = await createProvider(config, "hardhat", hre.artifacts);
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", async () => {
      const payload = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      const one = async ({ id, method, params }: { id: number; method: string; params?: unknown[] }) => {
        try {
          return { jsonrpc: "2.0", id, result: await chain.request({ method, params }) };
        } catch (error) {
          const e = error as { code?: number; message?: string; data?: unknown };
          return { jsonrpc: "2.0", id, error: { code: e.code ?? -32603, message: e.message, data: e.data } };
        }
      };
      const body = Array.isArray(payload) ? await Promise.all(payload.map(one)) : await one(payload);
      res.setHeader("content-type", "application/json").end(JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return {
    url,
    send: (method: string, params: unknown[] = []) => chain.request({ method, params }),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A block every `ms` with automine off, as on a real chain; `stop()` mines the rest and restores automine. */
export function mineEvery(send: (method: string, params?: unknown[]) => Promise<unknown>, ms: number) {
  let stopped = false;
  const running = (async () => {
    await send("evm_setAutomine", [false]);
    while (!stopped) {
      await new Promise((resolve) => setTimeout(resolve, ms));
      await send("evm_mine");
    }
  })();
  return {
    stop: async () => {
      stopped = true;
      await running;
      await send("evm_mine");
      await send("evm_setAutomine", [true]);
    },
  };
}

/** A standalone chain with the registry and demo organisations, and the gateway on it. */
export async function openStandaloneGateway(
  options: StandaloneChainOptions & { maxInFlight?: number; receiptTimeoutMs?: number } = {},
) {
  const chain = await startChain(options);
  const rpc = new JsonRpcProvider(chain.url, undefined, { cacheTimeout: -1 });
  const signers = await Promise.all([0, 1].map((i) => rpc.getSigner(i)));
  const [admin, registrar] = signers;
  const { contracts, deployment } = await deployForGateway(admin, registrar.address, admin.address);
  const demo = await setUpDemoOrganisations(contracts, admin, registrar, async (i) => (await rpc.getSigner(i)).address);
  const provider = new ChainProvider(chain.url, deployment.chainId, 5000);
  const relayer = new Relayer(new Wallet(RELAYER_KEY, provider), {
    rpcTimeoutMs: 5000,
    receiptTimeoutMs: options.receiptTimeoutMs ?? 20_000,
    maxInFlight: options.maxInFlight,
  });
  const registry = connectRegistry(deployment, relayer);
  const app = buildApp({
    config: DEFAULT_TEST_CONFIG,
    logger: createLogger("silent"),
    registry,
    store: new DocumentStore(mkdtempSync(join(tmpdir(), "ipr-standalone-"))),
    organisations: new OrganisationDirectory(demo.map((d) => d.organisation)),
  });
  const apiKey = Object.fromEntries(demo.map((d) => [d.organisation.id, d.apiKey])) as Record<string, string>;
  const as = (org: string) => ({
    get: (path: string) => request(app).get(`/v1${path}`).set("Authorization", `Bearer ${apiKey[org]}`),
    post: (path: string, body?: object) =>
      request(app)
        .post(`/v1${path}`)
        .set("Authorization", `Bearer ${apiKey[org]}`)
        .send(body ?? {}),
  });
  const now = BigInt((await rpc.getBlock("latest"))!.timestamp);
  const holder = (await rpc.getSigner(10)).address;
  return {
    ...chain,
    app,
    apiKey,
    as,
    rpc,
    contracts,
    deployment,
    registry,
    relayerAddress: admin.address,
    holder,
    now,
    close: async () => {
      provider.destroy();
      rpc.destroy();
      await chain.close();
    },
  };
}
