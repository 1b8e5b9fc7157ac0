/**
 * `npm start` — the main job. Without RPC_URL: start a Hardhat JSON-RPC node on 127.0.0.1:8545, deploy the
 * registry, set up demo organisations with API keys, and serve the gateway on http://127.0.0.1:8080. With RPC_URL:
 * start no chain; use the deployment file and the organisations file from the configuration.
 * Ctrl-C stops everything cleanly.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, openSync, rmSync, writeFileSync } from "node:fs";
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

/** Wait until the node answers JSON-RPC (a plain fetch: ethers would log every failed attempt). */
async function waitForChain(url: string, child: ChildProcess, seconds = 90): Promise<JsonRpcProvider> {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`the Hardhat node exited with code ${child.exitCode} (is port ${new URL(url).port} taken?)`);
    try {
      const answer = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
      });
      // No response cache: a party preparing its next step right after one was mined must see the chain as it is.
      if (answer.ok) return new JsonRpcProvider(url, undefined, { pollingInterval: 250, cacheTimeout: -1 });
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`the Hardhat node did not answer on ${url} within ${seconds}s`);
}

async function startEmbedded(config: Config) {
  const dataDir = join(config.DATA_DIR, "embedded");
  // The embedded chain starts empty, so the documents and drafts of an earlier run no longer match it.
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  const rpcUrl = `http://127.0.0.1:${config.CHAIN_PORT}`;
  const chainLog = openSync(join(dataDir, "chain.log"), "a");
  const node = spawn(
    process.execPath,
    [
      require.resolve("hardhat/internal/cli/cli"),
      "node",
      "--hostname",
      "127.0.0.1",
      "--port",
      String(config.CHAIN_PORT),
    ],
    { stdio: ["ignore", chainLog, chainLog] },
  );
  const provider = await waitForChain(rpcUrl, node);

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

  const gateway = await startGateway(
    { ...config, DATA_DIR: dataDir, RPC_URL: undefined },
    {
      logger: createLogger(config.LOG_LEVEL),
      relayerSigner: devWallet(0).connect(provider),
      organisations: new OrganisationDirectory(demo.map((d) => d.organisation)),
      demo: { stablecoin },
    },
  );

  const lines = [
    "",
    "IP Pledge Registry is running.",
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
