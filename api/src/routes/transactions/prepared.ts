/**
 * What the gateway prepared, remembered so that a party without an API key may broadcast it (and nothing else): each
 * prepared transaction is kept by its chain id, sender, target, calldata and value. A keyless broadcast takes one
 * such entry before it is sent and gives it back only if nothing was sent; a transaction that was sent is
 * forgotten, so a replay finds nothing. Gas and fee fields are the signer's own choice (it pays them) and are not
 * compared. Entries live in the document store, so that a restart forgets nothing still in the signing window.
 */
import { AbiCoder, getAddress, keccak256 } from "ethers";
import type { DocumentStore } from "../../documents/store";

/** How long a prepared transaction may be broadcast without a key: a day (prices and nonces go stale anyway). */
export const PREPARED_TTL_MS = 24 * 3_600_000;
const COLLECTION = "prepared-transactions";

export interface PreparedCall {
  chainId: number | bigint;
  from: string;
  /** null for a contract creation (only organisations prepare those, and only they may broadcast them). */
  to: string | null;
  data: string;
  value: bigint | string;
}

interface Entry {
  /** How many identical transactions were prepared and not yet broadcast. */
  count: number;
  expiresAt: number;
}

/** The record's name: the digest of everything a match compares. */
function idOf(call: PreparedCall): string {
  const digest = keccak256(
    AbiCoder.defaultAbiCoder().encode(
      ["uint256", "address", "address", "bytes", "uint256"],
      [
        call.chainId,
        getAddress(call.from),
        call.to ?? "0x0000000000000000000000000000000000000000",
        call.data,
        call.value,
      ],
    ),
  );
  return digest.slice(2);
}

export class PreparedTransactions {
  constructor(
    private readonly store: DocumentStore,
    private readonly now: () => number = Date.now,
  ) {}

  /** Remember one prepared transaction. */
  remember(call: PreparedCall) {
    const id = idOf(call);
    const entry = this.live(id);
    this.store.putRecord(COLLECTION, id, { count: (entry?.count ?? 0) + 1, expiresAt: this.now() + PREPARED_TTL_MS });
  }

  /**
   * Take one prepared transaction equal to `call`; false when there is none (never prepared, already broadcast, or
   * expired). Synchronous from read to write, so two requests cannot take the same entry.
   */
  take(call: PreparedCall): boolean {
    const id = idOf(call);
    const entry = this.live(id);
    if (!entry || entry.count < 1) return false;
    this.store.putRecord(COLLECTION, id, { ...entry, count: entry.count - 1 });
    return true;
  }

  /** Give back what `take` took, when the transaction was refused before it was sent. */
  giveBack(call: PreparedCall) {
    const id = idOf(call);
    const entry = this.live(id);
    this.store.putRecord(COLLECTION, id, {
      count: (entry?.count ?? 0) + 1,
      expiresAt: entry?.expiresAt ?? this.now() + PREPARED_TTL_MS,
    });
  }

  private live(id: string): Entry | undefined {
    const entry = this.store.getRecord<Entry>(COLLECTION, id);
    return entry && entry.expiresAt > this.now() ? entry : undefined;
  }
}
