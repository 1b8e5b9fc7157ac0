/**
 * Turns a failed call or transaction into an AppError: a contract's custom error → 422 with the code and the
 * clerk's message of contractErrorTable.ts and its arguments in API form; an unreachable chain → 503.
 */
import { Interface, isError, type ErrorDescription, type ParamType } from "ethers";
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
import {
  ASSET_KINDS,
  ASSET_STATUSES,
  FREEZE_KINDS,
  PLEDGE_STATUSES,
  STANDING,
  VALUATION_VERDICTS,
} from "../chain/names";
import { POOL_STATUSES } from "../routes/pools/schema";
import { dateOf, isoOf } from "../openapi/time";
import { AppError } from "./AppError";
import { CONTRACT_ERRORS, type ContractErrorName } from "./contractErrorTable";

/** The ABIs whose custom errors a client can meet: every registry contract, a pool, a tranche, the payment token. */
export const REGISTRY_ABIS = {
  IPAssetRegister: IPAssetRegister__factory.abi,
  PledgeRegistry: PledgeRegistry__factory.abi,
  ValuationRegistry: ValuationRegistry__factory.abi,
  LossSharing: LossSharing__factory.abi,
  LicenceRegistry: LicenceRegistry__factory.abi,
  InvestorRegistry: InvestorRegistry__factory.abi,
  ReceivablePool: ReceivablePool__factory.abi,
  TrancheToken: TrancheToken__factory.abi,
  RegistryAccessManager: RegistryAccessManager__factory.abi,
  // OpenZeppelin's ERC-20 errors (ERC20InsufficientAllowance…), as a pool's payment token raises them.
  TestStablecoin: TestStablecoin__factory.abi,
} as const;

/** Every custom error of every registry contract, to decode revert data whichever contract raised it. */
const ALL_ERRORS = new Interface(
  Object.values(REGISTRY_ABIS)
    .flat()
    .filter((fragment) => fragment.type === "error")
    .filter((fragment, i, all) => all.findIndex((f) => JSON.stringify(f) === JSON.stringify(fragment)) === i),
);

/** PledgorNotHolder → PLEDGOR_NOT_HOLDER (how the codes of the table were first named; the table is the truth). */
export const codeOfError = (name: string) => name.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toUpperCase();

/** Enum values by the enum's Solidity name (from the ABI's internalType), or by the argument's name. */
const ENUMS: Record<string, readonly string[]> = {
  "enum AssetKind": ASSET_KINDS,
  "enum AssetStatus": ASSET_STATUSES,
  "enum FreezeKind": FREEZE_KINDS,
  "enum PledgeStatus": PLEDGE_STATUSES,
  "enum ValuationVerdict": VALUATION_VERDICTS,
  "enum PoolStatus": POOL_STATUSES,
  freezeKind: FREEZE_KINDS,
  verdict: VALUATION_VERDICTS,
};
/** Per error, arguments declared as plain integers that are enum values. */
const ENUM_ARGS: Partial<Record<ContractErrorName, Record<string, readonly string[]>>> = {
  AssetNotLicensable: { reason: STANDING },
};
const DATE_ARGS = new Set(["feesPaidUntil", "expiryDate", "maturityDate", "grantDate", "endDate", "until"]);
const INSTANT_ARGS = new Set(["deadline"]);

/** An argument in API form: dates YYYY-MM-DD, instants ISO 8601, enum values by name, integers as strings. */
function apiValue(error: string, input: ParamType, value: unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => apiValue(error, input.arrayChildren ?? input, v));
  if (typeof value !== "bigint") return value;
  const names =
    ENUM_ARGS[error as ContractErrorName]?.[input.name] ??
    ENUMS[input.name] ??
    ENUMS[ENUM_TYPES.get(`${error}.${input.name}`) ?? ""];
  if (names) return names[Number(value)] ?? value.toString();
  if (DATE_ARGS.has(input.name)) return dateOf(value) ?? "0";
  if (INSTANT_ARGS.has(input.name)) return isoOf(value) ?? "0";
  return value.toString();
}
/** "enum PledgeStatus" for each error argument declared as an enum (ethers keeps no internalType: the ABI does). */
const ENUM_TYPES = new Map<string, string>(
  Object.values(REGISTRY_ABIS)
    .flat()
    .filter((f) => f.type === "error")
    .flatMap((f) =>
      (f.inputs as readonly { name: string; internalType?: string }[]).map(
        (i) => [`${f.name}.${i.name}`, (i.internalType ?? "").replace(/^enum (?:\w+\.)*/, "enum ")] as const,
      ),
    ),
);

/** `{name}` → the argument, `{name|words}` → words when there is no such argument; asset ids by their names. */
export function render(template: string, args: Record<string, unknown>, assetNames = new Map<string, string>()) {
  return template.replace(/\{(\w+)(?:\|([^}]*))?\}/g, (_all, name: string, fallback?: string) => {
    if (!(name in args)) return fallback ?? `{${name}}`;
    const value = args[name];
    if (typeof value === "string" && assetNames.has(value.toLowerCase())) return assetNames.get(value.toLowerCase())!;
    return Array.isArray(value) ? value.join(", ") : String(value);
  });
}

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

/** A decoded custom error as the client sees it; an error missing from the table is TRANSACTION_REVERTED. */
export function contractErrorToAppError(decoded: ErrorDescription, assetNames?: Map<string, string>): AppError {
  const args = Object.fromEntries(
    decoded.fragment.inputs.map((input, i) => [
      input.name || `arg${i}`,
      apiValue(decoded.name, input, decoded.args[i]),
    ]),
  );
  const details = { error: decoded.name, args };
  const entry = Object.hasOwn(CONTRACT_ERRORS, decoded.name)
    ? CONTRACT_ERRORS[decoded.name as ContractErrorName]
    : undefined;
  if (!entry) return AppError.of("TRANSACTION_REVERTED", `the register refused: ${decoded.name}`, undefined, details);
  return AppError.of(entry[0], render(entry[1], args, assetNames), undefined, details);
}

/** The asset ids a contract refusal names (to be shown by kind and official number). */
export function assetIdsIn(error: AppError): string[] {
  const args = error.details?.args as Record<string, unknown> | undefined;
  if (!args || typeof error.details?.error !== "string") return [];
  return typeof args.assetId === "string" ? [args.assetId.toLowerCase()] : [];
}

/** The same refusal with its assets named ("invention patent ZL202110012345.6") instead of their ids. */
export function withAssetNames(error: AppError, assetNames: Map<string, string>): AppError {
  const name = error.details?.error as string;
  if (!Object.hasOwn(CONTRACT_ERRORS, name) || assetNames.size === 0) return error;
  const [code, template] = CONTRACT_ERRORS[name as ContractErrorName];
  const args = error.details!.args as Record<string, unknown>;
  return AppError.of(code, render(template, args, assetNames), error.field, error.details);
}

const unreachable = (error: unknown) =>
  isError(error, "NETWORK_ERROR") ||
  isError(error, "TIMEOUT") ||
  /ECONNREFUSED|ECONNRESET|ENOTFOUND|socket hang up|fetch failed/i.test(String((error as Error)?.message ?? error));

/** The AppError a chain failure means for the client, or undefined when it is not a chain failure we know. */
export function chainErrorToAppError(error: unknown): AppError | undefined {
  const decoded = decodeContractError(error);
  if (decoded) return contractErrorToAppError(decoded);
  if (unreachable(error)) return AppError.of("CHAIN_UNAVAILABLE", "the chain is not reachable; try again later");
  return undefined;
}
