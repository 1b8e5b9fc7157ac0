/**
 * The gateway of `openGateway()` built with other parts: a smaller body or rate limit, or a registry whose chain is
 * unreachable. Same deployment (cached by loadFixture), same demo organisations, silent logs.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { JsonRpcProvider, Wallet } from "ethers";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import request from "supertest";
import { connectRegistry, type Registry } from "../../../api/src/chain/registry";
import { Relayer } from "../../../api/src/chain/relayer";
import type { Deployment } from "../../../definitions/deployment";
import { DocumentStore } from "../../../api/src/documents/store";
import { createLogger } from "../../../api/src/logger";
import { OrganisationDirectory } from "../../../api/src/organisations";
import { buildApp } from "../../../api/src/server";
import type { GatewayParts } from "../../../api/src/parts";
import { deployGatewayFixture } from "./gatewayFixture";
import { indexFor } from "./sharedIndex";

export const DEFAULT_TEST_CONFIG: GatewayParts["config"] = {
  MAX_JSON_BYTES: 256 * 1024,
  MAX_DOCUMENT_BYTES: 5 * 1024 * 1024,
  RATE_LIMIT_PER_MINUTE: 100_000,
};

/** A throwaway key: the unreachable chain never sees a transaction, so whose key it is does not matter. */
const UNUSED_KEY = `0x${"11".repeat(32)}`;

/**
 * A registry the way `startGateway` connects one (a Wallet on a JsonRpcProvider with the deployment's chain id),
 * pointed at a URL where no chain answers. Call `destroy()` afterwards: ethers keeps retrying network detection.
 */
export function unreachableRegistry(deployment: Deployment, url = "http://127.0.0.1:1") {
  const provider = new JsonRpcProvider(url, deployment.chainId, { staticNetwork: true });
  const registry = connectRegistry(deployment, new Relayer(new Wallet(UNUSED_KEY, provider)));
  return { registry, destroy: () => provider.destroy() };
}

export interface GatewayOverrides {
  config?: Partial<GatewayParts["config"]>;
  /** Replace the registry built on the in-process Hardhat network. */
  registry?: (deployment: Deployment) => Registry;
}

/** Like `openGateway()`, with some parts replaced. */
export async function openCustomGateway(overrides: GatewayOverrides = {}) {
  const { signers, contracts, deployment, demo } = await loadFixture(deployGatewayFixture);
  const registry = overrides.registry
    ? overrides.registry(deployment)
    : connectRegistry(deployment, new Relayer(signers[0]));
  const app = buildApp({
    // A registry on another chain (unreachable) reads without the index, as every read did before it.
    index: overrides.registry ? undefined : await indexFor(deployment),
    config: { ...DEFAULT_TEST_CONFIG, ...overrides.config },
    logger: createLogger("silent"),
    registry,
    store: new DocumentStore(mkdtempSync(join(tmpdir(), "ipr-gateway-"))),
    organisations: new OrganisationDirectory(demo.map((d) => d.organisation)),
  });
  const keyOf = Object.fromEntries(demo.map((d) => [d.organisation.id, d.apiKey])) as Record<string, string>;
  const as = (org: string) => ({
    get: (path: string) => request(app).get(`/v1${path}`).set("Authorization", `Bearer ${keyOf[org]}`),
    post: (path: string, body?: object) =>
      request(app)
        .post(`/v1${path}`)
        .set("Authorization", `Bearer ${keyOf[org]}`)
        .send(body ?? {}),
  });
  const now = BigInt((await ethers.provider.getBlock("latest"))!.timestamp);
  return { app, deployment, contracts, registry, signers, parties: signers.slice(10), keyOf, as, now };
}
