/**
 * A pool's whole term through the API (SPEC §6 conventions): the calendar from its start date, distributions past the
 * scheduled term (no fee once nothing is outstanding, no guarantor call), losses of several defaults across every
 * tranche with what excess return absorbed and a later recovery, the wind-up, and the holders' claims — after which
 * the pool holds only what the holders' rounding left. Every figure comes from the independent models in
 * test/helpers (waterfall) and ./helpers/poolBooks (tranche token rounding).
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import type { Signer } from "ethers";
import { TrancheToken__factory } from "../../typechain-types";
import type { ModelReport, PoolModel } from "../helpers/poolModel";
import { TokenModel, poolModelOf } from "./helpers/poolBooks";
import { iso } from "./helpers/pledgeParties";
import {
  DAY,
  INSTALMENT,
  SENIOR_FACE,
  SUBORDINATED_FACE,
  expectStatus,
  identifyInvestors,
  openPoolGateway,
  prepareAndSend,
  smallPoolDeployment,
} from "./helpers/poolParties";

type Pool = Awaited<ReturnType<typeof openPoolGateway>>;
type Res = { status: number; body: { report: Record<string, unknown>; proof: object; [k: string]: unknown } };

const DEFAULT_AFTER = 90n * DAY;

/** The pool's model, closed with instalment 0 paid, as openPoolGateway leaves the pool. */
function modelOf(f: Pool) {
  const model = poolModelOf(f.config);
  model.collections += INSTALMENT;
  return model;
}

/** The waterfall figures of a report as the API must show them. */
const figuresOf = (r: ModelReport) => ({
  period: Number(r.period) + 1,
  startDate: iso(r.startDate),
  endDate: iso(r.endDate),
  collections: r.collections.toString(),
  reserveDrawn: r.reserveDrawn.toString(),
  guarantorCalled: r.guarantorCalled.toString(),
  guarantorPaid: r.guarantorPaid.toString(),
  feesPaid: r.feesPaid.toString(),
  interestPaid: r.interestPaid.map(String),
  principalPaid: r.principalPaid.map(String),
  reserveReleased: r.reserveReleased.toString(),
  reserveToppedUp: r.reserveToppedUp.toString(),
  subordinatedPaid: r.subordinatedPaid.toString(),
  reserveAfter: r.reserveAfter.toString(),
  feeArrearsAfter: r.feeArrearsAfter.toString(),
  interestArrearsAfter: r.interestArrearsAfter.map(String),
  outstandingAfter: r.outstandingAfter.map(String),
});

async function distribute(f: Pool, model: PoolModel) {
  const expected = model.distribute();
  await time.increaseTo(expected.endDate + 1n);
  const res: Res = await f.as("auditor").post(`/pools/${f.poolAddress}/distribute`);
  expectStatus(res, 201);
  expect(res.body.report).to.deep.include(figuresOf(expected));
  return { res, expected };
}

async function payInstalment(f: Pool, index: number) {
  const path = `/pools/${f.poolAddress}/prepare/pay-instalment`;
  const body = { licenceId: f.licences.subLicenceId.toString(), index, amount: INSTALMENT.toString() };
  return prepareAndSend(f, "originator", path, f.people.licensee, body);
}

describe("gateway — a pool's whole term", () => {
  it("distributes past the term, winds up, lets every holder claim, and keeps only the holders' rounding", async () => {
    const f = await openPoolGateway();
    const { investor, secondInvestor, originator } = f.people;
    // Two holders of the senior tranche, so that their shares round.
    await identifyInvestors(f, f.people, [secondInvestor]);
    const senior = TrancheToken__factory.connect((await f.pool.trancheOf(0)).token, investor);
    await senior.transfer(secondInvestor.address, SENIOR_FACE / 3n);
    const holders: [number, Signer, bigint, "auditor" | "originator"][] = [
      [0, investor, SENIOR_FACE - SENIOR_FACE / 3n, "auditor"],
      [0, secondInvestor, SENIOR_FACE / 3n, "auditor"],
      [1, originator, SUBORDINATED_FACE, "originator"],
    ];
    const model = modelOf(f);
    const tokens = [new TokenModel(SENIOR_FACE), new TokenModel(SUBORDINATED_FACE)];
    let dust = 0n;
    /** The pool credits interest, then principal, then the subordinated: each is one distribution of its token. */
    const credit = (r: ModelReport, exact = false) => {
      const credits: [number, bigint][] = [
        [0, r.interestPaid[0]],
        [0, r.principalPaid[0]],
        [1, r.subordinatedPaid],
      ];
      for (const [t, amount] of credits) dust += amount - tokens[t].distribute(amount, exact);
    };

    // The four scheduled periods, each instalment paid on time through the gateway.
    const view = (await f.as("auditor").get(`/pools/${f.poolAddress}`)).body;
    expect(view).to.include({ startDate: iso(f.config.startDate).slice(0, 10), startsAt: iso(f.config.startDate) });
    for (let k = 0; k < 4; k++) {
      if (k > 0) {
        await payInstalment(f, k);
        model.collections += INSTALMENT;
      }
      const { expected } = await distribute(f, model);
      credit(expected);
    }
    expect(model.outstanding, "every tranche repaid by the last scheduled period").to.deep.equal([0n, 0n]);

    // Period 5, after the term: nothing arrives, nothing is outstanding — no fee, no guarantor call.
    const { res: afterTerm, expected: fifth } = await distribute(f, model);
    credit(fifth);
    expect(afterTerm.body.report).to.include({ feesPaid: "0", guarantorCalled: "0", subordinatedPaid: "0" });
    expect(afterTerm.body.tranchesAfter).to.deep.equal([
      { tranche: 0, outstanding: "0", poolFactor: "0" },
      { tranche: 1, outstanding: "0", poolFactor: "0" },
    ]);

    // The originator winds the pool up: the dust account goes to the subordinated holders, credited to the unit.
    const [wound] = await prepareAndSend(f, "originator", `/pools/${f.poolAddress}/prepare/wind-up`, originator, {});
    const at = BigInt((await ethers.provider.getBlock(wound.blockNumber))!.timestamp);
    const final = model.windUp(at, dust, 0n);
    credit(final, true);
    expect(final.subordinatedPaid).to.equal(dust + fifth.collections);
    const trace = (await f.as("auditor").get(`/pools/${f.poolAddress}/trace`)).body;
    expect(trace.windUp).to.deep.equal({
      period: 6,
      toSubordinated: final.subordinatedPaid.toString(),
      blockNumber: wound.blockNumber,
      transactionHash: wound.transactionHash,
    });
    expect(trace.periods.map((p: { period: number }) => p.period)).to.deep.equal([1, 2, 3, 4, 5, 6]);
    expect(trace.periods[5].report).to.deep.include(figuresOf(final));
    const woundUp = (await f.as("auditor").get(`/pools/${f.poolAddress}`)).body;
    expect(woundUp.status).to.equal("WoundUp");
    expect(woundUp.buckets).to.include({ collections: "0", reserve: "0", dust: "0" });

    // Nothing more is accepted: the refusal names the status.
    const refused = await f.as("auditor").post(`/pools/${f.poolAddress}/distribute`);
    expectStatus(refused, 422);
    expect(refused.body.error.code).to.equal("POOL_STATUS_INVALID");
    expect(refused.body.error.details.args).to.deep.equal({ status: "WoundUp" });

    // Every holder claims its share; the pool keeps only what the per-holder rounding could not pay.
    let claimedAll = 0n;
    for (const [tranche, holder, balance, org] of holders) {
      const path = `/pools/${f.poolAddress}/prepare/claim`;
      const [claimed] = await prepareAndSend(f, org, path, holder, { tranche });
      const event = claimed.events.find((e: { event: string }) => e.event === "Claimed");
      expect(BigInt(event.args.amount), `${tranche} ${balance}`).to.equal(tokens[tranche].accumulatedOf(balance));
      claimedAll += BigInt(event.args.amount);
    }
    const residue = tokens[0].credited + tokens[1].credited - claimedAll;
    expect(residue, "at most a unit per holder and credit").to.be.lessThan(10n);
    expect(await f.coin.balanceOf(f.poolAddress)).to.equal(residue);
    const books = (await f.as("auditor").get(`/pools/${f.poolAddress}/reconciliation`)).body.conservation;
    expect(books.balanced).to.equal(true);
    expect(books.held).to.equal(residue.toString());
  });

  it("allocates several defaults across every tranche, records what excess return absorbed, a recovery", async () => {
    const f = await openPoolGateway();
    const model = modelOf(f);
    const schedule = await f.contracts.licenceRegistry.scheduleOf(f.licences.subLicenceId);
    const expectedDefaults: { allocated: bigint[]; absorbed: bigint }[] = [];
    const markDefault = async (index: number) => {
      await time.increaseTo(schedule[index].dueDate + DEFAULT_AFTER);
      const res = await f
        .as("auditor")
        .post(`/pools/${f.poolAddress}/instalments/${f.licences.subLicenceId}/${index}/default`);
      expectStatus(res, 201);
      const { allocated, absorbed } = model.allocateLoss(INSTALMENT);
      expectedDefaults[index] = { allocated, absorbed };
      const writtenDown = allocated.reduce((a, b) => a + b, 0n);
      expect(res.body).to.include({
        unpaid: INSTALMENT.toString(),
        writtenDown: writtenDown.toString(),
        absorbedByExcessReturn: absorbed.toString(),
      });
      // One LossAllocated per tranche written down, the subordinated first.
      const allocations = res.body.events.filter((e: { event: string }) => e.event === "LossAllocated");
      const order = [1, 0].filter((t) => allocated[t] !== 0n);
      expect(allocations.map((e: { args: object }) => e.args)).to.deep.equal(
        order.map((t) => ({ tranche: t.toString(), amount: allocated[t].toString() })),
      );
    };

    await distribute(f, model); // period 1: instalment 0
    await distribute(f, model); // period 2: nothing arrives, the reserve pays interest
    await markDefault(1);
    await distribute(f, model);
    await markDefault(2);
    await distribute(f, model); // the last scheduled period: the reserve is released
    await markDefault(3);
    expect(model.lossesAbsorbed, "the last default exceeds every outstanding").to.be.greaterThan(0n);
    expect(model.writtenDown[0], "the senior was written down too").to.be.greaterThan(0n);

    // The licensee pays instalment 3 late, after its default: a recovery, distributed in period 5 (no call then).
    const [, paid] = await payInstalment(f, 3);
    model.collections += INSTALMENT;
    const { res: fifth } = await distribute(f, model);
    expect(fifth.body.report.guarantorCalled).to.equal("0");

    const view = (await f.as("auditor").get(`/pools/${f.poolAddress}`)).body;
    const defaulted = 3n * INSTALMENT;
    expect(view.losses).to.deep.equal({
      defaulted: defaulted.toString(),
      allocated: (defaulted - model.lossesAbsorbed).toString(),
      absorbedByExcessReturn: model.lossesAbsorbed.toString(),
    });
    expect(view.tranches.map((t: { writtenDown: string }) => t.writtenDown)).to.deep.equal(
      model.writtenDown.map(String),
    );

    const trace = (await f.as("auditor").get(`/pools/${f.poolAddress}/trace`)).body;
    const instalments = trace.receivables[0].instalments;
    for (const index of [1, 2, 3]) {
      const { allocated, absorbed } = expectedDefaults[index];
      const [d] = instalments[index].defaults;
      expect(d.allocated, `instalment ${index}`).to.deep.equal(
        [1, 0].filter((t) => allocated[t] !== 0n).map((t) => ({ tranche: t, amount: allocated[t].toString() })),
      );
      expect(d.absorbedByExcessReturn).to.equal(absorbed.toString());
    }
    expect(instalments[3].recoveries).to.deep.equal([
      {
        amount: INSTALMENT.toString(),
        blockNumber: paid.blockNumber,
        transactionHash: paid.transactionHash,
        distributedIn: { period: 5, ...fifth.body.proof },
      },
    ]);
    // Each tranche's losses name the instalment that caused them, and add up to its written-down amount.
    trace.tranches.forEach((t: { losses: { amount: string; licenceId: string; index: number }[] }, i: number) => {
      const total = t.losses.reduce((sum, l) => sum + BigInt(l.amount), 0n);
      expect(total, `tranche ${i}`).to.equal(model.writtenDown[i]);
      for (const l of t.losses) expect(l.licenceId).to.equal(f.licences.subLicenceId.toString());
    });
  });

  it("takes the start date as a calendar date, and names a refused configuration's check", async () => {
    const f = await openPoolGateway();
    const body = await smallPoolDeployment(f, "2030-04-02");
    const late = await f.as("originator").post("/pools/prepare-deployment", body);
    expectStatus(late, 422);
    expect(late.body.error.code).to.equal("POOL_CONFIG_INVALID");
    expect(late.body.error.details).to.deep.equal({
      error: "StartDateNotBeforeFirstPeriodEnd",
      args: { startDate: "2030-04-02", firstPeriodEnd: "2030-04-01T00:00:00.000Z" },
    });
    expect(late.body.error.message).to.equal(
      "the start date 2030-04-02 is not before the first period end 2030-04-01T00:00:00.000Z",
    );
    const ok = await f.as("originator").post("/pools/prepare-deployment", { ...body, startDate: "2030-01-01" });
    expectStatus(ok, 200);
    // A contract creation's data ends with the constructor's arguments: the start date is 2030-01-01 00:00 UTC.
    const start = BigInt(Date.UTC(2030, 0, 1) / 1000);
    const encoded = ok.body.steps[0].transaction.data as string;
    expect(encoded).to.include(start.toString(16).padStart(64, "0"));
  });

  it("documents the wind-up and the start date with examples in the OpenAPI document", async () => {
    const f = await openPoolGateway();
    const doc = (await f.as("auditor").get("/openapi.json")).body;
    const bodyOf = (path: string) => {
      const schema = doc.paths[path].post.requestBody.content["application/json"].schema;
      return schema.$ref ? doc.components.schemas[schema.$ref.split("/").pop()] : schema;
    };
    const windUp = bodyOf("/v1/pools/{pool}/prepare/wind-up");
    expect(windUp.example).to.have.property("from");
    expect(windUp.description).to.match(/TRANCHE_OUTSTANDING/);
    const deployment = bodyOf("/v1/pools/prepare-deployment");
    expect(deployment.example.startDate).to.match(/^\d{4}-\d{2}-\d{2}$/);
    expect(deployment.properties.startDate.description).to.match(/YYYY-MM-DD/);
    const pool = doc.components.schemas.Pool;
    expect(pool.properties.status.enum).to.include("WoundUp");
    expect(pool.properties.startDate.pattern).to.equal("^\\d{4}-\\d{2}-\\d{2}$");
  });
});
