/**
 * The licence-fee securitisation told through the API only (SPEC §6): the patentee and the licensee consent to their
 * licences by signing typed data, and every party sends its own steps by signing the transactions the gateway
 * prepares with its own wallet — the gateway never holds a party's key. The auditor then traces the licensee's
 * payment from the licence to the holder's claim and downloads the period's reconciliation as CSV.
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import type { Signer } from "ethers";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { calendar } from "../helpers/poolFixture";
import { openGateway, type GatewayFixture } from "./helpers/gatewayFixture";
import { YEAR, docHash, iso, recordPatent } from "./helpers/pledgeParties";
import {
  DAY,
  FEE_PER_PERIOD,
  GUARANTEE_CAP,
  INSTALMENT,
  RESERVE_TARGET,
  SENIOR_FACE,
  SUBORDINATED_FACE,
  expectStatus,
  identifyInvestors,
  poolPeople,
  prepareAndSend,
  signAndBroadcast,
  stablecoinFor,
  walletOf,
} from "./helpers/poolParties";

type Event = { event: string; args: Record<string, string> };
type Draft = { draftId: string; signers: { address: string; typedData: TypedData }[] };
type TypedData = { domain: object; types: Record<string, []>; message: Record<string, unknown> };

const eventOf = (results: { events: Event[] }[], name: string) =>
  results.flatMap((r) => r.events).find((e) => e.event === name)!;

/** The party signs its own typed data in the draft with its own wallet; any organisation relays the signature. */
async function consent(f: GatewayFixture, draft: Draft, party: Signer) {
  const address = await party.getAddress();
  const { typedData } = draft.signers.find((s) => s.address === address)!;
  const signature = await (await walletOf(party)).signTypedData(typedData.domain, typedData.types, typedData.message);
  const res = await f
    .as("originator")
    .post(`/licences/drafts/${draft.draftId}/signatures`, { signer: address, signature });
  expectStatus(res, 200);
  return res.body;
}

/** The originator prepares the recording of a fully signed draft and sends it with its own wallet. */
async function recordLicence(f: GatewayFixture, draftId: string, event: string) {
  const prepared = await f.as("originator").post(`/licences/drafts/${draftId}/prepare`);
  expectStatus(prepared, 200);
  expect(prepared.body.steps[0].transaction.from).to.equal(f.signerOf.originator.address);
  const sent = await signAndBroadcast(f, f.signerOf.originator, prepared.body.steps, "originator");
  return BigInt(eventOf(sent, event).args.licenceId);
}

describe("gateway — the pool story, through the API only", () => {
  it("licences → pool → subscriptions → closing → a payment → distribution → a claim, traced and reconciled", async () => {
    const f = await openGateway();
    const people = poolPeople(f);
    const { patentee, licensee, investor, originator } = people;
    const coin = await stablecoinFor([licensee, investor, originator]);
    // There is no investor-vetting endpoint: the registration office identifies the investors on chain itself.
    await identifyInvestors(f, people, [investor, originator]);
    const assetId = await recordPatent(f, "ZL202210066666.6", [patentee]);

    // 1. The patentee grants the originator an exclusive, sub-licensable licence, signing the grant it is handed.
    const first = await f.as("originator").post("/licences/first-licences", {
      assetIds: [assetId],
      licensors: [patentee.address],
      exclusive: true,
      subLicensable: true,
      upfrontFee: "1800000000",
      startDate: iso(f.now),
      endDate: iso(f.now + 5n * BigInt(YEAR)),
      contractHash: docHash("exclusive licence with sub-licence right"),
    });
    expectStatus(first, 201);
    expect(first.body.signers.map((s: { role: string }) => s.role)).to.deep.equal(["licensor"]);
    const early = await f.as("originator").post(`/licences/drafts/${first.body.draftId}/prepare`);
    expectStatus(early, 422);
    expect(early.body.error.code).to.equal("CONSENT_MISSING");
    const forged = await f.as("originator").post(`/licences/drafts/${first.body.draftId}/signatures`, {
      signer: patentee.address,
      signature: await (
        await walletOf(licensee)
      ).signTypedData(
        first.body.signers[0].typedData.domain,
        first.body.signers[0].typedData.types,
        first.body.signers[0].typedData.message,
      ),
    });
    expectStatus(forged, 422);
    expect(forged.body.error.code).to.equal("SIGNATURE_INVALID");
    expect((await consent(f, first.body, patentee)).complete).to.equal(true);
    const firstLicenceId = await recordLicence(f, first.body.draftId, "FirstLicenceRecorded");

    // 2. The originator sub-licenses to the licensee against four quarterly instalments; the licensee consents.
    const periodEnds = calendar(f.now, 4);
    const sub = await f.as("originator").post("/licences/sub-licences", {
      firstLicenceId: firstLicenceId.toString(),
      licensee: licensee.address,
      schedule: periodEnds.map((end) => ({ dueDate: iso(end - 10n * DAY), amount: INSTALMENT.toString() })),
      startDate: iso(f.now),
      endDate: iso(f.now + 2n * BigInt(YEAR)),
      contractHash: docHash("sub-licence to the operating company"),
    });
    expectStatus(sub, 201);
    await consent(f, sub.body, licensee);
    const subLicenceId = await recordLicence(f, sub.body.draftId, "SubLicenceRecorded");

    // 3. The originator deploys the pool over the sub-licence from its own wallet, then assigns the receivable.
    const deployment = await f.as("originator").post("/pools/prepare-deployment", {
      paymentToken: await coin.getAddress(),
      feeRecipient: people.feeRecipient.address,
      guarantor: people.guarantor.address,
      guaranteeCap: GUARANTEE_CAP.toString(),
      feePerPeriod: FEE_PER_PERIOD.toString(),
      reserveTarget: RESERVE_TARGET.toString(),
      subscriptionDeadline: iso(f.now + 30n * DAY),
      startDate: iso(f.now),
      periodEnds: periodEnds.map(iso),
      receivables: [subLicenceId.toString()],
      tranches: [
        { name: "Licence Fees 2027 Senior A1", symbol: "LF27A1", face: SENIOR_FACE.toString(), couponBps: 500 },
        { name: "Licence Fees 2027 Subordinated", symbol: "LF27S", face: SUBORDINATED_FACE.toString(), couponBps: 0 },
      ],
    });
    expectStatus(deployment, 200);
    expect(deployment.body.steps[0].transaction.to).to.equal(null);
    const [created] = await signAndBroadcast(f, originator, deployment.body.steps, "originator");
    const pool = created.contractAddress as string;
    expect(pool).to.equal(deployment.body.poolAddress);
    expect((await f.as("auditor").get(`/pools/${pool}`)).body.status).to.equal("Subscription");
    const assign = `/licences/${subLicenceId}/prepare-assignment`;
    const [assigned] = await prepareAndSend(f, "originator", assign, originator, { pool });
    expect(eventOf([assigned], "ReceivableAssigned").args.pool).to.equal(pool);

    // 4. The investor takes the senior tranche, the originator keeps the subordinated one (approve, then subscribe).
    const subscribe = `/pools/${pool}/prepare/subscribe`;
    const tranche0 = { tranche: 0, amount: SENIOR_FACE.toString() };
    const subscribed = await prepareAndSend(f, "bank-a", subscribe, investor, tranche0);
    expect(subscribed.map((r) => r.events.map((e: Event) => e.event))[1]).to.include("Subscribed");
    await prepareAndSend(f, "originator", subscribe, originator, { tranche: 1, amount: SUBORDINATED_FACE.toString() });

    // 5. The originator closes: the reserve is funded, the rest of the proceeds paid to it.
    const [closed] = await prepareAndSend(f, "originator", `/pools/${pool}/prepare/close`, originator, {});
    expect(eventOf([closed], "PoolClosed").args).to.include({
      proceeds: (SENIOR_FACE + SUBORDINATED_FACE - RESERVE_TARGET).toString(),
      reserve: RESERVE_TARGET.toString(),
    });

    // 6. The licensee pays its first instalment on time.
    const instalment = { licenceId: subLicenceId.toString(), index: 0, amount: INSTALMENT.toString() };
    const paidBy = await prepareAndSend(f, "originator", `/pools/${pool}/prepare/pay-instalment`, licensee, instalment);
    const payment = paidBy[paidBy.length - 1];

    // 7. After the period ends, anyone runs the waterfall.
    await time.increaseTo(periodEnds[0] + 1n);
    const distributed = await f.as("bank-a").post(`/pools/${pool}/distribute`);
    expectStatus(distributed, 201);

    // 8. The holder claims what accrued to its senior tokens.
    const [claimed] = await prepareAndSend(f, "auditor", `/pools/${pool}/prepare/claim`, investor, { tranche: 0 });
    const claim = eventOf([claimed], "Claimed");
    expect(claim.args.holder).to.equal(investor.address);

    // 9. The auditor follows the payment: licence chain → instalment → payment → waterfall → credit → claim.
    const trace = await f.as("auditor").get(`/pools/${pool}/trace`);
    expectStatus(trace, 200);
    const [receivable] = trace.body.receivables;
    expect(receivable.firstLicence.licensors).to.deep.equal([patentee.address]);
    expect(receivable.firstLicence.licensee).to.equal(originator.address);
    expect(receivable.subLicence).to.include({ licenceId: subLicenceId.toString(), licensee: licensee.address });
    expect(receivable.assignment.transactionHash).to.equal(assigned.transactionHash);
    const [paid] = receivable.instalments[0].payments;
    expect(paid).to.include({ payer: licensee.address, amount: INSTALMENT.toString(), late: false });
    expect(paid.transactionHash).to.equal(payment.transactionHash);
    const [period] = trace.body.periods;
    expect(period.proof.transactionHash).to.equal(distributed.body.proof.transactionHash);
    const senior = trace.body.tranches[0];
    expect(
      senior.credited.every((c: { transactionHash: string }) => c.transactionHash === period.proof.transactionHash),
    ).to.be.true;
    expect(senior.claims).to.deep.equal([
      {
        holder: investor.address,
        amount: claim.args.amount,
        blockNumber: claimed.blockNumber,
        transactionHash: claimed.transactionHash,
        since: null,
        drewOn: senior.credited,
      },
    ]);

    // 10. …and downloads the period's reconciliation, checked against the PeriodDistributed event decoded here.
    const csv = await f.as("auditor").get(`/pools/${pool}/reconciliation.csv?period=1`);
    expectStatus(csv, 200);
    const rows = csv.text
      .trim()
      .split("\n")
      .slice(1)
      .map((line) => line.split(","));
    const amountOf = (item: string, tranche = "", section?: string) =>
      rows.find((r) => r[1] === item && r[2] === tranche && (section === undefined || r[0] === section))?.[3];
    const receipt = await ethers.provider.getTransactionReceipt(distributed.body.proof.transactionHash);
    const iface = (await ethers.getContractAt("ReceivablePool", pool)).interface;
    const report = receipt!.logs.map((log) => iface.parseLog(log)).find((p) => p?.name === "PeriodDistributed")!;
    expect(amountOf("digest")).to.equal(report.args.digest);
    expect(amountOf("collections")).to.equal(INSTALMENT.toString());
    expect(amountOf("feesPaid")).to.equal(FEE_PER_PERIOD.toString());
    expect(amountOf("interestPaid", "LF27A1")).to.equal(report.args.report.interestPaid[0].toString());
    expect(amountOf("principalPaid", "LF27A1")).to.equal(report.args.report.principalPaid[0].toString());
    const cashIn = SENIOR_FACE + SUBORDINATED_FACE + INSTALMENT;
    expect(amountOf("total", "", "cashIn")).to.equal(cashIn.toString());
    // Conservation as it stood right after period 1's distribution: the claim came later.
    expect(amountOf("claimsPaid")).to.equal("0");
    const afterDistribution = await coin.balanceOf(pool, { blockTag: distributed.body.proof.blockNumber });
    expect(afterDistribution).to.equal(BigInt(amountOf("tokenBalance")!));
    expect(await coin.balanceOf(pool)).to.equal(afterDistribution - BigInt(claim.args.amount));
  });
});
