/**
 * The README's main job, `npm start`, as a user runs it: a child process that starts a Hardhat node, deploys, sets up
 * the demo organisations, prints their API keys and serves the gateway; driven over real HTTP, then stopped with
 * SIGINT. Then the other mode: a chain started separately, deployed by the bootstrap, and `npm start` with RPC_URL.
 * (The compile step of `npm start` has already run: `hardhat test` compiles first.)
 */
import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { AbiCoder, Contract, HDNodeWallet, JsonRpcProvider, Mnemonic, keccak256 } from "ethers";
import { readDeployment, writeDeployment, type Deployment } from "../../definitions/deployment";
import { hashApiKey, newApiKey, type Organisation } from "../../api/src/organisations";
import { deployForGateway } from "../../scripts/lib/bootstrap";
import { skipUnderCoverage } from "../helpers/coverage";
import { RunningProcess, chainAnswers, freePort, httpAnswers, waitForChain } from "./helpers/processes";
import { ROOT, START_TIMEOUT, cleanEnv, client, interrupt, patent, startMainJob } from "./helpers/mainJob";

const HARDHAT_CLI = require.resolve("hardhat/internal/cli/cli");

/** Hardhat's development account 0: a well-known, public key (its chain funds it). */
const HARDHAT_ACCOUNT_0 = HDNodeWallet.fromMnemonic(
  Mnemonic.fromPhrase("test test test test test test test test test test test junk"),
  "m/44'/60'/0'/0/0",
);

const expectedAssetId = (officialNumber: string) =>
  keccak256(AbiCoder.defaultAbiCoder().encode(["uint8", "string"], [0, officialNumber]));

/** Can a new listener take 127.0.0.1:port now? */
function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once("error", () => resolve(false));
    probe.listen(port, "127.0.0.1", () => probe.close(() => resolve(true)));
  });
}

/** A granted patent for each official number, recorded over HTTP `concurrency` at a time. */
async function recordMany(office: ReturnType<typeof client>, numbers: string[], concurrency: number) {
  const statuses: number[] = [];
  for (let i = 0; i < numbers.length; i += concurrency) {
    const batch = numbers.slice(i, i + concurrency);
    const answers = await Promise.all(
      batch.map((n) => office.post("/assets", patent(n, HDNodeWallet.createRandom().address))),
    );
    statuses.push(...answers.map((a) => a.status));
  }
  return statuses;
}

describe("npm start — the main job, end to end", () => {
  before(function () {
    skipUnderCoverage(
      this,
      "npm start compiles the real contracts in its own process, rewriting the instrumented build under the running " +
        "suite, and its chains are other processes whose contract runs coverage cannot count; the separately " +
        "started node also keeps the real 24,576-byte limit, which the instrumented contracts exceed",
    );
  });

  describe("with its embedded Hardhat chain", () => {
    let dir: string;
    let port: number;
    let chainPort: number;
    let job: RunningProcess | undefined;
    let deploymentFile: string;

    before(async function () {
      this.timeout(START_TIMEOUT + 10_000);
      dir = mkdtempSync(join(tmpdir(), "ipr-main-job-"));
      deploymentFile = join(dir, "deployments", "localhost.json");
      [port, chainPort] = [await freePort(), await freePort()];
      job = startMainJob({
        PORT: String(port),
        CHAIN_PORT: String(chainPort),
        DATA_DIR: join(dir, "data"),
        DEPLOYMENT_FILE: deploymentFile,
        LOG_LEVEL: "warn",
      });
      await job.waitForOutput(/IP Pledge Registry is running\.[\s\S]*Press Ctrl-C to stop\./, START_TIMEOUT);
    });

    after(() => {
      job?.killGroup(); // the job and the Hardhat node it spawned share its process group
      rmSync(dir, { recursive: true, force: true });
    });

    const registrationOffice = () => {
      const match = job!.stdout.match(
        /registration-office\s+registrar\s+(0x[0-9a-fA-F]{40})\s+API key:\s+(ipr_[0-9a-f]{64})/,
      );
      expect(match, job!.output()).to.not.equal(null);
      return { address: match![1], apiKey: match![2] };
    };

    it("prints where the gateway, the chain and the deployment are, and one API key per demo organisation", () => {
      const out = job!.stdout;
      expect(out).to.include(`gateway     http://127.0.0.1:${port}/v1`);
      expect(out).to.include(`chain       http://127.0.0.1:${chainPort}`);
      expect(out).to.include(`deployment  ${deploymentFile}`);
      for (const id of ["registration-office", "bank-a", "bank-b", "evaluator", "originator", "auditor"]) {
        expect(out).to.match(new RegExp(`${id}\\s+\\w+\\s+0x[0-9a-fA-F]{40}\\s+API key:\\s+ipr_[0-9a-f]{64}`));
      }
      expect(new Set(out.match(/ipr_[0-9a-f]{64}/g)).size).to.equal(6);
      // the registration office is Hardhat account 1
      expect(registrationOffice().address).to.equal("0x70997970C51812dc3A010C7d01b50e0d17dc79C8");
    });

    it("writes the deployment file, whose contracts are on the chain and match /v1/health", async () => {
      const deployment = readDeployment(deploymentFile);
      expect(deployment.chainId).to.equal(31337);
      const health = await client(`http://127.0.0.1:${port}`).get("/health");
      expect(health.status).to.equal(200);
      expect(health.body).to.deep.include({ status: "ok", chainId: 31337, contracts: deployment.contracts });
      const provider = new JsonRpcProvider(`http://127.0.0.1:${chainPort}`, 31337, { staticNetwork: true });
      try {
        for (const address of Object.values(deployment.contracts)) {
          expect(await provider.getCode(address), address).to.not.equal("0x");
        }
      } finally {
        provider.destroy();
      }
    });

    it("deploys a demo stablecoin, prints and records it, and funds a fresh wallet from the keyless faucet", async () => {
      const { demoStablecoin } = readDeployment(deploymentFile);
      expect(demoStablecoin, "deployment.demoStablecoin").to.match(/^0x[0-9a-fA-F]{40}$/);
      expect(job!.stdout).to.include(`Demo stablecoin (a pool's paymentToken here): ${demoStablecoin} (tCNY`);
      const anyone = client(`http://127.0.0.1:${port}`);
      expect((await anyone.get("/demo/faucet")).body).to.include({ stablecoin: demoStablecoin, decimals: 2 });
      const wallet = HDNodeWallet.createRandom().address;
      const funded = await anyone.post("/demo/faucet", { address: wallet, amount: "250000" });
      expect(funded.status, JSON.stringify(funded.body)).to.equal(201);
      const provider = new JsonRpcProvider(`http://127.0.0.1:${chainPort}`, 31337, { staticNetwork: true });
      try {
        const coin = new Contract(demoStablecoin!, ["function balanceOf(address) view returns (uint256)"], provider);
        expect(await coin.balanceOf(wallet)).to.equal(250_000n);
        expect(await provider.getBalance(wallet)).to.equal(10n ** 18n);
      } finally {
        provider.destroy();
      }
    });

    it("records an asset over HTTP with the printed registration office key, and reads it back", async () => {
      const office = client(`http://127.0.0.1:${port}`, registrationOffice().apiKey);
      const holder = HDNodeWallet.createRandom().address;
      const created = await office.post("/assets", patent("ZL202610077777.7", holder));
      expect(created.status, JSON.stringify(created.body)).to.equal(201);
      expect(created.body.assetId).to.equal(expectedAssetId("ZL202610077777.7"));

      const read = await office.get(`/assets/${created.body.assetId}`);
      expect(read.status).to.equal(200);
      expect(read.body).to.deep.include({
        officialNumber: "ZL202610077777.7",
        kind: "InventionPatent",
        status: "Granted",
        standing: "IN_GOOD_STANDING",
        holders: [{ address: holder, shareBps: 10_000 }],
      });
      expect(read.body.history[0]).to.include({
        event: "AssetRecorded",
        transactionHash: created.body.proof.transactionHash,
      });

      const provider = new JsonRpcProvider(`http://127.0.0.1:${chainPort}`, 31337, { staticNetwork: true });
      try {
        const receipt = await provider.getTransactionReceipt(created.body.proof.transactionHash);
        expect([receipt?.status, receipt?.to]).to.deep.equal([
          1,
          readDeployment(deploymentFile).contracts.assetRegister,
        ]);
      } finally {
        provider.destroy();
      }
    });

    it("runs the README's walk-through (scripts/walkthrough.sh) with the printed keys: a pledge from start to release", async function () {
      this.timeout(120_000);
      const printed = (org: string) => {
        const m = job!.stdout.match(
          new RegExp(
            `${org}\\s+\\w+\\s+0x[0-9a-fA-F]{40}\\s+API key:\\s+(ipr_[0-9a-f]{64})\\s+signing key:\\s+(0x[0-9a-f]{64})`,
          ),
        );
        expect(m, `${org} in ${job!.output()}`).to.not.equal(null);
        return { apiKey: m![1], signer: m![2] };
      };
      const [office, bank, bankB, evaluator] = ["registration-office", "bank-a", "bank-b", "evaluator"].map(printed);
      const result = spawnSync("bash", [resolve(__dirname, "../../scripts/walkthrough.sh")], {
        env: {
          ...cleanEnv(),
          GATEWAY: `http://127.0.0.1:${port}/v1`,
          OFFICE_KEY: office.apiKey,
          BANK_KEY: bank.apiKey,
          BANK_B_KEY: bankB.apiKey,
          EVALUATOR_KEY: evaluator.apiKey,
          BANK_SIGNER: bank.signer,
          EVALUATOR_SIGNER: evaluator.signer,
        },
        encoding: "utf8",
        timeout: 110_000,
      });
      const output = `${result.stdout}\n${result.stderr}`;
      expect(result.status, output).to.equal(0);
      expect(result.stdout).to.match(/"pledged":true,"pledge":\{"pledgeId":"\d+"/);
      expect(result.stdout).to.include('{"pledged":false}');
      expect(result.stdout).to.include("all paperless.");
    });

    it("keeps the chain's clock on the wall clock through 100 quick writes (SPEC §4.3)", async function () {
      this.timeout(120_000);
      const office = client(`http://127.0.0.1:${port}`, registrationOffice().apiKey);
      const numbers = Array.from({ length: 100 }, (_, i) => `ZL2026CLOCK.${i}`);
      const statuses = await recordMany(office, numbers, 10);
      expect(statuses).to.deep.equal(Array(100).fill(201));
      const provider = new JsonRpcProvider(`http://127.0.0.1:${chainPort}`, 31337, { staticNetwork: true });
      try {
        const latest = (await provider.getBlock("latest"))!;
        const wall = Date.now() / 1000;
        expect(Math.abs(latest.timestamp - wall), `block ${latest.number}`).to.be.at.most(2);
      } finally {
        provider.destroy();
      }
    });

    it("stops the gateway and its chain on SIGINT, exits 0 and says stopped.", async function () {
      this.timeout(40_000);
      const exit = await interrupt(job!);
      expect(exit, job!.output()).to.deep.equal({ code: 0, signal: null });
      expect(job!.stdout).to.include("SIGINT: stopping the gateway and the chain");
      expect(job!.stdout.trimEnd().endsWith("stopped."), job!.output()).to.equal(true);
      expect(await httpAnswers(`http://127.0.0.1:${port}/v1/health`)).to.equal(false);
      expect(await chainAnswers(`http://127.0.0.1:${chainPort}`)).to.equal(false);
    });
  });

  describe("with RPC_URL: a separately started chain, deployed by the bootstrap", () => {
    let dir: string;
    let port: number;
    let rpcUrl: string;
    let node: RunningProcess | undefined;
    let job: RunningProcess | undefined;
    let deployment: Deployment;
    let apiKey: string;
    let provider: JsonRpcProvider | undefined;

    before(async function () {
      this.timeout(START_TIMEOUT + 30_000);
      dir = mkdtempSync(join(tmpdir(), "ipr-rpc-mode-"));
      const [chainPort, gatewayPort] = [await freePort(), await freePort()];
      port = gatewayPort;
      rpcUrl = `http://127.0.0.1:${chainPort}`;
      node = RunningProcess.start(
        process.execPath,
        [HARDHAT_CLI, "node", "--hostname", "127.0.0.1", "--port", String(chainPort)],
        cleanEnv(),
        ROOT,
      );
      await waitForChain(rpcUrl, node, START_TIMEOUT);

      provider = new JsonRpcProvider(rpcUrl, undefined, { pollingInterval: 100 });
      const admin = await provider.getSigner(0);
      const registrar = await provider.getSigner(1);
      expect(admin.address).to.equal(HARDHAT_ACCOUNT_0.address);
      ({ deployment } = await deployForGateway(admin, registrar.address, HARDHAT_ACCOUNT_0.address));
      const deploymentFile = join(dir, "deployment.json");
      writeDeployment(deploymentFile, deployment);
      apiKey = newApiKey();
      const organisations: Organisation[] = [
        {
          id: "registration-office",
          name: "IP Registration Office",
          role: "registrar",
          address: registrar.address,
          keyHash: hashApiKey(apiKey),
        },
      ];
      const organisationsFile = join(dir, "organisations.json");
      writeFileSync(organisationsFile, JSON.stringify(organisations, null, 2));

      job = startMainJob({
        RPC_URL: rpcUrl,
        RELAYER_PRIVATE_KEY: HARDHAT_ACCOUNT_0.privateKey,
        ORGANISATIONS_FILE: organisationsFile,
        DEPLOYMENT_FILE: deploymentFile,
        DATA_DIR: join(dir, "data"),
        PORT: String(port),
        LOG_LEVEL: "warn",
      });
      await job.waitForOutput(/IP Pledge Registry gateway on .*Ctrl-C to stop\./, START_TIMEOUT);
    });

    after(() => {
      job?.killGroup();
      node?.killGroup();
      provider?.destroy();
      rmSync(dir, { recursive: true, force: true });
    });

    it("serves the deployment it was given and starts no chain or demo organisations of its own", async () => {
      expect(job!.stdout).to.include(`IP Pledge Registry gateway on http://127.0.0.1:${port}/v1, chain ${rpcUrl}.`);
      expect(job!.stdout).to.not.match(/API key|Demo organisations/);
      const health = await client(`http://127.0.0.1:${port}`).get("/health");
      expect(health.status).to.equal(200);
      expect(health.body).to.deep.include({ chainId: deployment.chainId, contracts: deployment.contracts });
    });

    it("has no demo stablecoin and no faucet", async () => {
      const funding = { address: HDNodeWallet.createRandom().address, amount: "1" };
      const faucet = await client(`http://127.0.0.1:${port}`, apiKey).post("/demo/faucet", funding);
      expect(faucet.status, JSON.stringify(faucet.body)).to.equal(404);
      expect(job!.stdout).to.not.include("Demo stablecoin");
    });

    it("records an asset for the organisation in the file, sent by the configured relayer key", async () => {
      const office = client(`http://127.0.0.1:${port}`, apiKey);
      const created = await office.post("/assets", patent("ZL202610088888.8", HDNodeWallet.createRandom().address));
      expect(created.status, JSON.stringify(created.body)).to.equal(201);
      expect(created.body.assetId).to.equal(expectedAssetId("ZL202610088888.8"));
      const tx = await provider!.getTransaction(created.body.proof.transactionHash);
      expect([tx?.from, tx?.to]).to.deep.equal([HARDHAT_ACCOUNT_0.address, deployment.contracts.assetRegister]);
      const unknown = await client(`http://127.0.0.1:${port}`, newApiKey()).post("/assets", {});
      expect(unknown.status).to.equal(401);
    });

    it("refuses to start on a busy chain port: says which port, deploys nothing, deletes nothing", async function () {
      this.timeout(60_000);
      const admin = HARDHAT_ACCOUNT_0.address;
      const [blockBefore, nonceBefore] = [await provider!.getBlockNumber(), await provider!.getTransactionCount(admin)];
      const dataDir = join(dir, "busy-data");
      mkdirSync(join(dataDir, "embedded"), { recursive: true });
      writeFileSync(join(dataDir, "embedded", "earlier-run.json"), "{}");
      const deploymentFile = join(dir, "busy-deployment.json");
      const chainPort = Number(new URL(rpcUrl).port);
      const busy = startMainJob({
        CHAIN_PORT: String(chainPort),
        PORT: String(await freePort()),
        DATA_DIR: dataDir,
        DEPLOYMENT_FILE: deploymentFile,
        LOG_LEVEL: "warn",
      });
      const exit = await busy.exited;
      expect(exit.code, busy.output()).to.not.equal(0);
      expect(busy.stderr).to.include(`port ${chainPort} (CHAIN_PORT)`);
      expect(busy.stderr).to.include("Nothing was started, deployed or deleted.");
      expect(busy.stdout).to.not.include("is running");
      expect(readdirSync(join(dataDir, "embedded"))).to.deep.equal(["earlier-run.json"]);
      expect(existsSync(deploymentFile)).to.equal(false);
      expect([await provider!.getBlockNumber(), await provider!.getTransactionCount(admin)]).to.deep.equal([
        blockBefore,
        nonceBefore,
      ]);
    });

    it("refuses to start on a busy gateway port, naming it", async function () {
      this.timeout(60_000);
      const dataDir = join(dir, "busy-gateway-data");
      const busy = startMainJob({
        CHAIN_PORT: String(await freePort()),
        PORT: String(port), // the gateway of this suite listens there
        DATA_DIR: dataDir,
        DEPLOYMENT_FILE: join(dir, "busy-gateway-deployment.json"),
        LOG_LEVEL: "warn",
      });
      const exit = await busy.exited;
      expect(exit.code, busy.output()).to.not.equal(0);
      expect(busy.stderr).to.include(`port ${port} (PORT)`);
      expect(existsSync(dataDir)).to.equal(false);
    });

    it("stops on SIGINT with exit code 0 and leaves the chain it did not start running", async function () {
      this.timeout(40_000);
      const exit = await interrupt(job!);
      expect(exit, job!.output()).to.deep.equal({ code: 0, signal: null });
      expect(job!.stdout).to.include("SIGINT: stopping the gateway…");
      expect(job!.stdout.trimEnd().endsWith("stopped."), job!.output()).to.equal(true);
      expect(await httpAnswers(`http://127.0.0.1:${port}/v1/health`)).to.equal(false);
      expect(await chainAnswers(rpcUrl)).to.equal(true);
      expect(JSON.parse(readFileSync(join(dir, "deployment.json"), "utf8")).chainId).to.equal(31337);
    });
  });
  describe("killed outright (SIGKILL to the npm start process alone)", () => {
    let dir: string;
    let job: RunningProcess | undefined;

    before(() => {
      dir = mkdtempSync(join(tmpdir(), "ipr-killed-"));
    });

    after(() => {
      job?.killGroup();
      rmSync(dir, { recursive: true, force: true });
    });

    it("leaves no chain behind: the chain port is free again within a few seconds", async function () {
      this.timeout(START_TIMEOUT + 30_000);
      const chainPort = await freePort();
      job = startMainJob({
        PORT: String(await freePort()),
        CHAIN_PORT: String(chainPort),
        DATA_DIR: join(dir, "data"),
        DEPLOYMENT_FILE: join(dir, "deployment.json"),
        LOG_LEVEL: "warn",
      });
      await job.waitForOutput(/IP Pledge Registry is running\./, START_TIMEOUT);
      expect(await chainAnswers(`http://127.0.0.1:${chainPort}`)).to.equal(true);

      job.child.kill("SIGKILL"); // not the group: the chain gets no signal
      await job.exited;
      const deadline = Date.now() + 5000;
      while (!(await portFree(chainPort)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(await portFree(chainPort), "the chain port is still taken 5 s after the kill").to.equal(true);
    });
  });
});
