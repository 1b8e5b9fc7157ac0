/**
 * What a party does with its own key, outside the gateway: sign the EIP-712 typed data the API gave it, or sign a
 * prepared transaction. Used by `npm run sign` (scripts/sign.ts) and by tests.
 */
import { Transaction, Wallet, type TypedDataDomain, type TypedDataField } from "ethers";

export interface TypedDataRequest {
  domain: TypedDataDomain;
  types: Record<string, TypedDataField[]>;
  primaryType?: string;
  message: Record<string, unknown>;
}

/** Sign typed data as the API returns it (`EIP712Domain`, if listed, is implied by the domain). */
export function signTypedDataRequest(privateKey: string, request: TypedDataRequest): Promise<string> {
  const { EIP712Domain: _domainType, ...types } = request.types;
  void _domainType;
  return new Wallet(privateKey).signTypedData(request.domain, types, request.message);
}

export interface PreparedTransaction {
  from?: string;
  to?: string | null;
  data?: string;
  value?: string | number;
  chainId: string | number;
  nonce: string | number;
  gasLimit: string | number;
  gasPrice?: string | number;
  maxFeePerGas?: string | number;
  maxPriorityFeePerGas?: string | number;
}

/** Sign a prepared transaction; refuses one prepared for another account than the key's. */
export async function signPreparedTransaction(privateKey: string, prepared: PreparedTransaction): Promise<string> {
  const wallet = new Wallet(privateKey);
  if (prepared.from && prepared.from.toLowerCase() !== wallet.address.toLowerCase()) {
    throw new Error(`this transaction was prepared for ${prepared.from}, not for ${wallet.address}`);
  }
  const big = (v: string | number | undefined) => (v === undefined ? undefined : BigInt(v));
  const tx = Transaction.from({
    to: prepared.to ?? null,
    data: prepared.data ?? "0x",
    value: big(prepared.value) ?? 0n,
    chainId: big(prepared.chainId),
    nonce: Number(prepared.nonce),
    gasLimit: big(prepared.gasLimit),
    ...(prepared.maxFeePerGas !== undefined
      ? { type: 2, maxFeePerGas: big(prepared.maxFeePerGas), maxPriorityFeePerGas: big(prepared.maxPriorityFeePerGas) }
      : { type: 0, gasPrice: big(prepared.gasPrice) }),
  });
  return wallet.signTransaction(tx);
}
