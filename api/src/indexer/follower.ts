/**
 * Our own chain follower. From the deployment block (never block 0) it reads the logs of every tracked address —
 * the registry's contracts and the receivable pools found later — in bounded block ranges, one eth_getLogs with an
 * address list per range, and writes each range in one database transaction: the events (decoded with the compiled
 * ABIs; unknown logs raw), the projections, the block hashes and the cursor. Before each step it checks that the
 * block under its cursor is still on the chain; if not, it walks back to the newest stored block the chain still
 * has, and rolls the index back to it (undo log, or a rebuild from events if the reorg is deeper than the log kept).
 *
 * Pools are deployed by originators after the registry: a ReceivableAssigned event (LicenceRegistry) adds its pool
 * to the tracked addresses and its logs are fetched from the deployment block on, in the same transaction; the
 * gateway may also call `trackAddress` for a pool it has just deployed, before any licence is assigned to it.
 */
import { EventEmitter } from "node:events";
import { getAddress } from "ethers";
import { sql, type Kysely, type Transaction } from "kysely";
import type { ReadModel } from "../store/schema";
import { PROJECTION_TABLES } from "../store/schema";
import { decodeLog, ROLE_ABIS, type ContractRole } from "./decode";
import { blockHeader, blockNumber, getLogs, type JsonRpc, type RpcLog } from "./jsonRpc";
import { ProjectionWriter, applyEvent, undoAbove } from "./projections";
import { readPoolImmutables } from "./poolImmutables";

export interface FollowerOptions {
  db: Kysely<ReadModel>;
  rpc: JsonRpc;
  chainId: number;
  /** The deployment's block: nothing of the registry is older. */
  startBlock: number;
  /** The deployment file's contracts: role (e.g. "pledgeRegistry") → address. */
  contracts: Partial<Record<Exclude<ContractRole, "pool">, string>>;
  /** Blocks per eth_getLogs (default 2,000). */
  rangeSize?: number;
  /** How often `start()` polls eth_blockNumber (default 250 ms). */
  pollIntervalMs?: number;
  /** Blocks of undo records kept below the head (default 10,000); a deeper reorg rebuilds from events. */
  undoDepth?: number;
  /** Called with any error of the polling loop (which keeps going). */
  onError?: (error: unknown) => void;
}

export class IndexMismatchError extends Error {}

/** The index's head as this process last saw it: its block, hash and unix time (null when unknown). */
export interface IndexHead {
  block: number;
  hash: string | null;
  time: string | null;
}

const FOLLOWER_LOCK = 4_451_002;
/** Event rows per INSERT statement. */
const INSERT_CHUNK = 500;

export class ChainFollower {
  private readonly db: Kysely<ReadModel>;
  private readonly rpc: JsonRpc;
  private readonly rangeSize: number;
  private readonly pollIntervalMs: number;
  private readonly undoDepth: number;
  private readonly heads = new EventEmitter();
  /** Serialises syncOnce / trackAddress within this process. */
  private queue: Promise<unknown> = Promise.resolve();
  private loop: Promise<void> | undefined;
  private running = false;
  /** The head as last read or written by this process (reads answer from it without a query). */
  private known: IndexHead | undefined;

  private constructor(private readonly options: FollowerOptions) {
    this.db = options.db;
    this.rpc = options.rpc;
    this.rangeSize = options.rangeSize ?? 2_000;
    this.pollIntervalMs = options.pollIntervalMs ?? 250;
    this.undoDepth = options.undoDepth ?? 10_000;
    this.heads.setMaxListeners(0);
  }

  /** Checks (or, the first time, writes) which chain and deployment this database indexes. */
  static async open(options: FollowerOptions): Promise<ChainFollower> {
    if (!Number.isInteger(options.startBlock) || options.startBlock < 1) {
      throw new Error("the follower starts at the deployment block, never at block 0");
    }
    const follower = new ChainFollower(options);
    const registry = Object.entries(options.contracts).map(([role, address]) => ({
      address: getAddress(address as string),
      source: "registry",
      role,
      from_block: String(options.startBlock),
    }));
    await options.db.transaction().execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(${FOLLOWER_LOCK})`.execute(trx);
      const state = await trx.selectFrom("indexer_state").selectAll().executeTakeFirst();
      if (!state) {
        await trx
          .insertInto("indexer_state")
          .values({
            id: 1,
            chain_id: String(options.chainId),
            start_block: String(options.startBlock),
            head_block: String(options.startBlock - 1),
            head_hash: null,
            undo_floor: String(options.startBlock - 1),
          })
          .execute();
        if (registry.length) await trx.insertInto("tracked_addresses").values(registry).execute();
        return;
      }
      const known = await trx.selectFrom("tracked_addresses").selectAll().where("source", "=", "registry").execute();
      const same =
        state.chain_id === String(options.chainId) &&
        state.start_block === String(options.startBlock) &&
        known.length === registry.length &&
        registry.every((r) => known.some((k) => k.address === r.address && k.role === r.role));
      if (!same) {
        throw new IndexMismatchError(
          `this database indexes chain ${state.chain_id} from block ${state.start_block} with other contracts ` +
            `than the deployment file (chain ${options.chainId}, block ${options.startBlock}); use a new database`,
        );
      }
    });
    return follower;
  }

  private serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** The last block whose logs are all in the index (read from the database: another gateway may have moved it). */
  async headBlock(): Promise<number> {
    const state = await this.db
      .selectFrom("indexer_state")
      .select(["head_block", "head_hash", "head_time"])
      .executeTakeFirstOrThrow();
    return this.saw(state).block;
  }

  /**
   * The head as this process last saw it — updated by its own ranges and walk-backs, by every poll (which reads the
   * cursor another gateway may have moved) and by `headBlock` — or read now if it has not seen one yet.
   */
  async head(): Promise<IndexHead> {
    if (!this.known) await this.headBlock();
    return this.known!;
  }

  private saw(state: { head_block: string; head_hash: string | null; head_time: string | null }): IndexHead {
    const block = Number(state.head_block);
    if (this.known?.block !== block || this.known.hash !== state.head_hash || this.known.time !== state.head_time) {
      this.known = { block, hash: state.head_hash, time: state.head_time };
    }
    return this.known;
  }

  /**
   * Resolves with the index's head once it has reached `block` (read-your-writes: a write's receipt block). Wakes
   * on this process's progress at once, and polls the database for another gateway's follower.
   */
  async waitForBlock(block: number, timeoutMs = 10_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const head = await this.headBlock();
      if (head >= block) return head;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`the index did not reach block ${block} within ${timeoutMs} ms (at ${head})`);
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          this.heads.off("head", done);
          resolve();
        };
        const timer = setTimeout(done, Math.min(left, this.pollIntervalMs));
        this.heads.on("head", done);
      });
    }
  }

  /** Polls the chain until `stop()`. */
  start() {
    if (this.running) return;
    this.running = true;
    this.loop = (async () => {
      while (this.running) {
        try {
          await this.syncOnce();
        } catch (error) {
          this.options.onError?.(error);
        }
        if (this.running) await new Promise((resolve) => setTimeout(resolve, this.pollIntervalMs));
      }
    })();
  }

  async stop() {
    this.running = false;
    await this.loop;
    await this.queue;
  }

  /** Catches up with the chain's current head (walking back first if the chain reorganised); returns the head. */
  syncOnce(): Promise<number> {
    return this.serial(() => this.catchUp());
  }

  /**
   * Follows `address` too, from `fromBlock` (a pool the gateway has just deployed): its logs up to the index's head
   * are fetched now. Kept through reorgs.
   */
  trackAddress(address: string, fromBlock: number, role: ContractRole = "pool"): Promise<void> {
    return this.serial(async () => {
      const checksummed = getAddress(address);
      await this.db.transaction().execute(async (trx) => {
        const state = await this.lockState(trx);
        const start = Math.max(fromBlock, Number(state.start_block));
        await trx
          .insertInto("tracked_addresses")
          .values({ address: checksummed, source: "api", role, from_block: String(start) })
          .onConflict((oc) => oc.column("address").doNothing())
          .execute();
        const writer = new ProjectionWriter(trx);
        await this.backfill(trx, writer, checksummed, role, start, Number(state.head_block));
      });
      // The index changed below its head: a new head object, so that answers cached at the old one are dropped.
      if (this.known) this.known = { ...this.known };
    });
  }

  private async lockState(trx: Transaction<ReadModel>) {
    return trx.selectFrom("indexer_state").selectAll().where("id", "=", 1).forUpdate().executeTakeFirstOrThrow();
  }

  private async rolesByAddress() {
    const rows = await this.db.selectFrom("tracked_addresses").select(["address", "role"]).execute();
    return new Map(rows.map((r) => [r.address.toLowerCase(), r.role as ContractRole]));
  }

  private async catchUp(): Promise<number> {
    for (;;) {
      const state = await this.db.selectFrom("indexer_state").selectAll().executeTakeFirstOrThrow();
      this.saw(state);
      const head = Number(state.head_block);
      const startBlock = Number(state.start_block);
      if (head >= startBlock) {
        const onChain = await blockHeader(this.rpc, head);
        if (!onChain || onChain.hash !== state.head_hash) {
          await this.walkBack(head);
          continue;
        }
      }
      const chainHead = await blockNumber(this.rpc);
      if (chainHead <= head) return head;
      const from = head + 1;
      const to = Math.min(head + this.rangeSize, chainHead);
      const fromHeader = await blockHeader(this.rpc, from);
      const toHeader = from === to ? fromHeader : await blockHeader(this.rpc, to);
      if (!fromHeader || !toHeader) continue; // the chain shrank meanwhile
      if (head >= startBlock && fromHeader.parentHash !== state.head_hash) continue; // reorg: the next pass walks back
      const roles = await this.rolesByAddress();
      const logs = await getLogs(this.rpc, [...roles.keys()], from, to);
      const toAgain = await blockHeader(this.rpc, to);
      if (!toAgain || toAgain.hash !== toHeader.hash) continue; // reorganised while reading: read again
      if (logs.some((l) => l.removed || (Number(l.blockNumber) === to && l.blockHash !== toHeader.hash))) continue;
      const moved = await this.db.transaction().execute(async (trx) => {
        const locked = await this.lockState(trx);
        if (Number(locked.head_block) !== head) return false; // another follower wrote this range first
        // Blocks this far below the chain's head are final enough: no undo records for them.
        const journalAbove = chainHead - this.undoDepth;
        const writer = new ProjectionWriter(trx, journalAbove);
        await this.ingest(trx, writer, logs, roles, to);
        const blocks = new Map(logs.map((l) => [Number(l.blockNumber), l.blockHash]));
        blocks.set(to, toHeader.hash);
        await trx
          .insertInto("indexed_blocks")
          .values([...blocks].map(([number, hash]) => ({ number: String(number), hash })))
          .onConflict((oc) => oc.column("number").doUpdateSet((eb) => ({ hash: eb.ref("excluded.hash") })))
          .execute();
        const floor = Math.max(Number(locked.undo_floor), to - this.undoDepth, Math.min(to, journalAbove));
        await trx.deleteFrom("undo_log").where("block_number", "<=", String(floor)).execute();
        await trx
          .updateTable("indexer_state")
          .set({
            head_block: String(to),
            head_hash: toHeader.hash,
            head_time: String(Number(toHeader.timestamp)),
            undo_floor: String(floor),
          })
          .where("id", "=", 1)
          .execute();
        return true;
      });
      if (moved) {
        this.known = { block: to, hash: toHeader.hash, time: String(Number(toHeader.timestamp)) };
        this.heads.emit("head", to);
      }
    }
  }

  /** Stores the logs as events and applies them to the projections; follows the pools they name. */
  private async ingest(
    trx: Transaction<ReadModel>,
    writer: ProjectionWriter,
    logs: RpcLog[],
    roles: Map<string, ContractRole>,
    upTo: number,
  ) {
    const ordered = [...logs].sort(
      (a, b) => Number(a.blockNumber) - Number(b.blockNumber) || Number(a.logIndex) - Number(b.logIndex),
    );
    const rows = ordered.map((log) => {
      const role = roles.get(log.address.toLowerCase());
      const decoded = role ? decodeLog(role, log) : null;
      return { log, role, decoded, contract: getAddress(log.address) };
    });
    // One insert per chunk; only the rows new to the index are applied (a backfill may meet known ones).
    const fresh = new Set<string>();
    for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
      const inserted = await trx
        .insertInto("events")
        .values(
          rows.slice(i, i + INSERT_CHUNK).map(({ log, decoded, contract }) => ({
            block_number: String(Number(log.blockNumber)),
            log_index: Number(log.logIndex),
            block_hash: log.blockHash,
            tx_hash: log.transactionHash,
            contract,
            name: decoded?.name ?? null,
            args: decoded ? JSON.stringify(decoded.args) : null,
            topics: JSON.stringify(log.topics),
            data: log.data,
          })),
        )
        .onConflict((oc) => oc.columns(["block_number", "log_index"]).doNothing())
        .returning(["block_number", "log_index"])
        .execute();
      for (const r of inserted) fresh.add(`${r.block_number}:${r.log_index}`);
    }
    for (const { log, role, decoded, contract } of rows) {
      const blockNumber = String(Number(log.blockNumber));
      if (!decoded || !role || !fresh.has(`${blockNumber}:${Number(log.logIndex)}`)) continue;
      writer.block = blockNumber;
      // A pool's first event: it is deployed, so its immutables can be read (filed under this block for a reorg).
      if (role === "pool" && !(await writer.get("pool_immutables", { pool: contract }))) {
        await writer.put("pool_immutables", { ...(await readPoolImmutables(this.rpc, contract, Number(blockNumber))) });
      }
      await applyEvent(writer, role, decoded.name, decoded.args, contract);
      while (writer.discovered.length) {
        const pool = writer.discovered.shift() as string;
        roles.set(pool.toLowerCase(), "pool");
        const start = Number((await this.lockState(trx)).start_block);
        await this.backfill(trx, writer, pool, "pool", start, upTo);
      }
    }
  }

  /** Fetches and ingests one address's logs over [from, to], in ranges. */
  private async backfill(
    trx: Transaction<ReadModel>,
    writer: ProjectionWriter,
    address: string,
    role: ContractRole,
    from: number,
    to: number,
  ) {
    const roles = new Map([[address.toLowerCase(), role]]);
    for (let start = from; start <= to; start += this.rangeSize) {
      const end = Math.min(to, start + this.rangeSize - 1);
      const logs = await getLogs(this.rpc, [address], start, end);
      const block = writer.block;
      await this.ingest(trx, writer, logs, roles, end);
      writer.block = block;
    }
  }

  /** Finds the newest stored block the chain still has, and rolls the index back to it. */
  private async walkBack(head: number) {
    const startBlock = Number(
      (await this.db.selectFrom("indexer_state").select("start_block").executeTakeFirstOrThrow()).start_block,
    );
    let ancestor = startBlock - 1;
    let ancestorTime: string | null = null;
    let below = head + 1;
    search: for (;;) {
      const stored = await this.db
        .selectFrom("indexed_blocks")
        .selectAll()
        .where("number", "<", String(below))
        .orderBy("number", "desc")
        .limit(64)
        .execute();
      if (stored.length === 0) break;
      for (const block of stored) {
        const onChain = await blockHeader(this.rpc, Number(block.number));
        if (onChain && onChain.hash === block.hash) {
          ancestor = Number(block.number);
          ancestorTime = String(Number(onChain.timestamp));
          break search;
        }
        below = Number(block.number);
      }
    }
    await this.rollbackTo(ancestor, ancestorTime, head);
  }

  /** Rolls the index back to `ancestor` in one transaction (only if its head is still `head`). */
  private async rollbackTo(ancestor: number, ancestorTime: string | null, head: number) {
    const rolled = await this.db.transaction().execute(async (trx) => {
      const state = await this.lockState(trx);
      if (Number(state.head_block) !== head) return undefined;
      const deeperThanUndo = ancestor < Number(state.undo_floor);
      if (!deeperThanUndo) await undoAbove(trx, ancestor);
      await trx.deleteFrom("events").where("block_number", ">", String(ancestor)).execute();
      await trx.deleteFrom("indexed_blocks").where("number", ">", String(ancestor)).execute();
      if (deeperThanUndo) await replayProjections(trx);
      const kept = await trx
        .selectFrom("indexed_blocks")
        .select("hash")
        .where("number", "=", String(ancestor))
        .executeTakeFirst();
      await trx
        .updateTable("indexer_state")
        .set({
          head_block: String(ancestor),
          head_hash: kept?.hash ?? null,
          head_time: ancestorTime,
          undo_floor: String(Math.min(Number(state.undo_floor), ancestor)),
        })
        .where("id", "=", 1)
        .execute();
      return { block: ancestor, hash: kept?.hash ?? null, time: ancestorTime };
    });
    if (rolled) this.known = rolled;
    this.heads.emit("head", ancestor);
  }
}

/** Drops the projections and builds them again from the stored events (in one transaction). */
async function replayProjections(trx: Transaction<ReadModel>) {
  for (const table of PROJECTION_TABLES) await trx.deleteFrom(table).execute();
  await trx.deleteFrom("undo_log").execute();
  await trx.deleteFrom("tracked_addresses").where("source", "=", "assignment").execute();
  const roles = new Map(
    (await trx.selectFrom("tracked_addresses").select(["address", "role"]).execute()).map((r) => [
      r.address,
      r.role as ContractRole,
    ]),
  );
  const writer = new ProjectionWriter(trx);
  const events = await trx
    .selectFrom("events")
    .selectAll()
    .where("name", "is not", null)
    .orderBy("block_number")
    .orderBy("log_index")
    .execute();
  for (const event of events) {
    const role = roles.get(event.contract);
    if (!role || !(role in ROLE_ABIS)) continue;
    writer.block = event.block_number;
    await applyEvent(writer, role, event.name as string, event.args as never, event.contract);
    for (const pool of writer.discovered.splice(0)) roles.set(pool, "pool");
  }
}

/** Rebuilds every projection from the events table alone: the chain's record, replayed. */
export async function rebuildProjections(db: Kysely<ReadModel>) {
  await db.transaction().execute(async (trx) => {
    await trx.selectFrom("indexer_state").selectAll().forUpdate().execute();
    await replayProjections(trx);
  });
}
