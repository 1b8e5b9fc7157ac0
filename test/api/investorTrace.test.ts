/**
 * An investor organisation reads the auditor's trace of a pool it holds a tranche of, and of no other pool.
 */
import { expect } from "chai";
import { TrancheToken__factory } from "../../typechain-types";
import { expectStatus } from "./helpers/poolParties";
import { poolGatewayWithInvestors } from "./helpers/investorGateway";

describe("gateway — an investor's view of the auditor's trace", () => {
  it("gives the trace to an investor holding a tranche of the pool, and refuses one holding none", async () => {
    const { f, get } = await poolGatewayWithInvestors();
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
