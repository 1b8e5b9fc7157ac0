/**
 * Nothing half-written is visible (issue 9): a write of the gateway made of a transaction and a record is cut between
 * its steps, as kill -9 would cut it, and the gateway completes it or reports it with a clear state — never drops it
 * silently. (test/api/store/halfWritten.test.ts does the same for the records alone; the crash test kills `npm start`.)
 */
import { expect } from "chai";
import { network } from "hardhat";
import request from "supertest";
import { sha256 } from "ethers";
import { consentsOf, type PledgeDraft } from "../../api/src/routes/pledges/service";
import { openGateway } from "./helpers/gatewayFixture";
import { anchorReport, application, preparedAndSigned, recordPatent } from "./helpers/pledgeParties";
import { expectStatus, openPoolGateway, smallPoolDeployment, walletOf } from "./helpers/poolParties";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("gateway — a multi-step write cut between its steps", () => {
  it("a submission the register took whose draft was not saved: the draft says so, and it is not submitted twice", async () => {
    const f = await openGateway();
    const assetId = await recordPatent(f, "ZL202110099999.1", [f.parties[0]]);
    const reportId = await anchorReport(f, [assetId]);
    const bank = f.signerOf["bank-a"];
    const draft = await preparedAndSigned(
      f,
      application(f, { assets: [assetId], pledgors: [f.parties[0]], reportId }),
      [f.parties[0], bank],
    );
    // The gateway's transaction was mined, then the gateway died before saving the draft: the chain has the
    // submission, the draft on disk does not. (Sent here by the bank itself: the same call, the same consents.)
    const stored = (await f.records.get<PledgeDraft>("pledge-drafts", draft.draftId))!;
    expect(stored.submitted).to.equal(undefined);
    const p = f.contracts.pledgeRegistry;
    const receipt = await (await p.connect(bank).submitApplication(stored.terms, ...consentsOf(stored))).wait();
    const applied = receipt!.logs.map((l) => p.interface.parseLog(l)).find((e) => e?.name === "PledgeApplied")!;
    const pledgeId = applied.args.pledgeId.toString();

    const read = await f.as("bank-a").get(`/pledges/applications/${draft.draftId}`);
    expectStatus(read, 200);
    expect(read.body.pledgeId).to.equal(pledgeId);
    const again = await f.as("bank-a").post(`/pledges/applications/${draft.draftId}/submit`);
    expectStatus(again, 409);
    expect(again.body.error).to.deep.include({ code: "DRAFT_ALREADY_SUBMITTED", details: { pledgeId } });
    // Completed in the gateway's records too, with the transaction that applied it.
    const saved = (await f.records.get<PledgeDraft>("pledge-drafts", draft.draftId))!;
    expect(saved.submitted).to.deep.equal({
      pledgeId,
      transactionHash: receipt!.hash,
      blockNumber: receipt!.blockNumber,
    });
  });

  it("a pool's creation is known to the gateway from before it is sent, and listed as not deployed until mined", async () => {
    const f = await openPoolGateway();
    const body = await smallPoolDeployment(f);
    const prepared = await f.as("originator").post("/pools/prepare-deployment", body);
    expectStatus(prepared, 200);
    const wallet = await walletOf(f.people.originator);
    const signedTransaction = await wallet.signTransaction(prepared.body.steps[0].transaction);
    const pool = prepared.body.poolAddress as string;
    const listed = async () =>
      ((await f.as("auditor").get("/pools")).body.pools as { pool: string; status: string | null }[]).find(
        (p) => p.pool === pool,
      );
    expect(await listed()).to.equal(undefined);

    await network.provider.send("evm_setAutomine", [false]);
    try {
      const sent = request(f.app)
        .post("/v1/transactions")
        .set("Authorization", `Bearer ${f.keyOf.originator}`)
        .send({ signedTransaction })
        .then((res) => res);
      // The creation waits in the pool: a gateway killed now must still know the pool, as not deployed yet.
      while (((await network.provider.send("eth_pendingTransactions", [])) as unknown[]).length === 0) await sleep(20);
      expect(await listed()).to.deep.include({ pool, status: null });
      await network.provider.send("evm_mine", []);
      const res = await sent;
      expectStatus(res, 201);
      expect(res.body.contractAddress).to.equal(pool);
    } finally {
      await network.provider.send("evm_setAutomine", [true]);
    }
    expect(await listed()).to.deep.include({ pool, status: "Subscription" });
  });

  it("a stored document says whether it is anchored, or stored only", async () => {
    const f = await openGateway();
    const bytes = Buffer.from(`valuation report ${Date.now()}`);
    const upload = await request(f.app)
      .post("/v1/documents")
      .set("Authorization", `Bearer ${f.keyOf.evaluator}`)
      .set("content-type", "text/plain")
      .send(bytes);
    expectStatus(upload, 201);
    const documentHash = sha256(bytes);
    const state = async () => (await f.as("bank-a").get(`/documents/${documentHash}/anchoring`)).body;
    expect(await state()).to.deep.equal({ documentHash, state: "stored", batchRoot: null, proof: null });

    const assetId = await recordPatent(f, "ZL202110099999.2", [f.parties[0]]);
    // Anchored (by the evaluator's own wallet here: the register is what counts, whoever relayed it).
    await anchorReport(f, [assetId], bytes.toString());
    const [log] = await f.contracts.valuationRegistry.queryFilter(
      f.contracts.valuationRegistry.filters.ReportAnchored(documentHash),
    );
    expect(await state()).to.deep.equal({
      documentHash,
      state: "anchored",
      batchRoot: null,
      proof: { transactionHash: log.transactionHash, blockNumber: log.blockNumber },
    });
    const unknown = await f.as("bank-a").get(`/documents/0x${"cd".repeat(32)}/anchoring`);
    expect([unknown.status, unknown.body.error.code]).to.deep.equal([404, "NOT_FOUND"]);
  });
});
