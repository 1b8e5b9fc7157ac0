/**
 * /v1/pledges through HTTP: the paperless pledge from application to release, the registrar's queue and decisions,
 * and the parties' later steps — every party signing the typed data the API hands it with its own wallet.
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import request from "supertest";
import { openGateway, type GatewayFixture } from "./helpers/gatewayFixture";
import {
  PRINCIPAL,
  YEAR,
  anchorReport,
  application,
  codesOf,
  docHash,
  iso,
  partyStep,
  preparedAndSigned,
  recordPatent,
  registeredPledge,
  requestFor,
  signDraft,
  signRequest,
} from "./helpers/pledgeParties";

type Event = { event: string };

/** A patent held by the first party alone, with a report on it: the parts of a simple application. */
async function soloPatent(f: GatewayFixture, officialNumber = "ZL202110077777.7") {
  const assetId = await recordPatent(f, officialNumber, [f.parties[0]]);
  return { assets: [assetId], pledgors: [f.parties[0]], reportId: await anchorReport(f, [assetId]) };
}

describe("gateway — pledges", () => {
  it("runs a co-owned patent's pledge from application to release, each party signing with its own wallet", async () => {
    const f = await openGateway();
    const [holderA, holderB] = f.parties;
    const bank = f.signerOf["bank-a"];
    const office = f.as("registration-office");

    // The office records the co-owned patent; the evaluator's report on it exists.
    const assetId = await recordPatent(f, "ZL202110012345.6", [holderA, holderB]);
    const reportId = await anchorReport(f, [assetId]);

    // Bank A prepares the application: typed data for both co-owners and for itself, nothing signed yet.
    const prepared = await f
      .as("bank-a")
      .post("/pledges/applications", application(f, { assets: [assetId], pledgors: [holderA, holderB], reportId }));
    expect(prepared.status, JSON.stringify(prepared.body)).to.equal(201);
    const { draftId, signers } = prepared.body;
    expect(signers.map((s: { address: string; role: string }) => [s.address, s.role])).to.deep.equal([
      [holderA.address, "pledgor"],
      [holderB.address, "pledgor"],
      [bank.address, "pledgee"],
    ]);
    expect(prepared.body.terms).to.include({ debtor: "91440101MA5CXYZ12K", principal: "100000000", currency: "CNY" });
    expect(prepared.body.terms.maturityDate).to.equal(iso(f.now + BigInt(YEAR)).slice(0, 10));
    expect(codesOf(prepared.body.preflight)).to.have.members([
      "CO_OWNER_CONSENT_MISSING",
      "CO_OWNER_CONSENT_MISSING",
      "SIGNATURE_INVALID",
    ]);
    const nonces = signers.map((s: { typedData: { message: { nonce: string } } }) => s.typedData.message.nonce);
    expect(new Set(nonces).size, "each signer its own nonce").to.equal(3);

    // Both co-owners and the bank sign; the draft then passes every rule.
    await signDraft(f, prepared.body, [holderA, holderB, bank]);
    const draft = await f.as("registration-office").get(`/pledges/applications/${draftId}`);
    expect(draft.body.signers.map((s: { signed: boolean }) => s.signed)).to.deep.equal([true, true, true]);
    expect(draft.body.preflight).to.deep.equal([]);

    const submitted = await f.as("bank-a").post(`/pledges/applications/${draftId}/submit`);
    expect(submitted.status, JSON.stringify(submitted.body)).to.equal(201);
    expect(submitted.body.status).to.equal("Pending");
    const { pledgeId } = submitted.body;

    // The office's queue shows it with nothing wrong, and the office registers it.
    const queue = await office.get("/pledges/queue");
    expect(queue.status).to.equal(200);
    expect(queue.body.applications).to.have.length(1);
    expect(queue.body.applications[0]).to.deep.include({ pledgeId, assets: [assetId], failures: [] });
    const registered = await office.post(`/pledges/${pledgeId}/register`);
    expect([registered.status, registered.body.status]).to.deep.equal([200, "Registered"]);

    // Bank B asks about the patent and sees the pledge, with the registration's transaction as proof.
    const collateral = await f.as("bank-b").get(`/collateral/${assetId}`);
    expect(collateral.body.pledged).to.equal(true);
    expect(collateral.body.pledge).to.include({
      pledgeId,
      status: "Registered",
      pledgee: bank.address,
      principal: PRINCIPAL.toString(),
      maturityDate: iso(f.now + BigInt(YEAR)).slice(0, 10),
      valuationReportId: reportId,
      valuationVerdict: "VALID",
    });
    expect(collateral.body.pledge.registration).to.deep.equal(registered.body.proof);

    // Bank A releases it with its own signature; the patent is free again at once.
    const released = await partyStep(f, "bank-a", pledgeId, "release", {}, [bank]);
    expect([released.status, released.body.status], JSON.stringify(released.body)).to.deep.equal([200, "Released"]);
    const after = await f.as("bank-b").get(`/collateral/${assetId}`);
    expect([after.body.pledged, after.body.pledge]).to.deep.equal([false, null]);

    const pledge = await f.as("auditor").get(`/pledges/${pledgeId}`);
    expect(pledge.body).to.include({ status: "Released", registrationNumber: "1", pledgee: bank.address });
    expect(pledge.body.history.map((e: Event) => e.event)).to.deep.equal([
      "PledgeApplied",
      "PledgeRegistered",
      "PledgeReleased",
    ]);
    expect(pledge.body.proof).to.deep.equal({
      application: submitted.body.proof,
      registration: registered.body.proof,
      latest: released.body.proof,
    });
  });

  it("refuses a co-owned patent submitted without one co-owner's signature: 422 CO_OWNER_CONSENT_MISSING", async () => {
    const f = await openGateway();
    const [holderA, holderB] = f.parties;
    const assetId = await recordPatent(f, "ZL202110012345.6", [holderA, holderB]);
    const parts = { assets: [assetId], pledgors: [holderA, holderB], reportId: await anchorReport(f, [assetId]) };
    const draft = await preparedAndSigned(f, application(f, parts), [holderA, f.signerOf["bank-a"]]);
    const res = await f.as("bank-a").post(`/pledges/applications/${draft.draftId}/submit`);
    expect([res.status, res.body.error.code]).to.deep.equal([422, "CO_OWNER_CONSENT_MISSING"]);
    expect(res.body.error.details.args).to.deep.include({ coOwner: holderB.address });
  });

  it("submits a draft once: a retry with the Idempotency-Key replays the answer, another submit is 409", async () => {
    const f = await openGateway();
    const parts = await soloPatent(f);
    const draft = await preparedAndSigned(f, application(f, parts), [f.parties[0], f.signerOf["bank-a"]]);
    const submit = (key: string) =>
      request(f.app)
        .post(`/v1/pledges/applications/${draft.draftId}/submit`)
        .set("Authorization", `Bearer ${f.keyOf["bank-a"]}`)
        .set("Idempotency-Key", key)
        .send({});
    const first = await submit("bank-a-submit-1");
    expect(first.status).to.equal(201);
    const replay = await submit("bank-a-submit-1");
    expect([replay.status, replay.headers["idempotent-replayed"]]).to.deep.equal([201, "true"]);
    expect(replay.body).to.deep.equal(first.body);
    const again = await submit("bank-a-submit-2");
    expect([again.status, again.body.error.code]).to.deep.equal([409, "DRAFT_ALREADY_SUBMITTED"]);
    expect(await f.registry.pledgeRegistry.lastPledgeId()).to.equal(1n);
    const shown = await f.as("bank-a").get(`/pledges/applications/${draft.draftId}`);
    expect(shown.body.pledgeId).to.equal(first.body.pledgeId);
  });

  it("keeps every signature when the co-signers' signatures arrive at once, a slow ERC-1271 check among them", async () => {
    const f = await openGateway();
    const [holder, treasurer] = f.parties;
    const wallet = await (await ethers.getContractFactory("ContractSigner")).deploy(treasurer.address);
    const company = { address: await wallet.getAddress() };
    const assetId = await recordPatent(f, "ZL202110012345.6", [company, holder]);
    const parts = { assets: [assetId], pledgors: [company, holder], reportId: await anchorReport(f, [assetId]) };
    const draft = await preparedAndSigned(f, application(f, parts), []);
    const signings: [typeof holder, { address: string }][] = [
      [treasurer, company],
      [holder, holder],
      [f.signerOf["bank-a"], f.signerOf["bank-a"]],
    ];
    const answers = await Promise.all(
      signings.map(async ([by, signer]) =>
        f.as("bank-a").post(`/pledges/applications/${draft.draftId}/signatures`, {
          signer: signer.address,
          signature: await signRequest(by, requestFor(draft.signers, signer)),
        }),
      ),
    );
    expect(answers.map((a) => a.status)).to.deep.equal([200, 200, 200]);
    const shown = await f.as("bank-a").get(`/pledges/applications/${draft.draftId}`);
    expect(shown.body.signers.map((s: { signed: boolean }) => s.signed)).to.deep.equal([true, true, true]);
    expect(shown.body.preflight).to.deep.equal([]);
  });

  it("lets only the draft's own bank submit it: another bank is not even told it exists", async () => {
    const f = await openGateway();
    const parts = await soloPatent(f);
    const draft = await preparedAndSigned(f, application(f, parts), [f.parties[0], f.signerOf["bank-a"]]);
    const res = await f.as("bank-b").post(`/pledges/applications/${draft.draftId}/submit`);
    expect([res.status, res.body.error.code]).to.deep.equal([404, "NOT_FOUND"]);
  });

  it("lets the registrar refuse for a reason no machine can check; the pledge shows Refused and why", async () => {
    const f = await openGateway();
    const parts = await soloPatent(f);
    const draft = await preparedAndSigned(f, application(f, parts), [f.parties[0], f.signerOf["bank-a"]]);
    const { body } = await f.as("bank-a").post(`/pledges/applications/${draft.draftId}/submit`);
    const refused = await f
      .as("registration-office")
      .post(`/pledges/${body.pledgeId}/refuse`, { note: "the contract scan is unreadable" });
    expect([refused.status, refused.body.status]).to.deep.equal([200, "Refused"]);
    const pledge = await f.as("bank-a").get(`/pledges/${body.pledgeId}`);
    const refusal = pledge.body.history.at(-1);
    expect(refusal).to.deep.include({ event: "PledgeRefused" });
    expect(refusal.args).to.deep.include({ reason: "REFUSED_BY_REGISTRAR", note: "the contract scan is unreadable" });
    expect((await f.as("registration-office").get("/pledges/queue")).body.applications).to.deep.equal([]);
  });

  it("declares default and records a transfer; the Zhongshan scheme splits the loss 54 : 16 : 4, the bank the rest", async () => {
    const f = await openGateway();
    const bank = f.signerOf["bank-a"];
    const parts = await soloPatent(f);
    const pledgeId = await registeredPledge(f, parts, "bank-a", { riskScheme: "zhongshan" });

    const early = await partyStep(f, "bank-a", pledgeId, "default", {}, [bank]);
    expect([early.status, early.body.error.code]).to.deep.equal([422, "DEFAULT_BEFORE_MATURITY"]);
    const evidenceHash = docHash("overdue notice 2026-07");
    const enforced = await partyStep(f, "bank-a", pledgeId, "default", { evidenceHash }, [bank]);
    expect([enforced.status, enforced.body.status], JSON.stringify(enforced.body)).to.deep.equal([200, "Enforced"]);

    const proceeds = 40_000_000n;
    const transferee = f.parties[4].address;
    const disposal = {
      method: "Transfer",
      proceeds: proceeds.toString(),
      transferee,
      evidenceHash: docHash("auction"),
    };
    const disposed = await partyStep(f, "bank-a", pledgeId, "disposal", disposal, [bank]);
    expect([disposed.status, disposed.body.status], JSON.stringify(disposed.body)).to.deep.equal([200, "Disposed"]);

    const loss = PRINCIPAL - proceeds;
    const fund = (loss * 5400n) / 10_000n;
    const insurer = (loss * 1600n) / 10_000n;
    const ipServiceFirm = (loss * 400n) / 10_000n;
    expect(disposed.body.disposal).to.include({ method: "Transfer", transferee, loss: loss.toString() });
    expect(disposed.body.lossSharing).to.deep.include({
      scheme: "zhongshan",
      loss: loss.toString(),
      bankShare: (loss - fund - insurer - ipServiceFirm).toString(),
      parties: [
        { name: "fund", share: fund.toString() },
        { name: "insurer", share: insurer.toString() },
        { name: "ip-service-firm", share: ipServiceFirm.toString() },
      ],
    });
    const pledge = await f.as("auditor").get(`/pledges/${pledgeId}`);
    expect(pledge.body.lossSharing).to.deep.equal(disposed.body.lossSharing);
    expect(pledge.body.history.map((e: Event) => e.event)).to.include.members([
      "PledgeEnforced",
      "PledgeDisposed",
      "LossAllocated",
    ]);
  });

  it("answers a disposal without loss under a scheme with a split of zeros, and one without a scheme with none", async () => {
    const f = await openGateway();
    const bank = f.signerOf["bank-a"];
    const evidenceHash = docHash("overdue notice 2026-07");
    const disposalOf = async (officialNumber: string, riskScheme?: string) => {
      const parts = await soloPatent(f, officialNumber);
      const pledgeId = await registeredPledge(f, parts, "bank-a", riskScheme ? { riskScheme } : {});
      await partyStep(f, "bank-a", pledgeId, "default", { evidenceHash }, [bank]);
      const disposal = {
        method: "ReverseLicence",
        proceeds: PRINCIPAL.toString(), // the proceeds cover the principal: a loss of zero
        evidenceHash: docHash("licence back"),
      };
      const disposed = await partyStep(f, "bank-a", pledgeId, "disposal", disposal, [bank]);
      expect([disposed.status, disposed.body.status], JSON.stringify(disposed.body)).to.deep.equal([200, "Disposed"]);
      expect(disposed.body.disposal).to.include({ loss: "0" });
      return disposed.body;
    };

    const underScheme = await disposalOf("ZL202110077777.7", "zhuhai");
    expect(underScheme.lossSharing).to.deep.include({
      scheme: "zhuhai",
      loss: "0",
      bankShare: "0",
      parties: [{ name: "fund", share: "0" }],
    });
    const read = await f.as("auditor").get(`/pledges/${underScheme.pledgeId}`);
    expect(read.body.lossSharing).to.deep.equal(underScheme.lossSharing);
    expect(read.body.history.map((e: Event) => e.event)).to.include("LossAllocated");

    const withoutScheme = await disposalOf("ZL202110088888.8");
    expect(withoutScheme.lossSharing).to.equal(null);
  });

  it("assigns the loan to Bank B by a change co-signed by the pledgor, Bank A and Bank B", async () => {
    const f = await openGateway();
    const [holder] = f.parties;
    const parts = await soloPatent(f);
    const pledgeId = await registeredPledge(f, parts);
    const change = {
      principal: "80000000",
      maturityDate: iso(f.now + 2n * BigInt(YEAR)),
      pledgee: f.signerOf["bank-b"].address,
    };

    const asked = await f.as("bank-a").post(`/pledges/${pledgeId}/change/typed-data`, change);
    expect(asked.body.signers.map((s: { role: string }) => s.role)).to.deep.equal(["pledgor", "pledgee", "newPledgee"]);
    const changed = await partyStep(f, "bank-a", pledgeId, "change", change, [
      holder,
      f.signerOf["bank-a"],
      f.signerOf["bank-b"],
    ]);
    expect([changed.status, changed.body.status], JSON.stringify(changed.body)).to.deep.equal([200, "Registered"]);
    const collateral = await f.as("bank-b").get(`/collateral/${parts.assets[0]}`);
    expect(collateral.body.pledge).to.include({
      pledgee: f.signerOf["bank-b"].address,
      principal: "80000000",
      maturityDate: change.maturityDate.slice(0, 10),
    });
  });

  it("accepts a company's contract wallet (ERC-1271) as a co-owner, its treasurer signing for it", async () => {
    const f = await openGateway();
    const [holder, treasurer, impostor] = f.parties;
    const wallet = await (await ethers.getContractFactory("ContractSigner")).deploy(treasurer.address);
    const company = { address: await wallet.getAddress() };
    const assetId = await recordPatent(f, "ZL202110012345.6", [holder, company]);
    const parts = { assets: [assetId], pledgors: [holder, company], reportId: await anchorReport(f, [assetId]) };
    const draft = await preparedAndSigned(f, application(f, parts), [holder, f.signerOf["bank-a"]]);
    const sign = async (by: typeof treasurer) =>
      f.as("bank-a").post(`/pledges/applications/${draft.draftId}/signatures`, {
        signer: company.address,
        signature: await signRequest(by, requestFor(draft.signers, company)),
      });
    const byImpostor = await sign(impostor);
    expect([byImpostor.status, byImpostor.body.error.code]).to.deep.equal([422, "SIGNATURE_INVALID"]);
    expect((await sign(treasurer)).status).to.equal(200);
    const submitted = await f.as("bank-a").post(`/pledges/applications/${draft.draftId}/submit`);
    expect([submitted.status, submitted.body.status], JSON.stringify(submitted.body)).to.deep.equal([201, "Pending"]);
  });

  it("withdraws a pending application on the pledgor's signature, relayed by the auditor", async () => {
    const f = await openGateway();
    const [holder] = f.parties;
    const parts = await soloPatent(f);
    const draft = await preparedAndSigned(f, application(f, parts), [holder, f.signerOf["bank-a"]]);
    const { body } = await f.as("bank-a").post(`/pledges/applications/${draft.draftId}/submit`);
    const stranger = await f.as("auditor").post(`/pledges/${body.pledgeId}/withdrawal/typed-data`, {
      party: f.parties[3].address,
    });
    expect([stranger.status, stranger.body.error.field]).to.deep.equal([400, "party"]);
    const withdrawn = await partyStep(f, "auditor", body.pledgeId, "withdrawal", { party: holder.address }, [holder]);
    expect([withdrawn.status, withdrawn.body.status]).to.deep.equal([200, "Withdrawn"]);
  });

  it("refuses a later step whose signature is not the signer's, or comes from someone who is not a signer", async () => {
    const f = await openGateway();
    const parts = await soloPatent(f);
    const pledgeId = await registeredPledge(f, parts);
    const asked = await f.as("bank-a").post(`/pledges/${pledgeId}/release/typed-data`, {});
    const { domain, types, message } = asked.body.signers[0].typedData;
    const byHolder = await f.parties[0].signTypedData(domain, types, message);
    const { nonce, deadline } = message;
    const notTheBanks = await f.as("bank-a").post(`/pledges/${pledgeId}/release`, {
      signatures: [{ signer: f.signerOf["bank-a"].address, signature: byHolder, nonce, deadline }],
    });
    expect([notTheBanks.status, notTheBanks.body.error.code]).to.deep.equal([422, "SIGNATURE_INVALID"]);
    const notASigner = await f.as("bank-a").post(`/pledges/${pledgeId}/release`, {
      signatures: [{ signer: f.parties[0].address, signature: byHolder, nonce, deadline }],
    });
    expect([notASigner.status, notASigner.body.error.field]).to.deep.equal([400, "signatures.0.signer"]);
    const none = await f.as("bank-a").post(`/pledges/${pledgeId}/release`, { signatures: [] });
    expect([none.status, none.body.error.field]).to.deep.equal([400, "signatures"]);
  });

  it("documents every pledge route in the OpenAPI document", async () => {
    const f = await openGateway();
    const doc = await request(f.app).get("/v1/openapi.json");
    expect(Object.keys(doc.body.paths)).to.include.members([
      "/v1/pledges/applications",
      "/v1/pledges/applications/{draftId}",
      "/v1/pledges/applications/{draftId}/signatures",
      "/v1/pledges/applications/{draftId}/submit",
      "/v1/pledges/queue",
      "/v1/pledges/{pledgeId}",
      "/v1/pledges/{pledgeId}/register",
      "/v1/pledges/{pledgeId}/refuse",
      ...["release", "default", "disposal", "change", "withdrawal"].flatMap((a) => [
        `/v1/pledges/{pledgeId}/${a}`,
        `/v1/pledges/{pledgeId}/${a}/typed-data`,
      ]),
    ]);
  });
});
