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
import { recordPatent } from "./helpers/pledgeParties";
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
    return (app: ReturnType<typeof buildApp>, until = paidUntil) =>
      request(app)
        .post(`/v1/assets/${assetId}/annual-fees`)
        .set("Authorization", `Bearer ${f.keyOf["registration-office"]}`)
        .set("Idempotency-Key", key)
        .send({ paidUntil: until });
  }

  /**
   * A gateway that dies while it pays an asset's annual fee with Idempotency-Key `key` (when its idempotency record
   * is written in `state`, `when` that write), and another gateway over the same database for the retries.
   */
  async function deathWhilePaying(f: GatewayFixture, key: string, state: string, when: "before" | "after") {
    const pay = await feePayment(f, key);
    const relayer = await f.registry.relayer.address();
    const sentBefore = await f.registry.provider.getTransactionCount(relayer, "latest");
    const dying = mortal(f.records, (kind, value) =>
      kind === "idempotency" && (value as { state: string }).state === state ? when : undefined,
    );
    const first = { answered: false };
    void pay(appOver(f, dying.store)).then(() => (first.answered = true)); // (supertest sends on then)
    await until(() => dying.state.dead, "the first gateway to die");
    const other = appOver(f, f.records);
    /** In progress while the dead gateway's lease lasts; then the retry's answer. */
    const retryOnceLeaseLapsed = async () => {
      let retry = await pay(other);
      expect([retry.status, retry.body.error?.code]).to.deep.equal([409, "IDEMPOTENCY_IN_PROGRESS"]);
      await until(async () => (retry = await pay(other)).status !== 409, "the lease to lapse", 10 * LEASE_MS);
      expect(retry.status, JSON.stringify(retry.body)).to.equal(200);
      return retry;
    };
    return { pay, relayer, sentBefore, first, other, retryOnceLeaseLapsed };
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
    expect(retry.body).to.deep.include({
      status: "CONFIRMED",
      transactionHash: mined.hash,
      blockNumber: block!.number,
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
});
