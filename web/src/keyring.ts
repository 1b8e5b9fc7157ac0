/**
 * An evaluator's signing key, held in this page only (never sent anywhere): a key file the user loads (a text file
 * holding the 0x-prefixed private key), or — on the embedded demo chain only — the organisation's demo account,
 * derived here from Hardhat's public development mnemonic. ethers is loaded on first use, so that pages that sign
 * nothing do not carry it.
 */
import { signal } from "./state";
import { current } from "./session";

export interface TypedData {
  domain: Record<string, unknown>;
  types: Record<string, { name: string; type: string }[]>;
  primaryType: string;
  message: Record<string, unknown>;
}
export interface PageKey {
  address: string;
  /** where the key came from: "demo" (the demo chain's public accounts) or the loaded file's name */
  source: string;
  signTypedData(data: TypedData): Promise<string>;
}

/** The key loaded in this tab (kept in memory only: a reload forgets it). */
export const pageKey = signal<PageKey | null>(null);

// A key is the signed-in organisation's: signing out, or in as another organisation, forgets it.
let holder = current.get()?.org.address;
current.subscribe(() => {
  const now = current.get()?.org.address;
  if (now !== holder) {
    holder = now;
    pageKey.set(null);
  }
});

/** Hardhat's well-known development mnemonic: the demo chain's accounts, public by design (never a real key). */
const DEV_MNEMONIC = "test test test test test test test test test test test junk";
const DEMO_ACCOUNTS = 40;

async function fromPrivateKey(privateKey: string, source: string): Promise<PageKey> {
  const { Wallet } = await import("ethers");
  const wallet = new Wallet(privateKey);
  return {
    address: wallet.address,
    source,
    signTypedData: (d) => {
      // ethers derives the domain type itself.
      const types = { ...d.types };
      delete types.EIP712Domain;
      return wallet.signTypedData(d.domain, types, d.message);
    },
  };
}

/** The demo account whose address is `address`, or null when it is none of the demo chain's accounts. */
export async function demoKeyFor(address: string): Promise<PageKey | null> {
  const { HDNodeWallet } = await import("ethers");
  const root = HDNodeWallet.fromPhrase(DEV_MNEMONIC, undefined, "m/44'/60'/0'/0");
  for (let i = 0; i < DEMO_ACCOUNTS; i++) {
    const child = root.deriveChild(i);
    if (child.address.toLowerCase() === address.toLowerCase()) return fromPrivateKey(child.privateKey, "demo");
  }
  return null;
}

/** A key file: its text holds one 0x-prefixed 32-byte private key (surrounding spaces and newlines ignored). */
export async function keyFromFile(file: File): Promise<PageKey> {
  const text = (await file.text()).trim();
  const match = /^(0x)?([0-9a-fA-F]{64})$/.exec(text);
  if (!match) throw new Error("not a key file: expected one private key, 0x and 64 hex digits");
  return fromPrivateKey(`0x${match[2]}`, file.name);
}
