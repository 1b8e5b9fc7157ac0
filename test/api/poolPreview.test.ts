/**
 * /v1/pools/{pool}/next-distribution and /v1/pools/{pool}/holders/{holder}: the preview of the next distribution
 * shows, before the period ends, the steps the distribution then takes (figures computed here from SPEC §6's
 * conventions, never read back), with what the period still waits for; a holder reads its own holdings (another
 * investor may not), and what it may claim is what the distribution credited it.
 */
import { expect } from "chai";
import { rememberPool } from "../../api/src/routes/pools/service";
import { ReceivablePool__factory } from "../../typechain-types";
import { poolGatewayWithInvestors } from "./helpers/investorGateway";
import { TokenModel } from "./helpers/poolBooks";
import {
  FEE_PER_PERIOD,
  INSTALMENT,
  SENIOR_FACE,
  SUBORDINATED_FACE,
  afterPeriod,
  expectStatus,
  openPoolGateway,
  seniorInterest,
} from "./helpers/poolParties";

const iso = (seconds: bigint) => new Date(Number(seconds) * 1000).toISOString();
const min = (a: bigint, b: bigint) => (a < b ? a : b);

describe("gateway — the next distribution previewed, and a holder's holdings", function () {
  this.timeout(120_000);

  it("before period 1 ends, previews the steps its distribution then takes, and says the period has not ended", async () => {
    const { f, get } = await poolGatewayWithInvestors();
    const ends = await f.pool.periodEnds();
    const start = await f.pool.startDate();
    // SPEC §6 on the first period: the instalment paid is the cash; fees, then A1's interest (Actual/365 on whole
    // days), then turbo principal; the reserve is at its target (nothing to top up) and this is not the last period.
    const interest = seniorInterest(SENIOR_FACE, start, ends[0]);
    const principal = min(INSTALMENT - FEE_PER_PERIOD - interest, SENIOR_FACE);
    const subordinated = INSTALMENT - FEE_PER_PERIOD - interest - principal;
    const expectedSteps = [
      { step: "Fees", tranche: null, amount: FEE_PER_PERIOD.toString() },
      { step: "SeniorInterest", tranche: 0, amount: interest.toString() },
      { step: "SeniorPrincipal", tranche: 0, amount: principal.toString() },
      ...(subordinated > 0n ? [{ step: "Subordinated", tranche: 1, amount: subordinated.toString() }] : []),
    ];

    const res = await f.as("auditor").get(`/pools/${f.poolAddress}/next-distribution`);
    expectStatus(res, 200);
    const p = res.body;
    expect([p.preview, p.period, p.startDate, p.endDate, p.ready]).to.deep.equal([
      true,
      1,
      iso(start),
      iso(ends[0]),
      false,
    ]);
    expect(p.missing).to.deep.include({
      reason: "PERIOD_NOT_ENDED",
      until: iso(ends[0]),
      licenceId: null,
      index: null,
      dueDate: null,
      unpaid: null,
    });
    // Instalment 1 (index 0) was paid; none other falls due by the end of period 1.
    expect(p.missing.filter((m: { reason: string }) => m.reason === "INSTALMENT_UNPAID")).to.deep.equal([]);
    expect([p.collections, p.reserveDrawn, p.guarantorCalled, p.cashToDivide]).to.deep.equal([
      INSTALMENT.toString(),
      "0",
      "0",
      INSTALMENT.toString(),
    ]);
    expect(p.dues).to.deep.equal({ fees: FEE_PER_PERIOD.toString(), interest: [interest.toString()] });
    expect(p.steps).to.deep.equal(expectedSteps);
    expect(p.after.tranches.map((t: { outstanding: string }) => t.outstanding)).to.deep.equal([
      (SENIOR_FACE - principal).toString(),
      SUBORDINATED_FACE.toString(),
    ]);
    expect(p.after.interestArrears).to.deep.equal(["0"]);
    // An investor reads it too.
    expectStatus(await get("no-holder", `/pools/${f.poolAddress}/next-distribution`), 200);

    // Once the period has ended it is ready, and the distribution takes exactly the steps previewed.
    await afterPeriod(f.pool, 0);
    const ready = await f.as("auditor").get(`/pools/${f.poolAddress}/next-distribution`);
    expect(ready.body.ready).to.equal(true);
    expect(ready.body.missing.map((m: { reason: string }) => m.reason)).to.not.include("PERIOD_NOT_ENDED");
    const done = await f.as("auditor").post(`/pools/${f.poolAddress}/distribute`);
    expectStatus(done, 201);
    expect(
      done.body.steps.map(({ step, tranche, amount }: Record<string, unknown>) => ({ step, tranche, amount })),
    ).to.deep.equal(expectedSteps);
    expect(done.body.tranchesAfter).to.deep.equal(p.after.tranches);

    // Period 2 is next: instalment 2 falls due within it and is unpaid, which the preview names.
    const next = await f.as("auditor").get(`/pools/${f.poolAddress}/next-distribution`);
    expect(next.body.period).to.equal(2);
    expect(next.body.missing).to.deep.include({
      reason: "INSTALMENT_UNPAID",
      until: null,
      licenceId: f.licences.subLicenceId.toString(),
      index: 1,
      dueDate: iso(BigInt(f.licences.sub.schedule[1].dueDate)),
      unpaid: INSTALMENT.toString(),
    });
  });

  it("422 POOL_STATUS_INVALID for a pool that is not active (still in subscription)", async () => {
    const f = await openPoolGateway();
    // Another pool over the same receivable, deployed and not closed (its receivable is not assigned to it).
    const pool = await new ReceivablePool__factory(f.people.originator).deploy(
      f.config,
      await f.contracts.licenceRegistry.getAddress(),
      await f.contracts.investorRegistry.getAddress(),
    );
    await pool.waitForDeployment();
    await rememberPool(f.records, await pool.getAddress(), "test", "0x");
    const res = await f.as("auditor").get(`/pools/${await pool.getAddress()}/next-distribution`);
    expect([res.status, res.body.error.code]).to.deep.equal([422, "POOL_STATUS_INVALID"]);
  });

  it("a holder reads its own holdings and claims; another investor may not read them; the auditor may", async () => {
    const { f, get } = await poolGatewayWithInvestors();
    const holder = f.people.investor.address;
    const path = `/pools/${f.poolAddress}/holders/${holder}`;
    const before = await get("senior-holder", path);
    expectStatus(before, 200);
    expect(before.body.tranches.map((t: Record<string, string>) => [t.symbol, t.balance, t.claimable])).to.deep.equal([
      ["LF27A1", SENIOR_FACE.toString(), "0"],
      ["LF27S", "0", "0"],
    ]);

    await afterPeriod(f.pool, 0);
    expectStatus(await f.as("auditor").post(`/pools/${f.poolAddress}/distribute`), 201);
    // The sole senior holder is credited the senior's interest, then its principal, of period 1: each through the
    // token's per-token accounting (rounded down per token; what no holder can be credited is dust).
    const ends = await f.pool.periodEnds();
    const interest = seniorInterest(SENIOR_FACE, await f.pool.startDate(), ends[0]);
    const principal = min(INSTALMENT - FEE_PER_PERIOD - interest, SENIOR_FACE);
    const token = new TokenModel(SENIOR_FACE);
    token.distribute(interest);
    token.distribute(principal);
    const owed = token.accumulatedOf(SENIOR_FACE).toString();
    const after = await get("senior-holder", path);
    const senior = after.body.tranches[0];
    expect([senior.accumulated, senior.claimable, senior.claimed]).to.deep.equal([owed, owed, "0"]);
    expect(senior.outstanding).to.equal((SENIOR_FACE - principal).toString());

    await f.pool.connect(f.people.investor).claim(0);
    const claimed = await get("senior-holder", path);
    expect(claimed.body.tranches[0].claimable).to.equal("0");
    expect(claimed.body.tranches[0].claimed).to.equal(owed);
    expect(claimed.body.claims.map((c: Record<string, unknown>) => [c.tranche, c.amount])).to.deep.equal([[0, owed]]);

    const other = await get("no-holder", path);
    expect([other.status, other.body.error.code]).to.deep.equal([403, "FORBIDDEN"]);
    expectStatus(await f.as("auditor").get(path), 200);
  });
});
