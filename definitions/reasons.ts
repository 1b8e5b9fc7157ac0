/**
 * The stable reason codes of SPEC §4.2, in the order of the Solidity `Reason` enum (contracts/types/Pledge.sol), as
 * compiled: index = enum value. The custom error of each is the enum value's name (`PledgorNotHolder` carries
 * PLEDGOR_NOT_HOLDER).
 */
import { CONTRACT_ENUMS } from "./contractEnums";
import { REASON_CODES, type ReasonCode } from "./enumNames";

export { REASON_CODES, type ReasonCode };

export const Reason = Object.fromEntries(REASON_CODES.map((code, i) => [code, i])) as Record<ReasonCode, number>;

/** PLEDGOR_NOT_HOLDER → PledgorNotHolder: the custom error that carries the code. */
export function errorNameOf(code: ReasonCode): string {
  return CONTRACT_ENUMS.Reason[Reason[code]];
}
