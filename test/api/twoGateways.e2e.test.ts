/**
 * Two gateway processes against one PostgreSQL server and one chain (README "Running N gateways"): each is the real
 * gateway (`npm start` with RPC_URL and DATABASE_URL, in a process of its own) with its own relayer key. Writes go
 * through both at once — assets, idempotent retries sent to the other process, pledge drafts whose signatures are
 * posted to both, submissions of one draft to both — and then: no duplicate registration, no lost signature, no nonce
 * collision. The PostgreSQL server is started by the test (never skipped; .ci/run installs it).
 */
import { expect } from "chai";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { JsonRpcProvider, Wallet } from "ethers";
import request from "supertest";
import { deployForGateway, setUpDemoOrganisations, type DemoOrganisation } from "../../scripts/lib/bootstrap";
import { Roles } from "../../definitions/roles";
import { writeDeployment, type Deployment } from "../../definitions/deployment";
import type { RegistryContracts } from "../../scripts/lib/deployRegistry";
import { START_TIMEOUT, startMainJob } from "./helpers/mainJob";
import { freePort, type RunningProcess } from "./helpers/processes";
import { startChain } from "./helpers/standaloneChain";
import { developmentKey } from "./helpers/walletRelayer";
import { startPostgres, type PostgresServer } from "./store/postgresServer";
import { application, patentBody, signRequest, valuationReport } from "./helpers/pledgeParties";

/** Each gateway's own relayer key (Hardhat accounts 0 and 19): no two processes ever sign with one key. */
const RELAYER_KEYS = [developmentKey(0), developmentKey(19)];

interface Gateway {
  url: string;
  job: RunningProcess;
  relayer: string;
}

describe("two gateway processes on one PostgreSQL and one chain", function () {
  this.timeout(START_TIMEOUT * 2 + 120_000);
  let dir: string;
  let postgres: PostgresServer;
  let chain: Awaited<ReturnType<typeof startChain>>;
  let rpc: JsonRpcProvider;
  let deployment: Deployment;
  let contracts: RegistryContracts;
  let demo: DemoOrganisation[];
  let now: bigint;
  const gateways: Gateway[] = [];

  const keyOf = (id: string) => demo.find((d) => d.organisation.id === id)!.apiKey;
  const walletOf = (account: number) => new Wallet(developmentKey(account), rpc);
  const as = (g: Gateway, org: string) => ({
    get: (path: string) =>
      request(g.url)
        .get(`/v1${path}`)
        .set("Authorization", `Bearer ${keyOf(org)}`),
    post: (path: string, body: object = {}, idempotencyKey?: string) => {
      const req = request(g.url)
        .post(`/v1${path}`)
        .set("Authorization", `Bearer ${keyOf(org)}`);
      return (idempotencyKey ? req.set("Idempotency-Key", idempotencyKey) : req).send(body);
    },
  });

  before(async function () {
    dir = mkdtempSync(join(tmpdir(), "ipr-two-gateways-"));
    postgres = await startPostgres();
    const databaseUrl = await postgres.createDatabase(`gateways_${process.pid}`);
    chain = await startChain();
    rpc = new JsonRpcProvider(chain.url, undefined, { cacheTimeout: -1, pollingInterval: 100 });
    const [admin, registrar] = [walletOf(0), walletOf(1)];
    ({ contracts, deployment } = await deployForGateway(admin, registrar.address, admin.address));
    // The second gateway's relayer acts for the registrar too: one more grant per gateway.
    const second = new Wallet(RELAYER_KEYS[1]).address;
    await (await contracts.accessManager.connect(admin).grantRole(Roles.REGISTRAR, second, 0)).wait();
    demo = await setUpDemoOrganisations(contracts, admin, registrar, async (i) => walletOf(i).address);
    now = BigInt((await rpc.getBlock("latest"))!.timestamp);
    const deploymentFile = join(dir, "deployment.json");
    writeDeployment(deploymentFile, deployment);
    const organisationsFile = join(dir, "organisations.json");
    writeFileSync(organisationsFile, JSON.stringify(demo.map((d) => d.organisation)));
    // Both at once, as a deployment starts them: they migrate and index the same database together.
    const ports = [await freePort(), await freePort()];
    const jobs = RELAYER_KEYS.map((key, i) =>
      startMainJob({
        RPC_URL: chain.url,
        DATABASE_URL: databaseUrl,
        RELAYER_PRIVATE_KEY: key,
        ORGANISATIONS_FILE: organisationsFile,
        DEPLOYMENT_FILE: deploymentFile,
        DATA_DIR: join(dir, "documents"), // the shared document store
        PORT: String(ports[i]),
        LOG_LEVEL: "warn",
      }),
    );
    for (const [i, job] of jobs.entries()) {
      gateways.push({ url: `http://127.0.0.1:${ports[i]}`, job, relayer: new Wallet(RELAYER_KEYS[i]).address });
    }
    await Promise.all(jobs.map((job) => job.waitForOutput(/IP Pledge Registry gateway on /, START_TIMEOUT)));
  });

  after(async function () {
    this.timeout(60_000);
    for (const g of gateways) g.job.killGroup();
    await Promise.all(gateways.map((g) => g.job.exited));
    rpc?.destroy();
    await chain?.close();
    await postgres?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("registers each asset once, answers retries at the other gateway with the first answer, and sends from two nonce sequences", async () => {
    const [a, b] = gateways;
    const holders = [walletOf(10), walletOf(11)];
    const numbers = Array.from({ length: 8 }, (_, i) => `ZL20261${String(i).padStart(7, "0")}.X`);

    // 1. Each asset is posted to both gateways at the same moment with one Idempotency-Key: one of them records
    //    it, the other answers 409 in progress or replays the first answer; a retry at the other one replays it.
    const firstRound = await Promise.all(
      numbers.map((n, i) =>
        Promise.all([
          as(a, "registration-office").post("/assets", patentBody({ now }, n, holders), `asset-${i}`),
          as(b, "registration-office").post("/assets", patentBody({ now }, n, holders), `asset-${i}`),
        ]),
      ),
    );
    const answers = [];
    for (const [i, pair] of firstRound.entries()) {
      const created = pair.filter((r) => r.status === 201);
      expect(created.length, JSON.stringify(pair.map((r) => [r.status, r.body]))).to.be.within(1, 2);
      const original = created.find((r) => r.headers["idempotent-replayed"] === undefined)!;
      expect(original, "one of them ran the request").to.not.equal(undefined);
      for (const r of pair.filter((x) => x !== original)) {
        if (r.status === 409) expect(r.body.error.code).to.equal("IDEMPOTENCY_IN_PROGRESS");
        else expect([r.status, r.headers["idempotent-replayed"], r.body]).to.deep.equal([201, "true", original.body]);
      }
      // Retried at both gateways afterwards: the first answer, nothing sent.
      for (const g of gateways) {
        const retry = await as(g, "registration-office").post(
          "/assets",
          patentBody({ now }, numbers[i], holders),
          `asset-${i}`,
        );
        expect([retry.status, retry.headers["idempotent-replayed"], retry.body]).to.deep.equal([
          201,
          "true",
          original.body,
        ]);
      }
      answers.push(original.body as { assetId: string; proof: { transactionHash: string } });
    }

    // 2. Other assets at the same time, half through each gateway: both relayers send at once.
    const spread = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        as(gateways[i % 2], "registration-office").post(
          "/assets",
          patentBody({ now }, `ZL20263${String(i).padStart(7, "0")}.X`, holders),
        ),
      ),
    );
    for (const r of spread) expect(r.status, JSON.stringify(r.body)).to.equal(201);
    answers.push(...spread.map((r) => r.body));

    // 3. The same asset posted to both without a key: the register takes it once.
    const twice = await Promise.all(
      gateways.map((g) =>
        as(g, "registration-office").post("/assets", patentBody({ now }, "ZL202619999999.X", holders)),
      ),
    );
    expect(twice.map((r) => r.status).sort(), JSON.stringify(twice.map((r) => r.body))).to.deep.equal([201, 422]);

    // On chain: one AssetRecorded per official number; the transactions came from both relayers, each nonce once.
    const recorded = await contracts.assetRegister.queryFilter(contracts.assetRegister.filters.AssetRecorded());
    const ids = recorded.map((e) => e.args.assetId);
    expect(new Set(ids).size).to.equal(ids.length);
    expect(ids).to.include.members(answers.map((x) => x.assetId));
    expect(ids).to.have.length(numbers.length + spread.length + 1);
    const senders = new Set<string>();
    for (const answer of answers) senders.add((await rpc.getTransaction(answer.proof.transactionHash))!.from);
    expect([...senders].sort()).to.deep.equal(gateways.map((g) => g.relayer).sort());
  });

  it("keeps every signature posted to either gateway, and submits each draft once when both are asked at once", async () => {
    const [a, b] = gateways;
    const holders = [walletOf(12), walletOf(13), walletOf(14)];
    const bank = walletOf(2);
    const evaluator = walletOf(4);
    const drafts: string[] = [];
    for (let i = 0; i < 3; i++) {
      const created = await as(i % 2 ? b : a, "registration-office").post(
        "/assets",
        patentBody({ now }, `ZL20262${String(i).padStart(7, "0")}.X`, holders),
      );
      expect(created.status, JSON.stringify(created.body)).to.equal(201);
      const report = valuationReport({ now }, evaluator.address, [created.body.assetId], `report ${i}`);
      await (await contracts.valuationRegistry.connect(evaluator).anchor(report)).wait();
      const body = application({ now } as never, {
        assets: [created.body.assetId],
        pledgors: holders,
        reportId: report.documentHash,
      });
      const draft = await as(i % 2 ? a : b, "bank-a").post("/pledges/applications", body);
      expect(draft.status, JSON.stringify(draft.body)).to.equal(201);
      drafts.push(draft.body.draftId);

      // Every party's signature at once, each sent to both gateways.
      const signers = [...holders, bank];
      const posts = await Promise.all(
        signers.flatMap(async (wallet) => {
          const requestOf = draft.body.signers.find(
            (s: { address: string }) => s.address.toLowerCase() === wallet.address.toLowerCase(),
          );
          const signature = await signRequest(wallet, requestOf);
          return Promise.all(
            gateways.map((g) =>
              as(g, "bank-a").post(`/pledges/applications/${draft.body.draftId}/signatures`, {
                signer: wallet.address,
                signature,
              }),
            ),
          );
        }),
      );
      for (const r of posts.flat()) expect(r.status, JSON.stringify(r.body)).to.equal(200);
      for (const g of gateways) {
        const seen = await as(g, "bank-a").get(`/pledges/applications/${draft.body.draftId}`);
        expect(
          seen.body.signers.map((s: { signed: boolean }) => s.signed),
          g.url,
        ).to.deep.equal([true, true, true, true]);
      }
    }

    // Each draft submitted to both gateways at once: one submission, the other refused as already submitted.
    for (const draftId of drafts) {
      const both = await Promise.all(
        gateways.map((g) => as(g, "bank-a").post(`/pledges/applications/${draftId}/submit`)),
      );
      const statuses = both.map((r) => r.status).sort();
      expect(statuses, JSON.stringify(both.map((r) => r.body))).to.deep.equal([201, 409]);
      const refused = both.find((r) => r.status === 409)!;
      expect(refused.body.error.code).to.equal("DRAFT_ALREADY_SUBMITTED");
      const submitted = both.find((r) => r.status === 201)!;
      for (const g of gateways) {
        const seen = await as(g, "bank-a").get(`/pledges/applications/${draftId}`);
        expect(seen.body.pledgeId).to.equal(submitted.body.pledgeId);
      }
    }
    const applied = await contracts.pledgeRegistry.queryFilter(contracts.pledgeRegistry.filters.PledgeApplied());
    expect(applied).to.have.length(drafts.length);
  });

  it("leaves no nonce gap or collision: every transaction of each relayer mined, one per nonce", async () => {
    for (const g of gateways) {
      const [mined, pending] = await Promise.all([
        rpc.getTransactionCount(g.relayer, "latest"),
        rpc.getTransactionCount(g.relayer, "pending"),
      ]);
      expect(pending, g.url).to.equal(mined);
      expect(mined, `${g.url} sent nothing`).to.be.greaterThan(0);
    }
    for (const g of gateways) expect(g.job.stderr, g.url).to.not.match(/nonce/i);
  });
});
