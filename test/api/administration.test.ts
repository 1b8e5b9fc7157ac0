/**
 * The registrar's administration through HTTP: licensing lenders and evaluators, vetting investors, the registration
 * policy; the risk-compensation schemes as read; an instalment marked defaulted through the gateway; a licence read.
 */
import { expect } from "chai";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { openGateway, type GatewayFixture } from "./helpers/gatewayFixture";
import { anchorReport, application, docHash, iso, preparedAndSigned, recordPatent } from "./helpers/pledgeParties";
import { DAY, INSTALMENT, SUBORDINATED_FACE, expectStatus, openPoolGateway } from "./helpers/poolParties";

const participant = async (f: GatewayFixture, address: string) => {
  const res = await f.as("auditor").get(`/participants/${address}`);
  expectStatus(res, 200);
  return res.body as {
    roles: string[];
    licensedLender: boolean;
    licensedEvaluator: boolean;
    identifiedInvestor: boolean;
  };
};

/** A patent held by one party, a valid report on it, and Bank A's application signed by both and ready to submit. */
async function signedApplication(f: GatewayFixture) {
  const [holder] = f.parties;
  const assetId = await recordPatent(f, "ZL202310077777.7", [holder]);
  const reportId = await anchorReport(f, [assetId]);
  const body = application(f, { assets: [assetId], pledgors: [holder], reportId });
  return preparedAndSigned(f, body, [holder, f.signerOf["bank-a"]]);
}

describe("gateway — administration", () => {
  describe("licensing lenders and evaluators", () => {
    it("licenses a lender and withdraws the licence, as the chain then shows", async () => {
      const f = await openGateway();
      const lender = f.parties[3].address;
      const office = f.as("registration-office");
      expect((await participant(f, lender)).roles).to.deep.equal([]);

      const granted = await office.post("/registrar/licensed-lenders", { address: lender });
      expectStatus(granted, 201);
      expect(granted.body).to.include({ address: lender, role: "PLEDGEE", licensed: true });
      expect(granted.body.proof.transactionHash).to.match(/^0x[0-9a-f]{64}$/);
      expect(await participant(f, lender)).to.include({ licensedLender: true, licensedEvaluator: false });

      const revoked = await office.post(`/registrar/licensed-lenders/${lender}/revoke`);
      expectStatus(revoked, 200);
      expect(revoked.body).to.include({ address: lender, licensed: false });
      expect((await participant(f, lender)).roles).to.deep.equal([]);
    });

    it("licenses an evaluator and withdraws it", async () => {
      const f = await openGateway();
      const evaluator = f.parties[4].address;
      const office = f.as("registration-office");
      expectStatus(await office.post("/registrar/licensed-evaluators", { address: evaluator }), 201);
      expect(await participant(f, evaluator)).to.include({ licensedEvaluator: true, licensedLender: false });
      expectStatus(await office.post(`/registrar/licensed-evaluators/${evaluator}/revoke`), 200);
      expect((await participant(f, evaluator)).licensedEvaluator).to.equal(false);
    });

    it("refuses Bank A's application with PLEDGEE_NOT_LICENSED once the office withdrew its licence", async () => {
      const f = await openGateway();
      const bankA = f.signerOf["bank-a"].address;
      expect((await participant(f, bankA)).roles).to.include("PLEDGEE");
      const draft = await signedApplication(f);
      expectStatus(await f.as("registration-office").post(`/registrar/licensed-lenders/${bankA}/revoke`), 200);
      const res = await f.as("bank-a").post(`/pledges/applications/${draft.draftId}/submit`);
      expect([res.status, res.body.error?.code], JSON.stringify(res.body)).to.deep.equal([422, "PLEDGEE_NOT_LICENSED"]);
    });

    it("lets only the registrar license or vet (403 for a bank, an originator)", async () => {
      const f = await openGateway();
      const someone = f.parties[3].address;
      for (const [org, path, body] of [
        ["bank-a", "/registrar/licensed-lenders", { address: someone }],
        ["bank-a", "/registrar/licensed-evaluators", { address: someone }],
        ["bank-b", `/registrar/licensed-lenders/${f.signerOf["bank-a"].address}/revoke`, {}],
        ["originator", "/investors", { address: someone, kycReference: docHash("kyc") }],
        ["auditor", "/pledges-policy/instant-registration", { enabled: true }],
      ] as const) {
        const res = await f.as(org).post(path, body);
        expect([res.status, res.body.error.code], `${org} ${path}`).to.deep.equal([403, "FORBIDDEN"]);
      }
      expect((await participant(f, someone)).roles).to.deep.equal([]);
    });

    it("answers 400 naming the field for a malformed address or KYC reference", async () => {
      const f = await openGateway();
      const office = f.as("registration-office");
      for (const [path, body, field] of [
        ["/registrar/licensed-lenders", { address: "0x12" }, "address"],
        ["/registrar/licensed-evaluators/0x12/revoke", {}, "params.address"],
        ["/investors", { address: f.parties[3].address, kycReference: "kyc-1" }, "kycReference"],
        [`/investors/${f.parties[3].address}/remove`, { reason: "" }, "reason"],
        ["/pledges-policy/instant-registration", { enabled: "yes" }, "enabled"],
      ] as const) {
        const res = await office.post(path, body);
        expectStatus(res, 400);
        expect(res.body.error, path).to.include({ code: "VALIDATION_FAILED", field });
      }
      const bad = await f.as("auditor").get("/participants/not-an-address");
      expect([bad.status, bad.body.error.field]).to.deep.equal([400, "params.address"]);
    });
  });

  describe("vetting investors", () => {
    it("identifies an investor and removes it, with the contract's refusal for a second identification", async () => {
      const f = await openGateway();
      const investor = f.parties[6].address;
      const office = f.as("registration-office");
      const identified = await office.post("/investors", { address: investor, kycReference: docHash("kyc file 7") });
      expectStatus(identified, 201);
      expect(identified.body).to.include({ address: investor, identified: true });
      expect((await participant(f, investor)).identifiedInvestor).to.equal(true);

      const again = await office.post("/investors", { address: investor, kycReference: docHash("kyc file 7") });
      expect([again.status, again.body.error.code]).to.deep.equal([422, "INVESTOR_STATUS_UNCHANGED"]);

      const removed = await office.post(`/investors/${investor}/remove`, { reason: "KYC expired" });
      expectStatus(removed, 200);
      expect((await participant(f, investor)).identifiedInvestor).to.equal(false);
    });
  });

  describe("registration policy", () => {
    it("with instant registration on, a submitted application is registered at once", async () => {
      const f = await openGateway();
      const office = f.as("registration-office");
      expect((await f.as("bank-a").get("/pledges-policy")).body).to.deep.equal({ instantRegistration: false });
      const on = await office.post("/pledges-policy/instant-registration", { enabled: true });
      expectStatus(on, 200);
      expect(on.body.instantRegistration).to.equal(true);
      expect((await f.as("auditor").get("/pledges-policy")).body).to.deep.equal({ instantRegistration: true });

      const draft = await signedApplication(f);
      const submitted = await f.as("bank-a").post(`/pledges/applications/${draft.draftId}/submit`);
      expectStatus(submitted, 201);
      const pledge = await f.as("bank-a").get(`/pledges/${submitted.body.pledgeId}`);
      expectStatus(pledge, 200);
      expect(pledge.body.status).to.equal("Registered");

      expectStatus(await office.post("/pledges-policy/instant-registration", { enabled: false }), 200);
      expect((await f.as("auditor").get("/pledges-policy")).body.instantRegistration).to.equal(false);
    });
  });

  describe("risk-compensation schemes", () => {
    it("lists the five SPEC schemes with each party's share and caps, and the bank's share", async () => {
      const f = await openGateway();
      const res = await f.as("bank-a").get("/risk-schemes");
      expectStatus(res, 200);
      const fen = (yuan: number) => String(yuan * 100);
      const p = (name: string, shareBps: number, perLoanCap = "0", perBorrowerYearCap = "0") => ({
        name,
        shareBps,
        perLoanCap,
        perBorrowerYearCap,
      });
      const expected: Record<string, { parties: object[]; bankShareBps: number }> = {
        zhongshan: { parties: [p("fund", 5400), p("insurer", 1600), p("ip-service-firm", 400)], bankShareBps: 2600 },
        "guangzhou-55": { parties: [p("fund", 5000, fen(5_000_000), fen(10_000_000))], bankShareBps: 5000 },
        "guangzhou-541": { parties: [p("fund", 5000), p("insurer", 4000)], bankShareBps: 1000 },
        zhuhai: { parties: [p("fund", 4000)], bankShareBps: 6000 },
        shenzhen: { parties: [p("fund", 5000, fen(2_000_000))], bankShareBps: 5000 },
      };
      const schemes = res.body.schemes as { key: string; id: number; name: string; active: boolean }[];
      expect(schemes.map((s) => s.key).sort()).to.deep.equal(Object.keys(expected).sort());
      for (const scheme of schemes) {
        expect(scheme, scheme.key).to.deep.include(expected[scheme.key]);
        expect(scheme.active).to.equal(true);
        expect(scheme.id).to.equal(f.deployment.riskSchemes[scheme.key]);
      }
      expect(schemes.find((s) => s.key === "zhongshan")!.name).to.equal("Zhongshan 54:26:16:4");
    });
  });

  describe("defaulted instalments and licences", () => {
    it("marks an instalment defaulted 90 days after its due date, writing the subordinated, then the senior down", async () => {
      const f = await openPoolGateway({}, false);
      const licenceId = f.licences.subLicenceId;
      const path = `/pools/${f.poolAddress}/instalments/${licenceId}/0/default`;
      const dueDate = BigInt(f.licences.sub.schedule[0].dueDate);

      await time.increaseTo(dueDate + 89n * DAY);
      const early = await f.as("auditor").post(path);
      expect([early.status, early.body.error.code]).to.deep.equal([422, "INSTALMENT_NOT_DEFAULTABLE"]);
      expect(early.body.error.details.args.reason).to.equal("NotOverdueLongEnough");
      expect(early.body.error.message).to.equal(
        `instalment 0 of licence ${licenceId} cannot be marked defaulted (NotOverdueLongEnough)`,
      );

      await time.increaseTo(dueDate + 90n * DAY);
      const res = await f.as("auditor").post(path);
      expectStatus(res, 201);
      // The whole 30,000,000 is allocated: 10,000,000 to the subordinated (all it has), 20,000,000 to the senior.
      const writeDown = INSTALMENT < SUBORDINATED_FACE ? INSTALMENT : SUBORDINATED_FACE;
      expect(res.body).to.include({
        licenceId: licenceId.toString(),
        index: 0,
        unpaid: INSTALMENT.toString(),
        writtenDown: INSTALMENT.toString(),
        absorbedByExcessReturn: "0",
      });
      const defaulted = res.body.events.find((e: { event: string }) => e.event === "InstalmentDefaulted");
      expect(defaulted.args).to.deep.equal({
        licenceId: licenceId.toString(),
        index: "0",
        unpaid: INSTALMENT.toString(),
      });
      expect(defaulted.transactionHash).to.equal(res.body.proof.transactionHash);
      const pool = await f.as("auditor").get(`/pools/${f.poolAddress}`);
      expect(pool.body.tranches[1].writtenDown).to.equal(writeDown.toString());
      expect(pool.body.tranches[0].writtenDown).to.equal((INSTALMENT - writeDown).toString());

      const twice = await f.as("auditor").post(path);
      expect([twice.status, twice.body.error.code]).to.deep.equal([422, "INSTALMENT_NOT_DEFAULTABLE"]);
      expect(twice.body.error.details.args.reason).to.equal("AlreadyDefaulted");
    });

    it("answers 404 for a pool the gateway does not know and 400 for a malformed instalment", async () => {
      const f = await openPoolGateway();
      const unknown = await f.as("auditor").post(`/pools/${f.people.outsider.address}/instalments/2/0/default`);
      expectStatus(unknown, 404);
      expect(unknown.body.error).to.include({ code: "NOT_FOUND", field: "params.pool" });
      const bad = await f.as("auditor").post(`/pools/${f.poolAddress}/instalments/2/first/default`);
      expect([bad.status, bad.body.error.field]).to.deep.equal([400, "params.index"]);
    });

    it("reads a sub-licence and its first licence: parties, calendar dates, assets, schedule and pool", async () => {
      const f = await openPoolGateway();
      const { sub, first, subLicenceId, firstLicenceId, assetId } = f.licences;
      const res = await f.as("auditor").get(`/licences/${subLicenceId}`);
      expectStatus(res, 200);
      expect(res.body).to.deep.include({
        licenceId: subLicenceId.toString(),
        kind: "Sub",
        licensor: f.people.originator.address,
        licensee: f.people.licensee.address,
        firstLicenceId: firstLicenceId.toString(),
        startDate: iso(sub.startDate).slice(0, 10),
        endDate: iso(sub.endDate).slice(0, 10),
        contractHash: sub.contractHash,
        assets: [assetId],
        pool: f.poolAddress,
        schedule: sub.schedule.map((s, index) => ({
          index,
          dueDate: iso(s.dueDate).slice(0, 10),
          amount: s.amount.toString(),
        })),
      });
      const firstRes = await f.as("bank-a").get(`/licences/${firstLicenceId}`);
      expectStatus(firstRes, 200);
      expect(firstRes.body).to.deep.include({
        kind: "First",
        licensors: [f.people.patentee.address],
        licensee: f.people.originator.address,
        upfrontFee: first.upfrontFee.toString(),
        firstLicenceId: null,
        schedule: [],
        pool: null,
      });
      const missing = await f.as("auditor").get("/licences/999");
      expect([missing.status, missing.body.error.code, missing.body.error.field]).to.deep.equal([
        404,
        "NOT_FOUND",
        "params.licenceId",
      ]);
      const bad = await f.as("auditor").get("/licences/0");
      expect([bad.status, bad.body.error.field]).to.deep.equal([400, "params.licenceId"]);
    });
  });

  it("describes every new route in the OpenAPI document", async () => {
    const f = await openGateway();
    const doc = (await f.as("auditor").get("/openapi.json")).body;
    for (const [path, method] of [
      ["/v1/registrar/licensed-lenders", "post"],
      ["/v1/registrar/licensed-lenders/{address}/revoke", "post"],
      ["/v1/registrar/licensed-evaluators", "post"],
      ["/v1/registrar/licensed-evaluators/{address}/revoke", "post"],
      ["/v1/participants/{address}", "get"],
      ["/v1/investors", "post"],
      ["/v1/investors/{address}/remove", "post"],
      ["/v1/pledges-policy", "get"],
      ["/v1/pledges-policy/instant-registration", "post"],
      ["/v1/risk-schemes", "get"],
      ["/v1/pools/{pool}/instalments/{licenceId}/{index}/default", "post"],
      ["/v1/licences/{licenceId}", "get"],
    ]) {
      expect(doc.paths[path]?.[method], `${method} ${path}`).to.be.an("object");
    }
  });
});
