/**
 * What a party without an API key may do, and nothing more: broadcast a transaction the gateway prepared for it
 * (exactly that call, signed by exactly that party, once), add its own missing signature to a licence draft, and on
 * the demo chain only, ask the faucet for test money. Every hostile request is answered 4xx and sends nothing.
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import request from "supertest";
import { KEYLESS_MAX_BODY_BYTES, KEYLESS_REQUESTS_PER_MINUTE } from "../../api/src/routes/keyless/router";
import { INSTALMENT, GUARANTEE_CAP, expectStatus, openPoolGateway, walletOf } from "./helpers/poolParties";
import { iso, docHash, recordPatent, YEAR } from "./helpers/pledgeParties";
import { TestStablecoin__factory } from "../../typechain-types";
import { openDemoGateway, sentBy, signAltered, signPrepared, type PreparedStep } from "./helpers/demoGateway";

type PoolGateway = Awaited<ReturnType<typeof openPoolGateway>>;

/** The originator, servicing the pool, prepares the licensee's payment of instalment 1: approve, then pay. */
async function preparedPayment(f: PoolGateway) {
  const prepared = await f.as("originator").post(`/pools/${f.poolAddress}/prepare/pay-instalment`, {
    from: f.people.licensee.address,
    licenceId: f.licences.subLicenceId.toString(),
    index: 1,
    amount: INSTALMENT.toString(),
  });
  expectStatus(prepared, 200);
  return prepared.body.steps as PreparedStep[];
}

const keyless = (f: { app: Parameters<typeof request>[0] }, signedTransaction: string) =>
  request(f.app).post("/v1/transactions/prepared").send({ signedTransaction });

const refusedAs = (res: { status: number; body: any }, status: number, code: string) => {
  expectStatus(res, status);
  expect(res.body.error.code).to.equal(code);
};

describe("keyless broadcast: only a transaction the gateway prepared, for its signer, once", () => {
  it("broadcasts the party's prepared steps without a key, and refuses the same bytes a second time", async () => {
    const f = await openPoolGateway();
    const licensee = await walletOf(f.people.licensee);
    const [approve, pay] = await preparedPayment(f);
    const signedApprove = await signPrepared(licensee, approve);

    const sent = await keyless(f, signedApprove);
    expectStatus(sent, 201);
    expect(sent.body.from).to.equal(licensee.address);
    const before = await sentBy(licensee.address);
    refusedAs(await keyless(f, signedApprove), 403, "TRANSACTION_NOT_PREPARED");
    expect(await sentBy(licensee.address), "the replay was not sent").to.equal(before);

    const paid = await keyless(f, await signPrepared(licensee, pay));
    expectStatus(paid, 201);
    expect(paid.body.events.map((e: { event: string }) => e.event)).to.include("InstalmentPaid");
  });

  it("refuses another target, other calldata, another value, another signer and a creation, sending nothing", async () => {
    const f = await openPoolGateway();
    const licensee = await walletOf(f.people.licensee);
    const outsider = await walletOf(f.people.outsider);
    const [approve] = await preparedPayment(f);
    const coin = f.coin.interface;
    const hostile = {
      // the same approval sent to the pool (a target the gateway knows) instead of the token
      "another target": await signAltered(licensee, approve, { to: f.poolAddress }),
      // an approval of the outsider instead of the pool
      "other calldata": await signAltered(licensee, approve, {
        data: coin.encodeFunctionData("approve", [outsider.address, INSTALMENT]),
      }),
      "another value": await signAltered(licensee, approve, { value: 1n }),
      // the outsider signs the licensee's prepared transaction as its own
      "another signer": await signAltered(outsider, approve, {}),
      // a contract creation (only an organisation may broadcast one, and only a pool's)
      "a creation": await signAltered(licensee, approve, { to: null, data: "0x6000" }),
    };
    const counts = async () => [await sentBy(licensee.address), await sentBy(outsider.address)];
    const before = await counts();
    for (const [what, signed] of Object.entries(hostile)) {
      const res = await keyless(f, signed);
      expect(res.status, `${what}: ${JSON.stringify(res.body)}`).to.equal(403);
      expect(res.body.error, what).to.include({ code: "TRANSACTION_NOT_PREPARED", field: "signedTransaction" });
    }
    refusedAs(await keyless(f, await signAltered(licensee, approve, { chainId: 1n })), 400, "CHAIN_ID_MISMATCH");
    expect(await counts(), "nothing was sent").to.deep.equal(before);
    // None of it used up the genuine transaction.
    expectStatus(await keyless(f, await signPrepared(licensee, approve)), 201);
  });

  it("gives a prepared transaction back when the chain refuses it before sending", async () => {
    const f = await openPoolGateway();
    const licensee = await walletOf(f.people.licensee);
    const [approve, pay] = await preparedPayment(f);
    // Paying before approving: the simulation fails on the missing allowance, nothing is sent.
    const early = await keyless(f, await signAltered(licensee, pay, { nonce: approve.transaction.nonce }));
    expect(early.status, JSON.stringify(early.body)).to.equal(422);
    expectStatus(await keyless(f, await signPrepared(licensee, approve)), 201);
    expectStatus(await keyless(f, await signPrepared(licensee, pay)), 201);
  });

  it("forgets a prepared transaction once an organisation has broadcast it with its key", async () => {
    const f = await openPoolGateway();
    const licensee = await walletOf(f.people.licensee);
    const [approve] = await preparedPayment(f);
    const signed = await signPrepared(licensee, approve);
    expectStatus(await f.as("originator").post("/transactions", { signedTransaction: signed }), 201);
    const before = await sentBy(licensee.address);
    refusedAs(await keyless(f, signed), 403, "TRANSACTION_NOT_PREPARED");
    expect(await sentBy(licensee.address)).to.equal(before);
  });

  it("reads at most a small body and limits requests per client address", async () => {
    const f = await openPoolGateway();
    const big = `0x${"00".repeat(KEYLESS_MAX_BODY_BYTES)}`;
    refusedAs(await keyless(f, big), 413, "PAYLOAD_TOO_LARGE");
    const answers = [];
    for (let i = 0; i < KEYLESS_REQUESTS_PER_MINUTE; i++) answers.push((await keyless(f, "0x12")).status);
    expect(answers.filter((s) => s === 429)).to.have.length(1, "the 61st request in the minute, counting the 413");
    refusedAs(await keyless(f, "0x12"), 429, "RATE_LIMITED");
    // The organisations' routes are not counted against it.
    expectStatus(await f.as("auditor").get(`/pools/${f.poolAddress}`), 200);
  });
});

describe("keyless signatures on a licence draft", () => {
  it("takes a party's own missing signature without a key, once; refuses a forged one and a stranger", async () => {
    const f = await openPoolGateway();
    const { patentee, licensee, outsider } = f.people;
    const assetId = await recordPatent(f, "ZL202310099999.9", [patentee]);
    const draft = await f.as("originator").post("/licences/first-licences", {
      assetIds: [assetId],
      licensors: [patentee.address],
      exclusive: false,
      subLicensable: false,
      upfrontFee: "1000",
      startDate: iso(f.now),
      endDate: iso(f.now + BigInt(YEAR)),
      contractHash: docHash("a plain licence"),
    });
    expectStatus(draft, 201);
    const { typedData } = draft.body.signers[0];
    const signAs = async (signer: typeof patentee) =>
      (await walletOf(signer)).signTypedData(typedData.domain, typedData.types, typedData.message);
    const post = (signer: string, signature: string) =>
      request(f.app).post(`/v1/licences/drafts/${draft.body.draftId}/signatures`).send({ signer, signature });

    refusedAs(await post(patentee.address, await signAs(licensee)), 422, "SIGNATURE_INVALID");
    refusedAs(await post(outsider.address, await signAs(outsider)), 400, "VALIDATION_FAILED");
    const genuine = await signAs(patentee);
    const signed = await post(patentee.address, genuine);
    expectStatus(signed, 200);
    expect(signed.body.complete).to.equal(true);
    refusedAs(await post(patentee.address, genuine), 409, "SIGNATURE_ALREADY_GIVEN");
  });
});

describe("the guarantor's advance authorisation", () => {
  it("is prepared for the pool's guarantor only, for its whole cap", async () => {
    const f = await openPoolGateway();
    const path = `/pools/${f.poolAddress}/prepare/authorise-guarantee`;
    const stranger = await f.as("originator").post(path, { from: f.people.outsider.address });
    expectStatus(stranger, 400);
    expect(stranger.body.error).to.include({ code: "VALIDATION_FAILED", field: "from" });

    const prepared = await f.as("originator").post(path, { from: f.people.guarantor.address });
    expectStatus(prepared, 200);
    const [step] = prepared.body.steps as PreparedStep[];
    expect(step.transaction.to).to.equal(await f.coin.getAddress());
    expect(step.transaction.data).to.equal(
      f.coin.interface.encodeFunctionData("approve", [f.poolAddress, GUARANTEE_CAP]),
    );
    expectStatus(await keyless(f, await signPrepared(await walletOf(f.people.guarantor), step)), 201);
    expect(await f.coin.allowance(f.people.guarantor.address, f.poolAddress)).to.equal(GUARANTEE_CAP);
  });
});

describe("the demo faucet", () => {
  it("funds a fresh wallet with test money and gas, and refuses more than its cap", async () => {
    const g = await openDemoGateway();
    const wallet = ethers.Wallet.createRandom();
    const info = await g.http().get("/demo/faucet");
    expectStatus(info, 200);
    const cap = BigInt(info.body.maxAmount);
    expect(cap).to.equal(10_000_000_000n); // 100,000,000.00 tCNY

    const tooMuch = await g.http().post("/demo/faucet", { address: wallet.address, amount: (cap + 1n).toString() });
    expectStatus(tooMuch, 400);
    expect(tooMuch.body.error).to.include({ code: "VALIDATION_FAILED", field: "amount" });
    expect(await ethers.provider.getBalance(wallet.address)).to.equal(0n);

    const first = await g.http().post("/demo/faucet", { address: wallet.address, amount: cap.toString() });
    expectStatus(first, 201);
    expect(first.body).to.include({
      minted: cap.toString(),
      balance: cap.toString(),
      gasSent: (10n ** 18n).toString(),
    });
    const again = await g.http().post("/demo/faucet", { address: wallet.address, amount: "1" });
    expect(again.body).to.include({ balance: (cap + 1n).toString(), gasSent: "0" });
  });

  it("takes Idempotency-Key: a retried request mints once and gets the first answer back", async () => {
    const g = await openDemoGateway();
    const wallet = ethers.Wallet.createRandom();
    const faucet = (key: string, amount: string) =>
      request(g.app).post("/v1/demo/faucet").set("Idempotency-Key", key).send({ address: wallet.address, amount });
    const relayer = await g.registry.relayer.address();
    const sentBefore = await sentBy(relayer);

    const first = await faucet("faucet-retry-1", "500");
    expectStatus(first, 201);
    const retry = await faucet("faucet-retry-1", "500");
    expectStatus(retry, 201);
    expect(retry.headers["idempotent-replayed"]).to.equal("true");
    expect(retry.body).to.deep.equal(first.body);
    expect(await g.registry.provider.getTransactionCount(relayer, "pending"), "gas and one mint").to.equal(
      sentBefore + 2,
    );
    const coin = TestStablecoin__factory.connect(g.stablecoin, ethers.provider);
    expect(await coin.balanceOf(wallet.address)).to.equal(500n);

    // The same key for another amount is refused; another key mints again.
    const reused = await faucet("faucet-retry-1", "7");
    expect([reused.status, reused.body.error?.code]).to.deep.equal([409, "IDEMPOTENCY_KEY_REUSED"]);
    expectStatus(await faucet("faucet-retry-2", "7"), 201);
    expect(await coin.balanceOf(wallet.address)).to.equal(507n);
  });

  it("does not exist on a gateway that was not started on the embedded demo chain", async () => {
    const g = await openDemoGateway({ demo: false });
    const wallet = ethers.Wallet.createRandom();
    const funding = { address: wallet.address, amount: "1" };
    // Without a key it is one more protected path (401); with one, there is no such route.
    expectStatus(await g.http().post("/demo/faucet", funding), 401);
    expectStatus(await g.http(g.keyOf.auditor).get("/demo/faucet"), 404);
    expectStatus(await g.http(g.keyOf.auditor).post("/demo/faucet", funding), 404);
    expect(await ethers.provider.getBalance(wallet.address)).to.equal(0n);
    const doc = (await g.http().get("/openapi.json")).body;
    expect(Object.keys(doc.paths).filter((p) => p.startsWith("/v1/demo"))).to.deep.equal([]);
  });
});

describe("the OpenAPI document of keyless routes", () => {
  it("marks the keyless routes as needing no key, and sends no reader to a source file", async () => {
    const g = await openDemoGateway();
    const doc = (await g.http().get("/openapi.json")).body;
    for (const [path, method] of [
      ["/v1/transactions/prepared", "post"],
      ["/v1/licences/drafts/{draftId}/signatures", "post"],
      ["/v1/demo/faucet", "post"],
    ]) {
      expect(doc.paths[path]?.[method]?.security, path).to.deep.equal([]);
    }
    expect(doc.paths["/v1/transactions"].post.security).to.deep.equal([{ apiKey: [] }]);
    const sourceFile = /\b[\w./-]+\.(ts|sol|js)\b/;
    const offending: string[] = [];
    const visit = (node: unknown, where: string) => {
      if (Array.isArray(node)) node.forEach((v, i) => visit(v, `${where}[${i}]`));
      else if (node && typeof node === "object") {
        for (const [k, v] of Object.entries(node)) {
          if ((k === "description" || k === "summary") && typeof v === "string" && sourceFile.test(v)) {
            offending.push(`${where}.${k}: ${v}`);
          } else visit(v, `${where}.${k}`);
        }
      }
    };
    visit(doc, "");
    expect(offending).to.deep.equal([]);
  });
});
