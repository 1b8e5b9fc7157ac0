/**
 * The relayer sends every transaction with the gateway's own key. Simulation and sending are serialised through one
 * queue with a locally tracked nonce (ethers NonceManager), so any number of concurrent requests never collide; a
 * transaction that would revert is refused with its decoded error before any nonce is spent. Waiting for receipts
 * happens outside the queue, so a slow chain does not serialise throughput to one transaction per block.
 */
import {
  NonceManager,
  isError,
  type ContractTransactionResponse,
  type Provider,
  type Signer,
  type TransactionReceipt,
} from "ethers";
import { AppError } from "../errors/AppError";

const isNonceError = (error: unknown) =>
  isError(error, "NONCE_EXPIRED") || /nonce too (low|high)|invalid nonce/i.test(String((error as Error)?.message));

const RECEIPT_TIMEOUT_MS = 120_000;

export interface Sent {
  transactionHash: string;
  blockNumber: number;
  receipt: TransactionReceipt;
}

export class Relayer {
  readonly signer: NonceManager;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(wallet: Signer) {
    this.signer = new NonceManager(wallet);
  }

  get provider(): Provider {
    return this.signer.provider!;
  }

  address(): Promise<string> {
    return this.signer.getAddress();
  }

  /**
   * `simulate` is a staticCall of the same transaction. If the mined transaction fails anyway (the state changed
   * between simulation and mining), it is simulated again to report why.
   */
  async send(simulate: () => Promise<unknown>, send: () => Promise<ContractTransactionResponse>): Promise<Sent> {
    const sending = this.queue.then(async () => {
      await simulate();
      try {
        return await send();
      } catch (error) {
        // The nonce may or may not have been used: read it from the chain again. If the chain said the nonce was
        // wrong (another sender used this key, or the chain was reset), send once more with the chain's nonce.
        this.signer.reset();
        if (!isNonceError(error)) throw error;
        return send();
      }
    });
    this.queue = sending.catch(() => undefined);
    const tx = await sending;
    try {
      // A chain that stops producing blocks must not hang the request forever: give up after RECEIPT_TIMEOUT_MS
      // (ethers then throws TIMEOUT, which the client sees as 503 CHAIN_UNAVAILABLE).
      const receipt = await tx.wait(1, RECEIPT_TIMEOUT_MS);
      if (!receipt) throw new AppError("INTERNAL", 500, "the transaction was dropped");
      return { transactionHash: receipt.hash, blockNumber: receipt.blockNumber, receipt };
    } catch (error) {
      await simulate();
      throw error;
    }
  }
}
