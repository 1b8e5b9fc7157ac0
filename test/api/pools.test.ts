/**
 * /v1/pools through HTTP: the pool as read, a period distributed through the gateway, the auditor's trace and a
 * period's reconciliation (JSON and CSV), each figure checked against PeriodDistributed decoded here from the chain.
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { deployPool } from "../../scripts/lib/deployPool";
import { openGateway } from "./helpers/gatewayFixture";
import { indexFor } from "./helpers/sharedIndex";
import {
  FEE_PER_PERIOD,
  INSTALMENT,
  RESERVE_TARGET,
  SENIOR_FACE,
  SUBORDINATED_FACE,
  afterPeriod,
  expectStatus,
  identifyInvestors,
  licencesOnChain,
  openPoolGateway,
  poolConfig,
  poolPeople,
  prepareAndSend,
  seniorInterest,
  signAndBroadcast,
  stablecoinFor,
  walletOf,
} from "./helpers/poolParties";

type Pool = Awaited<ReturnType<typeof openPoolGateway>>;

/** Distribute period 1 through the API; returns the answer and the report decoded here from the receipt. */
async function distributeFirstPeriod(f: Pool) {
  await afterPeriod(f.pool, 0);
  const res = await f.as("auditor").post(`/pools/${f.poolAddress}/distribute`);
  expectStatus(res, 201);
  const receipt = await ethers.provider.getTransactionReceipt(res.body.proof.transactionHash);
  const decoded = receipt!.logs
    .map((log) => f.pool.interface.parseLog(log))
    .find((parsed) => parsed?.name === "PeriodDistributed")!;
  return { res, report: decoded.args.report, digest: decoded.args.digest as string };
}

/** CSV (no quoted cells in these, a byte order mark first) → rows of { section, item, tranche, amount }. */
const parseCsv = (text: string) => {
  expect(text.startsWith("\uFEFF"), "a UTF-8 byte order mark first").to.equal(true);
  const [header, ...lines] = text.slice(1).trim().split("\n");
  expect(header).to.equal("section,item,tranche,value");
  return lines.map((line) => {
    const [section, item, tranche, amount] = line.split(",");
    return { section, item, tranche: tranche || null, amount };
  });
};

describe("gateway — pools", () => {
  describe("reading a pool", () => {
    it("shows status, calendar, tranches with pool factor, buckets, fees, guarantor and a balanced reconcile()", async () => {
      const f = await openPoolGateway();
      const res = await f.as("bank-a").get(`/pools/${f.poolAddress}`);
      expectStatus(res, 200);
      const body = res.body;
      expect(body.status).to.equal("Active");
      expect(body.closedAt).to.be.a("string");
      expect(body.calendar).to.deep.equal(f.config.periodEnds.map((s) => new Date(Number(s) * 1000).toISOString()));
      expect(body.periodsDistributed).to.equal(0);
      expect(body.receivables).to.deep.equal([f.licences.subLicenceId.toString()]);
      expect(
        body.tranches.map((t: { symbol: string; face: string; outstanding: string }) => [t.symbol, t.face]),
      ).to.deep.equal([
        ["LF27A1", SENIOR_FACE.toString()],
        ["LF27S", SUBORDINATED_FACE.toString()],
      ]);
      expect(body.tranches[0]).to.include({ poolFactor: "1", couponBps: 500, claimable: "0", writtenDown: "0" });
      // At closing the reserve was funded from the proceeds; the first instalment waits in collections.
      expect(body.buckets).to.include({
        escrow: "0",
        collections: INSTALMENT.toString(),
        reserve: RESERVE_TARGET.toString(),
      });
      expect(body.fees.perPeriod).to.equal(FEE_PER_PERIOD.toString());
      expect(body.guarantor).to.include({ address: f.people.guarantor.address, called: "0" });
      const cashIn = SENIOR_FACE + SUBORDINATED_FACE + INSTALMENT;
      const proceeds = SENIOR_FACE + SUBORDINATED_FACE - RESERVE_TARGET;
      expect(body.reconciliation).to.include({
        subscribed: (SENIOR_FACE + SUBORDINATED_FACE).toString(),
        proceedsPaid: proceeds.toString(),
        tokenBalance: (cashIn - proceeds).toString(),
        balanced: true,
      });
    });

    it("answers 404 for an address that is not a pool the gateway knows", async () => {
      const f = await openPoolGateway();
      const res = await f.as("auditor").get(`/pools/${f.people.outsider.address}`);
      expectStatus(res, 404);
      expect(res.body.error).to.include({ code: "NOT_FOUND", field: "params.pool" });
    });

    it("refuses a role that may not read the trace (403) and a malformed address (400 naming the field)", async () => {
      const f = await openPoolGateway();
      const forbidden = await f.as("evaluator").get(`/pools/${f.poolAddress}/trace`);
      expectStatus(forbidden, 403);
      expect(forbidden.body.error.code).to.equal("FORBIDDEN");
      const malformed = await f.as("auditor").get("/pools/0x1234/trace");
      expectStatus(malformed, 400);
      expect(malformed.body.error).to.include({ code: "VALIDATION_FAILED", field: "params.pool" });
      const badPeriod = await f.as("auditor").get(`/pools/${f.poolAddress}/reconciliation?period=first`);
      expectStatus(badPeriod, 400);
      expect(badPeriod.body.error.field).to.equal("query.period");
    });
  });

  describe("distributing a period", () => {
    it("refuses before the period ends with the pool's own error", async () => {
      const f = await openPoolGateway();
      const res = await f.as("originator").post(`/pools/${f.poolAddress}/distribute`);
      expectStatus(res, 422);
      expect(res.body.error.code).to.equal("PERIOD_NOT_ENDED");
      expect(res.body.error.details.args.period).to.equal(1);
    });

    it("runs the waterfall: fees, senior interest, then turbo principal, as the chain's event says", async () => {
      const f = await openPoolGateway();
      const { res, report, digest } = await distributeFirstPeriod(f);
      const start = BigInt(f.config.startDate); // period 1 runs from the start date, not from closing
      const end = f.config.periodEnds[0] as bigint;
      const interest = seniorInterest(SENIOR_FACE, start, end);
      const principal = INSTALMENT - FEE_PER_PERIOD - interest;
      expect(res.body.period).to.equal(1);
      expect(res.body.digest).to.equal(digest);
      expect(res.body.report).to.include({
        collections: INSTALMENT.toString(),
        feesPaid: FEE_PER_PERIOD.toString(),
        subordinatedPaid: "0",
      });
      expect(res.body.report.interestPaid).to.deep.equal([interest.toString()]);
      expect(res.body.report.principalPaid).to.deep.equal([principal.toString(), "0"]);
      expect(report.interestPaid[0]).to.equal(interest);
      expect(res.body.steps.map((s: { step: string; amount: string }) => [s.step, s.amount])).to.deep.equal([
        ["Fees", FEE_PER_PERIOD.toString()],
        ["SeniorInterest", interest.toString()],
        ["SeniorPrincipal", principal.toString()],
      ]);
      const after = (await f.as("auditor").get(`/pools/${f.poolAddress}`)).body;
      expect(after.periodsDistributed).to.equal(1);
      expect(after.tranches[0].outstanding).to.equal((SENIOR_FACE - principal).toString());
      const factor = Number(SENIOR_FACE - principal) / Number(SENIOR_FACE);
      expect(Number(after.tranches[0].poolFactor)).to.be.closeTo(factor, 1e-15);
    });

    it("books tokens sent to the pool directly as collections, through the relayer", async () => {
      const f = await openPoolGateway();
      await f.coin.connect(f.people.licensee).transfer(f.poolAddress, 12_345n);
      const res = await f.as("auditor").post(`/pools/${f.poolAddress}/book-unsolicited`);
      expectStatus(res, 201);
      expect(res.body.amount).to.equal("12345");
      const view = (await f.as("auditor").get(`/pools/${f.poolAddress}`)).body;
      expect(view.buckets.collections).to.equal((INSTALMENT + 12_345n).toString());
      expect(view.reconciliation).to.include({ unsolicited: "12345", unbooked: "0", balanced: true });
    });
  });

  describe("the auditor's trace and reconciliation", () => {
    it("traces licence → instalment → payment → waterfall → tranche credit → claim, each with block and tx", async () => {
      const f = await openPoolGateway();
      const { res: distributed } = await distributeFirstPeriod(f);
      await f.pool.connect(f.people.investor).claim(0);
      // The investor's own transaction: the read model has it once its follower has polled.
      await (await indexFor(f.deployment)).model.follower.syncOnce();
      const res = await f.as("auditor").get(`/pools/${f.poolAddress}/trace`);
      expectStatus(res, 200);
      const [receivable] = res.body.receivables;
      expect(receivable.firstLicence).to.include({
        licenceId: f.licences.firstLicenceId.toString(),
        licensee: f.people.originator.address,
        upfrontFee: "1800000000",
      });
      expect(receivable.firstLicence.licensors).to.deep.equal([f.people.patentee.address]);
      expect(receivable.subLicence).to.include({ licensee: f.people.licensee.address, upfrontFee: null });
      expect(receivable.subLicence.contractHash).to.equal(f.licences.sub.contractHash);
      expect(receivable.assignment.transactionHash).to.match(/^0x[0-9a-f]{64}$/);
      const [first, second] = receivable.instalments;
      expect(first).to.include({ amount: INSTALMENT.toString(), paid: INSTALMENT.toString(), late: false });
      expect(first.payments).to.have.length(1);
      expect(first.payments[0]).to.include({ payer: f.people.licensee.address, late: false });
      // The second instalment is due ten days before period 1 ends: unpaid, and not late yet.
      expect(second).to.include({ paid: "0", late: false, defaulted: false });
      expect(res.body.periods[0].proof).to.deep.equal(distributed.body.proof);
      expect(res.body.periods[0].steps).to.have.length(3);
      const senior = res.body.tranches[0];
      expect(senior.credited.map((c: { step: string }) => c.step)).to.deep.equal(["SeniorInterest", "SeniorPrincipal"]);
      const credited = senior.credited.reduce((s: bigint, c: { amount: string }) => s + BigInt(c.amount), 0n);
      expect(senior.claims).to.have.length(1);
      expect(senior.claims[0].holder).to.equal(f.people.investor.address);
      // One holder of the whole tranche: it claims everything credited, less at most one unit of rounding.
      expect(credited - BigInt(senior.claims[0].amount)).to.be.within(0n, 1n);
      const everyItem = [receivable.subLicence, first.payments[0], ...senior.credited, senior.claims[0]];
      for (const item of everyItem) {
        expect(item.blockNumber).to.be.a("number");
        expect(item.transactionHash).to.match(/^0x[0-9a-f]{64}$/);
      }
    });

    it("reconciles a period in JSON and CSV, figures matching PeriodDistributed and cash in = out + held", async () => {
      const f = await openPoolGateway();
      const { report, digest } = await distributeFirstPeriod(f);
      const json = await f.as("auditor").get(`/pools/${f.poolAddress}/reconciliation?period=1`);
      expectStatus(json, 200);
      expect(json.body).to.include({ period: 1, digest, digestMatches: true });
      const figure = (rows: { item: string; tranche: string | null; amount: string }[], item: string, t?: string) =>
        rows.find((r) => r.item === item && (t === undefined || r.tranche === t))?.amount;
      expect(figure(json.body.figures, "collections")).to.equal(report.collections.toString());
      expect(figure(json.body.figures, "feesPaid")).to.equal(report.feesPaid.toString());
      expect(figure(json.body.figures, "interestPaid", "LF27A1")).to.equal(report.interestPaid[0].toString());
      expect(figure(json.body.figures, "principalPaid", "LF27A1")).to.equal(report.principalPaid[0].toString());
      const c = json.body.conservation;
      expect(c.balanced).to.equal(true);
      expect(BigInt(c.cashIn)).to.equal(BigInt(c.cashOut) + BigInt(c.held));
      // Cash in, independently: both tranches at face plus the one instalment paid.
      expect(c.cashIn).to.equal((SENIOR_FACE + SUBORDINATED_FACE + INSTALMENT).toString());

      const csv = await f.as("auditor").get(`/pools/${f.poolAddress}/reconciliation?period=1&format=csv`);
      expectStatus(csv, 200);
      expect(csv.headers["content-type"]).to.match(/^text\/csv/);
      const rows = parseCsv(csv.text);
      expect(figure(rows, "digest")).to.equal(digest);
      expect(figure(rows, "interestPaid", "LF27A1")).to.equal(report.interestPaid[0].toString());
      expect(figure(rows, "subordinatedPaid")).to.equal(report.subordinatedPaid.toString());
      expect(rows.filter((r) => r.section === "cashIn" && r.item === "total")[0].amount).to.equal(c.cashIn);
      const byAccept = await f
        .as("auditor")
        .get(`/pools/${f.poolAddress}/reconciliation.csv?period=1`)
        .set("Accept", "text/csv");
      expect(byAccept.text).to.equal(csv.text);
    });

    it("answers 404 for a period not distributed yet", async () => {
      const f = await openPoolGateway();
      const res = await f.as("auditor").get(`/pools/${f.poolAddress}/reconciliation?period=1`);
      expectStatus(res, 404);
      expect(res.body.error).to.include({ code: "NOT_FOUND", field: "query.period" });
    });
  });

  describe("prepared transactions, signed by the parties, broadcast through the gateway", () => {
    it("lets the licensee pay (approve, then pay) and the holder claim, each signing with its own wallet", async () => {
      const f = await openPoolGateway();
      const { licensee, investor } = f.people;
      const second = { licenceId: f.licences.subLicenceId.toString(), index: 1, amount: INSTALMENT.toString() };
      const prepared = await f.as("originator").post(`/pools/${f.poolAddress}/prepare/pay-instalment`, {
        from: licensee.address,
        ...second,
      });
      expectStatus(prepared, 200);
      expect(prepared.body.steps.map((s: { action: string }) => s.action)).to.deep.equal(["approve", "payInstalment"]);
      const [approve, pay] = prepared.body.steps;
      expect(approve.transaction).to.include({ from: licensee.address, chainId: 31337, to: await f.coin.getAddress() });
      expect(pay.transaction.nonce).to.equal(approve.transaction.nonce + 1);
      const sent = await signAndBroadcast(f, licensee, prepared.body.steps);
      const paid = sent[1].events.find((e: { event: string }) => e.event === "InstalmentPaid");
      expect(paid.args).to.include({ payer: licensee.address, amount: INSTALMENT.toString(), index: "1" });
      expect(await f.coin.balanceOf(f.poolAddress)).to.equal(RESERVE_TARGET + 2n * INSTALMENT);

      await distributeFirstPeriod(f);
      const before = await f.coin.balanceOf(investor.address);
      // The investor has no API key of its own: any organisation may relay its prepared, self-signed transaction.
      const claimPath = `/pools/${f.poolAddress}/prepare/claim`;
      const [claimed] = await prepareAndSend(f, "auditor", claimPath, investor, { tranche: 0 });
      const event = claimed.events.find((e: { event: string }) => e.event === "Claimed");
      expect(event.args.holder).to.equal(investor.address);
      expect(await f.coin.balanceOf(investor.address)).to.equal(before + BigInt(event.args.amount));
    });

    it("refuses to prepare a step the pool would refuse, with its custom error", async () => {
      const f = await openPoolGateway();
      const res = await f
        .as("originator")
        .post(`/pools/${f.poolAddress}/prepare/claim`, { from: f.people.investor.address, tranche: 0 });
      expectStatus(res, 422);
      expect(res.body.error.code).to.equal("NOTHING_TO_CLAIM");
    });

    it("prepares the originator's wind-up only for the originator, refused by the pool while a tranche is outstanding", async () => {
      const f = await openPoolGateway();
      const path = `/pools/${f.poolAddress}/prepare/wind-up`;
      expectStatus(await f.as("bank-a").post(path, { from: f.people.investor.address }), 403);
      const res = await f.as("originator").post(path, { from: f.people.originator.address });
      expectStatus(res, 422);
      expect(res.body.error.code).to.equal("TRANCHE_OUTSTANDING");
      expect(res.body.error.details.args).to.include({ tranche: "0", outstanding: SENIOR_FACE.toString() });
    });

    it("refuses a transaction for another chain, to another contract, or that would revert", async () => {
      const f = await openPoolGateway();
      const wallet = await walletOf(f.people.investor);
      const fees = await ethers.provider.getFeeData();
      const claim = {
        to: f.poolAddress,
        data: f.pool.interface.encodeFunctionData("claim", [0]),
        chainId: 31337n,
        nonce: await ethers.provider.getTransactionCount(wallet.address),
        gasLimit: 300_000n,
        maxFeePerGas: fees.maxFeePerGas,
        maxPriorityFeePerGas: fees.maxPriorityFeePerGas,
        type: 2,
      };
      const post = async (tx: object) =>
        f.as("auditor").post("/transactions", { signedTransaction: await wallet.signTransaction(tx) });

      const otherChain = await post({ ...claim, chainId: 1n });
      expectStatus(otherChain, 400);
      expect(otherChain.body.error.code).to.equal("CHAIN_ID_MISMATCH");

      const otherContract = await post({ ...claim, to: f.people.outsider.address });
      expectStatus(otherContract, 400);
      expect(otherContract.body.error.code).to.equal("TRANSACTION_TARGET_NOT_ALLOWED");

      const reverting = await post(claim);
      expectStatus(reverting, 422);
      expect(reverting.body.error.code).to.equal("NOTHING_TO_CLAIM");
      expect(reverting.body.error.details.args).to.deep.equal({ tranche: "0", holder: wallet.address });
      expect(await ethers.provider.getTransactionCount(wallet.address), "nothing was broadcast").to.equal(claim.nonce);

      const garbage = await f.as("auditor").post("/transactions", { signedTransaction: "0x1234" });
      expectStatus(garbage, 400);
      expect(garbage.body.error).to.include({ code: "VALIDATION_FAILED", field: "signedTransaction" });
    });
  });

  describe("the guarantor", () => {
    it("is called for a shortfall no reserve covers, pays through a prepared transaction, and the trace shows both", async () => {
      // No reserve and no instalment paid: fees and senior interest of period 1 fall on the guarantor.
      const f = await openPoolGateway({ reserveTarget: 0n }, false);
      await afterPeriod(f.pool, 0);
      const distributed = await f.as("registration-office").post(`/pools/${f.poolAddress}/distribute`);
      expectStatus(distributed, 201);
      const interest = seniorInterest(SENIOR_FACE, BigInt(f.config.startDate), f.config.periodEnds[0] as bigint);
      const called = FEE_PER_PERIOD + interest;
      expect(distributed.body.report.guarantorCalled).to.equal(called.toString());
      const view = (await f.as("auditor").get(`/pools/${f.poolAddress}`)).body;
      expect(view.guarantor.calls).to.deep.equal([{ callId: 0, period: 1, amount: called.toString(), paid: "0" }]);
      expect(view.tranches[0].interestArrears).to.equal(interest.toString());

      const path = `/pools/${f.poolAddress}/prepare/pay-guarantor-call`;
      const sent = await prepareAndSend(f, "bank-a", path, f.people.guarantor, {
        callId: 0,
        amount: called.toString(),
      });
      expect(sent[1].events.map((e: { event: string }) => e.event)).to.deep.equal(["GuarantorPaid", "Transfer"]);
      const trace = (await f.as("auditor").get(`/pools/${f.poolAddress}/trace`)).body;
      const [call] = trace.guarantor.calls;
      expect(call).to.include({ callId: 0, period: 1, amount: called.toString() });
      expect(call.transactionHash).to.equal(distributed.body.proof.transactionHash);
      expect(call.payments).to.deep.equal([
        {
          payer: f.people.guarantor.address,
          amount: called.toString(),
          blockNumber: sent[1].blockNumber,
          transactionHash: sent[1].transactionHash,
          pulledByDistribution: false,
          distributedIn: null,
        },
      ]);
    });

    it("pulls the call in the distribution that makes it once the guarantor authorised the pool, linked to that period", async () => {
      // No reserve and no instalment paid, but the guarantor authorised the pool in advance (SPEC §6).
      const f = await openPoolGateway({ reserveTarget: 0n }, false);
      const authorise = `/pools/${f.poolAddress}/prepare/authorise-guarantee`;
      await prepareAndSend(f, "originator", authorise, f.people.guarantor, {});
      await afterPeriod(f.pool, 0);
      const distributed = await f.as("auditor").post(`/pools/${f.poolAddress}/distribute`);
      expectStatus(distributed, 201);
      const interest = seniorInterest(SENIOR_FACE, BigInt(f.config.startDate), f.config.periodEnds[0] as bigint);
      const called = FEE_PER_PERIOD + interest;
      // The period pays its fee and senior interest in full: the pull is not a collection, and nothing is in arrears.
      expect(distributed.body.report).to.include({
        collections: "0",
        guarantorCalled: called.toString(),
        guarantorPaid: called.toString(),
        feesPaid: FEE_PER_PERIOD.toString(),
        feeArrearsAfter: "0",
      });
      expect(distributed.body.report.interestPaid).to.deep.equal([interest.toString()]);
      expect(distributed.body.report.interestArrearsAfter).to.deep.equal(["0"]);
      const view = (await f.as("auditor").get(`/pools/${f.poolAddress}`)).body;
      expect(view.guarantor.calls).to.deep.equal([
        { callId: 0, period: 1, amount: called.toString(), paid: called.toString() },
      ]);
      const trace = (await f.as("auditor").get(`/pools/${f.poolAddress}/trace`)).body;
      const { proof } = distributed.body;
      expect(trace.guarantor.calls[0].payments).to.deep.equal([
        {
          payer: f.people.guarantor.address,
          amount: called.toString(),
          ...proof,
          pulledByDistribution: true,
          distributedIn: { period: 1, ...proof },
        },
      ]);
    });
  });

  describe("a pool that does not close", () => {
    it("lets the originator cancel and the investor take its money back, each signing its own transaction", async () => {
      const f = await openGateway();
      const people = poolPeople(f);
      const coin = await stablecoinFor([people.investor]);
      await identifyInvestors(f, people, [people.investor]);
      const licences = await licencesOnChain(f, people);
      const config = poolConfig(f, people, await coin.getAddress(), [licences.subLicenceId]);
      const pool = await (await deployPool(people.originator, config, f.contracts)).pool.getAddress();
      const before = await coin.balanceOf(people.investor.address);
      const amount = { tranche: 0, amount: "40000000" };
      await prepareAndSend(f, "bank-a", `/pools/${pool}/prepare/subscribe`, people.investor, amount);

      const notYours = await f.as("bank-a").post(`/pools/${pool}/prepare/close`, { from: people.originator.address });
      expectStatus(notYours, 403);
      const [cancelled] = await prepareAndSend(f, "originator", `/pools/${pool}/prepare/cancel`, people.originator, {});
      expect(cancelled.events.map((e: { event: string }) => e.event)).to.deep.equal(["PoolCancelled"]);
      const [refunded] = await prepareAndSend(f, "bank-a", `/pools/${pool}/prepare/refund`, people.investor, {
        tranche: 0,
      });
      const event = refunded.events.find((e: { event: string }) => e.event === "Refunded");
      expect(event.args).to.include({ investor: people.investor.address, amount: "40000000" });
      expect(await coin.balanceOf(people.investor.address)).to.equal(before);
      const view = (await f.as("auditor").get(`/pools/${pool}`)).body;
      expect(view.status).to.equal("Cancelled");
      expect(view.reconciliation).to.include({ subscribed: "40000000", refunded: "40000000", balanced: true });
    });
  });

  it("documents the reconciliation CSV as text/csv in the OpenAPI document", async () => {
    const f = await openGateway();
    const doc = (await f.as("auditor").get("/openapi.json")).body;
    const csv = doc.paths["/v1/pools/{pool}/reconciliation.csv"].get.responses["200"].content;
    expect(Object.keys(csv)).to.deep.equal(["text/csv"]);
    expect(doc.paths["/v1/transactions"].post).to.exist;
    expect(doc.paths["/v1/pools/{pool}/prepare/pay-instalment"].post).to.exist;
  });
});
