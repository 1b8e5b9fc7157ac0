/**
 * The relayer sends every transaction with the gateway's own key. Simulation and sending are serialised through one
 * queue with a locally tracked nonce (ethers NonceManager), so any number of concurrent requests never collide; a
 * transaction that would revert is refused with its decoded error before any nonce is spent. Waiting for receipts
 * happens outside the queue, so a slow chain does not serialise throughput to one transaction per block.
 *
 * A stalled chain must not hang a write nor send it behind its client's back:
 * - a write that has not been broadcast within RPC_TIMEOUT_MS + 1 s of its turn, or whose turn comes after the write
 *   ahead of it failed to reach the chain, is answered 503 CHAIN_UNAVAILABLE and is never sent afterwards (the signer
 *   checks this at the last moment before broadcasting);
 * - a write that was broadcast (its hash is known: the relayer signs locally) but has no receipt within
 *   RECEIPT_TIMEOUT_MS — or whose broadcast got no answer — is answered 202 PENDING with its transaction hash;
 *   GET /v1/transactions/{hash} tells its outcome later.
 */
import {
  AbstractSigner,
  BaseWallet,
  NonceManager,
  Transaction,
  isError,
  type ContractTransactionResponse,
  type Provider,
  type Signer,
  type TransactionReceipt,
  type TransactionRequest,
  type TransactionResponse,
  type TypedDataDomain,
  type TypedDataField,
} from "ethers";
import { AppError } from "../errors/AppError";
import { chainErrorToAppError } from "../errors/contractErrors";

const isNonceError = (error: unknown) =>
  isError(error, "NONCE_EXPIRED") || /nonce too (low|high)|invalid nonce/i.test(String((error as Error)?.message));

/** The chain did not answer (timeout, refused connection…), as opposed to answering with a refusal. */
export const chainUnavailable = (error: unknown) => chainErrorToAppError(error)?.code === "CHAIN_UNAVAILABLE";

export interface RelayerTimeouts {
  /** The limit of one JSON-RPC call (the provider enforces it); a write gets this plus 1 s to be broadcast. */
  rpcTimeoutMs: number;
  /** How long a broadcast write waits for its receipt before it is answered as pending. */
  receiptTimeoutMs: number;
}

export const DEFAULT_TIMEOUTS: RelayerTimeouts = { rpcTimeoutMs: 5000, receiptTimeoutMs: 20_000 };

/** Time beyond one RPC timeout that a write at the head of the queue may take to be broadcast. */
const BROADCAST_GRACE_MS = 1000;
const RECEIPT_POLL_MS = 250;
/** How many broadcast hashes the relayer remembers, to tell DROPPED from unknown. */
const REMEMBERED_BROADCASTS = 10_000;

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

/** A write's way through the relayer. Only "broadcasting" may reach the chain; "abandoned" never will. */
interface Write {
  state: "waiting" | "preparing" | "broadcasting" | "abandoned";
  /** Past this instant (set when its turn comes) the write is no longer broadcast. */
  deadline: number;
  hash?: string;
  /** Answer the client 503 at once (the write's promise settles only once). */
  drop(reason: string): void;
}

const notSent = (reason: string) =>
  AppError.of("CHAIN_UNAVAILABLE", `the chain is not available (${reason}); the transaction was not sent`);

/**
 * The relayer's key as the contracts use it. Signs locally (when the key is a wallet) so that the hash is known
 * before the broadcast, and refuses at the last moment to broadcast a write that has been abandoned.
 */
class GuardedSigner extends AbstractSigner {
  current?: Write;

  constructor(
    private readonly inner: Signer,
    private readonly onBroadcast: (hash: string) => void,
  ) {
    super(inner.provider);
  }

  connect(): Signer {
    throw new Error("the relayer's signer stays on its provider");
  }
  getAddress() {
    return this.inner.getAddress();
  }
  populateTransaction(tx: TransactionRequest) {
    return this.inner.populateTransaction(tx);
  }
  signTransaction(tx: TransactionRequest) {
    return this.inner.signTransaction(tx);
  }
  signMessage(message: string | Uint8Array) {
    return this.inner.signMessage(message);
  }
  signTypedData(domain: TypedDataDomain, types: Record<string, TypedDataField[]>, value: Record<string, unknown>) {
    return this.inner.signTypedData(domain, types, value);
  }

  /** The last moment before anything reaches the chain: an abandoned or late write stops here. */
  private mayBroadcast(write: Write | undefined) {
    if (!write) return;
    if (write.state === "abandoned" || Date.now() > write.deadline) {
      write.state = "abandoned";
      throw notSent("it did not answer in time");
    }
    write.state = "broadcasting";
  }

  async sendTransaction(tx: TransactionRequest): Promise<TransactionResponse> {
    const write = this.current;
    if (!(this.inner instanceof BaseWallet)) {
      // A signer that cannot sign locally (the in-process test network's accounts): the hash is known once sent.
      this.mayBroadcast(write);
      const response = await this.inner.sendTransaction(tx);
      this.onBroadcast(response.hash);
      return response;
    }
    const populated = await this.inner.populateTransaction(tx);
    delete populated.from;
    const signed = await this.inner.signTransaction(Transaction.from(populated));
    const hash = Transaction.from(signed).hash!;
    this.mayBroadcast(write);
    if (write) write.hash = hash;
    this.onBroadcast(hash);
    try {
      return await this.provider!.broadcastTransaction(signed);
    } catch (error) {
      // The chain answered with a refusal (a nonce error…): it did not take the transaction.
      if (write && !chainUnavailable(error)) [write.state, write.hash] = ["preparing", undefined];
      throw error;
    }
  }
}

export class Relayer {
  readonly signer: NonceManager;
  private readonly guarded: GuardedSigner;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly waiting = new Set<Write>();
  private readonly broadcasts = new Set<string>();

  constructor(
    wallet: Signer,
    readonly timeouts: RelayerTimeouts = DEFAULT_TIMEOUTS,
  ) {
    this.guarded = new GuardedSigner(wallet, (hash) => this.remember(hash));
    this.signer = new NonceManager(this.guarded);
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
    if (this.broadcasts.size >= REMEMBERED_BROADCASTS) this.broadcasts.delete(this.broadcasts.values().next().value!);
    this.broadcasts.add(hash.toLowerCase());
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
      const turn = this.queue.then(() => this.take(write, simulate, send));
      this.queue = turn.catch(() => undefined);
      turn.then(resolve, (error) => {
        if (write.hash && write.state === "broadcasting" && chainUnavailable(error)) {
          // The broadcast got no answer: the chain may have the transaction. Its hash tells the outcome later.
          reject(new TransactionPending(write.hash));
        } else reject(error);
      });
    });

    const receipt = await this.confirmation(response.hash);
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
    this.guarded.current = write;
    try {
      await simulate();
      try {
        return await send();
      } catch (error) {
        // The nonce may or may not have been used: read it from the chain again. If the chain said the nonce was
        // wrong (another sender used this key, or the chain was reset), send once more with the chain's nonce.
        this.signer.reset();
        if (!isNonceError(error)) throw error;
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
      this.guarded.current = undefined;
    }
  }

  /** The chain did not answer the write ahead: the writes waiting behind it are answered 503 now, and never sent. */
  private dropWaiting() {
    for (const waiting of [...this.waiting]) waiting.drop("the write ahead of it got no answer");
  }

  /**
   * The receipt of a broadcast transaction (mined, whether it succeeded or reverted); TransactionPending when none
   * came within the receipt timeout. A chain that does not answer meanwhile is asked again until then.
   */
  async confirmation(hash: string): Promise<TransactionReceipt> {
    const deadline = Date.now() + this.timeouts.receiptTimeoutMs;
    for (;;) {
      const left = deadline - Date.now();
      if (left <= 0) throw new TransactionPending(hash);
      let timer: NodeJS.Timeout | undefined;
      try {
        const receipt = await Promise.race([
          this.provider.getTransactionReceipt(hash),
          new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), left))),
        ]);
        if (receipt) return receipt;
      } catch (error) {
        if (!chainUnavailable(error)) throw error;
      } finally {
        clearTimeout(timer);
      }
      await new Promise((resolve) =>
        setTimeout(resolve, Math.min(RECEIPT_POLL_MS, Math.max(0, deadline - Date.now()))),
      );
    }
  }
}
