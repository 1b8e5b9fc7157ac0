/**
 * A client that gives up on a write (a timeout, a dropped connection) and retries with the same Idempotency-Key must
 * never have the write executed twice: the first request goes on to its end, a retry meanwhile is told it is still
 * in progress, and a retry afterwards gets the first answer back.
 */
import { expect } from "chai";
import { createServer, request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";
import request from "supertest";
import { openGateway } from "./helpers/gatewayFixture";
import { recordPatent } from "./helpers/pledgeParties";

const YEAR = 365 * 86_400;

/** A gate the relayer waits at before sending, so that a request can be caught in the middle. */
function gateRelayer(relayer: { send: (...args: any[]) => Promise<any> }) {
  let open!: () => void;
  let reached!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  const arrived = new Promise<void>((resolve) => (reached = resolve));
  const send = relayer.send.bind(relayer);
  let calls = 0;
  relayer.send = async (...args: any[]) => {
    calls++;
    reached();
    await gate;
    return send(...args);
  };
  return { open, arrived, calls: () => calls };
}

const within = <T>(ms: number, promise: Promise<T>) =>
  Promise.race([promise, new Promise<"still waiting">((resolve) => setTimeout(() => resolve("still waiting"), ms))]);

describe("gateway — idempotency survives a client that disconnects", () => {
  it("keeps the key in progress until the write ends, then replays it: exactly one transaction", async () => {
    const f = await openGateway();
    const assetId = await recordPatent(f, "ZL202110088888.8", [f.parties[0]]);
    const relayerAddress = await f.registry.relayer.address();
    const noncesBefore = await f.registry.provider.getTransactionCount(relayerAddress, "latest");
    const gate = gateRelayer(f.registry.relayer);
    const server = createServer(f.app);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    const path = `/v1/assets/${assetId}/annual-fees`;
    const body = JSON.stringify({ paidUntil: new Date((Number(f.now) + 2 * YEAR) * 1000).toISOString() });
    const headers = {
      authorization: `Bearer ${f.keyOf["registration-office"]}`,
      "content-type": "application/json",
      "idempotency-key": "office-fees-0001",
    };
    const retry = () => request(server).post(path).set(headers).send(body);

    try {
      // The first attempt reaches the relayer; the client gives up and drops the connection.
      const first = httpRequest({ port, host: "127.0.0.1", method: "POST", path, headers });
      first.on("error", () => undefined);
      first.end(body);
      await gate.arrived;
      first.destroy();
      await new Promise((resolve) => setTimeout(resolve, 50));

      // Retried while the first is still running: 409, and nothing is sent again.
      const meanwhile = await within(2_000, retry());
      expect(meanwhile, "the retry ran the write again (it waits at the relayer)").to.not.equal("still waiting");
      const refused = meanwhile as Exclude<typeof meanwhile, string>;
      expect([refused.status, refused.body.error?.code]).to.deep.equal([409, "IDEMPOTENCY_IN_PROGRESS"]);

      // The first attempt ends; a retry now gets its answer back.
      gate.open();
      let replay = await retry();
      for (let i = 0; i < 50 && replay.status === 409; i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        replay = await retry();
      }
      expect(replay.status, JSON.stringify(replay.body)).to.equal(200);
      expect(replay.headers["idempotent-replayed"]).to.equal("true");
      expect(replay.body.assetId).to.equal(assetId);
      const tx = await f.registry.provider.getTransaction(replay.body.proof.transactionHash);
      expect(tx?.from).to.equal(relayerAddress);

      expect(gate.calls(), "the relayer was asked once").to.equal(1);
      expect(await f.registry.provider.getTransactionCount(relayerAddress, "latest")).to.equal(noncesBefore + 1);
    } finally {
      gate.open();
      server.closeAllConnections();
      server.close();
    }
  });
});
