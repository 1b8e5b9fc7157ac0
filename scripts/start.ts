/**
 * `npm start` — the main job. Without RPC_URL: start a Hardhat JSON-RPC node on 127.0.0.1:8545, deploy the
 * registry, set up demo organisations with API keys, and serve the gateway on http://127.0.0.1:8080. With RPC_URL:
 * start no chain; use the deployment file and the organisations file from the configuration.
 * Before anything is written, deployed or deleted, the ports it needs must be free (else it refuses and says which).
 * Ctrl-C stops everything cleanly; if this process is killed outright, the chain it started exits on its own.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { HDNodeWallet, JsonRpcProvider, Mnemonic } from "ethers";
import { ConfigError, loadConfig, type Config } from "../api/src/config/env";
import { writeDeployment } from "../api/src/chain/deployment";
import { OrganisationDirectory } from "../api/src/organisations";
import { startGateway, type RunningGateway } from "../api/src/index";
import { createLogger } from "../api/src/logger";
import { deployDemoStablecoin, deployForGateway, setUpDemoOrganisations } from "./lib/bootstrap";

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

/** Start the embedded chain (scripts/lib/embeddedChain.ts) and wait until it says it listens. */
async function startChain(port: number, log: number): Promise<ChildProcess> {
  const node = spawn(
    process.execPath,
    ["-r", "ts-node/register/transpile-only", join(__dirname, "lib/embeddedChain.ts"), String(port)],
    { cwd: join(__dirname, ".."), stdio: ["ignore", log, log, "ipc"] },
  );
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("the Hardhat node did not start within 90 s")), 90_000);
    node.once("message", () => {
      clearTimeout(timer);
      resolve();
    });
    node.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the Hardhat node exited with code ${code} before it listened`));
    });
  });
  return node;
}

async function startEmbedded(config: Config) {
  const dataDir = join(config.DATA_DIR, "embedded");
  // The embedded chain starts empty, so the documents and drafts of an earlier run no longer match it.
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  const rpcUrl = `http://127.0.0.1:${config.CHAIN_PORT}`;
  const chainLog = join(dataDir, "chain.log");
  let node: ChildProcess;
  try {
    node = await startChain(config.CHAIN_PORT, openSync(chainLog, "a"));
  } catch (error) {
    throw new Error(
      `${(error as Error).message}; its log: ${chainLog}\n${readFileSync(chainLog, "utf8").slice(-2000)}`,
    );
  }
  // No response cache: the next step must see the chain as the step before left it.
  const provider = new JsonRpcProvider(rpcUrl, undefined, { pollingInterval: 250, cacheTimeout: -1 });

  const admin = await provider.getSigner(0);
  const registrar = await provider.getSigner(1);
  const { contracts, deployment } = await deployForGateway(admin, registrar.address, admin.address);
  const stablecoin = await deployDemoStablecoin(admin);
  writeDeployment(config.DEPLOYMENT_FILE, { ...deployment, demoStablecoin: stablecoin });
  const demo = await setUpDemoOrganisations(
    contracts,
    admin,
    registrar,
    async (i) => (await provider.getSigner(i)).address,
  );
  const organisationsFile = join(dataDir, "organisations.json");
  writeFileSync(
    organisationsFile,
    JSON.stringify(
      demo.map((d) => d.organisation),
      null,
      2,
    ),
  );

  provider.destroy();
  const gateway = await startGateway(
    { ...config, DATA_DIR: dataDir, RPC_URL: undefined, RELAYER_PRIVATE_KEY: devWallet(0).privateKey },
    {
      logger: createLogger(config.LOG_LEVEL),
      organisations: new OrganisationDirectory(demo.map((d) => d.organisation)),
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
    `  web app     ${gateway.url}/   (sign in with a demo organisation below)`,
    `  gateway     ${gateway.url}/v1   (docs: ${gateway.url}/v1/docs, OpenAPI: ${gateway.url}/v1/openapi.json)`,
    `  chain       ${rpcUrl}   (Hardhat, chain id ${deployment.chainId}; log: ${join(dataDir, "chain.log")})`,
    `  deployment  ${config.DEPLOYMENT_FILE}`,
    "",
    "Demo organisations (embedded chain only). API keys are shown once; the signing keys are Hardhat's public",
    "development keys — DEMO ONLY, never use them anywhere else:",
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
    ({ gateway, node } = await startEmbedded(config));
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
      process.stderr.write(`the Hardhat node stopped unexpectedly (code ${code})\n`);
      void gateway.close().then(() => process.exit(1));
    }
  });
}

main().catch((error) => {
  process.stderr.write(`could not start: ${(error as Error).message}\n`);
  process.exit(1);
});
