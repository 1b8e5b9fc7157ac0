/**
 * The relayer's key as the contracts use it (relayer.ts drives it). It
 * - assigns nonces itself, from the chain's pending count once and then locally, so that several transactions can be
 *   in flight; `reset()` makes the next one read the chain again;
 * - simulates and estimates against the `pending` state while a write takes its turn, so that a write sees the writes
 *   sent before it that are not mined yet;
 * - signs locally (when the key is a wallet) so that the hash is known before the broadcast, and refuses at the last
 *   moment to broadcast a write that has been abandoned.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import {
  AbstractSigner,
  BaseWallet,
  JsonRpcApiProvider,
  Transaction,
  type BigNumberish,
  type FeeData,
  type Signer,
  type TransactionLike,
  type TransactionRequest,
  type TransactionResponse,
  type TypedDataDomain,
  type TypedDataField,
} from "ethers";
import { AppError } from "../errors/AppError";
import { chainErrorToAppError } from "../errors/contractErrors";
import { unwatched } from "./sentTransactions";

/** The chain did not answer (timeout, refused connection…), as opposed to answering with a refusal. */
export const chainUnavailable = (error: unknown) => chainErrorToAppError(error)?.code === "CHAIN_UNAVAILABLE";

export const notSent = (reason: string) =>
  AppError.of("CHAIN_UNAVAILABLE", `the chain is not available (${reason}); the transaction was not sent`);

/** A write's way through the relayer. Only "broadcasting" may reach the chain; "abandoned" never will. */
export interface Write {
  state: "waiting" | "preparing" | "broadcasting" | "abandoned";
  /** Past this instant (set when its turn comes) the write is no longer broadcast. */
  deadline: number;
  hash?: string;
  /** Answer the client 503 at once (the write's promise settles only once). */
  drop(reason: string): void;
}

/** Fee data is read at most this often (outside the relayer's lock): a second-old fee still gets a block. */
const FEE_DATA_TTL_MS = 1000;
/** A plain transfer's gas: what a transaction that only takes a nonce costs. */
const TRANSFER_GAS = 21_000n;

export class RelayerSigner extends AbstractSigner {
  /** The write whose turn it is (one at a time: relayer.ts holds its lock meanwhile). */
  current?: Write;
  /** The nonce of the next transaction; undefined: read the chain's pending count first. */
  private nextNonce?: number;
  private fees?: { at: number; data: Promise<FeeData> };
  private readonly pending = new AsyncLocalStorage<true>();
  /** Whether the node takes a block tag on eth_estimateGas (most do; one that refuses it is asked without). */
  private tagsEstimates = true;

  constructor(
    private readonly inner: Signer,
    /**
     * Every hash before it is broadcast, with its nonce and what was signed (awaited: it may record the hash first).
     * A fee bump's is not told here: it is sent while another request waits, whose record it does not belong to.
     */
    private readonly onBroadcast: (hash: string, nonce: number, tx: TransactionLike<string>) => Promise<void>,
  ) {
    super(inner.provider);
  }

  connect(): Signer {
    throw new Error("the relayer's signer stays on its provider");
  }
  getAddress() {
    return this.inner.getAddress();
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

  /** Forget the local nonce: the next transaction takes the chain's pending count. */
  reset() {
    this.nextNonce = undefined;
  }

  /** The nonce the next transaction would take, if known locally. */
  get localNonce() {
    return this.nextNonce;
  }
  set localNonce(nonce: number | undefined) {
    this.nextNonce = nonce;
  }

  /** The count of the relayer's transactions the chain can execute, its queue of pending ones included. */
  async chainNonce(): Promise<number> {
    return this.provider!.getTransactionCount(await this.getAddress(), "pending");
  }

  /** Run `work` (a simulation) against the pending state: reads through this signer then use the `pending` tag. */
  onPending<T>(work: () => Promise<T>): Promise<T> {
    return this.pending.run(true, work);
  }

  override async call(tx: TransactionRequest): Promise<string> {
    const inPending = this.pending.getStore() && tx.blockTag == null;
    return super.call(inPending ? { ...tx, blockTag: "pending" } : tx);
  }

  /** Fee data, shared by the writes of one second; called before a write takes its turn, so off the lock. */
  feeData(): Promise<FeeData> {
    if (!this.fees || Date.now() - this.fees.at > FEE_DATA_TTL_MS) {
      const data = this.provider!.getFeeData();
      this.fees = { at: Date.now(), data };
      data.catch(() => (this.fees = undefined));
    }
    return this.fees.data;
  }

  /** The gas of `tx` on the pending state (ethers sends eth_estimateGas without a block tag). */
  private async estimatePending(tx: TransactionRequest): Promise<bigint> {
    const provider = this.provider!;
    const populated = await this.populateCall(tx);
    if (provider instanceof JsonRpcApiProvider && this.tagsEstimates) {
      try {
        return BigInt(await provider.send("eth_estimateGas", [provider.getRpcTransaction(populated), "pending"]));
      } catch (error) {
        // A node that takes no block tag here says so with "invalid params" (-32602); it estimates on its own default.
        if ((error as { info?: { error?: { code?: number } } })?.info?.error?.code !== -32602) throw error;
        this.tagsEstimates = false;
      }
    }
    return provider.estimateGas(populated);
  }

  /** Nonce, gas and fees, without asking the chain for anything but the gas (and the nonce, after a reset). */
  override async populateTransaction(tx: TransactionRequest): Promise<TransactionLike<string>> {
    const fees = await this.feeData();
    const populated: TransactionRequest = { ...tx };
    if (populated.gasLimit == null) populated.gasLimit = await this.estimatePending(populated);
    if (populated.nonce == null) {
      if (this.nextNonce === undefined) this.nextNonce = await this.chainNonce();
      populated.nonce = this.nextNonce;
    }
    if (populated.gasPrice == null && populated.maxFeePerGas == null) {
      if (fees.maxFeePerGas !== null && fees.maxPriorityFeePerGas !== null) {
        [populated.type, populated.maxFeePerGas, populated.maxPriorityFeePerGas] = [
          2,
          fees.maxFeePerGas,
          fees.maxPriorityFeePerGas,
        ];
      } else populated.gasPrice = fees.gasPrice;
    }
    return super.populateTransaction(populated);
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

  sendTransaction(tx: TransactionRequest): Promise<TransactionResponse> {
    return this.broadcastFor(this.current, tx);
  }

  /** The next local nonce after `nonce` was taken (a filled gap below it leaves it where it is). */
  private advance(nonce: number) {
    if (this.nextNonce !== undefined && nonce >= this.nextNonce) this.nextNonce = nonce + 1;
  }

  private async broadcastFor(
    write: Write | undefined,
    tx: TransactionRequest,
    told = true,
  ): Promise<TransactionResponse & { signed: TransactionLike<string> }> {
    const populated = await this.populateTransaction(tx);
    const nonce = populated.nonce!;
    const signedFields = { ...populated };
    if (!(this.inner instanceof BaseWallet)) {
      // A signer that cannot sign locally (the in-process test network's accounts): the hash is known once sent.
      this.mayBroadcast(write);
      const response = await this.inner.sendTransaction(populated as TransactionRequest);
      if (write) write.hash = response.hash;
      if (told) await this.onBroadcast(response.hash, nonce, signedFields);
      this.advance(nonce);
      return Object.assign(response, { signed: signedFields });
    }
    delete populated.from;
    const signed = await this.inner.signTransaction(Transaction.from(populated));
    const hash = Transaction.from(signed).hash!;
    this.mayBroadcast(write);
    if (write) write.hash = hash;
    if (told) await this.onBroadcast(hash, nonce, signedFields);
    try {
      const response = await this.provider!.broadcastTransaction(signed);
      this.advance(nonce);
      return Object.assign(response, { signed: signedFields });
    } catch (error) {
      // No answer: the chain may have the transaction or not; its pending count tells, so read it again. A refusal
      // (a nonce error…): the chain did not take the transaction; the nonce stays free.
      if (chainUnavailable(error)) this.reset();
      else if (write) [write.state, write.hash] = ["preparing", undefined];
      throw error;
    }
  }

  /**
   * `sent` again — same nonce, recipient, data, value and gas — with fees at least 12.5 % higher than before (both
   * maxFeePerGas and maxPriorityFeePerGas, or gasPrice on a chain without EIP-1559) and at least the chain's current
   * ones: a fee bump, which replaces it in the chain's pool. Returns the new hash and what was signed.
   */
  async replace(sent: TransactionLike<string>): Promise<{ hash: string; tx: TransactionLike<string> }> {
    const fees = await this.provider!.getFeeData(); // fresh: the fees shared by the writes of a second are stale here
    const raised = (before: BigNumberish | null | undefined, now: bigint | null) => {
      const bumped = (BigInt(before ?? 0) * 1125n + 999n) / 1000n; // +12.5 %, rounded up
      return now !== null && now > bumped ? now : bumped;
    };
    const next: TransactionRequest = {
      to: sent.to,
      data: sent.data,
      value: sent.value,
      nonce: sent.nonce,
      gasLimit: sent.gasLimit,
      chainId: sent.chainId,
      type: sent.type,
      accessList: sent.accessList,
    };
    if (sent.maxFeePerGas != null) {
      next.maxPriorityFeePerGas = raised(sent.maxPriorityFeePerGas, fees.maxPriorityFeePerGas);
      next.maxFeePerGas = raised(sent.maxFeePerGas, fees.maxFeePerGas);
      if (next.maxFeePerGas < next.maxPriorityFeePerGas) next.maxFeePerGas = next.maxPriorityFeePerGas;
    } else next.gasPrice = raised(sent.gasPrice, fees.gasPrice);
    const response = await this.broadcastFor(undefined, next, false);
    return { hash: response.hash, tx: response.signed };
  }

  /** A transaction that only takes `nonce` (0 to itself): lets the chain mine what waits behind a lost one. */
  async fillNonce(nonce: number): Promise<string> {
    const to = await this.getAddress();
    // The relayer's own, on no request's behalf: no idempotency record names it.
    const filler = { to, value: 0n, nonce, gasLimit: TRANSFER_GAS };
    const response = await unwatched(() => this.broadcastFor(undefined, filler));
    return response.hash;
  }
}
