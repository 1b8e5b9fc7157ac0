/**
 * Idempotency that survives the gateway's death (README "Running N gateways"): the request is recorded in progress
 * before it runs, with the hash of its transaction before the transaction is broadcast. A gateway that dies after
 * the transaction is mined and before it recorded (or sent) the answer leaves that record; a retry at another
 * gateway — here another app over the same database — answers from the chain once the dead one's lease has lapsed,
 * and sends nothing again. A gateway that dies before sending anything leaves a key that a retry runs anew.
 *
 * The death is simulated at the database: from the chosen moment on, every call of the dying gateway to its records
 * hangs forever (what was not committed is rolled back), as if its process were gone.
 */
import { expect } from "chai";
import request from "supertest";
import { buildApp } from "../../api/src/server";
import type { RecordStore, RecordTransaction } from "../../api/src/store/records";
import { openGateway, type GatewayFixture } from "./helpers/gatewayFixture";
import { anchorReport, application, preparedAndSigned, recordPatent } from "./helpers/pledgeParties";
import type { ApiDefinition } from "../../api/src/openapi/registry";
import { YEAR } from "../helpers/registryFixture";

const LEASE_MS = 1000;
const never = () => new Promise<never>(() => undefined);

class Died extends Error {}

/**
 * `records` until `dies` says so for a record being written: "before" — that write and its transaction are lost;
 * "after" — it is committed, then the gateway is gone.
 */
function mortal(records: RecordStore, dies: (kind: string, value: unknown) => "before" | "after" | undefined) {
  const state = { dead: false };
  const store: RecordStore = {
    get: (kind, id) => (state.dead ? never() : records.get(kind, id)),
    list: (kind) => (state.dead ? never() : records.list(kind)),
    openDraftsOf: (kind, party) => (state.dead ? never() : records.openDraftsOf(kind, party)),
    put: (kind, id, value) => store.change((tx) => tx.put(kind, id, value)),
    async change(work) {
      if (state.dead) return never();
      let after = false;
      try {
        const result = await records.change((tx) =>
          work({
            get: tx.get,
            put: async (kind, id, value) => {
              const when = dies(kind, value);
              if (when === "before") throw new Died();
              if (when === "after") after = true;
              await tx.put(kind, id, value);
            },
          } satisfies RecordTransaction),
        );
        if (!after) return result;
      } catch (error) {
        if (!(error instanceof Died)) throw error;
      }
      state.dead = true;
      return never();
    },
  };
  return { store, state };
}

async function until(condition: () => boolean | Promise<boolean>, what: string, ms = 30_000) {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("gateway — idempotency survives the gateway's death", () => {
  const appOver = (f: GatewayFixture, records: RecordStore) =>
    buildApp({ ...f.parts, config: { ...f.parts.config, IDEMPOTENCY_LEASE_MS: LEASE_MS }, records, index: f.index });

  async function feePayment(f: GatewayFixture, key: string) {
    const assetId = await recordPatent(f, `ZL2021100${key.length}${Date.now() % 100000}.8`, [f.parties[0]]);
    const paidUntil = new Date(Number(f.now + 2n * YEAR) * 1000).toISOString();
    return Object.assign(
      (app: ReturnType<typeof buildApp>, until = paidUntil) =>
        request(app)
          .post(`/v1/assets/${assetId}/annual-fees`)
          .set("Authorization", `Bearer ${f.keyOf["registration-office"]}`)
          .set("Idempotency-Key", key)
          .send({ paidUntil: until }),
      { assetId },
    );
  }

  /**
   * A gateway that dies while it sends `call` (when its idempotency record is written in `state`, `when` that write),
   * and another gateway over the same database for the retries, which answer `status` once the lease has lapsed.
   */
  async function deathDuring<C extends (app: ReturnType<typeof buildApp>) => request.Test>(
    f: GatewayFixture,
    call: C,
    state: string,
    when: "before" | "after",
    status = 200,
  ) {
    const relayer = await f.registry.relayer.address();
    const sentBefore = await f.registry.provider.getTransactionCount(relayer, "latest");
    const dying = mortal(f.records, (kind, value) =>
      kind === "idempotency" && (value as { state: string }).state === state ? when : undefined,
    );
    const first = { answered: false };
    void call(appOver(f, dying.store)).then(() => (first.answered = true)); // (supertest sends on then)
    await until(() => dying.state.dead, "the first gateway to die");
    const other = appOver(f, f.records);
    /** In progress while the dead gateway's lease lasts; then the retry's answer. */
    const retryOnceLeaseLapsed = async () => {
      let retry = await call(other);
      expect([retry.status, retry.body.error?.code]).to.deep.equal([409, "IDEMPOTENCY_IN_PROGRESS"]);
      await until(async () => (retry = await call(other)).status !== 409, "the lease to lapse", 10 * LEASE_MS);
      expect(retry.status, JSON.stringify(retry.body)).to.equal(status);
      return retry;
    };
    return { relayer, sentBefore, first, other, retryOnceLeaseLapsed };
  }

  /** `deathDuring` an annual fee payment with Idempotency-Key `key`. */
  async function deathWhilePaying(f: GatewayFixture, key: string, state: string, when: "before" | "after") {
    const pay = await feePayment(f, key);
    return { pay, assetId: pay.assetId, ...(await deathDuring(f, pay, state, when)) };
  }

  it("dies after its transaction is mined, before it records the answer: a retry elsewhere answers from the chain, sending nothing", async () => {
    const f = await openGateway();
    const death = await deathWhilePaying(f, "fees-then-death", "done", "before");
    expect(death.first.answered, "the dead gateway answered").to.equal(false);
    // Its transaction was sent once and mined.
    expect(await f.registry.provider.getTransactionCount(death.relayer, "latest")).to.equal(death.sentBefore + 1);
    const block = await f.registry.provider.getBlock("latest", true);
    const mined = block!.prefetchedTransactions.find((tx) => tx.from === death.relayer)!;

    const retry = await death.retryOnceLeaseLapsed();
    expect(retry.headers["idempotent-replayed"]).to.equal("true");
    // The route's own answer (as the OpenAPI document describes it), not the transaction's status.
    expect(retry.body).to.deep.equal({
      assetId: death.assetId,
      proof: { transactionHash: mined.hash, blockNumber: block!.number },
    });

    // From now on that is the key's answer; the same key for another request is still refused.
    const again = await death.pay(death.other);
    expect([again.status, again.body]).to.deep.equal([200, retry.body]);
    const reused = await death.pay(death.other, new Date(Number(f.now + 3n * YEAR) * 1000).toISOString());
    expect([reused.status, reused.body.error?.code]).to.deep.equal([409, "IDEMPOTENCY_KEY_REUSED"]);
    const sent = await f.registry.provider.getTransactionCount(death.relayer, "latest");
    expect(sent, "sent again").to.equal(death.sentBefore + 1);
  });

  it("dies after recording the request, before sending anything: a retry elsewhere runs it, once", async () => {
    const f = await openGateway();
    const death = await deathWhilePaying(f, "death-before-send", "in-progress", "after");
    const retry = await death.retryOnceLeaseLapsed();
    expect(retry.headers["idempotent-replayed"]).to.equal(undefined);
    expect(retry.body.proof.transactionHash).to.be.a("string");
    const replay = await death.pay(death.other);
    expect([replay.status, replay.headers["idempotent-replayed"], replay.body]).to.deep.equal([
      200,
      "true",
      retry.body,
    ]);
    expect(await f.registry.provider.getTransactionCount(death.relayer, "latest")).to.equal(death.sentBefore + 1);
  });

  it("dies after its pledge submission is mined: a retry elsewhere answers the pledge id of its PledgeApplied event", async () => {
    const f = await openGateway();
    const assetId = await recordPatent(f, "ZL202110077777.1", [f.parties[0]]);
    const parts = { assets: [assetId], pledgors: [f.parties[0]], reportId: await anchorReport(f, [assetId]) };
    const draft = await preparedAndSigned(f, application(f, parts), [f.parties[0], f.signerOf["bank-a"]]);
    const submit = (app: ReturnType<typeof buildApp>) =>
      request(app)
        .post(`/v1/pledges/applications/${draft.draftId}/submit`)
        .set("Authorization", `Bearer ${f.keyOf["bank-a"]}`)
        .set("Idempotency-Key", "submit-then-death");
    const death = await deathDuring(f, submit, "done", "before", 201);
    const retry = await death.retryOnceLeaseLapsed();

    // The pledge its mined transaction applied for, read from that receipt here.
    const block = await f.registry.provider.getBlock("latest", true);
    const mined = block!.prefetchedTransactions.find((tx) => tx.from === death.relayer)!;
    const receipt = (await f.registry.provider.getTransactionReceipt(mined.hash))!;
    const applied = receipt.logs
      .map((log) => f.contracts.pledgeRegistry.interface.parseLog(log))
      .find((parsed) => parsed?.name === "PledgeApplied")!;
    const read = await request(f.app)
      .get(`/v1/pledges/${applied.args.pledgeId}`)
      .set("Authorization", `Bearer ${f.keyOf["bank-a"]}`);
    expect(retry.headers["idempotent-replayed"]).to.equal("true");
    expect(retry.body).to.deep.equal({
      pledgeId: applied.args.pledgeId.toString(),
      status: read.body.status,
      proof: { transactionHash: mined.hash, blockNumber: block!.number },
    });
    expect(await f.registry.provider.getTransactionCount(death.relayer, "latest")).to.equal(death.sentBefore + 1);
  });

  it("every write that sends a transaction answers a recovered retry from its receipt, as it answers the first time", async () => {
    const f = await openGateway();
    const api = f.app.locals.api as ApiDefinition;
    // The gateway's writes that relay a transaction (or broadcast a party's), each with its answer from receipts.
    expect([...api.answered].sort()).to.deep.equal(
      [
        "POST /v1/assets",
        ...["annual-fees", "status", "term", "freeze", "invalidation", "holders"].map(
          (step) => `POST /v1/assets/{assetId}/${step}`,
        ),
        "POST /v1/registrar/licensed-lenders",
        "POST /v1/registrar/licensed-lenders/{address}/revoke",
        "POST /v1/registrar/licensed-evaluators",
        "POST /v1/registrar/licensed-evaluators/{address}/revoke",
        "POST /v1/investors",
        "POST /v1/investors/{address}/remove",
        "POST /v1/pledges-policy/instant-registration",
        "POST /v1/pledges/applications/{draftId}/submit",
        "POST /v1/pledges/{pledgeId}/register",
        "POST /v1/pledges/{pledgeId}/refuse",
        ...["release", "default", "disposal", "change", "withdrawal"].map(
          (step) => `POST /v1/pledges/{pledgeId}/${step}`,
        ),
        "POST /v1/valuations",
        "POST /v1/valuations/batches/{root}/signature",
        "POST /v1/valuations/{documentHash}/materialise",
        "POST /v1/valuations/{documentHash}/revoke",
        "POST /v1/pools/{pool}/instalments/{licenceId}/{index}/default",
        "POST /v1/transactions",
      ].sort(),
    );
  });
});
