/**
 * A gateway pointed at a chain that does not hold its deployment (a fresh node, the wrong chain, a wrong deployment
 * file) must say so: /health answers 503 DEPLOYMENT_MISSING naming the contracts without code, and every read and
 * write answers the same instead of a 500. The positive answer is cached, so a healthy gateway does not ask the chain
 * for code on every request.
 */
import { expect } from "chai";
import { Wallet } from "ethers";
import { ethers } from "hardhat";
import request from "supertest";
import { connectRegistry } from "../../api/src/chain/registry";
import { Relayer } from "../../api/src/chain/relayer";
import { DEPLOYMENT_CHECK_TTL_MS } from "../../api/src/middleware/deployment";
import { openCustomGateway } from "./helpers/customGateway";

const YEAR = 365 * 86_400;

describe("gateway — a chain without the deployment", () => {
  it("says so on /health and answers reads and writes 503 DEPLOYMENT_MISSING", async () => {
    const [relayerSigner] = await ethers.getSigners();
    const f = await openCustomGateway({
      // Same chain, but the registers named by the deployment file were never deployed there.
      registry: (deployment) =>
        connectRegistry(
          {
            ...deployment,
            contracts: {
              ...deployment.contracts,
              assetRegister: Wallet.createRandom().address,
              pledgeRegistry: Wallet.createRandom().address,
            },
          },
          new Relayer(relayerSigner),
        ),
    });
    const health = await request(f.app).get("/v1/health");
    expect([health.status, health.body.error?.code]).to.deep.equal([503, "DEPLOYMENT_MISSING"]);
    expect(health.body.error.details.missing).to.have.members(["assetRegister", "pledgeRegistry"]);

    const read = await f.as("bank-a").get(`/assets/0x${"ab".repeat(32)}`);
    expect([read.status, read.body.error?.code]).to.deep.equal([503, "DEPLOYMENT_MISSING"]);
    const write = await f.as("registration-office").post("/assets", {
      kind: "InventionPatent",
      officialNumber: "ZL202110011111.1",
      holders: [{ address: f.parties[0].address, shareBps: 10_000 }],
      grantDate: Number(f.now) - YEAR,
    });
    expect([write.status, write.body.error?.code]).to.deep.equal([503, "DEPLOYMENT_MISSING"]);
    const pledge = await f.as("bank-a").get("/pledges/1");
    expect([pledge.status, pledge.body.error?.code]).to.deep.equal([503, "DEPLOYMENT_MISSING"]);
    // The key is still checked first.
    expect((await request(f.app).get("/v1/pledges/1")).status).to.equal(401);
  });

  it("answers normally on a complete deployment, asking the chain for code once per TTL", async () => {
    const f = await openCustomGateway();
    let codeLookups = 0;
    const getCode = f.registry.provider.getCode.bind(f.registry.provider);
    f.registry.provider.getCode = (...args: Parameters<typeof getCode>) => {
      codeLookups++;
      return getCode(...args);
    };
    const health = await request(f.app).get("/v1/health");
    expect([health.status, health.body.status]).to.deep.equal([200, "ok"]);
    const contracts = Object.keys(f.deployment.contracts).length;
    expect(codeLookups).to.equal(contracts);
    for (let i = 0; i < 5; i++) expect((await f.as("bank-a").get("/pledges/queue")).status).to.be.oneOf([200, 403]);
    expect((await request(f.app).get("/v1/health")).status).to.equal(200);
    expect(codeLookups, "cached").to.equal(contracts);
    expect(DEPLOYMENT_CHECK_TTL_MS).to.be.within(1_000, 600_000);
  });
});
