/**
 * An investor organisation reads the auditor's trace of a pool it holds a tranche of, and of no other pool.
 */
import { expect } from "chai";
import request from "supertest";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { TrancheToken__factory } from "../../typechain-types";
import { buildApp } from "../../api/src/server";
import { createLogger } from "../../api/src/logger";
import { DocumentStore } from "../../api/src/documents/store";
import { OrganisationDirectory, hashApiKey, type Organisation } from "../../api/src/organisations";
import { deployGatewayFixture } from "./helpers/gatewayFixture";
import { DEFAULT_TEST_CONFIG } from "./helpers/customGateway";
import { expectStatus, openPoolGateway } from "./helpers/poolParties";

describe("gateway — an investor's view of the auditor's trace", () => {
  it("gives the trace to an investor holding a tranche of the pool, and refuses one holding none", async () => {
    const { demo } = await loadFixture(deployGatewayFixture); // before the pool: loadFixture reverts the chain
    const f = await openPoolGateway();
    const investor = (id: string, address: string): Organisation => ({
      id,
      name: id,
      role: "investor",
      address,
      keyHash: hashApiKey(`ipr_${id}`),
    });
    const app = buildApp({
      config: DEFAULT_TEST_CONFIG,
      logger: createLogger("silent"),
      registry: f.registry,
      store: new DocumentStore(f.dataDir),
      organisations: new OrganisationDirectory([
        ...demo.map((d) => d.organisation),
        investor("senior-holder", f.people.investor.address),
        investor("no-holder", f.people.secondInvestor.address),
      ]),
    });
    const get = (id: string, path: string) => request(app).get(`/v1${path}`).set("Authorization", `Bearer ipr_${id}`);
    const senior = TrancheToken__factory.connect((await f.pool.trancheOf(0)).token, f.registry.provider);
    expect(await senior.balanceOf(f.people.investor.address)).to.be.greaterThan(0n);
    expect(await senior.balanceOf(f.people.secondInvestor.address)).to.equal(0n);

    const holder = await get("senior-holder", `/pools/${f.poolAddress}/trace`);
    expectStatus(holder, 200);
    const audited = await f.as("auditor").get(`/pools/${f.poolAddress}/trace`);
    expect(holder.body.tranches).to.deep.equal(audited.body.tranches);
    expect(holder.body.receivables).to.deep.equal(audited.body.receivables);

    const other = await get("no-holder", `/pools/${f.poolAddress}/trace`);
    expect([other.status, other.body.error.code]).to.deep.equal([403, "FORBIDDEN"]);
    // Both still see the pool itself.
    expectStatus(await get("no-holder", `/pools/${f.poolAddress}`), 200);
  });
});
