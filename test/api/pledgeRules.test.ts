/**
 * Every registration rule of SPEC §4.2 reached through the gateway: each refusal is 422 with exactly its reason code,
 * and the draft's preflight named the same code before it was submitted. State is arranged through the registrar's
 * asset routes and the parties' own signatures wherever the API offers a way; the few chain steps it does not offer
 * (a lender's licence, a cancelled nonce, time passing) are taken directly and say so.
 */
import { expect } from "chai";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import type { Signer } from "ethers";
import { Roles } from "../../definitions/roles";
import { openGateway, type GatewayFixture } from "./helpers/gatewayFixture";
import {
  DAY,
  YEAR,
  anchorReport,
  application,
  codesOf,
  docHash,
  iso,
  preparedAndSigned,
  recordPatent,
  registeredPledge,
  requestFor,
  signRequest,
} from "./helpers/pledgeParties";

type Wallet = Signer & { address: string };

interface Case {
  /** The patent to record, besides its holder(s). */
  patent?: (f: GatewayFixture) => object;
  coOwned?: boolean;
  /** Before the bank prepares the application (the registrar's steps). */
  before?: (c: Context) => Promise<unknown>;
  body?: (c: Context) => object;
  pledgors?: (c: Context) => Wallet[];
  /** Who signs; default every pledgor and the bank. */
  signers?: (c: Context) => Wallet[];
  /** After signing, before submitting. */
  beforeSubmit?: (c: Context & { draft: Draft }) => Promise<unknown>;
}

interface Context {
  f: GatewayFixture;
  assetId: string;
  holders: Wallet[];
  reportId: string;
}
type Draft = Awaited<ReturnType<typeof preparedAndSigned>>;

const office = (c: Context) => c.f.as("registration-office");
const bankA = (c: Context) => c.f.signerOf["bank-a"];
const nonceOf = (draft: Draft, wallet: Wallet) => BigInt(requestFor(draft.signers, wallet).typedData.message.nonce);

const CASES: Record<string, Case> = {
  PLEDGOR_NOT_HOLDER: { pledgors: (c) => [...c.holders, c.f.parties[5]] },
  ASSET_NOT_IN_FORCE: { before: (c) => office(c).post(`/assets/${c.assetId}/status`, { status: "Lapsed" }) },
  ASSET_NOT_GRANTED: { patent: () => ({ grantDate: undefined }) },
  ANNUAL_FEE_UNPAID: { patent: (f) => ({ feesPaidUntil: iso(f.now - BigInt(DAY)) }) },
  ASSET_FROZEN: { before: (c) => office(c).post(`/assets/${c.assetId}/freeze`, { freeze: "PreservationOrder" }) },
  DEBT_BEYOND_EXPIRY: { body: (c) => ({ maturityDate: iso(c.f.now + 16n * BigInt(YEAR)) }) },
  FORFEITURE_CLAUSE: { body: () => ({ forfeitureClause: true }) },
  CO_OWNER_CONSENT_MISSING: { coOwned: true, signers: (c) => [c.holders[0], bankA(c)] },
  ALREADY_PLEDGED: {
    before: (c) => registeredPledge(c.f, { assets: [c.assetId], pledgors: c.holders, reportId: c.reportId }, "bank-b"),
  },
  INVALIDATION_PENDING: { before: (c) => office(c).post(`/assets/${c.assetId}/invalidation`, { pending: true }) },
  VALUATION_INVALID: { body: () => ({ valuationReportId: docHash("a report nobody anchored") }) },
  PLEDGEE_NOT_LICENSED: {
    // The gateway has no licensing route yet: the office withdraws Bank A's licence on chain with its own wallet.
    beforeSubmit: async ({ f }) =>
      (
        await f.contracts.accessManager
          .connect(f.signerOf["registration-office"])
          .revokeRole(Roles.PLEDGEE, f.signerOf["bank-a"].address)
      ).wait(),
  },
  // The bank never signs: a missing pledgee signature is SIGNATURE_INVALID (a forged one is refused up front, below).
  SIGNATURE_INVALID: { signers: (c) => c.holders },
  NONCE_USED: {
    // The holder cancels, with its own wallet, the nonce its signature was made with.
    beforeSubmit: async ({ f, holders, draft }) =>
      (await f.contracts.pledgeRegistry.connect(holders[0]).cancelNonce(nonceOf(draft, holders[0]))).wait(),
  },
  // The signatures were good for a week from when the bank prepared the application; eight days pass.
  DEADLINE_PASSED: { beforeSubmit: () => time.increase(8 * DAY) },
};

describe("gateway — pledge rules", () => {
  describe("refuses an application breaking a rule with 422 and exactly that reason code", () => {
    for (const [code, rule] of Object.entries(CASES)) {
      it(code, async () => {
        const f = await openGateway();
        const holders = rule.coOwned ? f.parties.slice(0, 2) : f.parties.slice(0, 1);
        const assetId = await recordPatent(f, "ZL202110055555.5", holders, rule.patent?.(f));
        const c: Context = { f, assetId, holders, reportId: await anchorReport(f, [assetId]) };
        await rule.before?.(c);
        const pledgors = rule.pledgors?.(c) ?? holders;
        const body = application(f, { assets: [assetId], pledgors, reportId: c.reportId }, rule.body?.(c));
        const draft = await preparedAndSigned(f, body, rule.signers?.(c) ?? [...pledgors, bankA(c)]);
        await rule.beforeSubmit?.({ ...c, draft });

        const preflight = await f.as("bank-a").get(`/pledges/applications/${draft.draftId}`);
        expect(codesOf(preflight.body.preflight), "the draft's preflight named it").to.include(code);
        const res = await f.as("bank-a").post(`/pledges/applications/${draft.draftId}/submit`);
        expect([res.status, res.body.error?.code], JSON.stringify(res.body)).to.deep.equal([422, code]);
      });
    }

    it("SIGNATURE_INVALID, up front: a signature that is not the signer's is never accepted into a draft", async () => {
      const f = await openGateway();
      const [holder, impostor] = f.parties;
      const assetId = await recordPatent(f, "ZL202110055555.5", [holder]);
      const body = application(f, {
        assets: [assetId],
        pledgors: [holder],
        reportId: await anchorReport(f, [assetId]),
      });
      const draft = await preparedAndSigned(f, body, []);
      const signature = await signRequest(impostor, requestFor(draft.signers, holder));
      const res = await f
        .as("bank-a")
        .post(`/pledges/applications/${draft.draftId}/signatures`, { signer: holder.address, signature });
      expect([res.status, res.body.error.code]).to.deep.equal([422, "SIGNATURE_INVALID"]);
      const shown = await f.as("bank-a").get(`/pledges/applications/${draft.draftId}`);
      expect(shown.body.signers[0].signed).to.equal(false);
    });
  });

  it("names the lowest-numbered failing rule (SPEC §4.2): a lone signer who is not the holder gets PLEDGOR_NOT_HOLDER", async () => {
    const f = await openGateway();
    const [holder, stranger] = f.parties;
    const assetId = await recordPatent(f, "ZL202110055555.5", [holder]);
    // The stranger pledges the holder's patent alone: rule 1 (not a holder) and rule 8 (the holder did not sign).
    const body = application(f, {
      assets: [assetId],
      pledgors: [stranger],
      reportId: await anchorReport(f, [assetId]),
    });
    const draft = await preparedAndSigned(f, body, [stranger, f.signerOf["bank-a"]]);
    const preflight = await f.as("bank-a").get(`/pledges/applications/${draft.draftId}`);
    expect(codesOf(preflight.body.preflight), "the preflight lists both").to.have.members([
      "PLEDGOR_NOT_HOLDER",
      "CO_OWNER_CONSENT_MISSING",
    ]);
    const res = await f.as("bank-a").post(`/pledges/applications/${draft.draftId}/submit`);
    expect([res.status, res.body.error?.code], JSON.stringify(res.body)).to.deep.equal([422, "PLEDGOR_NOT_HOLDER"]);
    expect(JSON.stringify(res.body.error).toLowerCase(), "the error names the party").to.include(
      stranger.address.toLowerCase(),
    );
  });

  it("checks the rules again at registration: of two pending applications on one patent, the first registered wins", async () => {
    const f = await openGateway();
    const [holder] = f.parties;
    const assetId = await recordPatent(f, "ZL202110055555.5", [holder]);
    const parts = { assets: [assetId], pledgors: [holder], reportId: await anchorReport(f, [assetId]) };
    const pledgeIds: string[] = [];
    for (const bank of ["bank-a", "bank-b"] as const) {
      const draft = await preparedAndSigned(f, application(f, parts), [holder, f.signerOf[bank]], bank);
      pledgeIds.push((await f.as(bank).post(`/pledges/applications/${draft.draftId}/submit`)).body.pledgeId);
    }
    const office = f.as("registration-office");
    expect((await office.post(`/pledges/${pledgeIds[1]}/register`)).status).to.equal(200);
    const queue = await office.get("/pledges/queue");
    expect(queue.body.applications).to.have.length(1);
    expect(queue.body.applications[0].pledgeId).to.equal(pledgeIds[0]);
    expect(codesOf(queue.body.applications[0].failures)).to.deep.equal(["ALREADY_PLEDGED"]);
    const second = await office.post(`/pledges/${pledgeIds[0]}/register`);
    expect([second.status, second.body.error.code]).to.deep.equal([422, "ALREADY_PLEDGED"]);
    const refused = await office.post(`/pledges/${pledgeIds[0]}/refuse`, { reasonCode: "ALREADY_PLEDGED" });
    expect([refused.status, refused.body.status]).to.deep.equal([200, "Refused"]);
  });

  describe("answers with the gateway's own codes", () => {
    it("403 FORBIDDEN for the wrong role", async () => {
      const f = await openGateway();
      const [holder] = f.parties;
      const assetId = await recordPatent(f, "ZL202110055555.5", [holder]);
      const body = application(f, {
        assets: [assetId],
        pledgors: [holder],
        reportId: await anchorReport(f, [assetId]),
      });
      for (const [org, path] of [
        ["registration-office", "/pledges/applications"],
        ["evaluator", "/pledges/applications"],
        ["bank-a", "/pledges/1/register"],
        ["auditor", "/pledges/1/refuse"],
        ["auditor", "/pledges/1/release/typed-data"],
      ] as const) {
        const res = await f.as(org).post(path, body);
        expect([res.status, res.body.error.code], `${org} ${path}`).to.deep.equal([403, "FORBIDDEN"]);
      }
      const queue = await f.as("bank-a").get("/pledges/queue");
      expect([queue.status, queue.body.error.code]).to.deep.equal([403, "FORBIDDEN"]);
    });

    it("404 NOT_FOUND for an unknown draft or pledge", async () => {
      const f = await openGateway();
      const unknown = "0123456789abcdef0123456789abcdef";
      const bank = f.as("bank-a");
      const signature = { signer: f.parties[0].address, signature: `0x${"11".repeat(65)}` };
      for (const [what, res] of [
        ["the draft", await bank.get(`/pledges/applications/${unknown}`)],
        ["its submission", await bank.post(`/pledges/applications/${unknown}/submit`)],
        ["a signature on it", await f.as("auditor").post(`/pledges/applications/${unknown}/signatures`, signature)],
        ["the pledge", await f.as("auditor").get("/pledges/42")],
        ["a release of it", await bank.post("/pledges/42/release/typed-data", {})],
      ] as const) {
        expect([res.status, res.body.error.code], what).to.deep.equal([404, "NOT_FOUND"]);
      }
    });

    it("400 VALIDATION_FAILED naming the field", async () => {
      const f = await openGateway();
      const [holder, stranger] = f.parties;
      const assetId = await recordPatent(f, "ZL202110055555.5", [holder]);
      const parts = { assets: [assetId], pledgors: [holder], reportId: await anchorReport(f, [assetId]) };
      const bank = f.as("bank-a");
      for (const [overrides, field] of [
        [{ assets: [] }, "assets"],
        [{ pledgors: ["0x12"] }, "pledgors.0"],
        [{ debtor: "a debtor name far longer than thirty-one bytes" }, "debtor"],
        [{ principal: "0" }, "principal"],
        [{ maturityDate: iso(f.now - BigInt(DAY)) }, "maturityDate"],
        [{ contractHash: "0xabc" }, "contractHash"],
        [{ riskScheme: "atlantis" }, "riskScheme"],
        [{ riskScheme: "constructor" }, "riskScheme"],
        [{ forfeitureClause: undefined }, "forfeitureClause"],
      ] as const) {
        const res = await bank.post("/pledges/applications", application(f, parts, overrides));
        expect([res.status, res.body.error.code, res.body.error.field], field).to.deep.equal([
          400,
          "VALIDATION_FAILED",
          field,
        ]);
      }
      const draft = await preparedAndSigned(f, application(f, parts), []);
      const notAParty = await bank.post(`/pledges/applications/${draft.draftId}/signatures`, {
        signer: stranger.address,
        signature: await signRequest(stranger, requestFor(draft.signers, holder)),
      });
      expect([notAParty.status, notAParty.body.error.field]).to.deep.equal([400, "signer"]);
      const badId = await bank.get("/pledges/applications/not-a-draft");
      expect([badId.status, badId.body.error.field]).to.deep.equal([400, "params.draftId"]);
      const noReason = await f.as("registration-office").post("/pledges/1/refuse", {});
      expect([noReason.status, noReason.body.error.field]).to.deep.equal([400, "note"]);
    });
  });
});
