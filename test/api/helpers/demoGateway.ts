/**
 * The gateway as `npm start` serves it on its embedded chain: the registry, the demo organisations and the demo
 * stablecoin, with the faucet enabled (or not: `{ demo: false }` is a gateway on RPC_URL). The client is an outsider
 * with HTTP and ethers wallets only: `http(key?)` calls the API with or without an organisation's key, and every
 * party's wallet is a fresh random key with nothing on chain until the faucet funds it.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { HDNodeWallet, Mnemonic, Wallet } from "ethers";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import request from "supertest";
import { deployDemoStablecoin } from "../../../scripts/lib/bootstrap";
import { connectRegistry } from "../../../api/src/chain/registry";
import { Relayer } from "../../../api/src/chain/relayer";
import { DocumentStore } from "../../../api/src/documents/store";
import { createLogger } from "../../../api/src/logger";
import { OrganisationDirectory } from "../../../api/src/organisations";
import { buildApp } from "../../../api/src/server";
import type { GatewayParts } from "../../../api/src/parts";
import { DEFAULT_TEST_CONFIG } from "./customGateway";
import { deployGatewayFixture } from "./gatewayFixture";

/** The chain side of `npm start`: the registry, the demo organisations, and the demo stablecoin. */
export async function deployDemoFixture() {
  const base = await deployGatewayFixture();
  return { ...base, stablecoin: await deployDemoStablecoin(base.signers[0]) };
}

/** The key `npm start` prints for a demo organisation: Hardhat's public development key of its account. */
export const printedSigningKey = (account: number) =>
  HDNodeWallet.fromMnemonic(
    Mnemonic.fromPhrase("test test test test test test test test test test test junk"),
    `m/44'/60'/0'/0/${account}`,
  ).privateKey;

export async function openDemoGateway(options: { demo?: boolean; registry?: GatewayParts["registry"] } = {}) {
  const { signers, deployment, demo, stablecoin } = await loadFixture(deployDemoFixture);
  const dataDir = mkdtempSync(join(tmpdir(), "ipr-demo-"));
  const registry = options.registry ?? connectRegistry(deployment, new Relayer(signers[0]));
  const app = buildApp({
    config: DEFAULT_TEST_CONFIG,
    logger: createLogger("silent"),
    registry,
    store: new DocumentStore(dataDir),
    organisations: new OrganisationDirectory(demo.map((d) => d.organisation)),
    ...(options.demo === false ? {} : { demo: { stablecoin } }),
  });
  const keyOf = Object.fromEntries(demo.map((d) => [d.organisation.id, d.apiKey])) as Record<string, string>;
  /** An organisation's own wallet, from the signing key the demo print-out shows. */
  const walletOfOrg = (id: string) =>
    new Wallet(printedSigningKey(demo.find((d) => d.organisation.id === id)!.account));
  const http = (apiKey?: string) => {
    const auth = <T extends request.Test>(r: T) => (apiKey ? r.set("Authorization", `Bearer ${apiKey}`) : r);
    return {
      get: (path: string) => auth(request(app).get(`/v1${path}`)),
      post: (path: string, body?: object) => auth(request(app).post(`/v1${path}`)).send(body ?? {}),
    };
  };
  const now = BigInt((await ethers.provider.getBlock("latest"))!.timestamp);
  return { app, deployment, stablecoin, registry, dataDir, keyOf, walletOfOrg, http, now, signers };
}

export type DemoGateway = Awaited<ReturnType<typeof openDemoGateway>>;

/** How many transactions `address` has sent (mined or pending): unchanged means nothing was sent for it. */
export const sentBy = (address: string) => ethers.provider.getTransactionCount(address, "pending");

/** A prepared step as the API answers it. */
export interface PreparedStep {
  action: string;
  transaction: Record<string, unknown> & { from: string; to: string | null; nonce: number; data: string };
}

/** The wallet signs the unsigned transaction it was handed, as it is (no field changed). */
export const signPrepared = (wallet: Wallet, step: PreparedStep) => wallet.signTransaction(step.transaction);

/** The same transaction with some fields changed, signed by `wallet` (for hostile tests). */
export async function signAltered(wallet: Wallet, step: PreparedStep, changes: Record<string, unknown>) {
  const { from: _from, ...unsigned } = step.transaction;
  return wallet.signTransaction({ ...unsigned, ...changes });
}
