/**
 * Who signs in this page: a private key held in the page's memory only (pasted, loaded from a key file or an
 * encrypted keystore, or — on the local demo chain only — Hardhat's public development key of the signed-in
 * organisation), or an injected EIP-1193 wallet (window.ethereum), which keeps its key itself. The key is never
 * stored, never sent anywhere: the gateway receives signatures only. Reloading the page forgets it.
 */
import {
  HDNodeWallet,
  Mnemonic,
  TypedDataEncoder,
  Wallet,
  getAddress,
  toQuantity,
  type TransactionRequest,
} from "ethers";
import { current } from "../session";
import { signal } from "../state";
import { asRegisterSigns, type TypedData } from "./typedData";

export interface PageSigner {
  address: string;
  /** key: a key in this page; demo: a demo development key in this page; wallet: an injected wallet */
  source: "key" | "demo" | "wallet";
  sign(data: TypedData): Promise<string>;
  /** webpool: sign a transaction the gateway prepared (a holder's claim); the raw signed transaction */
  signTransaction(tx: TransactionRequest): Promise<string>;
}

/** The page's signer (one at a time). */
export const pageSigner = signal<PageSigner | null>(null);

// A key is its holder's: signing out, or in as another organisation, forgets it.
let holder = current.get()?.org.address;
current.subscribe(() => {
  const now = current.get()?.org.address;
  if (now !== holder) {
    holder = now;
    pageSigner.set(null);
  }
});

function fromWallet(wallet: Wallet | HDNodeWallet, source: PageSigner["source"]): PageSigner {
  return {
    address: wallet.address,
    source,
    sign: (data) => {
      const d = asRegisterSigns(data);
      return wallet.signTypedData(d.domain, d.types, d.message);
    },
    // ethers refuses a transaction whose `from` is another account.
    signTransaction: (tx) => wallet.signTransaction(tx),
  };
}

export class KeyProblem extends Error {
  constructor(readonly problem: "badKey" | "badKeystore") {
    super(problem);
  }
}

/** A private key as text: 64 hex digits, with or without 0x (what a key file holds). */
export function signWithKey(text: string): PageSigner {
  const hex = text.trim().replace(/^0x/i, "");
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) throw new KeyProblem("badKey");
  const signer = fromWallet(new Wallet(`0x${hex}`), "key");
  pageSigner.set(signer);
  return signer;
}

/** An encrypted JSON keystore (as wallets export it) and its password. */
export async function signWithKeystore(json: string, password: string): Promise<PageSigner> {
  let wallet: Wallet | HDNodeWallet;
  try {
    wallet = await Wallet.fromEncryptedJson(json, password);
  } catch {
    throw new KeyProblem("badKeystore");
  }
  const signer = fromWallet(wallet, "key");
  pageSigner.set(signer);
  return signer;
}

/** A key file: a keystore (JSON) needs its password; anything else is read as a private key. */
export async function signWithKeyFile(text: string, password: string): Promise<PageSigner> {
  return text.trim().startsWith("{") ? signWithKeystore(text, password) : signWithKey(text);
}

/** Hardhat's development mnemonic: its keys are public knowledge, and only the local demo chain uses them. */
const DEMO_MNEMONIC = "test test test test test test test test test test test junk";
const DEMO_ACCOUNTS = 30;

/** The demo development key of `address`, or null when it is not one of them (a real deployment's address). */
export function signWithDemoKey(address: string): PageSigner | null {
  const mnemonic = Mnemonic.fromPhrase(DEMO_MNEMONIC);
  const wanted = getAddress(address);
  for (let i = 0; i < DEMO_ACCOUNTS; i++) {
    const wallet = HDNodeWallet.fromMnemonic(mnemonic, `m/44'/60'/0'/0/${i}`);
    if (wallet.address === wanted) {
      const signer = fromWallet(wallet, "demo");
      pageSigner.set(signer);
      return signer;
    }
  }
  return null;
}

interface Eip1193 {
  request(args: { method: string; params?: unknown[] }): Promise<unknown>;
}
const injected = () => (globalThis as { ethereum?: Eip1193 }).ethereum;
export const hasInjectedWallet = () => !!injected();

/** The injected wallet's first account; it signs with eth_signTypedData_v4 and shows the request itself too. */
export async function signWithWallet(): Promise<PageSigner> {
  const provider = injected();
  if (!provider) throw new Error("no wallet");
  const accounts = (await provider.request({ method: "eth_requestAccounts" })) as string[];
  const address = getAddress(accounts[0]);
  const signer: PageSigner = {
    address,
    source: "wallet",
    sign: async (data) => {
      const d = asRegisterSigns(data);
      // The JSON eth_signTypedData_v4 takes: the types with EIP712Domain, values in canonical form.
      const payload = TypedDataEncoder.getPayload(d.domain, d.types, d.message);
      return (await provider.request({
        method: "eth_signTypedData_v4",
        params: [address, JSON.stringify(payload)],
      })) as string;
    },
    // webpool: the wallet shows the transaction and signs it (eth_signTransaction; a wallet that only sends refuses).
    signTransaction: async (tx) => {
      const hex = (v: unknown) => (v === undefined || v === null ? undefined : toQuantity(v as bigint));
      return (await provider.request({
        method: "eth_signTransaction",
        params: [
          {
            from: address,
            to: tx.to,
            data: tx.data,
            value: hex(tx.value),
            nonce: hex(tx.nonce),
            gas: hex(tx.gasLimit),
            maxFeePerGas: hex(tx.maxFeePerGas),
            maxPriorityFeePerGas: hex(tx.maxPriorityFeePerGas),
            gasPrice: hex(tx.gasPrice),
            chainId: hex(tx.chainId),
          },
        ],
      })) as string;
    },
  };
  pageSigner.set(signer);
  return signer;
}

export const forgetSigner = () => pageSigner.set(null);

/** The EIP-712 digest a wallet shows: the same request signed anywhere has this fingerprint. */
export const digestOf = (data: TypedData) => {
  const d = asRegisterSigns(data);
  return TypedDataEncoder.hash(d.domain, d.types, d.message);
};
