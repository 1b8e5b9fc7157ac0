/**
 * A party's next prepared transaction carries its next nonce, however soon it is asked for. The gateway talks to a
 * real chain through an ethers JSON-RPC provider, which answers a repeated request (the same account's transaction
 * count) from a cache; a party that prepares its next step right after broadcasting one was handed the nonce it had
 * just used, and the broadcast answered 409 TRANSACTION_NONCE_INVALID. Here the gateway's provider is such a
 * JSON-RPC provider, carried to the in-process Hardhat chain.
 */
import { expect } from "chai";
import { network } from "hardhat";
import { JsonRpcProvider, Wallet, type JsonRpcPayload, type JsonRpcResult } from "ethers";
import request from "supertest";
import { connectRegistry } from "../../api/src/chain/registry";
import { Relayer } from "../../api/src/chain/relayer";
import { DocumentStore } from "../../api/src/documents/store";
import { createLogger } from "../../api/src/logger";
import { OrganisationDirectory, hashApiKey } from "../../api/src/organisations";
import { buildApp } from "../../api/src/server";
import { DEFAULT_TEST_CONFIG } from "./helpers/customGateway";
import { printedSigningKey, sentBy, signPrepared, type PreparedStep } from "./helpers/demoGateway";
import { expectStatus, openPoolGateway, walletOf } from "./helpers/poolParties";

/**
 * An ethers JsonRpcProvider, response cache included, whose transport is the in-process chain. ethers keeps answers
 * for 250 ms by default; the window is widened here so that a slow machine cannot hide the defect.
 */
class InProcessJsonRpcProvider extends JsonRpcProvider {
  constructor(chainId: number) {
    super("http://in-process.invalid", chainId, { staticNetwork: true, cacheTimeout: 5_000 });
  }

  async _send(payload: JsonRpcPayload | JsonRpcPayload[]): Promise<JsonRpcResult[]> {
    const calls = Array.isArray(payload) ? payload : [payload];
    return Promise.all(
      calls.map(async ({ id, method, params }) => {
        try {
          return { id, result: await network.provider.request({ method, params: params as unknown[] }) };
        } catch (error) {
          const { code, message, data } = error as { code?: number; message: string; data?: unknown };
          return { id, error: { code: code ?? -32000, message, data } } as unknown as JsonRpcResult;
        }
      }),
    );
  }
}

describe("prepared transactions: the party's pending nonce", () => {
  it("prepare, broadcast, prepare again at once: the next nonce, and its broadcast succeeds", async () => {
    const f = await openPoolGateway();
    const provider = new InProcessJsonRpcProvider(f.deployment.chainId);
    const originator = {
      id: "originator",
      name: "Originator Leasing Co.",
      role: "originator" as const,
      address: f.signerOf.originator.address,
      keyHash: hashApiKey(f.keyOf.originator),
    };
    const app = buildApp({
      config: DEFAULT_TEST_CONFIG,
      logger: createLogger("silent"),
      registry: connectRegistry(f.deployment, new Relayer(new Wallet(printedSigningKey(0), provider))),
      store: new DocumentStore(f.dataDir),
      organisations: new OrganisationDirectory([originator]),
    });
    const guarantor = await walletOf(f.people.guarantor);
    const prepareAuthorisation = async () => {
      const res = await request(app)
        .post(`/v1/pools/${f.poolAddress}/prepare/authorise-guarantee`)
        .set("Authorization", `Bearer ${f.keyOf.originator}`)
        .send({ from: guarantor.address });
      expectStatus(res, 200);
      return res.body.steps[0] as PreparedStep;
    };
    const broadcast = async (step: PreparedStep) =>
      request(app)
        .post("/v1/transactions/prepared")
        .send({ signedTransaction: await signPrepared(guarantor, step) });

    const nonce = await sentBy(guarantor.address);
    const first = await prepareAuthorisation();
    expect(first.transaction.nonce).to.equal(nonce);
    expectStatus(await broadcast(first), 201);
    const next = await prepareAuthorisation();
    expect(next.transaction.nonce).to.equal(nonce + 1);
    expectStatus(await broadcast(next), 201);
    expect(await sentBy(guarantor.address)).to.equal(nonce + 2);
    provider.destroy();
  });
});
