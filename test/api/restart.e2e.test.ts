/**
 * `npm start` keeps its register across stops of every kind (issue 9): Ctrl-C, SIGTERM, kill -9 of the whole process
 * group, kill -9 of the chain alone, kill -9 of npm start (the gateway) alone. Before the first stop the test records, over HTTP, an asset, a valuation report,
 * a registered pledge (applied, signed by both parties, submitted, registered), an open draft and an idempotent
 * write; after each restart everything is there with the same ids, transaction hashes, block numbers and block
 * hashes, the report still verifies, the same API keys work, the idempotent retry is answered from its record
 * without a second transaction, and a new write carries the wall clock's time. The chain is anvil: a graceful stop
 * leaves a checkpoint of everything (nothing to replay), a kill -9 leaves the journal's tail after the newest
 * checkpoint to replay, and a damaged newest checkpoint is passed over for the older one.
 */
import { expect } from "chai";
import { readFileSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { HDNodeWallet, JsonRpcProvider, Mnemonic, Wallet } from "ethers";
import { signTypedDataRequest, type TypedDataRequest } from "../../scripts/lib/partySigning";
import { START_TIMEOUT, client, interrupt, patent, printedKeys as keysOf, startMainJob } from "./helpers/mainJob";
import { RunningProcess, chainAnswers, freePort } from "./helpers/processes";
import { checkpointPaths } from "../../scripts/lib/chainCheckpoint";

const YEAR = 365 * 86_400;
const iso = (seconds: number) => new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
const devKey = (i: number) =>
  HDNodeWallet.fromMnemonic(
    Mnemonic.fromPhrase("test test test test test test test test test test test junk"),
    `m/44'/60'/0'/0/${i}`,
  ).privateKey;

type Client = ReturnType<typeof client>;

/** The API key printed for each of the six demo organisations. */
function printedKeys(job: RunningProcess): Record<string, string> {
  const keys = keysOf(job);
  expect(Object.keys(keys), job.output()).to.have.length(6);
  return keys;
}

const ok = (answer: { status: number; body: unknown }, status = 201) => {
  expect(answer.status, JSON.stringify(answer.body)).to.equal(status);
  return answer.body as Record<string, any>;
};

/** What was acknowledged before the first stop, as the test saw it. */
interface History {
  keys: Record<string, string>;
  asset: { assetId: string; transactionHash: string; blockNumber: number; blockHash: string };
  report: { bytes: string; documentHash: string; transactionHash: string; blockNumber: number };
  pledge: { pledgeId: string; transactionHash: string; blockNumber: number };
  draftId: string;
  idempotent: { key: string; body: object; answer: Record<string, any> };
  /** Assets recorded after each restart, with the block each went into. */
  later: { assetId: string; transactionHash: string; blockNumber: number }[];
}

async function recordHistory(base: string, keys: Record<string, string>, rpc: JsonRpcProvider): Promise<History> {
  const [office, evaluator, bank] = [keys["registration-office"], keys.evaluator, keys["bank-a"]].map((k) =>
    client(base, k),
  );
  const patentee = Wallet.createRandom();
  const recorded = ok(await office.post("/assets", patent(`ZL2026RESTART.${Date.now()}`, patentee.address)));
  const assetBlock = (await rpc.getBlock(recorded.proof.blockNumber))!;

  const now = Math.floor(Date.now() / 1000);
  const bytes = `Valuation of ${recorded.assetId}: 25,000,000.00 CNY, ${iso(now)}`;
  const uploaded = await fetch(`${base}/v1/documents`, {
    method: "POST",
    headers: { authorization: `Bearer ${keys.evaluator}`, "content-type": "text/plain" },
    body: bytes,
  });
  const { documentHash } = (await uploaded.json()) as { documentHash: string };
  const td = ok(
    await evaluator.post("/valuations/typed-data", {
      documentHash,
      assetIds: [recorded.assetId],
      value: "2500000000",
      currency: "CNY",
      method: "Income",
      valuationDate: iso(now - 86_400),
      validUntil: iso(now + YEAR),
    }),
    200,
  );
  const anchored = ok(
    await evaluator.post("/valuations", {
      report: td.report,
      signature: await signTypedDataRequest(devKey(4), td.typedData as TypedDataRequest),
      nonce: td.typedData.message.nonce,
      deadline: td.typedData.message.deadline,
    }),
  );

  const application = {
    assets: [recorded.assetId],
    pledgors: [patentee.address],
    debtor: "91440101MA5CXYZ12K",
    principal: "1000000000",
    currency: "CNY",
    startDate: iso(now),
    maturityDate: iso(now + YEAR),
    contractHash: documentHash,
    valuationReportId: documentHash,
    forfeitureClause: false,
    invalidationAcknowledged: false,
  };
  const draft = ok(await bank.post("/pledges/applications", application));
  for (const signer of draft.signers as { address: string; role: string; typedData: TypedDataRequest }[]) {
    const key = signer.role === "pledgee" ? devKey(2) : patentee.privateKey;
    ok(
      await bank.post(`/pledges/applications/${draft.draftId}/signatures`, {
        signer: signer.address,
        signature: await signTypedDataRequest(key, signer.typedData),
      }),
      200,
    );
  }
  const submitted = ok(await bank.post(`/pledges/applications/${draft.draftId}/submit`, {}));
  const registered = ok(await office.post(`/pledges/${submitted.pledgeId}/register`, {}), 200);
  // A second application, left open: a draft kept by the gateway alone.
  const open = ok(await bank.post("/pledges/applications", application));

  const idempotentBody = patent(`ZL2026IDEM.${Date.now()}`, Wallet.createRandom().address);
  const key = `restart-${Date.now()}`;
  const answer = ok(await office.post("/assets", idempotentBody, { "Idempotency-Key": key }));
  return {
    keys,
    asset: {
      assetId: recorded.assetId,
      transactionHash: recorded.proof.transactionHash,
      blockNumber: recorded.proof.blockNumber,
      blockHash: assetBlock.hash!,
    },
    report: {
      bytes,
      documentHash,
      transactionHash: anchored.proof.transactionHash,
      blockNumber: anchored.proof.blockNumber,
    },
    pledge: {
      pledgeId: submitted.pledgeId,
      transactionHash: registered.proof.transactionHash,
      blockNumber: registered.proof.blockNumber,
    },
    draftId: open.draftId,
    idempotent: { key, body: idempotentBody, answer },
    later: [],
  };
}

describe("npm start keeps its register across restarts and crashes", function () {
  this.timeout(6 * START_TIMEOUT);
  let dir: string;
  let env: NodeJS.ProcessEnv;
  let base: string;
  let rpcUrl: string;
  let job: RunningProcess | undefined;
  let history: History;

  const start = async () => {
    job = startMainJob(env);
    await job.waitForOutput(/IP Pledge Registry is running\.[\s\S]*Press Ctrl-C to stop\./, START_TIMEOUT);
    return job;
  };
  const withChain = async <T>(use: (rpc: JsonRpcProvider) => Promise<T>) => {
    const rpc = new JsonRpcProvider(rpcUrl, 31337, { staticNetwork: true });
    try {
      return await use(rpc);
    } finally {
      rpc.destroy();
    }
  };

  before(async function () {
    dir = mkdtempSync(join(tmpdir(), "ipr-restart-"));
    const [port, chainPort] = [await freePort(), await freePort()];
    base = `http://127.0.0.1:${port}`;
    rpcUrl = `http://127.0.0.1:${chainPort}`;
    env = {
      PORT: String(port),
      CHAIN_PORT: String(chainPort),
      DATA_DIR: join(dir, "data"),
      DEPLOYMENT_FILE: join(dir, "deployment.json"),
      LOG_LEVEL: "warn",
    };
    await start();
    expect(job!.stdout).to.include("  new         register kept in");
    history = await withChain((rpc) => recordHistory(base, printedKeys(job!), rpc));
  });

  after(() => {
    job?.killGroup();
    rmSync(dir, { recursive: true, force: true });
  });

  it("keeps the demo API keys in a file only its owner can read", () => {
    const file = join(dir, "data", "embedded", "demo-keys.json");
    expect(statSync(file).mode & 0o777).to.equal(0o600);
    const kept = JSON.parse(readFileSync(file, "utf8")) as { id: string; apiKey: string }[];
    expect(Object.fromEntries(kept.map((k) => [k.id, k.apiKey]))).to.deep.equal(history.keys);
  });

  /** How the start resumed: the journaled writes, those the checkpoint it loaded covered, those it replayed. */
  const resumedFrom = () => {
    const m =
      /resumed {5}the register kept in .*: \d+ blocks, (\d+) journaled writes; checkpoint of the first (\d+) loaded in [\d.]+ s, then (\d+) replayed/.exec(
        job!.stdout,
      );
    expect(m, job!.stdout).to.not.equal(null);
    const [entries, checkpoint, replayed] = m!.slice(1).map(Number);
    expect(checkpoint + replayed).to.equal(entries);
    return { entries, checkpoint, replayed };
  };
  const afterGracefulStop = () => expect(resumedFrom().replayed, "a checkpoint of everything at the stop").to.equal(0);
  const afterKill = () => expect(resumedFrom().replayed, "the tail after the newest checkpoint").to.be.greaterThan(0);

  /** Everything acknowledged so far is there, the same; then one more write, at the wall clock's time. */
  async function expectEverythingKept() {
    expect(job!.stdout).to.match(/resumed {5}the register kept in .*: \d+ blocks, \d+ journaled writes/);
    expect(job!.stdout).to.match(/chain {7}http:\S+ {3}\(anvil \d/);
    expect(printedKeys(job!), "the same API keys, not reissued").to.deep.equal(history.keys);
    const office = client(base, history.keys["registration-office"]);
    const bank = client(base, history.keys["bank-a"]);
    await withChain(async (rpc) => {
      const asset = ok(await office.get(`/assets/${history.asset.assetId}`), 200);
      expect(asset.history[0]).to.include({ event: "AssetRecorded", transactionHash: history.asset.transactionHash });
      expect((await rpc.getBlock(history.asset.blockNumber))!.hash, "the asset's block hash").to.equal(
        history.asset.blockHash,
      );
      for (const { transactionHash, blockNumber } of [history.report, history.pledge, ...history.later]) {
        const receipt = await rpc.getTransactionReceipt(transactionHash);
        expect([receipt?.status, receipt?.blockNumber], transactionHash).to.deep.equal([1, blockNumber]);
      }
      for (const { assetId } of history.later) ok(await office.get(`/assets/${assetId}`), 200);

      const verified = await fetch(`${base}/v1/valuations/verify`, {
        method: "POST",
        headers: { "content-type": "application/octet-stream", authorization: `Bearer ${history.keys["bank-b"]}` },
        body: history.report.bytes,
      });
      const check = (await verified.json()) as Record<string, any>;
      expect(check, JSON.stringify(check)).to.deep.include({
        documentHash: history.report.documentHash,
        anchored: true,
      });
      expect(check.proof).to.include({
        transactionHash: history.report.transactionHash,
        blockNumber: history.report.blockNumber,
      });

      const pledge = ok(await bank.get(`/pledges/${history.pledge.pledgeId}`), 200);
      expect(pledge.status).to.equal("Registered");
      ok(await bank.get(`/pledges/applications/${history.draftId}`), 200);

      const blockBefore = await rpc.getBlockNumber();
      const retry = await office.post("/assets", history.idempotent.body, {
        "Idempotency-Key": history.idempotent.key,
      });
      expect(retry.status).to.equal(201);
      expect(retry.headers.get("idempotent-replayed")).to.equal("true");
      expect(retry.body).to.deep.equal(history.idempotent.answer);
      expect(await rpc.getBlockNumber(), "no second transaction for the retry").to.equal(blockBefore);

      const fresh = ok(
        await office.post("/assets", patent(`ZL2026AFTER.${Date.now()}`, Wallet.createRandom().address)),
      );
      const block = (await rpc.getBlock(fresh.proof.blockNumber))!;
      expect(block.number, "the new write goes after the kept history").to.equal(blockBefore + 1);
      expect(
        Math.abs(block.timestamp - Date.now() / 1000),
        "the new block carries the wall clock's time",
      ).to.be.at.most(2);
      history.later.push({ assetId: fresh.assetId, ...fresh.proof });
    });
  }

  it("after Ctrl-C (SIGINT)", async () => {
    expect(await interrupt(job!, 30_000, "SIGINT")).to.deep.equal({ code: 0, signal: null });
    await start();
    afterGracefulStop();
    await expectEverythingKept();
  });

  it("after SIGTERM", async () => {
    expect(await interrupt(job!, 30_000, "SIGTERM")).to.deep.equal({ code: 0, signal: null });
    await start();
    afterGracefulStop();
    await expectEverythingKept();
  });

  it("after kill -9 of the whole process group", async () => {
    job!.killGroup();
    await job!.exited;
    await start();
    afterKill();
    await expectEverythingKept();
  });

  it("after kill -9 of the chain alone: npm start stops, and starts again whole", async () => {
    const chainPid = childPids(job!.child.pid!).find((pid) => commandLine(pid).includes("embeddedChain.ts"));
    expect(chainPid, "the embedded chain's process").to.be.a("number");
    process.kill(chainPid!, "SIGKILL");
    const exit = await job!.exited;
    expect(exit.code, job!.output()).to.equal(1);
    expect(job!.stderr).to.include("the embedded chain stopped unexpectedly");
    await start();
    afterKill();
    await expectEverythingKept();
  });

  it("after kill -9 of npm start alone (the gateway): its chain goes too, and all comes back", async () => {
    job!.child.kill("SIGKILL");
    await job!.exited;
    const deadline = Date.now() + 10_000;
    while ((await chainAnswers(rpcUrl)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    await start();
    afterKill();
    await expectEverythingKept();
  });

  it("after kill -9, its newest checkpoint damaged: the older checkpoint is loaded, then a longer tail", async () => {
    job!.killGroup();
    await job!.exited;
    const [newest, older] = checkpointPaths(join(dir, "data", "embedded"));
    writeFileSync(newest.replace(/\.json$/, ".state"), "");
    await start();
    expect(job!.stdout).to.match(/passed over: checkpoint \S+ not used: its state file does not match its digest/);
    expect(resumedFrom().checkpoint).to.equal(Number(/(\d+)\.json$/.exec(older)![1]));
    afterKill();
    await expectEverythingKept();
  });

  it("starts empty on --reset, saying what it deletes", async () => {
    expect(await interrupt(job!)).to.deep.equal({ code: 0, signal: null });
    job = startMainJob(env, ["--reset"]);
    await job.waitForOutput(/IP Pledge Registry is running\.[\s\S]*Press Ctrl-C to stop\./, START_TIMEOUT);
    expect(job.stdout).to.include(`--reset: deleting ${join(dir, "data", "embedded")}`);
    expect(job.stdout).to.include("  new         register kept in");
    const keys = printedKeys(job);
    expect(Object.values(keys)).to.not.include.members(Object.values(history.keys));
    const office = client(base, keys["registration-office"]);
    expect((await office.get(`/assets/${history.asset.assetId}`)).status).to.equal(404);
    expect(
      (await client(base, history.keys["registration-office"]).get(`/assets/${history.asset.assetId}`)).status,
    ).to.equal(401);
  });
});

/** The process ids of `pid`'s children (Linux). */
function childPids(pid: number): number[] {
  return readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
}

const commandLine = (pid: number) => readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ");
