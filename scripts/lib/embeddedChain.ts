/**
 * The Hardhat node `npm start` runs (`node -r ts-node/register/transpile-only scripts/lib/embeddedChain.ts PORT DIR`,
 * spawned with an IPC channel). It is `hardhat node` on 127.0.0.1:PORT with these differences:
 * - it keeps what it is told: every state-changing call is journaled in DIR/chain.journal and fsync'ed before it is
 *   answered; started again on the same DIR, it replays the journal into a chain with the same genesis, so it holds
 *   the same blocks, transactions and hashes as before the stop — however the stop came (scripts/lib/journaledChain.ts);
 * - it goes when its parent goes: when the IPC channel closes — the parent exited, even killed with SIGKILL — it
 *   exits, so a killed gateway never leaves an orphan chain holding the port;
 * - its clock follows the wall clock (SPEC §4.3): blocks mined within the same second share that second, and after a
 *   replay the clock is put back on the wall clock. (The in-process test network keeps Hardhat's one second per
 *   block, which the tests' dates and the gas snapshot assume.)
 * It tells its parent `{ ready: true, resumed? }` once it listens (`resumed`: what the replay restored); an error (the
 * port is taken, the journal is damaged) ends it with a message on stderr and exit code 1.
 */
import { join } from "node:path";
import hre from "hardhat";
import { TASK_NODE_CREATE_SERVER, TASK_NODE_SERVER_READY } from "hardhat/builtin-tasks/task-names";
import type { JsonRpcServer } from "hardhat/types";
import { ChainJournal, JOURNAL_FILE, JOURNAL_KIND, JOURNAL_VERSION, type ChainReady } from "./chainJournal";
import { JournaledProvider, createChain, followWallClock, replayJournal } from "./journaledChain";

async function main() {
  const port = Number(process.argv[2]);
  const dir = process.argv[3];
  if (!process.send || !dir) throw new Error("start me from scripts/start.ts: I need my parent's IPC channel and DIR");
  process.once("disconnect", () => process.exit(0));

  const path = join(dir, JOURNAL_FILE);
  const existing = ChainJournal.exists(path) ? ChainJournal.open(path) : undefined;
  // A new journal pins the genesis date to this second; Hardhat's clock then starts there, seconds behind the wall
  // clock by the time the provider is up, which followWallClock makes good.
  const initialDate = existing?.header.initialDate ?? new Date(Math.floor(Date.now() / 1000) * 1000).toISOString();
  const chain = await createChain(hre.config, initialDate);
  await chain.request({ method: "hardhat_setLoggingEnabled", params: [false] });

  let journal: ChainJournal;
  let ready: ChainReady = { ready: true };
  if (existing) {
    const replay = await replayJournal(chain, existing.header.genesisHash, existing.entries);
    const last = existing.entries[existing.entries.length - 1];
    await followWallClock(chain, last?.offset ?? 0);
    journal = existing;
    ready = {
      ready: true,
      resumed: {
        entries: replay.entries,
        blocks: replay.blocks,
        since: existing.header.createdAt,
        replayMs: replay.ms,
        droppedBytes: existing.droppedBytes,
      },
    };
  } else {
    const genesis = (await chain.request({ method: "eth_getBlockByNumber", params: ["0x0", false] })) as {
      hash: string;
    };
    journal = ChainJournal.create(path, {
      kind: JOURNAL_KIND,
      version: JOURNAL_VERSION,
      chainId: hre.config.networks.hardhat.chainId,
      initialDate,
      genesisHash: genesis.hash,
      createdAt: new Date().toISOString(),
    });
    await followWallClock(chain, 0);
  }
  const logging = hre.userConfig.networks?.hardhat?.loggingEnabled ?? true; // as `hardhat node` does
  await chain.request({ method: "hardhat_setLoggingEnabled", params: [logging] });

  const provider = new JournaledProvider(chain, journal);
  const server: JsonRpcServer = await hre.run(TASK_NODE_CREATE_SERVER, { hostname: "127.0.0.1", port, provider });
  const { address, port: listening } = await server.listen();
  await hre.run(TASK_NODE_SERVER_READY, { address, port: listening, provider, server });
  process.send(ready);
  await server.waitUntilClosed();
}

main().catch((error) => {
  process.stderr.write(`the embedded chain stopped: ${(error as Error).message}\n`);
  process.exit(1);
});
