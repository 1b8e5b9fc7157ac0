/**
 * Several writes in flight (issue 9): the relayer assigns nonces itself under a short lock and waits for receipts
 * outside it. Ten clients writing at once through the API, on a chain that automines with blocks sharing a second
 * (the embedded chain of `npm start`) and on one that mines every 200 ms (several transactions per block): every write
 * succeeds, the relayer's nonces are contiguous and each used once. Simulation is against the pending state, so a write
 * that conflicts with one not mined yet is refused before anything is sent. RELAYER_MAX_IN_FLIGHT=1 keeps one
 * transaction at a time.
 */
import { expect } from "chai";
import { mineEvery, openStandaloneGateway } from "./helpers/standaloneChain";
import { patentIdOf } from "./helpers/walletRelayer";

const CLIENTS = 10;
const WRITES_PER_CLIENT = 3;
const YEAR = 365 * 86_400;

const iso = (seconds: bigint) => new Date(Number(seconds) * 1000).toISOString();

type Gateway = Awaited<ReturnType<typeof openStandaloneGateway>>;

function patent(g: Gateway, officialNumber: string) {
  return {
    kind: "InventionPatent",
    officialNumber,
    holders: [{ address: g.holder, shareBps: 10_000 }],
    grantDate: iso(g.now - 2n * BigInt(YEAR)),
    expiryDate: iso(g.now + 15n * BigInt(YEAR)),
    feesPaidUntil: iso(g.now + BigInt(YEAR)),
  };
}

/** The relayer's mined transactions from `fromBlock` on: their nonces in block order, and how many per block. */
async function relayerTransactions(g: Gateway, fromBlock: number) {
  const nonces: number[] = [];
  const perBlock: number[] = [];
  const head = await g.rpc.getBlockNumber();
  for (let n = fromBlock; n <= head; n++) {
    const block = await g.rpc.getBlock(n, true);
    const mine = block!.prefetchedTransactions.filter((tx) => tx.from === g.relayerAddress);
    nonces.push(...mine.map((tx) => tx.nonce));
    if (mine.length > 0) perBlock.push(mine.length);
  }
  return { nonces, perBlock };
}

/** CLIENTS clients, each recording WRITES_PER_CLIENT patents one after another, all at once. */
async function tenClients(g: Gateway, label: string) {
  const office = g.as("registration-office");
  const numbers = Array.from({ length: CLIENTS }, (_, c) =>
    Array.from({ length: WRITES_PER_CLIENT }, (_, w) => `ZL2026${label}${c}${w}.1`),
  );
  const answers = await Promise.all(
    numbers.map(async (mine) => {
      const results = [];
      for (const number of mine) results.push(await office.post("/assets", patent(g, number)));
      return results;
    }),
  );
  return { numbers: numbers.flat(), answers: answers.flat() };
}

async function expectAllRecorded(g: Gateway, label: string, maxPerBlock?: number) {
  const firstNonce = await g.rpc.getTransactionCount(g.relayerAddress, "latest");
  const fromBlock = (await g.rpc.getBlockNumber()) + 1;
  const { numbers, answers } = await tenClients(g, label);
  for (const res of answers) expect(res.status, JSON.stringify(res.body)).to.equal(201);
  const hashes = answers.map((res) => res.body.proof.transactionHash);
  expect(new Set(hashes).size).to.equal(numbers.length);
  for (const number of numbers) {
    expect(await g.contracts.assetRegister.officialNumberOf(patentIdOf(number)), number).to.equal(number);
  }
  const { nonces, perBlock } = await relayerTransactions(g, fromBlock);
  expect(nonces, "one transaction per write, nonces contiguous").to.deep.equal(numbers.map((_, i) => firstNonce + i));
  if (maxPerBlock !== undefined) expect(Math.max(...perBlock)).to.be.at.most(maxPerBlock);
  return perBlock;
}

describe("relayer — several writes in flight", function () {
  this.timeout(180_000);
  let g: Gateway | undefined;

  afterEach(async () => {
    await g?.close();
    g = undefined;
  });

  it("ten clients at once on an automining chain whose blocks share a second: all recorded, nonces contiguous", async () => {
    g = await openStandaloneGateway({ sameTimestamp: true });
    await expectAllRecorded(g, "AUTO");
  });

  it("ten clients at once on a chain mining every 200 ms: several transactions share a block", async () => {
    g = await openStandaloneGateway();
    const mining = mineEvery(g.send, 200);
    try {
      const perBlock = await expectAllRecorded(g, "INTV");
      expect(Math.max(...perBlock), "several of the relayer's transactions in one block").to.be.at.least(2);
    } finally {
      await mining.stop();
    }
  });

  it("simulates against the pending state: a write that conflicts with one not mined yet is refused, not sent", async () => {
    g = await openStandaloneGateway();
    const before = await g.rpc.getTransactionCount(g.relayerAddress, "latest");
    const mining = mineEvery(g.send, 500);
    try {
      const office = g.as("registration-office");
      const [first, second] = await Promise.all([
        office.post("/assets", patent(g, "ZL2026TWICE.1")),
        new Promise((resolve) => setTimeout(resolve, 100)).then(() =>
          office.post("/assets", patent(g!, "ZL2026TWICE.1")),
        ),
      ]);
      expect(first.status, JSON.stringify(first.body)).to.equal(201);
      expect(second.status, JSON.stringify(second.body)).to.equal(422);
      expect(second.body.error.code).to.not.equal("TRANSACTION_REVERTED");
    } finally {
      await mining.stop();
    }
    expect(await g.rpc.getTransactionCount(g.relayerAddress, "latest"), "the refused write was sent").to.equal(
      before + 1,
    );
  });

  it("RELAYER_MAX_IN_FLIGHT=1 keeps one transaction at a time: never two of the relayer's in one block", async () => {
    g = await openStandaloneGateway({ maxInFlight: 1 });
    const mining = mineEvery(g.send, 100);
    try {
      await expectAllRecorded(g, "SER", 1);
    } finally {
      await mining.stop();
    }
  });
});
