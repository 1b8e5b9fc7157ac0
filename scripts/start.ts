/**
 * `npm start` — the main job. Without RPC_URL: start the embedded chain (anvil; scripts/lib/embeddedChain.ts), a
 * JSON-RPC node on 127.0.0.1:8545 that journals every write in DATA_DIR/embedded and checkpoints its state there; on
 * the first start deploy the registry and set up demo organisations with API keys (kept there too), on later starts
 * resume all of it from there; serve the gateway on http://127.0.0.1:8080.
 * `npm start -- --reset` deletes DATA_DIR/embedded first, saying what it deletes. `--engine hardhat` starts a new
 * register on Hardhat's node instead (no checkpoints); `--checkpoint-every N` sets the journaled writes between
 * checkpoints (0: none, every start replays the whole journal — the baseline of `npm run bench:startup`). With RPC_URL:
 * start no chain; use the deployment file and the organisations file from the configuration.
 * Before anything is written, deployed or deleted, the ports it needs must be free (else it refuses and says which).
 * Ctrl-C stops everything cleanly; if this process is killed outright, the chain it started exits on its own.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, openSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { HDNodeWallet, JsonRpcProvider, Mnemonic } from "ethers";
import { ConfigError, loadConfig, type Config } from "../api/src/config/env";
import { writeDeployment } from "../definitions/deployment";
import { OrganisationDirectory } from "../api/src/organisations";
import { startGateway, type RunningGateway } from "../api/src/index";
import { createLogger } from "../api/src/logger";
import { deployDemoStablecoin, deployForGateway, setUpDemoOrganisations } from "./lib/bootstrap";
import { JOURNAL_FILE, type ChainReady } from "./lib/chainJournal";
import type { EmbeddedChainOptions } from "./lib/embeddedChain";
import { keepSetup, readSetup, setupFiles, setupFinished, type KeptSetup } from "./lib/keptSetup";

/** Hardhat's development mnemonic: its accounts are public knowledge — demo use only. */
const HARDHAT_MNEMONIC = "test test test test test test test test test test test junk";
const devWallet = (i: number) =>
  HDNodeWallet.fromMnemonic(Mnemonic.fromPhrase(HARDHAT_MNEMONIC), `m/44'/60'/0'/0/${i}`);

/** Is something listening on host:port already? */
function portInUse(host: string, port: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", (error: NodeJS.ErrnoException) =>
      error.code === "EADDRINUSE"
        ? resolve(true)
        : reject(new Error(`cannot listen on ${host}:${port}: ${error.message}`)),
    );
    probe.listen(port, host, () => probe.close(() => resolve(false)));
  });
}

/** "a JSON-RPC chain (chain id 31337) answers there", or nothing when what listens is not a chain. */
async function whatAnswers(url: string): Promise<string> {
  try {
    const answer = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
      signal: AbortSignal.timeout(1000),
    });
    const { result } = (await answer.json()) as { result?: string };
    return result ? ` — a JSON-RPC chain (chain id ${Number(result)}) answers there` : "";
  } catch {
    return "";
  }
}

/**
 * Before anything is written, deployed or deleted: the ports npm start needs must be free. On a taken chain port it
 * would otherwise deploy onto whatever chain answers there, and wipe the data of the previous run.
 */
async function checkPortsFree(config: Config) {
  const needed = [{ name: "PORT", host: config.HOST, port: config.PORT, what: "the gateway" }];
  if (!config.RPC_URL)
    needed.push({ name: "CHAIN_PORT", host: "127.0.0.1", port: config.CHAIN_PORT, what: "its chain" });
  for (const { name, host, port, what } of needed) {
    if (!(await portInUse(host, port))) continue;
    const answering = name === "CHAIN_PORT" ? await whatAnswers(`http://${host}:${port}`) : "";
    throw new Error(
      `port ${port} (${name}) on ${host} is already in use${answering}. npm start runs ${what} there: stop the ` +
        `program that holds the port, or set ${name} to a free port` +
        (name === "CHAIN_PORT" ? " (to use that chain instead, set RPC_URL: see the README)" : "") +
        ". Nothing was started, deployed or deleted.",
    );
  }
}

/** `--engine hardhat|anvil`, `--checkpoint-every N` (also written `--name=value`). */
function chainOptions(argv: readonly string[]): EmbeddedChainOptions {
  const value = (name: string) => {
    const i = argv.findIndex((a) => a === name || a.startsWith(`${name}=`));
    if (i < 0) return undefined;
    return argv[i].includes("=") ? argv[i].slice(name.length + 1) : argv[i + 1];
  };
  const options: EmbeddedChainOptions = {};
  const engine = value("--engine");
  if (engine !== undefined) {
    if (engine !== "anvil" && engine !== "hardhat") throw new Error(`--engine ${engine}: anvil or hardhat`);
    options.engine = engine;
  }
  const every = value("--checkpoint-every");
  if (every !== undefined) {
    if (!/^\d+$/.test(every)) throw new Error(`--checkpoint-every ${every}: a number of journaled writes (0: none)`);
    options.checkpointEvery = Number(every);
  }
  return options;
}

/** Start the embedded chain (scripts/lib/embeddedChain.ts) on `dir` and wait until it says it listens. */
async function startChain(
  port: number,
  dir: string,
  log: number,
  options: EmbeddedChainOptions,
): Promise<{ node: ChildProcess; ready: ChainReady }> {
  const node = spawn(
    process.execPath,
    [
      "-r",
      "ts-node/register/transpile-only",
      join(__dirname, "lib/embeddedChain.ts"),
      String(port),
      dir,
      JSON.stringify(options),
    ],
    { cwd: join(__dirname, ".."), stdio: ["ignore", log, log, "ipc"] },
  );
  const ready = await new Promise<ChainReady>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("the embedded chain did not start within 300 s")), 300_000);
    node.once("message", (message: ChainReady) => {
      clearTimeout(timer);
      resolve(message);
    });
    node.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the embedded chain exited with code ${code} before it listened`));
    });
  });
  return { node, ready };
}

/**
 * `--reset`: say what is deleted, then delete it. Without it, a journal left by a first start that never finished
 * (killed while deploying: no API key was ever shown, no write acknowledged) is started over too.
 */
function prepareDataDir(dataDir: string, reset: boolean) {
  const journal = join(dataDir, JOURNAL_FILE);
  if (reset && existsSync(dataDir)) {
    process.stdout.write(
      `--reset: deleting ${dataDir} — the embedded chain's journal (every block, transaction and record on it), the ` +
        "documents, drafts and idempotency records, the deployment and the demo organisations with their API keys.\n",
    );
    rmSync(dataDir, { recursive: true, force: true });
  } else if (existsSync(journal) && !setupFinished(dataDir)) {
    const written = ["documents", "records"].some(
      (d) => existsSync(join(dataDir, d)) && readdirSync(join(dataDir, d)).length,
    );
    if (written) {
      throw new Error(
        `${dataDir} holds a chain journal and documents or records, but not the setup kept from the first start ` +
          `(${setupFiles(dataDir).join(", ")}). Restore those files, or start empty with \`npm start -- --reset\`.`,
      );
    }
    process.stdout.write(`The first start in ${dataDir} did not finish (no API key was issued): starting empty.\n`);
    rmSync(dataDir, { recursive: true, force: true });
  } else if (!existsSync(journal) && setupFinished(dataDir)) {
    throw new Error(
      `${dataDir} holds the setup of an earlier first start but not its chain journal ${journal}: restore the ` +
        "journal, or start empty with `npm start -- --reset`.",
    );
  } else if (!existsSync(journal) && existsSync(dataDir) && readdirSync(dataDir).length) {
    // Left by an npm start that kept no journal (before issue 9): its chain is gone, so its documents match nothing.
    process.stdout.write(`${dataDir} holds files of a run that kept no chain journal: clearing them.\n`);
    rmSync(dataDir, { recursive: true, force: true });
  }
  mkdirSync(dataDir, { recursive: true });
}

/** First start: deploy, create the demo organisations with new API keys, and keep all of it in `dataDir`. */
async function setUp(rpcUrl: string, dataDir: string): Promise<KeptSetup> {
  // No response cache: the next step must see the chain as the step before left it.
  const provider = new JsonRpcProvider(rpcUrl, undefined, { pollingInterval: 250, cacheTimeout: -1 });
  try {
    const admin = await provider.getSigner(0);
    const registrar = await provider.getSigner(1);
    const { contracts, deployment } = await deployForGateway(admin, registrar.address, admin.address);
    const stablecoin = await deployDemoStablecoin(admin);
    const demo = await setUpDemoOrganisations(
      contracts,
      admin,
      registrar,
      async (i) => (await provider.getSigner(i)).address,
    );
    const setup: KeptSetup = {
      deployment: { ...deployment, demoStablecoin: stablecoin },
      organisations: demo.map((d) => d.organisation),
      demoKeys: demo.map((d) => ({ id: d.organisation.id, apiKey: d.apiKey, account: d.account })),
    };
    keepSetup(dataDir, setup);
    return setup;
  } finally {
    provider.destroy();
  }
}

/** Later starts: the kept deployment must be on the replayed chain. */
async function checkDeployed(rpcUrl: string, setup: KeptSetup) {
  const provider = new JsonRpcProvider(rpcUrl, setup.deployment.chainId, { staticNetwork: true });
  try {
    for (const [name, address] of Object.entries(setup.deployment.contracts)) {
      if ((await provider.getCode(address)) === "0x") {
        throw new Error(
          `the kept deployment's ${name} (${address}) has no code on the resumed chain: the journal and the setup ` +
            "files disagree. Start empty with `npm start -- --reset`.",
        );
      }
    }
  } finally {
    provider.destroy();
  }
}

async function startEmbedded(config: Config, reset: boolean, options: EmbeddedChainOptions) {
  const dataDir = join(config.DATA_DIR, "embedded");
  prepareDataDir(dataDir, reset);
  const rpcUrl = `http://127.0.0.1:${config.CHAIN_PORT}`;
  const chainLog = join(dataDir, "chain.log");
  let node: ChildProcess;
  let ready: ChainReady;
  try {
    ({ node, ready } = await startChain(config.CHAIN_PORT, dataDir, openSync(chainLog, "a"), options));
  } catch (error) {
    throw new Error(
      `${(error as Error).message}; its log: ${chainLog}\n${readFileSync(chainLog, "utf8").slice(-2000)}`,
    );
  }
  const chainReadyAfter = process.uptime(); // seconds since this process started: where a start's time goes
  const resumed = ready.resumed && setupFinished(dataDir) ? ready.resumed : undefined;
  let setup: KeptSetup;
  if (resumed) {
    setup = readSetup(dataDir);
    await checkDeployed(rpcUrl, setup);
  } else {
    setup = await setUp(rpcUrl, dataDir);
  }
  const { deployment, organisations } = setup;
  const stablecoin = deployment.demoStablecoin!;
  writeDeployment(config.DEPLOYMENT_FILE, deployment);
  const demo = setup.demoKeys.map((k) => ({ ...k, organisation: organisations.find((o) => o.id === k.id)! }));

  const gateway = await startGateway(
    { ...config, DATA_DIR: dataDir, RPC_URL: undefined, RELAYER_PRIVATE_KEY: devWallet(0).privateKey },
    {
      logger: createLogger(config.LOG_LEVEL),
      organisations: new OrganisationDirectory(organisations),
      demo: { stablecoin },
      demoKeys: demo.map(({ organisation: o, apiKey }) => ({
        id: o.id,
        name: o.name,
        role: o.role,
        address: o.address,
        apiKey,
      })),
    },
  );

  const lines = [
    "",
    "IP Pledge Registry is running.",
    resumed
      ? `  resumed     the register kept in ${dataDir}, started ${resumed.since}: ${resumed.blocks} blocks, ` +
        `${resumed.entries} journaled writes; ` +
        (resumed.checkpoint
          ? `checkpoint of the first ${resumed.checkpoint.entries} loaded in ` +
            `${(resumed.checkpoint.loadMs / 1000).toFixed(1)} s, then `
          : "") +
        `${resumed.entries - (resumed.checkpoint?.entries ?? 0)} replayed in ${(resumed.replayMs / 1000).toFixed(1)} s` +
        (resumed.droppedBytes
          ? ` (a torn last line of ${resumed.droppedBytes} bytes, never acknowledged, dropped)`
          : "") +
        (resumed.rejected?.length ? `\n              passed over: ${resumed.rejected.join("; ")}` : "")
      : `  new         register kept in ${dataDir} (npm start -- --reset starts empty)`,
    `  web app     ${gateway.url}/   (sign in with a demo organisation below)`,
    `  gateway     ${gateway.url}/v1   (docs: ${gateway.url}/v1/docs, OpenAPI: ${gateway.url}/v1/openapi.json)`,
    `  chain       ${rpcUrl}   (${ready.engine}, chain id ${deployment.chainId}; log: ${chainLog}; ready ` +
      `${chainReadyAfter.toFixed(1)} s after npm start, the gateway ${process.uptime().toFixed(1)} s)`,
    `  deployment  ${config.DEPLOYMENT_FILE}`,
    "",
    `Demo organisations (embedded chain only). Their API keys are kept in ${join(dataDir, "demo-keys.json")}; the`,
    "signing keys are Hardhat's public development keys — DEMO ONLY, never use them anywhere else:",
    ...demo.map(
      (d) =>
        `  ${d.organisation.id.padEnd(20)} ${d.organisation.role.padEnd(10)} ${d.organisation.address}\n` +
        `      API key:     ${d.apiKey}\n      signing key: ${devWallet(d.account).privateKey}`,
    ),
    "",
    `Demo stablecoin (a pool's paymentToken here): ${stablecoin} (tCNY, 2 decimals). Fund a party's wallet with`,
    `test money and gas (demo chain only): curl -X POST -H "content-type: application/json" \\`,
    `  -d '{"address":"0x…","amount":"100000000"}' ${gateway.url}/v1/demo/faucet`,
    "",
    `Try: curl -H "Authorization: Bearer ${demo[1].apiKey}" ${gateway.url}/v1/health`,
    "Press Ctrl-C to stop.",
    "",
  ];
  process.stdout.write(lines.join("\n"));
  return { gateway, node };
}

async function main() {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    process.stderr.write(`${(error as ConfigError).message}\n`);
    process.exit(2);
  }
  await checkPortsFree(config);
  let gateway: RunningGateway;
  let node: ChildProcess | undefined;
  if (config.RPC_URL) {
    gateway = await startGateway(config);
    process.stdout.write(
      `\nIP Pledge Registry gateway on ${gateway.url}/v1, chain ${config.RPC_URL}. Ctrl-C to stop.\n`,
    );
  } else {
    ({ gateway, node } = await startEmbedded(config, process.argv.includes("--reset"), chainOptions(process.argv)));
  }

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`\n${signal}: stopping the gateway${node ? " and the chain" : ""}…\n`);
    await gateway.close();
    if (node && node.exitCode === null) {
      node.kill("SIGTERM");
      await new Promise((resolve) => node!.once("exit", resolve));
    }
    process.stdout.write("stopped.\n");
    process.exit(0);
  };
  process.once("SIGINT", () => void stop("SIGINT"));
  process.once("SIGTERM", () => void stop("SIGTERM"));
  node?.once("exit", (code) => {
    if (!stopping) {
      process.stderr.write(`the embedded chain stopped unexpectedly (code ${code})\n`);
      void gateway.close().then(() => process.exit(1));
    }
  });
}

main().catch((error) => {
  process.stderr.write(`could not start: ${(error as Error).message}\n`);
  process.exit(1);
});
