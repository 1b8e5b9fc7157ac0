/**
 * The read model as the gateway opens it: the database (PostgreSQL with a URL, else PGlite in a folder), the
 * follower of the deployment's contracts, and `close`. The gateway's start-up (index.ts) calls it with the values
 * env.ts reads (DATABASE_URL, DATA_DIR, the RPC URL) and serves reads from `db` (routes/*, through GatewayIndex).
 */
import { openDatabase, type DatabaseOptions, type ReadModelDatabase } from "../store/database";
import type { Deployment } from "../../../definitions/deployment";
import { ChainFollower, type FollowerOptions } from "./follower";
import { httpJsonRpc, type JsonRpc } from "./jsonRpc";

export interface ReadModelOptions extends DatabaseOptions {
  deployment: Pick<Deployment, "chainId" | "blockNumber" | "contracts"> & Pick<Partial<Deployment>, "firstBlock">;
  /** The chain: an RPC URL (plain fetch with a timeout), or any JsonRpc function. */
  rpc: string | JsonRpc;
  rpcTimeoutMs?: number;
  rangeSize?: number;
  pollIntervalMs?: number;
  onError?: FollowerOptions["onError"];
  /** Start polling at once (default true). */
  follow?: boolean;
  /** Told when the deployment file does not say its first block (an old file) and it has to be searched for. */
  onWarning?: (message: string) => void;
}

export interface ReadModel {
  db: ReadModelDatabase["db"];
  kind: ReadModelDatabase["kind"];
  follower: ChainFollower;
  /** The chain the follower reads (e.g. for its head after a write). */
  rpc: JsonRpc;
  close(): Promise<void>;
}

/**
 * The first block holding any of `addresses`' code, searched by halves below `atOrAfter` (the deployment file's
 * blockNumber is the chain's head *after* deploying, so the registry's own set-up events lie before it). A node
 * that cannot answer for old blocks (no archive) leaves `atOrAfter`.
 */
export async function firstBlockWithCode(rpc: JsonRpc, addresses: string[], atOrAfter: number): Promise<number> {
  const hasCode = async (block: number) => {
    for (const address of addresses) {
      const code = (await rpc("eth_getCode", [address, `0x${block.toString(16)}`])) as string;
      if (code && code !== "0x") return true;
    }
    return false;
  };
  try {
    if (!(await hasCode(atOrAfter))) return atOrAfter;
    let low = 1; // block 0 is genesis: nothing of ours is there
    let high = atOrAfter;
    while (low < high) {
      const mid = Math.floor((low + high) / 2);
      if (await hasCode(mid)) high = mid;
      else low = mid + 1;
    }
    return low;
  } catch {
    return atOrAfter;
  }
}

export async function openReadModel(options: ReadModelOptions): Promise<ReadModel> {
  const rpc = typeof options.rpc === "string" ? httpJsonRpc(options.rpc, options.rpcTimeoutMs) : options.rpc;
  const database = await openDatabase(options);
  try {
    const state = await database.db.selectFrom("indexer_state").select("start_block").executeTakeFirst();
    const { deployment } = options;
    let startBlock = state ? Number(state.start_block) : deployment.firstBlock;
    if (startBlock === undefined) {
      startBlock = await firstBlockWithCode(
        rpc,
        Object.values(deployment.contracts),
        Math.max(1, deployment.blockNumber),
      );
      options.onWarning?.(
        `the deployment file does not record its first block (written before firstBlock existed): following the ` +
          `chain from block ${startBlock}, the first block holding the registry's code; deploy again to record it`,
      );
    }
    const follower = await ChainFollower.open({
      db: database.db,
      rpc,
      chainId: deployment.chainId,
      startBlock,
      contracts: deployment.contracts,
      rangeSize: options.rangeSize,
      pollIntervalMs: options.pollIntervalMs,
      onError: options.onError,
    });
    if (options.follow ?? true) follower.start();
    return {
      db: database.db,
      kind: database.kind,
      follower,
      rpc,
      close: async () => {
        await follower.stop();
        await database.close();
      },
    };
  } catch (error) {
    await database.close();
    throw error;
  }
}
