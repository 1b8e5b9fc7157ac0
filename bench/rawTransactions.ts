/**
 * Filling a chain fast, for the benches: transactions signed here by Hardhat's development accounts, with fixed gas
 * limits and nonces counted here, sent with eth_sendRawTransaction (no gas estimate, nonce or fee look-up per
 * transaction). Used by bench/startup.ts (history in the journal) and bench/gasBench.ts (pledges registered before
 * the growth rows).
 */
import { HDNodeWallet, Mnemonic } from "ethers";

const DEV_MNEMONIC = Mnemonic.fromPhrase("test test test test test test test test test test test junk");

/** Hardhat's development account `i` (the hardhat network's accounts and the embedded chain's). */
export const devWallet = (i: number) => HDNodeWallet.fromMnemonic(DEV_MNEMONIC, `m/44'/60'/0'/0/${i}`);

/** The development account with this address, among the first `count`. */
export function devWalletOf(address: string, count = 30): HDNodeWallet {
  for (let i = 0; i < count; i++) {
    const wallet = devWallet(i);
    if (wallet.address.toLowerCase() === address.toLowerCase()) return wallet;
  }
  throw new Error(`${address} is not one of the first ${count} development accounts`);
}

export type Rpc = (method: string, params: unknown[]) => Promise<unknown>;

/** Fee cap of the filling transactions (their tip is zero). */
export const FILL_MAX_FEE = 10n ** 11n;

/**
 * A function that signs and sends one transaction, and returns its hash. Each sender's nonce is read once, on its
 * first transaction, then counted here: make a new sender after any other transaction of the same account.
 */
export function rawSender(rpc: Rpc, chainId: bigint | number) {
  const nonces = new Map<string, number>();
  return async (from: HDNodeWallet, to: string, data: string, gasLimit: bigint | number = 3_000_000) => {
    const nonce = nonces.get(from.address) ?? Number(await rpc("eth_getTransactionCount", [from.address, "pending"]));
    nonces.set(from.address, nonce + 1);
    const raw = await from.signTransaction({
      to,
      data,
      nonce,
      gasLimit,
      maxFeePerGas: FILL_MAX_FEE,
      maxPriorityFeePerGas: 0n,
      chainId,
      type: 2,
    });
    return rpc("eth_sendRawTransaction", [raw]) as Promise<string>;
  };
}
