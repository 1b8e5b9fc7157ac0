/**
 * The stable reason codes of SPEC §4.2, in the order of the Solidity `Reason` enum
 * (contracts/types/Pledge.sol). Index = enum value. The custom error of each is the code in PascalCase.
 */
export const REASON_CODES = [
  "REFUSED_BY_REGISTRAR", // Reason.None: a refusal for a reason no machine can check (free text)
  "PLEDGOR_NOT_HOLDER",
  "ASSET_NOT_IN_FORCE",
  "ASSET_NOT_GRANTED",
  "ANNUAL_FEE_UNPAID",
  "ASSET_FROZEN",
  "DEBT_BEYOND_EXPIRY",
  "FORFEITURE_CLAUSE",
  "CO_OWNER_CONSENT_MISSING",
  "ALREADY_PLEDGED",
  "INVALIDATION_PENDING",
  "VALUATION_INVALID",
  "PLEDGEE_NOT_LICENSED",
  "SIGNATURE_INVALID",
  "NONCE_USED",
  "DEADLINE_PASSED",
] as const;

export type ReasonCode = (typeof REASON_CODES)[number];

export const Reason = Object.fromEntries(REASON_CODES.map((code, i) => [code, i])) as Record<ReasonCode, number>;

/** PLEDGOR_NOT_HOLDER → PledgorNotHolder: the custom error that carries the code. */
export function errorNameOf(code: ReasonCode): string {
  return code
    .toLowerCase()
    .split("_")
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join("");
}

/** The reason code a custom error name stands for, or undefined when the error is not a reason code. */
export function reasonCodeOfError(errorName: string): ReasonCode | undefined {
  return REASON_CODES.slice(1).find((code) => errorNameOf(code) === errorName);
}
