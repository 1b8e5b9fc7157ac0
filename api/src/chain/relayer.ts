/**
 * The relayer sends every transaction with the gateway's own key. A write takes its turn under a short lock: it is
 * simulated against the chain's pending state (so it sees the writes sent before it, mined or not), given the next
 * locally assigned nonce, signed and broadcast; then the lock is released and the write waits for its receipt outside
 * it, so several transactions are in flight at once (at most RELAYER_MAX_IN_FLIGHT; 1 is the old serial mode, where a
 * write takes its turn only once the one before it is confirmed). A transaction that would revert is refused with its
 * decoded error before any nonce is spent.
 *
 * A stalled chain must not hang a write nor send it behind its client's back:
 * - a write that has not been broadcast within RPC_TIMEOUT_MS + 1 s of its turn, or whose turn comes after the write
 *   ahead of it failed to reach the chain, is answered 503 CHAIN_UNAVAILABLE and is never sent afterwards (the signer
 *   checks this at the last moment before broadcasting);
 * - a write that was broadcast (its hash is known: the relayer signs locally) but has no receipt within
 *   RECEIPT_TIMEOUT_MS — or whose broadcast got no answer — is answered 202 PENDING with its transaction hash;
 *   GET /v1/transactions/{hash} tells its outcome later.
 *
 * A chain that loses transactions (dropped from its pool, rolled back, restarted) must not hold the writes after them:
 * - a nonce refused by the chain (too low, too high) makes the relayer re-read it from the chain and send once more;
 * - a write whose transaction the chain no longer knows is answered 202 PENDING at once (GET says DROPPED), and is
 *   never sent again;
 * - when the chain cannot mine a transaction because a nonce below it was lost, the relayer fills that nonce with a
 *   transaction that does nothing (0 to itself), so what waits behind it is mined; when nothing waits, it simply takes
 *   the chain's pending count as its next nonce.
 *
 * A transaction that waits in the chain's pool for RELAYER_REPLACE_AFTER_MS (its fees too low now) is signed again,
 * same nonce and payload, with fees at least 12.5 % higher (a fee bump; at most RELAYER_MAX_REPLACEMENTS times). Every
 * version's hash is kept with the others: the write is answered with the version mined, and so is GET
 * /v1/transactions/{hash} for any of them.
 */
import {
  isError,
  type ContractTransactionResponse,
  type TransactionLike,
  type Provider,
  type Signer,
  type TransactionReceipt,
  type TransactionResponse,
} from "ethers";
import { noteSent } from "./sentTransactions";
import { AppError } from "../errors/AppError";
import { RelayerSigner, chainUnavailable, notSent, type Write } from "./relayerSigner";

export { chainUnavailable } from "./relayerSigner";

/** The chain refused the nonce: it was taken already (by a lost write's successor, another sender) or lies beyond a
 * gap (the chain was rolled back). Not "already known": that transaction is the chain's already. */
const isNonceError = (error: unknown) =>
  isError(error, "NONCE_EXPIRED") ||
  isError(error, "REPLACEMENT_UNDERPRICED") ||
  /nonce too (low|high)|invalid nonce|replacement transaction underpriced/i.test(String((error as Error)?.message));

export interface RelayerTimeouts {
  /** The limit of one JSON-RPC call (the provider enforces it); a write gets this plus 1 s to be broadcast. */
  rpcTimeoutMs: number;
  /** How long a broadcast write waits for its receipt before it is answered as pending. */
  receiptTimeoutMs: number;
  /** How many of the relayer's transactions may wait for their receipts at once; 1: one at a time (serial). */
  maxInFlight?: number;
  /**
   * A transaction of the relayer still waiting in the chain's pool this long after it was sent is sent again with
   * the same nonce and payload and higher fees (a fee bump); 0 or absent: never.
   */
  replaceAfterMs?: number;
  /** At most this many fee bumps per transaction (default 3). */
  maxReplacements?: number;
}

export const DEFAULT_MAX_IN_FLIGHT = 16;
export const DEFAULT_MAX_REPLACEMENTS = 3;
export const DEFAULT_TIMEOUTS: RelayerTimeouts = {
  rpcTimeoutMs: 5000,
  receiptTimeoutMs: 20_000,
  maxInFlight: DEFAULT_MAX_IN_FLIGHT,
};

/** Time beyond one RPC timeout that a write at the head of the queue may take to be broadcast. */
const BROADCAST_GRACE_MS = 1000;
const RECEIPT_POLL_MS = 250;
/** How many broadcast hashes the relayer remembers, to tell DROPPED from unknown. */
const REMEMBERED_BROADCASTS = 10_000;
/** Polls in a row in which the chain did not know a transaction before it counts as dropped. */
const MISSING_POLLS = 2;

export interface Sent {
  transactionHash: string;
  blockNumber: number;
  receipt: TransactionReceipt;
}

/** Answered 202: the transaction was broadcast and may still execute; its receipt has not come yet. */
export class TransactionPending extends Error {
  constructor(readonly transactionHash: string) {
    super(`transaction ${transactionHash} was sent to the chain and is not confirmed yet`);
  }

  answer() {
    return {
      status: "PENDING" as const,
      transactionHash: this.transactionHash,
      message: `${this.message}; GET /v1/transactions/${this.transactionHash} tells its outcome`,
    };
  }
}

/** One of the relayer's transactions without a receipt yet: every version of it sent (fee bumps), latest last. */
interface InFlight {
  /** The hashes of its versions, oldest first; shared with `Relayer.versions` so that each hash finds the others. */
  hashes: string[];
  /** What was signed last (to sign it again with higher fees). */
  tx: TransactionLike<string>;
  sentAt: number;
  replacements: number;
  bumping?: boolean;
}

/** At most `size` holders at once; the others wait in order. */
class Slots {
  private free: number;
  private readonly waiters: (() => void)[] = [];

  constructor(size: number) {
    this.free = size;
  }

  async take(): Promise<void> {
    if (this.free > 0) {
      this.free--;
      return;
    }
    await new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  give() {
    const next = this.waiters.shift();
    if (next) next();
    else this.free++;
  }
}

export class Relayer {
  readonly signer: RelayerSigner;
  readonly maxInFlight: number;
  /** The lock: writes take their turn (simulate, sign, broadcast) one after another. */
  private queue: Promise<unknown> = Promise.resolve();
  private readonly slots: Slots;
  private readonly waiting = new Set<Write>();
  private readonly broadcasts = new Set<string>();
  /** The relayer's own transactions without a receipt yet, by nonce. */
  private readonly inFlight = new Map<number, InFlight>();
  /** Every version (fee bump) of a transaction, by each of its hashes (as many as `broadcasts` remembers). */
  private readonly versions = new Map<string, string[]>();
  private repairing?: Promise<void>;
  private chainNonceRead?: { at: number; nonce: Promise<number> };

  constructor(
    wallet: Signer,
    readonly timeouts: RelayerTimeouts = DEFAULT_TIMEOUTS,
  ) {
    this.signer = new RelayerSigner(wallet, async (hash, nonce, tx) => {
      await noteSent(hash); // the request's idempotency record names the hash before the chain may see it
      this.remember(hash);
      const hashes = [hash.toLowerCase()];
      this.versions.set(hashes[0], hashes);
      this.inFlight.set(nonce, { hashes, tx, sentAt: Date.now(), replacements: 0 });
    });
    this.maxInFlight = timeouts.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT;
    this.slots = new Slots(this.maxInFlight);
  }

  get provider(): Provider {
    return this.signer.provider!;
  }

  address(): Promise<string> {
    return this.signer.getAddress();
  }

  /** Did this relayer broadcast the transaction (since it started)? */
  broadcast(hash: string): boolean {
    return this.broadcasts.has(hash.toLowerCase());
  }

  /** Note a broadcast (a party-signed one too), so that a hash the chain lost is told DROPPED rather than unknown. */
  remember(hash: string) {
    if (this.broadcasts.size >= REMEMBERED_BROADCASTS) {
      const oldest = this.broadcasts.values().next().value!;
      this.broadcasts.delete(oldest);
      this.versions.delete(oldest);
    }
    this.broadcasts.add(hash.toLowerCase());
  }

  /** Every hash this relayer sent with the same nonce and payload as `hash` (its fee bumps), `hash` included. */
  versionsOf(hash: string): string[] {
    return [...(this.versions.get(hash.toLowerCase()) ?? [hash.toLowerCase()])];
  }

  /**
   * `simulate` is a staticCall of the same transaction. If the mined transaction fails anyway (the state changed
   * between simulation and mining), it is simulated again to report why. Throws TransactionPending when the
   * transaction was broadcast but is not confirmed in time.
   */
  async send(simulate: () => Promise<unknown>, send: () => Promise<ContractTransactionResponse>): Promise<Sent> {
    const response = await new Promise<TransactionResponse>((resolve, reject) => {
      const write: Write = {
        state: "waiting",
        deadline: Infinity,
        drop: (reason) => {
          write.state = "abandoned";
          this.waiting.delete(write);
          reject(notSent(reason));
        },
      };
      this.waiting.add(write);
      // Read the fees while waiting (they are shared), so that the turn itself asks the chain as little as it can.
      this.signer.feeData().catch(() => undefined);
      // A slot first, then the lock (a write never waits for a slot holding the lock: a repair may need the lock to
      // let the writes in flight be mined and free their slots).
      const turn = this.slots.take().then(() => {
        const taken = this.queue.then(() => this.take(write, simulate, send));
        this.queue = taken.catch(() => undefined);
        return taken;
      });
      // Not broadcast (or its broadcast got no answer): nothing to wait for, the slot is free again.
      turn.catch(() => this.slots.give());
      turn.then(resolve, (error) => {
        if (write.hash && write.state === "broadcasting" && chainUnavailable(error)) {
          // The broadcast got no answer: the chain may have the transaction. Its hash tells the outcome later.
          reject(new TransactionPending(write.hash));
        } else reject(error);
      });
    });

    let receipt: TransactionReceipt;
    try {
      receipt = await this.confirmation(response.hash, response.nonce);
    } finally {
      this.slots.give();
    }
    if (receipt.status !== 1) {
      await simulate();
      throw new AppError("TRANSACTION_REVERTED", 422, "the transaction reverted when mined", undefined, {
        transactionHash: receipt.hash,
        blockNumber: receipt.blockNumber,
      });
    }
    return { transactionHash: receipt.hash, blockNumber: receipt.blockNumber, receipt };
  }

  private writeBudgetMs() {
    return this.timeouts.rpcTimeoutMs + BROADCAST_GRACE_MS;
  }

  /** The write's turn in the queue: simulate, then sign and broadcast — unless it was dropped meanwhile. */
  private async take(
    write: Write,
    simulate: () => Promise<unknown>,
    send: () => Promise<ContractTransactionResponse>,
  ): Promise<TransactionResponse> {
    this.waiting.delete(write);
    if (write.state === "abandoned") throw notSent("dropped while waiting its turn");
    write.state = "preparing";
    write.deadline = Date.now() + this.writeBudgetMs();
    const timer = setTimeout(() => {
      if (write.state !== "preparing") return;
      write.drop(`no answer within ${this.writeBudgetMs()} ms`);
      this.dropWaiting();
    }, this.writeBudgetMs());
    this.signer.current = write;
    try {
      await this.signer.onPending(simulate);
      try {
        return await send();
      } catch (error) {
        // If the chain said the nonce was wrong (another sender used this key, the chain lost transactions or was
        // rolled back), read it from the chain again and send once more.
        if (!isNonceError(error)) throw error;
        await this.repairNonces();
        return await send();
      }
    } catch (error) {
      // The chain did not answer this write: the writes waiting behind it would meet the same chain. Answer them
      // now rather than one timeout after another; none of them has been sent.
      const state = write.state as Write["state"]; // (changed by the signer and the timer meanwhile)
      if (state !== "broadcasting" && (chainUnavailable(error) || state === "abandoned")) {
        this.dropWaiting();
        if (!(error instanceof AppError)) throw notSent("it did not answer in time, or refused the connection");
      }
      throw error;
    } finally {
      clearTimeout(timer);
      this.signer.current = undefined;
    }
  }

  /** The chain did not answer the write ahead: the writes waiting behind it are answered 503 now, and never sent. */
  private dropWaiting() {
    for (const waiting of [...this.waiting]) waiting.drop("the write ahead of it got no answer");
  }

  /** The chain's pending count of the relayer's transactions, read at most once per receipt poll. */
  private chainNonce(): Promise<number> {
    if (!this.chainNonceRead || Date.now() - this.chainNonceRead.at >= RECEIPT_POLL_MS) {
      const nonce = this.signer.chainNonce();
      this.chainNonceRead = { at: Date.now(), nonce };
      nonce.catch(() => (this.chainNonceRead = undefined));
    }
    return this.chainNonceRead.nonce;
  }

  /**
   * Put the local nonce right with the chain (call it holding the lock). The chain can execute the relayer's
   * transactions up to its pending count P; the nonces from P to the local next one were signed here but are not
   * executable: each is lost (dropped, rolled back, never arrived) or waits behind a lost one. If none waits, the next
   * write takes P. Otherwise each lost nonce below the highest waiting one is filled with a transaction that does
   * nothing, so that the waiting ones are mined. A lost write is never sent again.
   */
  private async repairNonces() {
    const chainNext = await this.signer.chainNonce();
    for (const nonce of this.inFlight.keys()) if (nonce < chainNext) this.inFlight.delete(nonce);
    const localNext = this.signer.localNonce;
    if (localNext === undefined || localNext <= chainNext) {
      this.signer.reset();
      return;
    }
    const known = new Set<number>();
    for (const [nonce, { hashes }] of this.inFlight) {
      if (nonce < localNext && (await this.provider.getTransaction(hashes[hashes.length - 1]))) known.add(nonce);
    }
    const highest = Math.max(-1, ...known);
    if (highest < chainNext) {
      for (const nonce of [...this.inFlight.keys()]) if (nonce >= chainNext) this.inFlight.delete(nonce);
      this.signer.reset();
      return;
    }
    for (let nonce = chainNext; nonce < highest; nonce++) {
      if (known.has(nonce)) continue;
      try {
        await this.signer.fillNonce(nonce);
      } catch (error) {
        // Taken meanwhile (the lost transaction came back, or was mined): nothing to fill. No answer: stop here.
        if (chainUnavailable(error)) throw error;
      }
    }
  }

  /** Repair the nonces in a turn of its own (one at a time: a repair asked for meanwhile joins it). */
  private scheduleRepair() {
    if (this.repairing) return;
    const repair = this.queue.then(() => this.repairNonces());
    this.repairing = repair.catch(() => undefined).finally(() => (this.repairing = undefined));
    this.queue = this.repairing;
  }

  /**
   * The receipt of a broadcast transaction (mined, whether it succeeded or reverted); TransactionPending when none
   * came within the receipt timeout, or at once when the chain no longer knows the transaction (it was dropped: GET
   * /v1/transactions/{hash} says DROPPED). A chain that does not answer meanwhile is asked again until then. For the
   * relayer's own transaction (`nonce` given), one the chain cannot mine because a nonce below it was lost makes the
   * relayer repair its nonces.
   */
  async confirmation(hash: string, nonce?: number): Promise<TransactionReceipt> {
    const own = nonce !== undefined && this.inFlight.get(nonce)?.hashes[0] === hash.toLowerCase();
    /** Every version of the transaction (the list grows when the relayer bumps its fee meanwhile). */
    const versions = own ? this.inFlight.get(nonce)!.hashes : [hash];
    const deadline = Date.now() + this.timeouts.receiptTimeoutMs;
    let missing = 0;
    for (;;) {
      const left = deadline - Date.now();
      if (left <= 0) throw new TransactionPending(hash);
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), left)));
      try {
        // Whichever version was mined (newest first: a bump is what usually gets mined).
        for (const version of [...versions].reverse()) {
          const receipt = await Promise.race([this.provider.getTransactionReceipt(version), timeout]);
          if (receipt) {
            // Mined: this nonce and every one below it are used.
            if (own) for (const used of this.inFlight.keys()) if (used <= nonce) this.inFlight.delete(used);
            return receipt;
          }
        }
        const tx = await Promise.race([this.provider.getTransaction(versions[versions.length - 1]), timeout]);
        if (Date.now() >= deadline) continue;
        if (!tx) {
          if (++missing >= MISSING_POLLS) {
            if (own) this.scheduleRepair();
            throw new TransactionPending(hash);
          }
        } else {
          missing = 0;
          if (own && tx.blockNumber == null && (await this.chainNonce()) <= nonce) this.scheduleRepair();
          if (own) await this.bumpStale();
        }
      } catch (error) {
        if (error instanceof TransactionPending || !chainUnavailable(error)) throw error;
      } finally {
        clearTimeout(timer);
      }
      await new Promise((resolve) =>
        setTimeout(resolve, Math.min(RECEIPT_POLL_MS, Math.max(0, deadline - Date.now()))),
      );
    }
  }

  /**
   * Fee bumps: each of the relayer's transactions still waiting in the chain's pool `replaceAfterMs` after it was
   * sent (its fees too low for the chain now) is signed again — same nonce, same payload — with fees at least 12.5 %
   * higher (what nodes require of a replacement) and at least the chain's current ones, at most `maxReplacements`
   * times. Only one version can be mined (they share the nonce). A transaction the chain no longer holds is never
   * sent again (it was dropped: DROPPED), nor one already mined.
   */
  private async bumpStale() {
    const after = this.timeouts.replaceAfterMs ?? 0;
    if (after <= 0) return;
    const max = this.timeouts.maxReplacements ?? DEFAULT_MAX_REPLACEMENTS;
    for (const sent of this.inFlight.values()) {
      if (sent.bumping || sent.replacements >= max || Date.now() - sent.sentAt < after) continue;
      sent.bumping = true;
      try {
        const latest = sent.hashes[sent.hashes.length - 1];
        const tx = await this.provider.getTransaction(latest);
        if (!tx || tx.blockNumber != null) continue;
        const bumped = await this.signer.replace(sent.tx);
        const hash = bumped.hash.toLowerCase();
        this.remember(hash);
        sent.hashes.push(hash);
        this.versions.set(hash, sent.hashes);
        Object.assign(sent, { tx: bumped.tx, sentAt: Date.now(), replacements: sent.replacements + 1 });
      } catch (error) {
        // Refused (mined meanwhile, or the chain wants more) or no answer: tried again at the next poll.
        if (!chainUnavailable(error) && !isNonceError(error)) sent.sentAt = Date.now();
      } finally {
        sent.bumping = false;
      }
    }
  }
}
