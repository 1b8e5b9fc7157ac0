/**
 * Turns a failed call or transaction into an AppError: a contract's custom error → 422 with its name in
 * UPPER_SNAKE_CASE (the SPEC reason code for registration rules) and its arguments; an unreachable chain → 503.
 */
import { Interface, isError, type ErrorDescription } from "ethers";
import {
  IPAssetRegister__factory,
  InvestorRegistry__factory,
  LicenceRegistry__factory,
  LossSharing__factory,
  PledgeRegistry__factory,
  ReceivablePool__factory,
  RegistryAccessManager__factory,
  TestStablecoin__factory,
  TrancheToken__factory,
  ValuationRegistry__factory,
} from "../../../typechain-types";
import { AppError } from "./AppError";

/** Every custom error of every registry contract, to decode revert data whichever contract raised it. */
const ALL_ERRORS = new Interface(
  [
    IPAssetRegister__factory.abi,
    PledgeRegistry__factory.abi,
    ValuationRegistry__factory.abi,
    LossSharing__factory.abi,
    LicenceRegistry__factory.abi,
    InvestorRegistry__factory.abi,
    ReceivablePool__factory.abi,
    TrancheToken__factory.abi,
    RegistryAccessManager__factory.abi,
    // OpenZeppelin's ERC-20 errors (ERC20InsufficientAllowance…), as a pool's payment token raises them.
    TestStablecoin__factory.abi,
  ]
    .flat()
    .filter((fragment) => fragment.type === "error")
    .filter((fragment, i, all) => all.findIndex((f) => JSON.stringify(f) === JSON.stringify(fragment)) === i),
);

/** PledgorNotHolder → PLEDGOR_NOT_HOLDER. */
export const codeOfError = (name: string) => name.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toUpperCase();

const plain = (value: unknown): unknown =>
  typeof value === "bigint" ? value.toString() : Array.isArray(value) ? value.map(plain) : value;

function revertData(error: unknown): string | undefined {
  const seen = new Set<unknown>();
  const visit = (e: unknown): string | undefined => {
    if (e === null || typeof e !== "object" || seen.has(e)) return undefined;
    seen.add(e);
    const data = (e as { data?: unknown }).data;
    if (typeof data === "string" && data.startsWith("0x") && data.length >= 10) return data;
    for (const key of ["error", "info", "cause", "revert"]) {
      const found = visit((e as Record<string, unknown>)[key]);
      if (found) return found;
    }
    return undefined;
  };
  return visit(error);
}

export function decodeContractError(error: unknown): ErrorDescription | undefined {
  const data = revertData(error);
  if (!data) return undefined;
  try {
    return ALL_ERRORS.parseError(data) ?? undefined;
  } catch {
    return undefined;
  }
}

const unreachable = (error: unknown) =>
  isError(error, "NETWORK_ERROR") ||
  isError(error, "TIMEOUT") ||
  /ECONNREFUSED|ECONNRESET|ENOTFOUND|socket hang up|fetch failed/i.test(String((error as Error)?.message ?? error));

/** The AppError a chain failure means for the client, or undefined when it is not a chain failure we know. */
export function chainErrorToAppError(error: unknown): AppError | undefined {
  const decoded = decodeContractError(error);
  if (decoded) {
    const args = Object.fromEntries(
      decoded.fragment.inputs.map((input, i) => [input.name || `arg${i}`, plain(decoded.args[i])]),
    );
    return new AppError(codeOfError(decoded.name), 422, `the registry refused: ${decoded.name}`, undefined, {
      error: decoded.name,
      args,
    });
  }
  if (unreachable(error)) return AppError.of("CHAIN_UNAVAILABLE", "the chain is not reachable; try again later");
  return undefined;
}
