/**
 * What the gateway prepared, remembered so that a party without an API key may broadcast it (and nothing else): each
 * prepared transaction is kept by its chain id, sender, target, calldata and value. A keyless broadcast takes one
 * such entry before it is sent and gives it back only if nothing was sent; a transaction that was sent is
 * forgotten, so a replay finds nothing. Gas and fee fields are the signer's own choice (it pays them) and are not
 * compared. Entries are the gateway's records (in the database every gateway shares), so that a restart forgets
 * nothing still in the signing window and a broadcast through another gateway finds what this one prepared. Each
 * change is one records transaction with a version check: two gateways never take the same entry.
 */
import { AbiCoder, getAddress, keccak256 } from "ethers";
import type { RecordStore, RecordTransaction } from "../../store/records";
import { PREPARED_KIND } from "../../store/kinds";

/** How long a prepared transaction may be broadcast without a key: a day (prices and nonces go stale anyway). */
export const PREPARED_TTL_MS = 24 * 3_600_000;
const COLLECTION = PREPARED_KIND;

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
    private readonly store: RecordStore,
    private readonly now: () => number = Date.now,
  ) {}

  /** Remember one prepared transaction. */
  async remember(call: PreparedCall) {
    const id = idOf(call);
    await this.store.change(async (tx) => {
      const entry = await this.live(tx, id);
      await tx.put(COLLECTION, id, { count: (entry?.count ?? 0) + 1, expiresAt: this.now() + PREPARED_TTL_MS });
    });
  }

  /**
   * Take one prepared transaction equal to `call`; false when there is none (never prepared, already broadcast, or
   * expired). One transaction from read to write, so two requests (at any gateways) cannot take the same entry.
   */
  take(call: PreparedCall): Promise<boolean> {
    const id = idOf(call);
    return this.store.change(async (tx) => {
      const entry = await this.live(tx, id);
      if (!entry || entry.count < 1) return false;
      await tx.put(COLLECTION, id, { ...entry, count: entry.count - 1 });
      return true;
    });
  }

  /** Give back what `take` took, when the transaction was refused before it was sent. */
  async giveBack(call: PreparedCall) {
    const id = idOf(call);
    await this.store.change(async (tx) => {
      const entry = await this.live(tx, id);
      await tx.put(COLLECTION, id, {
        count: (entry?.count ?? 0) + 1,
        expiresAt: entry?.expiresAt ?? this.now() + PREPARED_TTL_MS,
      });
    });
  }

  private async live(tx: RecordTransaction, id: string): Promise<Entry | undefined> {
    const entry = await tx.get<Entry>(COLLECTION, id);
    return entry && entry.expiresAt > this.now() ? entry : undefined;
  }
}
