/**
 * Typed data as the gateway sends it, read defensively (as api.ts reads everything): the one shape the signing
 * module checks, shows in words and signs. Kept apart from typedData.ts so that the API readers stay light (no
 * contract definitions, no ethers in the first download).
 */
import { wire } from "../api";

export interface TypedField {
  name: string;
  type: string;
}
export interface TypedData {
  domain: { name: string; version: string; chainId: number; verifyingContract: string };
  types: Record<string, TypedField[]>;
  primaryType: string;
  message: Record<string, unknown>;
}

/** Typed data as the gateway sent it, read defensively (api.ts): what the page may then check and sign. */
export function readTypedData(v: unknown): TypedData {
  const { obj, str, num } = wire;
  const o = obj(v);
  const d = obj(o.domain);
  return {
    domain: {
      name: str(d.name) ?? "",
      version: str(d.version) ?? "",
      chainId: num(d.chainId) ?? 0,
      verifyingContract: str(d.verifyingContract) ?? "",
    },
    types: obj(o.types) as TypedData["types"],
    primaryType: str(o.primaryType) ?? "",
    message: obj(o.message),
  };
}
