/**
 * The gateway as the tests use it: the real app (buildApp) on the in-process Hardhat network, deployed the way
 * `npm start` deploys, with the demo organisations and their API keys, a fresh document store, and silent logs.
 * Parties sign with their own Hardhat accounts, as they would with their own wallets.
 */
import { randomUUID } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import request from "supertest";
import { deployForGateway, setUpDemoOrganisations } from "../../../scripts/lib/bootstrap";
import { connectRegistry } from "../../../api/src/chain/registry";
import { Relayer } from "../../../api/src/chain/relayer";
import { DocumentStore } from "../../../api/src/documents/store";
import { createLogger, type Logger } from "../../../api/src/logger";
import { OrganisationDirectory } from "../../../api/src/organisations";
import { buildApp } from "../../../api/src/server";
import { databaseRecords, type RecordStore } from "../../../api/src/store/records";
import { indexFor } from "./sharedIndex";
import type { GatewayIndex } from "../../../api/src/indexer/gatewayIndex";

/** Each test gateway's records by its data folder, for another app a test builds over the same folder. */
export const recordsByDataDir = new Map<string, RecordStore>();

/** The chain side, cached by loadFixture: deployment and demo organisations. */
export async function deployGatewayFixture() {
  const signers = await ethers.getSigners();
  const [admin, registrar] = signers;
  const { contracts, deployment } = await deployForGateway(admin, registrar.address, admin.address);
  const demo = await setUpDemoOrganisations(contracts, admin, registrar, async (i) => signers[i].address);
  return { signers, contracts, deployment, demo };
}

type OrgId = "registration-office" | "bank-a" | "bank-b" | "evaluator" | "originator" | "auditor";

/**
 * A gateway for one test: loadFixture rolls the chain back between tests, so the app — its relayer's nonce and its
 * document store — is built anew each time over the cached deployment.
 */
export async function openGateway(options: { logger?: Logger } = {}) {
  // (the clock is read after loadFixture restores the chain)
  const { signers, contracts, deployment, demo } = await loadFixture(deployGatewayFixture);
  const dataDir = mkdtempSync(join(tmpdir(), "ipr-gateway-"));
  const registry = connectRegistry(deployment, new Relayer(signers[0]));
  const parts = {
    // Limits far above anything the tests and bench:api send (test/api/rateLimits.test.ts tests the limits).
    config: {
      MAX_JSON_BYTES: 256 * 1024,
      MAX_DOCUMENT_BYTES: 5 * 1024 * 1024,
      RATE_LIMIT_PER_MINUTE: 100_000,
      ORG_RATE_LIMIT_PER_MINUTE: 10_000_000,
    },
    logger: options.logger ?? createLogger("silent"),
    registry,
    store: new DocumentStore(dataDir),
    organisations: new OrganisationDirectory(demo.map((d) => d.organisation)),
  };
  const index = await indexFor(deployment);
  // The gateway's records in the read model's database, as in production; a scope of its own per gateway, since the
  // tests' database outlives the chain's rollbacks between tests.
  const records = databaseRecords(index.model.db, randomUUID());
  recordsByDataDir.set(dataDir, records);
  const app = buildApp({ ...parts, records, index });
  /** Another app over the same parts with another read model, or none (every read asks the chain). */
  const appWith = (index?: GatewayIndex) => buildApp({ ...parts, records, index });
  const keyOf = Object.fromEntries(demo.map((d) => [d.organisation.id, d.apiKey])) as Record<OrgId, string>;
  /** The signer of each demo organisation (its Hardhat account), as its own wallet would be. */
  const signerOf = Object.fromEntries(demo.map((d) => [d.organisation.id, signers[d.account]])) as Record<
    OrgId,
    (typeof signers)[number]
  >;
  /** Holders and other parties without an organisation: accounts 10 and up. */
  const parties = signers.slice(10);
  const as = (org: OrgId) => ({
    get: (path: string) => request(app).get(`/v1${path}`).set("Authorization", `Bearer ${keyOf[org]}`),
    post: (path: string, body?: object) =>
      request(app)
        .post(`/v1${path}`)
        .set("Authorization", `Bearer ${keyOf[org]}`)
        .send(body ?? {}),
  });
  /** The chain's clock when the gateway opened (other suites move it): dates in tests are relative to it. */
  const now = BigInt((await ethers.provider.getBlock("latest"))!.timestamp);
  return {
    app,
    appWith,
    parts,
    records,
    index,
    deployment,
    contracts,
    registry,
    dataDir,
    keyOf,
    signerOf,
    parties,
    as,
    now,
  };
}

export type GatewayFixture = Awaited<ReturnType<typeof openGateway>>;
