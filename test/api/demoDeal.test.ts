/**
 * A small licence-fee deal driven through the API alone, as an outside client with HTTP and ethers wallets would
 * drive the demo: the patentee, the licensee, the investor and the guarantor are fresh wallets with no API key and
 * nothing on chain; the faucet funds them; they sign their typed data and the transactions prepared for them with
 * their own keys and post them without a key. Only the organisations (registration office, originator, a bank) use
 * their printed API keys. The clock is the only thing the test moves by itself.
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { Wallet, id } from "ethers";
import { ERC20__factory } from "../../typechain-types";
import { docHash, iso } from "./helpers/pledgeParties";
import { openDemoGateway, signPrepared, type DemoGateway, type PreparedStep } from "./helpers/demoGateway";

const DAY = 86_400n;
const YEAR = 365n * DAY;
const ONE_ETHER = 10n ** 18n;
const SENIOR_FACE = 90_000_000n; // 900,000.00 tCNY in fen
const SUBORDINATED_FACE = 10_000_000n;
const INSTALMENT = 30_000_000n;
const FEE_PER_PERIOD = 100_000n;
const RESERVE_TARGET = 5_000_000n;
const GUARANTEE_CAP = 10_000_000n;

type Res = { status: number; body: any };
const ok = (res: Res, status: number) => {
  expect(res.status, JSON.stringify(res.body)).to.equal(status);
  return res.body;
};
type Event = { event: string; args: Record<string, string> };
const eventOf = (results: { events: Event[] }[], name: string) => {
  const found = results.flatMap((r) => r.events).find((e) => e.event === name);
  expect(found, `${name} in ${JSON.stringify(results)}`).to.not.equal(undefined);
  return found!;
};

/** A party without a key signs each step handed to it and posts it itself, with no API key. */
async function sendKeyless(g: DemoGateway, wallet: Wallet, steps: PreparedStep[]) {
  const results = [];
  for (const step of steps) {
    expect(step.transaction.from).to.equal(wallet.address);
    const sent = await g.http().post("/transactions/prepared", { signedTransaction: await signPrepared(wallet, step) });
    results.push(ok(sent, 201));
  }
  return results;
}

/** An organisation signs its own steps with its own wallet and posts them with its API key. */
async function sendAsOrganisation(g: DemoGateway, org: string, steps: PreparedStep[]) {
  const wallet = g.walletOfOrg(org);
  const results = [];
  for (const step of steps) {
    const sent = await g
      .http(g.keyOf[org])
      .post("/transactions", { signedTransaction: await signPrepared(wallet, step) });
    results.push(ok(sent, 201));
  }
  return results;
}

/** A party signs its own typed data in a licence draft and posts the signature itself, with no API key. */
async function consent(g: DemoGateway, draft: { draftId: string; signers: any[] }, wallet: Wallet) {
  const { typedData } = draft.signers.find((s) => s.address === wallet.address);
  const signature = await wallet.signTypedData(typedData.domain, typedData.types, typedData.message);
  return ok(
    await g.http().post(`/licences/drafts/${draft.draftId}/signatures`, { signer: wallet.address, signature }),
    200,
  );
}

describe("the demo, through the API alone: every party acts with its own wallet", () => {
  it("faucet → keyless consents → pool → keyless subscription → guarantor's authorisation → keyless instalment → distribution → keyless claim", async () => {
    const g = await openDemoGateway();
    const office = g.http(g.keyOf["registration-office"]);
    const originatorApi = g.http(g.keyOf.originator);
    const originator = g.walletOfOrg("originator");
    // Fresh keys, as a party's own wallet software would make them.
    const [patentee, licensee, investor, guarantor, feeRecipient] = Array.from(
      { length: 5 },
      () => new Wallet(Wallet.createRandom().privateKey),
    );

    // 0. Where the demo's money is, and test money (and gas) for every party that pays.
    const faucet = ok(await g.http().get("/demo/faucet"), 200);
    expect(faucet).to.include({ stablecoin: g.stablecoin, symbol: "tCNY", decimals: 2 });
    const coin = ERC20__factory.connect(faucet.stablecoin, ethers.provider);
    const funding: [Wallet, bigint][] = [
      [licensee, INSTALMENT],
      [investor, SENIOR_FACE],
      [guarantor, GUARANTEE_CAP],
      [originator, SUBORDINATED_FACE],
    ];
    for (const [wallet, amount] of funding) {
      const funded = ok(
        await g.http().post("/demo/faucet", { address: wallet.address, amount: amount.toString() }),
        201,
      );
      expect(funded).to.include({ minted: amount.toString(), balance: amount.toString() });
      expect(await coin.balanceOf(wallet.address)).to.equal(amount);
    }
    // Fresh wallets get gas; the originator's Hardhat account has plenty already.
    expect(await ethers.provider.getBalance(licensee.address)).to.equal(ONE_ETHER);

    // 1. The registration office records the patent and identifies the investors.
    const patent = ok(
      await office.post("/assets", {
        kind: "InventionPatent",
        officialNumber: "ZL202310012345.6",
        holders: [{ address: patentee.address, shareBps: 10_000 }],
        grantDate: iso(g.now - 2n * YEAR),
        expiryDate: iso(g.now + 15n * YEAR),
        feesPaidUntil: iso(g.now + YEAR),
      }),
      201,
    );
    for (const holder of [investor, originator]) {
      ok(await office.post("/investors", { address: holder.address, kycReference: id(`kyc ${holder.address}`) }), 201);
    }

    // 2. The first licence: the patentee consents without a key; the originator records it from its own wallet.
    const first = ok(
      await originatorApi.post("/licences/first-licences", {
        assetIds: [patent.assetId],
        licensors: [patentee.address],
        exclusive: true,
        subLicensable: true,
        upfrontFee: "1800000000",
        startDate: iso(g.now),
        endDate: iso(g.now + 5n * YEAR),
        contractHash: docHash("exclusive licence with sub-licence right"),
      }),
      201,
    );
    expect((await consent(g, first, patentee)).complete).to.equal(true);
    const recordFirst = ok(await originatorApi.post(`/licences/drafts/${first.draftId}/prepare`), 200);
    const firstLicenceId = eventOf(await sendAsOrganisation(g, "originator", recordFirst.steps), "FirstLicenceRecorded")
      .args.licenceId;

    // 3. The sub-licence: four quarterly instalments; the licensee consents without a key.
    const periodEnds = [1n, 2n, 3n, 4n].map((k) => g.now + k * 91n * DAY);
    const sub = ok(
      await originatorApi.post("/licences/sub-licences", {
        firstLicenceId,
        licensee: licensee.address,
        schedule: periodEnds.map((end) => ({ dueDate: iso(end - 10n * DAY), amount: INSTALMENT.toString() })),
        startDate: iso(g.now),
        endDate: iso(g.now + 2n * YEAR),
        contractHash: docHash("sub-licence to the operating company"),
      }),
      201,
    );
    await consent(g, sub, licensee);
    const recordSub = ok(await originatorApi.post(`/licences/drafts/${sub.draftId}/prepare`), 200);
    const subLicenceId = eventOf(await sendAsOrganisation(g, "originator", recordSub.steps), "SubLicenceRecorded").args
      .licenceId;

    // 4. The originator creates the pool, paid in the demo stablecoin, and assigns the receivable to it.
    const cutOffDate = new Date(Number(g.now) * 1000).toISOString().slice(0, 10);
    const creation = ok(
      await originatorApi.post("/pools/prepare-deployment", {
        paymentToken: faucet.stablecoin,
        feeRecipient: feeRecipient.address,
        guarantor: guarantor.address,
        guaranteeCap: GUARANTEE_CAP.toString(),
        feePerPeriod: FEE_PER_PERIOD.toString(),
        reserveTarget: RESERVE_TARGET.toString(),
        subscriptionDeadline: iso(g.now + 30n * DAY),
        // The deal's cut-off date, a calendar date: period 1 runs from its 00:00 UTC.
        startDate: cutOffDate,
        periodEnds: periodEnds.map(iso),
        receivables: [subLicenceId],
        tranches: [
          { name: "Licence Fees Senior A1", symbol: "LFA1", face: SENIOR_FACE.toString(), couponBps: 500 },
          { name: "Licence Fees Subordinated", symbol: "LFS", face: SUBORDINATED_FACE.toString(), couponBps: 0 },
        ],
      }),
      200,
    );
    const [created] = await sendAsOrganisation(g, "originator", creation.steps);
    const pool = created.contractAddress as string;
    expect(pool).to.equal(creation.poolAddress);
    const assignment = ok(await originatorApi.post(`/licences/${subLicenceId}/prepare-assignment`, { pool }), 200);
    await sendAsOrganisation(g, "originator", assignment.steps);
    const view = ok(await g.http(g.keyOf["bank-a"]).get(`/pools/${pool}`), 200);
    expect(view).to.include({ startDate: cutOffDate, startsAt: `${cutOffDate}T00:00:00.000Z` });

    // 5. The investor subscribes the senior tranche (the originator, as arranger, prepares it for the investor's
    //    address); the originator keeps the subordinated one.
    const subscription = ok(
      await originatorApi.post(`/pools/${pool}/prepare/subscribe`, {
        from: investor.address,
        tranche: 0,
        amount: SENIOR_FACE.toString(),
      }),
      200,
    );
    expect(subscription.steps.map((s: PreparedStep) => s.action)).to.deep.equal(["approve", "subscribe"]);
    const subscribed = eventOf(await sendKeyless(g, investor, subscription.steps), "Subscribed");
    expect(subscribed.args).to.include({ investor: investor.address, amount: SENIOR_FACE.toString() });
    const own = ok(
      await originatorApi.post(`/pools/${pool}/prepare/subscribe`, {
        from: originator.address,
        tranche: 1,
        amount: SUBORDINATED_FACE.toString(),
      }),
      200,
    );
    await sendAsOrganisation(g, "originator", own.steps);

    // 6. The guarantor authorises the pool in advance, up to its cap, from its own wallet.
    const authorisation = ok(
      await originatorApi.post(`/pools/${pool}/prepare/authorise-guarantee`, { from: guarantor.address }),
      200,
    );
    const approved = eventOf(await sendKeyless(g, guarantor, authorisation.steps), "Approval");
    expect(approved.args).to.include({ owner: guarantor.address, spender: pool, value: GUARANTEE_CAP.toString() });
    expect(await coin.allowance(guarantor.address, pool)).to.equal(GUARANTEE_CAP);

    // 7. The originator closes the pool.
    const closing = ok(await originatorApi.post(`/pools/${pool}/prepare/close`, { from: originator.address }), 200);
    await sendAsOrganisation(g, "originator", closing.steps);

    // 8. The licensee pays its first instalment on time (the originator, servicing the pool, prepares it).
    const payment = ok(
      await originatorApi.post(`/pools/${pool}/prepare/pay-instalment`, {
        from: licensee.address,
        licenceId: subLicenceId,
        index: 0,
        amount: INSTALMENT.toString(),
      }),
      200,
    );
    const paid = eventOf(await sendKeyless(g, licensee, payment.steps), "InstalmentPaid");
    expect(paid.args).to.include({ payer: licensee.address, amount: INSTALMENT.toString() });
    expect(await coin.balanceOf(licensee.address)).to.equal(0n);

    // 9. After the period, a bank runs the waterfall; the investor claims what accrued, without a key.
    await time.increaseTo(periodEnds[0] + 1n);
    ok(await g.http(g.keyOf["bank-a"]).post(`/pools/${pool}/distribute`), 201);
    const claim = ok(
      await originatorApi.post(`/pools/${pool}/prepare/claim`, { from: investor.address, tranche: 0 }),
      200,
    );
    const claimed = eventOf(await sendKeyless(g, investor, claim.steps), "Claimed");
    // The reserve was funded at closing and nothing is in arrears: after the fee, the senior tranche takes the whole
    // collection (interest, then principal, turbo) and the investor holds all of it. Per-token accounting rounds
    // each of those two credits down, by less than a fen each (what it leaves goes to the pool's dust).
    const credited = INSTALMENT - FEE_PER_PERIOD;
    const amount = BigInt(claimed.args.amount);
    expect(claimed.args.holder).to.equal(investor.address);
    expect(credited - amount >= 0n && credited - amount <= 1n, `${amount} of ${credited}`).to.equal(true);
    expect(await coin.balanceOf(investor.address)).to.equal(amount);
  });
});
