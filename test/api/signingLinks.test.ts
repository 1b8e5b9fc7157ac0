/**
 * Signing links: the bank hands a patentee without an organisation a link; with no API key, the link shows that
 * signer's typed data (assets by number, the bank by name) and takes that signer's signature once — and nothing
 * else: not another draft, not another party's signature, not a second signature, not after submission.
 */
import { expect } from "chai";
import request from "supertest";
import { openGateway, type GatewayFixture } from "./helpers/gatewayFixture";
import { anchorReport, application, recordPatent, requestFor, signRequest } from "./helpers/pledgeParties";

const linkFor = (f: GatewayFixture, draftId: string, signer: string, bank: "bank-a" | "bank-b" = "bank-a") =>
  f.as(bank).post(`/pledges/applications/${draftId}/signing-links`, { signer });
const open = (f: GatewayFixture, token: string) => request(f.app).get(`/v1/signing-links/${token}`);
const sign = (f: GatewayFixture, token: string, body: object) =>
  request(f.app).post(`/v1/signing-links/${token}/signature`).send(body);

/** A patent held by two co-owners, and the bank's draft for it. */
async function coOwnedDraft(f: GatewayFixture) {
  const [owner, coOwner] = f.parties;
  const assetId = await recordPatent(f, "ZL202410077777.1", [owner, coOwner]);
  const reportId = await anchorReport(f, [assetId]);
  const draft = await f
    .as("bank-a")
    .post("/pledges/applications", application(f, { assets: [assetId], pledgors: [owner, coOwner], reportId }));
  expect(draft.status, JSON.stringify(draft.body)).to.equal(201);
  return { owner, coOwner, assetId, draft: draft.body };
}

describe("signing links for parties without an organisation", () => {
  it("shows the signer its own typed data with the asset named, and takes its signature without an API key", async () => {
    const f = await openGateway();
    const { owner, assetId, draft } = await coOwnedDraft(f);
    const link = await linkFor(f, draft.draftId, owner.address);
    expect(link.status, JSON.stringify(link.body)).to.equal(201);
    expect(link.body.token).to.match(/^[0-9a-f]{64}$/);
    expect(link.body.path).to.equal(`/#/sign/${link.body.token}`);
    const again = await linkFor(f, draft.draftId, owner.address.toLowerCase());
    expect(again.body.token, "the same link each time").to.equal(link.body.token);

    const shown = await open(f, link.body.token);
    expect(shown.status, JSON.stringify(shown.body)).to.equal(200);
    expect(shown.body.request.address).to.equal(owner.address);
    expect(shown.body.request.signed).to.equal(false);
    expect(shown.body.request.typedData).to.deep.equal(requestFor(draft.signers, owner).typedData);
    expect(shown.body.assets).to.deep.equal([{ assetId, kind: "InventionPatent", officialNumber: "ZL202410077777.1" }]);
    expect(shown.body.pledgee).to.deep.equal({
      address: f.signerOf["bank-a"].address,
      name: "Bank A (licensed lender)",
    });

    const signature = await signRequest(owner, shown.body.request);
    const signed = await sign(f, link.body.token, { signature });
    expect(signed.status, JSON.stringify(signed.body)).to.equal(200);
    expect(signed.body.request.signed).to.equal(true);
    const seenByBank = await f.as("bank-a").get(`/pledges/applications/${draft.draftId}`);
    const signedBy = seenByBank.body.signers.filter((s: { signed: boolean }) => s.signed);
    expect(signedBy.map((s: { address: string }) => s.address)).to.deep.equal([owner.address]);
  });

  it("grants nothing else: another party's signature, a second signature, a forged token, after submission", async () => {
    const f = await openGateway();
    const { owner, coOwner, draft } = await coOwnedDraft(f);
    const token = (await linkFor(f, draft.draftId, owner.address)).body.token as string;

    // the co-owner's valid signature is refused on the owner's link, as signer or as the owner's signature
    const coOwnerSignature = await signRequest(coOwner, requestFor(draft.signers, coOwner));
    const asOther = await sign(f, token, { signer: coOwner.address, signature: coOwnerSignature });
    expect(asOther.status).to.equal(400);
    expect(asOther.body.error.field).to.equal("signer");
    const misplaced = await sign(f, token, { signature: coOwnerSignature });
    expect(misplaced.status).to.equal(422);
    expect(misplaced.body.error.code).to.equal("SIGNATURE_INVALID");

    // an unknown token (one digit changed) and a malformed one
    const forged = `${token.slice(0, -1)}${token.endsWith("0") ? "1" : "0"}`;
    expect((await open(f, forged)).status).to.equal(404);
    expect((await open(f, "not-a-token")).status).to.equal(400);

    const own = await signRequest(owner, requestFor(draft.signers, owner));
    expect((await sign(f, token, { signature: own })).status).to.equal(200);
    const twice = await sign(f, token, { signature: own });
    expect(twice.status).to.equal(409);
    expect(twice.body.error.code).to.equal("SIGNATURE_ALREADY_GIVEN");

    // after the bank submits (the co-owner's signature relayed by the bank), the co-owner's link takes no more
    const coToken = (await linkFor(f, draft.draftId, coOwner.address)).body.token as string;
    const bank = f.signerOf["bank-a"];
    for (const [signer, signature] of [
      [coOwner.address, coOwnerSignature],
      [bank.address, await signRequest(bank, requestFor(draft.signers, bank))],
    ]) {
      const relayed = await f
        .as("bank-a")
        .post(`/pledges/applications/${draft.draftId}/signatures`, { signer, signature });
      expect(relayed.status, JSON.stringify(relayed.body)).to.equal(200);
    }
    const submitted = await f.as("bank-a").post(`/pledges/applications/${draft.draftId}/submit`);
    expect(submitted.status, JSON.stringify(submitted.body)).to.equal(201);
    const late = await sign(f, coToken, { signature: coOwnerSignature });
    expect(late.status).to.equal(409);
    expect(late.body.error.code).to.equal("DRAFT_ALREADY_SUBMITTED");
    expect((await open(f, coToken)).body.pledgeId).to.equal(submitted.body.pledgeId);
  });

  it("only the draft's bank hands out links, and only for the draft's signers", async () => {
    const f = await openGateway();
    const { owner, draft } = await coOwnedDraft(f);
    expect((await linkFor(f, draft.draftId, owner.address, "bank-b")).status, "another bank").to.equal(404);
    const stranger = await linkFor(f, draft.draftId, f.parties[5].address);
    expect(stranger.status).to.equal(400);
    expect(stranger.body.error.field).to.equal("signer");
    const noKey = await request(f.app)
      .post(`/v1/pledges/applications/${draft.draftId}/signing-links`)
      .send({ signer: owner.address });
    expect(noKey.status).to.equal(401);
  });
});
