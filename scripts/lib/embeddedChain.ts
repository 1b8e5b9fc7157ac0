/**
 * The Hardhat node `npm start` runs (`node -r ts-node/register/transpile-only scripts/lib/embeddedChain.ts PORT`,
 * spawned with an IPC channel). It is `hardhat node` on 127.0.0.1:PORT with two differences:
 * - it goes when its parent goes: when the IPC channel closes — the parent exited, even killed with SIGKILL — it
 *   exits, so a killed gateway never leaves an orphan chain holding the port;
 * - its clock follows the wall clock (SPEC §4.3): blocks mined within the same second share that second, instead of
 *   each automined block taking the next second, which ran the chain's clock ahead of the wall clock under many
 *   quick writes. (The in-process test network keeps Hardhat's one second per block, which the tests' dates and the
 *   gas snapshot assume.)
 * It tells its parent `{ ready: true }` once it listens; an error (the port is taken) ends it with a message on
 * stderr and exit code 1.
 */
import hre from "hardhat";
import {
  TASK_NODE_CREATE_SERVER,
  TASK_NODE_GET_PROVIDER,
  TASK_NODE_SERVER_READY,
} from "hardhat/builtin-tasks/task-names";
import type { HardhatNetworkConfig } from "hardhat/types";
import type { JsonRpcServer } from "hardhat/types";

async function main() {
  const port = Number(process.argv[2]);
  if (!process.send) throw new Error("start me from scripts/start.ts: I need my parent's IPC channel");
  process.once("disconnect", () => process.exit(0));

  // The network's provider is created on first use, with these settings. Hardhat dates the chain's start when it
  // reads its configuration, seconds before the provider starts the clock (which then lags the wall clock by those
  // seconds): without a date, the provider takes the time it starts.
  const chain = hre.network.config as HardhatNetworkConfig;
  chain.allowBlocksWithSameTimestamp = true;
  delete (chain as { initialDate?: string }).initialDate;
  const provider = await hre.run(TASK_NODE_GET_PROVIDER, {});
  const server: JsonRpcServer = await hre.run(TASK_NODE_CREATE_SERVER, { hostname: "127.0.0.1", port, provider });
  const { address, port: listening } = await server.listen();
  await hre.run(TASK_NODE_SERVER_READY, { address, port: listening, provider, server });
  process.send({ ready: true });
  await server.waitUntilClosed();
}

main().catch((error) => {
  process.stderr.write(`the embedded chain stopped: ${(error as Error).message}\n`);
  process.exit(1);
});
