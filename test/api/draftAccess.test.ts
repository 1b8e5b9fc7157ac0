/**
 * An unsubmitted draft (a pledge application's debtor and principal, a licence's terms) is the business of its
 * parties: the organisations whose address is a party of it, and the registrar. Any other organisation asking for it
 * by id — to read it, sign it or submit it — gets the same 404 as for a draft that does not exist.
 */
import { expect } from "chai";
import request from "supertest";
import { openGateway, type GatewayFixture } from "./helpers/gatewayFixture";
import { anchorReport, application, recordPatent, requestFor, signRequest } from "./helpers/pledgeParties";

type Org = Parameters<GatewayFixture["as"]>[0];
const UNKNOWN = "0123456789abcdef0123456789abcdef";
const YEAR = 365 * 86_400;

/** The answer for a draft id nobody ever drafted, with the id put back: what an outsider must get, to the byte. */
const notFoundFor = (unknown: { body: unknown }, draftId: string) =>
  JSON.parse(JSON.stringify(unknown.body).replaceAll(UNKNOWN, draftId));

describe("gateway — drafts are seen only by their parties and the registrar", () => {
  it("answers another bank, the auditor, the evaluator and the originator 404 for a bank's pledge draft", async () => {
    const f = await openGateway();
    const [holder] = f.parties;
    // The originator's own account co-holds the patent: its organisation is a party (a pledgor) of the draft.
    const coHolder = f.signerOf.originator;
    const assetId = await recordPatent(f, "ZL202110077777.7", [holder, coHolder]);
    const body = application(f, {
      assets: [assetId],
      pledgors: [holder, coHolder],
      reportId: await anchorReport(f, [assetId]),
    });
    const prepared = await f.as("bank-a").post("/pledges/applications", body);
    expect(prepared.status, JSON.stringify(prepared.body)).to.equal(201);
    const { draftId } = prepared.body;
    const signature = await signRequest(holder, requestFor(prepared.body.signers, holder));
    const path = `/pledges/applications/${draftId}`;
    const unknown = {
      read: await f.as("bank-b").get(`/pledges/applications/${UNKNOWN}`),
      sign: await f
        .as("bank-b")
        .post(`/pledges/applications/${UNKNOWN}/signatures`, { signer: holder.address, signature }),
      submit: await f.as("bank-b").post(`/pledges/applications/${UNKNOWN}/submit`),
    };

    for (const outsider of ["bank-b", "auditor", "evaluator"] as Org[]) {
      const read = await f.as(outsider).get(path);
      expect([read.status, read.body], `${outsider} reads`).to.deep.equal([404, notFoundFor(unknown.read, draftId)]);
      const sign = await f.as(outsider).post(`${path}/signatures`, { signer: holder.address, signature });
      expect([sign.status, sign.body], `${outsider} signs`).to.deep.equal([404, notFoundFor(unknown.sign, draftId)]);
      expect(JSON.stringify([read.body, sign.body])).to.not.include(body.debtor);
    }
    const submit = await f.as("bank-b").post(`${path}/submit`);
    expect([submit.status, submit.body]).to.deep.equal([404, notFoundFor(unknown.submit, draftId)]);
    // The outsider's signature was not taken.
    const seen = await f.as("bank-a").get(path);
    expect(seen.body.signers.map((s: { signed: boolean }) => s.signed)).to.deep.equal([false, false, false]);

    // The draft's bank, the organisation of a pledgor, and the registrar see it.
    for (const reader of ["bank-a", "originator", "registration-office"] as Org[]) {
      const read = await f.as(reader).get(path);
      expect([read.status, read.body.terms?.debtor], reader).to.deep.equal([200, body.debtor]);
    }
    const relayed = await f.as("bank-a").post(`${path}/signatures`, { signer: holder.address, signature });
    expect(relayed.status, JSON.stringify(relayed.body)).to.equal(200);
  });

  it("answers an outsider 404 for an originator's licence draft, and its parties and the registrar 200", async () => {
    const f = await openGateway();
    const [patentee] = f.parties;
    const now = Number(f.now);
    const drafted = await f.as("originator").post("/licences/first-licences", {
      assetIds: [`0x${"ab".repeat(32)}`],
      // Bank B's account co-grants the licence: its organisation is a party.
      licensors: [patentee.address, f.signerOf["bank-b"].address],
      exclusive: true,
      subLicensable: true,
      upfrontFee: "500000000",
      startDate: now,
      endDate: now + 5 * YEAR,
      contractHash: `0x${"cd".repeat(32)}`,
    });
    expect(drafted.status, JSON.stringify(drafted.body)).to.equal(201);
    const { draftId } = drafted.body;
    const path = `/licences/drafts/${draftId}`;
    const { typedData } = drafted.body.signers[0];
    const signature = await patentee.signTypedData(typedData.domain, typedData.types, typedData.message);
    const unknown = await f.as("bank-a").get(`/licences/drafts/${UNKNOWN}`);

    for (const outsider of ["bank-a", "auditor", "evaluator"] as Org[]) {
      const read = await f.as(outsider).get(path);
      expect([read.status, read.body], `${outsider} reads`).to.deep.equal([404, notFoundFor(unknown, draftId)]);
      // Signing needs no key (a patentee has none), but only a party's own signature is taken, and only then is
      // the draft answered: an outsider's own signature shows nothing of it.
      const own = await f.as(outsider).post(`${path}/signatures`, { signer: f.signerOf[outsider].address, signature });
      expect(own.status, `${outsider} signs`).to.be.within(400, 499);
      expect(JSON.stringify(own.body)).to.not.include(drafted.body.terms.upfrontFee);
    }
    for (const reader of ["originator", "bank-b", "registration-office"] as Org[]) {
      const read = await f.as(reader).get(path);
      expect([read.status, read.body.draftId], reader).to.deep.equal([200, draftId]);
    }
    const byThePatentee = await request(f.app)
      .post(`/v1${path}/signatures`)
      .send({ signer: patentee.address, signature });
    expect([byThePatentee.status, byThePatentee.body.signers[0].signed]).to.deep.equal([200, true]);
  });
});
