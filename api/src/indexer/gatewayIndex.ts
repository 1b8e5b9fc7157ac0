/**
 * The read model as the routes use it. A read asks `currentTo()`: the block the index is current to (every answer
 * served from the index says it as `currentToBlock`), or undefined when the index has not yet reached a write this
 * gateway has answered — the route then reads from the chain, as it did before the index, rather than answer stale.
 *
 * Read-your-writes: `readYourWrites` holds a write's response until the index has reached the chain's head as it is
 * once the write is done (which holds the write's block), for at most INDEX_WAIT_MS; on timeout the response goes
 * out anyway and reads fall back to the chain until the index has caught up.
 *
 * Reads are cached in process by (read, head): `cached` keeps an answer until the index's head moves (a new block,
 * or another block at the same height after a reorg), so a read asked again at the same head costs no query; the
 * head itself is the follower's in-memory copy, not a query per request.
 */
import type { RequestHandler } from "express";
import { AppError } from "../errors/AppError";
import type { Logger } from "../logger";
import { blockNumber, type RpcBlock } from "./jsonRpc";
import type { ReadModel } from "./readModel";
import type { IndexHead } from "./follower";

/** Answers kept per head (the oldest is dropped first). */
const CACHE_ENTRIES = 5_000;

export class GatewayIndex {
  /** The newest block a write of this gateway is known to be in but the index may not hold yet. */
  private mustReach = 0;
  /** Answers at `cacheHead` (the follower's head object), by read key; emptied when the index changes. */
  private cache = new Map<string, Promise<unknown>>();
  private cacheHead: IndexHead | undefined;
  /** A head's time asked of the chain, when the index does not hold it (a head indexed before migration 11). */
  private fetchedTime: { hash: string; time: Promise<bigint> } | undefined;

  constructor(
    readonly model: Pick<ReadModel, "db" | "follower" | "rpc">,
    private readonly waitMs: number,
    private readonly logger?: Pick<Logger, "warn">,
  ) {}

  get db() {
    return this.model.db;
  }

  /** The block the index is current to, or undefined if it lags behind a write this gateway has answered. */
  async currentTo(): Promise<number | undefined> {
    const head = await this.model.follower.head();
    return head.block >= this.mustReach ? head.block : undefined;
  }

  /**
   * The unix time of the index's head block: "now" for what depends on the chain's clock (a standing, a verdict),
   * as the chain judged it in that block. Undefined while the index is before its first block.
   */
  async headTime(): Promise<bigint | undefined> {
    const head = await this.model.follower.head();
    if (head.time !== null) return BigInt(head.time);
    if (head.hash === null) return undefined;
    if (this.fetchedTime?.hash !== head.hash) {
      const hash = head.hash;
      const time = (this.model.rpc("eth_getBlockByHash", [hash, false]) as Promise<RpcBlock | null>).then((b) => {
        if (!b) throw new Error(`block ${hash} is not on the chain (reorganised)`);
        return BigInt(b.timestamp);
      });
      time.catch(() => (this.fetchedTime = undefined));
      this.fetchedTime = { hash, time };
    }
    return this.fetchedTime.time;
  }

  /**
   * `read()` once per (key, head): concurrent and repeated asks at the same head share one answer. The key must
   * name everything the answer depends on besides the head (route and parameters); a failed read is not kept.
   */
  async cached<T>(key: string, read: () => Promise<T>): Promise<T> {
    // The follower hands out a new head object whenever the index changes (a range, a walk-back, a tracked pool).
    const head = await this.model.follower.head();
    if (head !== this.cacheHead) {
      this.cache = new Map();
      this.cacheHead = head;
    }
    let answer = this.cache.get(key) as Promise<T> | undefined;
    if (!answer) {
      if (this.cache.size >= CACHE_ENTRIES) this.cache.delete(this.cache.keys().next().value as string);
      const cache = this.cache;
      answer = read();
      cache.set(key, answer);
      answer.catch(() => cache.delete(key));
    }
    return answer;
  }

  /** Waits (at most waitMs) until the index holds every block the chain has now; false on timeout. */
  async catchUp(): Promise<boolean> {
    let target: number;
    try {
      target = await blockNumber(this.model.rpc);
    } catch (error) {
      // The chain is unreachable: nothing was written that the index could read; reads keep the index's answer.
      this.logger?.warn({ err: error }, "read model: the chain's head is unknown after a write");
      return false;
    }
    // Pull the range now rather than wait for the next poll; a failure here is the polling loop's to report.
    const deadline = Date.now() + this.waitMs;
    const synced = this.model.follower.syncOnce().catch(() => undefined);
    try {
      await this.model.follower.waitForBlock(target, this.waitMs);
      // Let that pull finish too (within the same wait), so that it does not run on into the next request.
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([synced, new Promise((resolve) => (timer = setTimeout(resolve, deadline - Date.now())))]);
      clearTimeout(timer);
      return true;
    } catch {
      this.mustReach = Math.max(this.mustReach, target);
      this.logger?.warn(
        { block: target, waitMs: this.waitMs },
        "read model: the index did not reach a write's block in time; reads use the chain until it does",
      );
      return false;
    }
  }
}

/**
 * For a read only the index answers (the lists): the index and the block it is current to, after one wait for it to
 * catch up if it lags behind a write; 503 INDEX_BEHIND if it still does (or no read model is open).
 */
export async function indexOnly(index: GatewayIndex | undefined) {
  let currentToBlock = index ? await index.currentTo() : undefined;
  if (index && currentToBlock === undefined && (await index.catchUp())) currentToBlock = await index.currentTo();
  if (!index || currentToBlock === undefined) {
    throw AppError.of("INDEX_BEHIND", "the read model has not yet reached the latest writes; try again shortly");
  }
  return { index, currentToBlock };
}

/** Holds a write's (non-GET, not failed) response until the index has caught up with the chain (see above). */
export function readYourWrites(index: GatewayIndex | undefined): RequestHandler {
  return (req, res, next) => {
    if (!index || req.method === "GET" || req.method === "HEAD" || req.method === "OPTIONS") return next();
    const json = res.json.bind(res);
    let answered = false;
    res.json = (body: unknown) => {
      if (answered) return res; // the answer is on its way: a later res.json (e.g. the route's default) is moot
      answered = true;
      if (res.statusCode >= 400) return json(body);
      const status = res.statusCode;
      void index.catchUp().finally(() => {
        res.status(status); // the status this answer was given, whatever was set after it
        json(body);
      });
      return res;
    };
    next();
  };
}

/**
 * A read served from the index when it is current (cached per head under `key`), else from the chain, as the route
 * answered before the index; with the block the answer is current to (null: from the chain).
 */
export async function indexedOrChain<T>(
  index: GatewayIndex | undefined,
  key: string,
  fromIndex: (index: GatewayIndex) => Promise<T>,
  fromChain: () => Promise<T>,
): Promise<{ answer: T; currentToBlock: number | null }> {
  const currentToBlock = (await index?.currentTo()) ?? null;
  const answer = index && currentToBlock !== null ? await index.cached(key, () => fromIndex(index)) : await fromChain();
  return { answer, currentToBlock };
}
