/**
 * The web app's desk reads: the organisations directory (names for addresses, never keys) and the open pledge
 * drafts and licence drafts waiting on the caller (GET /v1/inbox/drafts, /v1/inbox/licence-drafts).
 */
import { expect } from "chai";
import request from "supertest";
import { openGateway } from "./helpers/gatewayFixture";
import { anchorReport, application, iso, preparedAndSigned, recordPatent, PRINCIPAL } from "./helpers/pledgeParties";

describe("gateway — desk reads (organisations directory, open drafts)", () => {
  it("lists every organisation by name, role and address only, to any signed-in caller; 401 without a key", async () => {
    const f = await openGateway();
    const res = await f.as("evaluator").get("/organisations");
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    const bankA = res.body.organisations.find((o: { address: string }) => o.address === f.signerOf["bank-a"].address);
    expect(bankA).to.deep.equal({
      name: "Bank A (licensed lender)",
      role: "pledgee",
      address: f.signerOf["bank-a"].address,
    });
    for (const o of res.body.organisations) expect(Object.keys(o).sort()).to.deep.equal(["address", "name", "role"]);
    expect(JSON.stringify(res.body)).not.to.match(/keyHash|apiKey|ipr_/);
    expect(res.body.organisations).to.have.length(Object.keys(f.keyOf).length);
    expect((await request(f.app).get("/v1/organisations")).status).to.equal(401);
  });

  it("lists a bank's open drafts: awaiting its own signature first, then waiting on others; never another bank's", async () => {
    const f = await openGateway();
    const [holder] = f.parties;
    const assetId = await recordPatent(f, "ZL202610010001.1", [holder]);
    const reportId = await anchorReport(f, [assetId]);
    const body = application(f, { assets: [assetId], pledgors: [holder], reportId });
    // Draft 1: nobody signed. Draft 2: the bank signed, the holder not. Draft 3: submitted (no longer open).
    const unsigned = await preparedAndSigned(f, body, []);
    const bankSigned = await preparedAndSigned(f, body, [f.signerOf["bank-a"]]);
    const done = await preparedAndSigned(f, body, [holder, f.signerOf["bank-a"]]);
    expect((await f.as("bank-a").post(`/pledges/applications/${done.draftId}/submit`)).status).to.equal(201);
    const other = await preparedAndSigned(
      f,
      application(f, { assets: [assetId], pledgors: [holder], reportId }),
      [],
      "bank-b",
    );

    const res = await f.as("bank-a").get("/inbox/drafts");
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    const drafts = res.body.drafts as {
      draftId: string;
      awaitingMe: boolean;
      signers: { address: string; signed: boolean }[];
    }[];
    expect(drafts.map((d) => [d.draftId, d.awaitingMe])).to.deep.equal([
      [unsigned.draftId, true],
      [bankSigned.draftId, false],
    ]);
    const first = res.body.drafts[0];
    expect(first).to.include({
      pledgee: f.signerOf["bank-a"].address,
      principal: PRINCIPAL.toString(),
      currency: "CNY",
    });
    expect(first.assets).to.deep.equal([assetId]);
    expect(first.signers).to.deep.equal([
      { address: holder.address, role: "pledgor", signed: false },
      { address: f.signerOf["bank-a"].address, role: "pledgee", signed: false },
    ]);
    // Each party's typed data names the same deadline: a week after the draft was prepared, by the chain's clock.
    const deadline = unsigned.signers[0].typedData.message.deadline;
    expect(first.signBy).to.equal(iso(BigInt(deadline)));
    expect(drafts[1].signers.map((s) => s.signed)).to.deep.equal([false, true]);

    const b = await f.as("bank-b").get("/inbox/drafts");
    expect(b.body.drafts.map((d: { draftId: string }) => d.draftId)).to.deep.equal([other.draftId]);
    expect((await f.as("evaluator").get("/inbox/drafts")).body.drafts).to.deep.equal([]);
  });

  it("lists licence drafts missing a signature: to the licensor organisation that must sign, and to their originator", async () => {
    const f = await openGateway();
    const [patentee] = f.parties;
    const bankB = f.signerOf["bank-b"];
    const asset = `0x${"ab".repeat(32)}`;
    const draft = async (licensors: string[]) => {
      const res = await f.as("originator").post("/licences/first-licences", {
        assetIds: [asset],
        licensors,
        exclusive: true,
        subLicensable: true,
        upfrontFee: "500000000",
        startDate: "2027-01-01",
        endDate: "2031-12-31",
        contractHash: `0x${"cd".repeat(32)}`,
      });
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
      return res.body as {
        draftId: string;
        signers: { typedData: { domain: object; types: object; message: object } }[];
      };
    };
    const sign = async (d: Awaited<ReturnType<typeof draft>>, i: number, wallet: typeof patentee) => {
      const { domain, types, message } = d.signers[i].typedData as never;
      const signature = await wallet.signTypedData(domain, types, message);
      const res = await request(f.app)
        .post(`/v1/licences/drafts/${d.draftId}/signatures`)
        .send({ signer: wallet.address, signature });
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
    };
    // Bank B's account co-grants two licences: it signed one; the patentee alone grants a third, signed (complete).
    const waiting = await draft([patentee.address, bankB.address]);
    const signedByBank = await draft([patentee.address, bankB.address]);
    await sign(signedByBank, 1, bankB);
    const complete = await draft([patentee.address]);
    await sign(complete, 0, patentee);

    const b = await f.as("bank-b").get("/inbox/licence-drafts");
    expect(b.status, JSON.stringify(b.body)).to.equal(200);
    expect(b.body.drafts.map((d: { draftId: string; awaitingMe: boolean }) => [d.draftId, d.awaitingMe])).to.deep.equal(
      [
        [waiting.draftId, true],
        [signedByBank.draftId, false],
      ],
    );
    expect(b.body.drafts[0]).to.deep.include({
      kind: "first",
      originator: f.signerOf.originator.address,
      licensee: f.signerOf.originator.address,
      assets: [asset],
      firstLicenceId: null,
      amount: "500000000",
      startDate: "2027-01-01",
      endDate: "2031-12-31",
    });
    expect(b.body.drafts[1].signers).to.deep.equal([
      { address: patentee.address, role: "licensor", signed: false },
      { address: bankB.address, role: "licensor", signed: true },
    ]);
    // The deadline each party's typed data names.
    const deadline = Number((waiting.signers[0].typedData.message as { deadline: string }).deadline);
    expect(b.body.drafts[0].signBy).to.equal(iso(deadline));

    // The originator sees both open drafts (its signature is not asked: it records), not the complete one.
    const o = await f.as("originator").get("/inbox/licence-drafts");
    expect(o.body.drafts.map((d: { draftId: string }) => d.draftId).sort()).to.deep.equal(
      [waiting.draftId, signedByBank.draftId].sort(),
    );
    expect(o.body.drafts.every((d: { awaitingMe: boolean }) => !d.awaitingMe)).to.equal(true);
    expect((await f.as("bank-a").get("/inbox/licence-drafts")).body.drafts).to.deep.equal([]);
  });
});
