/**
 * Starts the gateway: connect to the chain and the deployment, listen, and shut down cleanly on SIGINT/SIGTERM
 * (stop accepting, finish requests in flight, close). `startGateway` is also what `npm start` calls after it has
 * started the embedded chain.
 */
import { createServer, type Server } from "node:http";
import { Wallet } from "ethers";
import { loadConfig, ConfigError, type Config } from "./config/env";
import { createLogger, type Logger } from "./logger";
import { readDeployment } from "../../definitions/deployment";
import { connectRegistry } from "./chain/registry";
import { ChainProvider } from "./chain/provider";
import { Relayer } from "./chain/relayer";
import { DocumentStore } from "./documents/store";
import { databaseRecords } from "./store/records";
import { startRecordSweep } from "./store/prune";
import { OrganisationDirectory } from "./organisations";
import { buildApp } from "./server";
import { openReadModel } from "./indexer/readModel";
import { GatewayIndex } from "./indexer/gatewayIndex";
import type { DemoKey } from "./routes/web/demo";

export interface RunningGateway {
  url: string;
  server: Server;
  close(): Promise<void>;
}

export async function startGateway(
  config: Config,
  options: {
    logger?: Logger;
    organisations?: OrganisationDirectory;
    /** The embedded demo chain's test stablecoin (`npm start` without RPC_URL only): enables the faucet. */
    demo?: { stablecoin: string };
    /** The embedded demo's organisations with their API keys (never with RPC_URL): the web app's sign-in picker. */
    demoKeys?: DemoKey[];
  } = {},
): Promise<RunningGateway> {
  const logger = options.logger ?? createLogger(config.LOG_LEVEL);
  const deployment = readDeployment(config.DEPLOYMENT_FILE);
  const rpcUrl = config.RPC_URL ?? `http://127.0.0.1:${config.CHAIN_PORT}`;
  const provider = new ChainProvider(rpcUrl, deployment.chainId, config.RPC_TIMEOUT_MS);
  const signer = new Wallet(config.RELAYER_PRIVATE_KEY!, provider);
  const organisations = options.organisations ?? OrganisationDirectory.fromFile(config.ORGANISATIONS_FILE!);
  const relayer = new Relayer(signer, {
    rpcTimeoutMs: config.RPC_TIMEOUT_MS,
    receiptTimeoutMs: config.RECEIPT_TIMEOUT_MS,
    maxInFlight: config.RELAYER_MAX_IN_FLIGHT,
    replaceAfterMs: config.RELAYER_REPLACE_AFTER_MS,
    maxReplacements: config.RELAYER_MAX_REPLACEMENTS,
  });
  const registry = connectRegistry(deployment, relayer);
  const readModel = await openReadModel({
    deployment,
    rpc: rpcUrl,
    rpcTimeoutMs: config.RPC_TIMEOUT_MS,
    ...(config.DATABASE_URL ? { url: config.DATABASE_URL } : { dataDir: config.DATA_DIR }),
    onError: (err) => logger.warn({ err }, "read model: following the chain failed; retrying"),
    onWarning: (message) => logger.warn(message),
    follow: false,
  });
  // Catch up before listening: reads are not served from a half-built index, and PGlite's work (in this thread)
  // does not hold up the first requests. A chain that does not answer now is the polling loop's to retry.
  await readModel.follower.syncOnce().catch((err) => logger.warn({ err }, "read model: first catch-up failed"));
  readModel.follower.start();
  const app = buildApp({
    index: new GatewayIndex(readModel, config.INDEX_WAIT_MS, logger),
    config,
    logger,
    registry,
    store: new DocumentStore(config.DATA_DIR),
    // Drafts, idempotency records, batching queues…: in the read model's database, shared by every gateway on it.
    records: databaseRecords(readModel.db),
    organisations,
    demo: options.demo,
    demoKeys: config.RPC_URL ? undefined : options.demoKeys,
  });

  // Expired idempotency and prepared-transaction records go (every gateway sweeps; safe at once: store/prune.ts).
  const sweep = startRecordSweep(readModel.db, {
    idempotencyMs: config.IDEMPOTENCY_RETENTION_HOURS * 3_600_000,
    intervalMs: config.RECORD_SWEEP_INTERVAL_MS,
    onSwept: (deleted) => logger.debug(deleted, "records: expired ones deleted"),
    onError: (err) => logger.warn({ err }, "records: the sweep of expired records failed; retrying"),
  });

  const server = createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.PORT, config.HOST, resolve);
  }).catch(async (error) => {
    await sweep.stop();
    await readModel.close(); // give back the data folder's lock
    throw error;
  });
  const url = `http://${config.HOST}:${config.PORT}`;
  logger.info({ url, chainId: deployment.chainId, relayer: await registry.relayer.address() }, "gateway listening");
  return {
    url,
    server,
    // Stop accepting, let requests in flight finish, then flush the logs (pino buffers them) so that nothing is
    // written after the gateway says it has stopped.
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      // Closing idle keep-alive sockets emits the responses' "close" events (and pino-http's log lines) on later
      // ticks than the server's close callback: let them run before flushing.
      for (let tick = 0; tick < 3; tick++) await new Promise<void>((resolve) => setImmediate(resolve));
      await sweep.stop();
      await readModel.close();
      await new Promise<void>((resolve) => logger.flush(() => resolve()));
      provider.destroy();
    },
  };
}

/** Run the gateway alone against RPC_URL (the embedded chain is `npm start`'s job). */
async function main() {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    process.stderr.write(`${(error as ConfigError).message}\n`);
    process.exit(2);
  }
  const gateway = await startGateway(config);
  const stop = async (signal: string) => {
    process.stderr.write(`${signal}: shutting down\n`);
    await gateway.close();
    process.exit(0);
  };
  process.once("SIGINT", () => void stop("SIGINT"));
  process.once("SIGTERM", () => void stop("SIGTERM"));
}

if (require.main === module) {
  main().catch((error) => {
    process.stderr.write(`gateway failed to start: ${(error as Error).message}\n`);
    process.exit(1);
  });
}
