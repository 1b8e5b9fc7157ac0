/**
 * Turns a failed call or transaction into an AppError: a contract's custom error → 422 with the code and the
 * clerk's message of contractErrorTable.ts and its arguments in API form; an unreachable chain → 503.
 */
import { Interface, isError, type ErrorDescription } from "ethers";
import { FREEZE_KINDS, STANDING, screamingSnake } from "../../../definitions/enumNames";
import { apiArgs, type AbiParam } from "../chain/apiForm";
import { isoOf } from "../openapi/time";
import { REGISTRY_ABIS } from "../chain/abis";
import { AppError } from "./AppError";
import { CONTRACT_ERRORS, type ContractErrorName } from "./contractErrorTable";

/** Every custom error of every registry contract, to decode revert data whichever contract raised it. */
const ALL_ERRORS = new Interface(
  Object.values(REGISTRY_ABIS)
    .flat()
    .filter((fragment) => fragment.type === "error")
    .filter((fragment, i, all) => all.findIndex((f) => JSON.stringify(f) === JSON.stringify(fragment)) === i),
);

/** PledgorNotHolder → PLEDGOR_NOT_HOLDER (how the codes of the table were first named; the table is the truth). */
export const codeOfError = (name: string): string => screamingSnake(name);

/** Each custom error's declared arguments (with internalType, which ethers does not keep). */
const ERROR_PARAMS = new Map<string, AbiParam[]>(
  Object.values(REGISTRY_ABIS)
    .flat()
    .filter((f) => f.type === "error")
    .map((f) => [f.name as string, f.inputs as unknown as AbiParam[]]),
);
/**
 * Arguments a person reads differently from the chain, beyond dates and enums: a pool's periods are numbered from 1
 * (SPEC §6) and its period ends are instants.
 */
const ARG_FORMATS: Partial<Record<ContractErrorName, Record<string, (value: bigint) => unknown>>> = {
  PeriodNotEnded: { period: (v) => Number(v) + 1, endDate: (v) => isoOf(v) },
};
/** The request field an error is about, where every route that can meet it names it alike. */
const ERROR_FIELDS: Partial<Record<ContractErrorName, string>> = { ZeroAmount: "amount" };
/** Arguments declared as plain integers that are enum values. */
const ENUM_ARGS: Partial<Record<ContractErrorName, Record<string, readonly string[]>>> = {
  AssetFrozen: { freezeKind: FREEZE_KINDS },
  AssetNotLicensable: { reason: STANDING },
};

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
  const raw = Object.fromEntries(
    decoded.fragment.inputs.map((input, i) => [input.name || `arg${i}`, decoded.args[i] as unknown]),
  );
  const formats = ARG_FORMATS[decoded.name as ContractErrorName] ?? {};
  const params = (ERROR_PARAMS.get(decoded.name) ?? []).filter((p) => !formats[p.name]);
  const args = apiArgs(params, raw, ENUM_ARGS[decoded.name as ContractErrorName]);
  for (const [k, format] of Object.entries(formats)) if (k in raw) args[k] = format(BigInt(raw[k] as bigint));
  for (const [k, v] of Object.entries(args)) if (typeof v === "bigint") args[k] = v.toString();

  const details = { error: decoded.name, args };
  const entry = Object.hasOwn(CONTRACT_ERRORS, decoded.name)
    ? CONTRACT_ERRORS[decoded.name as ContractErrorName]
    : undefined;
  if (!entry) return AppError.of("TRANSACTION_REVERTED", `the register refused: ${decoded.name}`, undefined, details);
  const field = ERROR_FIELDS[decoded.name as ContractErrorName];
  return AppError.of(entry[0], render(entry[1], args, assetNames), field, details);
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
  // The last: npm start's embedded chain could not journal a write (disk full), so it answers nothing until restarted.
  /ECONNREFUSED|ECONNRESET|ENOTFOUND|socket hang up|fetch failed|chain journal cannot be written/i.test(
    String((error as Error)?.message ?? error),
  );

/** The AppError a chain failure means for the client, or undefined when it is not a chain failure we know. */
export function chainErrorToAppError(error: unknown): AppError | undefined {
  const decoded = decodeContractError(error);
  if (decoded) return contractErrorToAppError(decoded);
  if (unreachable(error)) return AppError.of("CHAIN_UNAVAILABLE", "the chain is not reachable; try again later");
  return undefined;
}

/** What a rule failure's `detail` holds, by reason code (contracts/types/Pledge.sol RuleFailure). */
const FAILURE_DETAIL: Record<string, string> = {
  ANNUAL_FEE_UNPAID: "feesPaidUntil",
  DEBT_BEYOND_EXPIRY: "expiryDate",
  ASSET_FROZEN: "freezeKind",
  ALREADY_PLEDGED: "pledgeId",
  VALUATION_INVALID: "verdict",
  NONCE_USED: "nonce",
  DEADLINE_PASSED: "deadline",
};
/** Which argument of the reason's error the failure's `party` is. */
const FAILURE_PARTY: Record<string, string> = {
  PLEDGOR_NOT_HOLDER: "pledgor",
  CO_OWNER_CONSENT_MISSING: "coOwner",
  PLEDGEE_NOT_LICENSED: "pledgee",
  SIGNATURE_INVALID: "signer",
  NONCE_USED: "signer",
  DEADLINE_PASSED: "signer",
};

/** A failing rule's arguments as its refusal's error would carry them, in API form. */
function ruleFailureArgs(code: string, f: { assetId: string; party: string; detail: bigint }) {
  const entry = Object.values(CONTRACT_ERRORS).find(([c]) => c === code);
  if (!entry) return undefined;
  const name = Object.keys(CONTRACT_ERRORS).find((n) => CONTRACT_ERRORS[n as ContractErrorName] === entry)!;
  const raw: Record<string, unknown> = /^0x0*$/.test(f.assetId) ? {} : { assetId: f.assetId };
  if (FAILURE_PARTY[code]) raw[FAILURE_PARTY[code]] = f.party;
  if (FAILURE_DETAIL[code]) raw[FAILURE_DETAIL[code]] = f.detail;
  return { template: entry[1], args: apiArgs(ERROR_PARAMS.get(name) ?? [], raw, ENUM_ARGS[name as ContractErrorName]) };
}

/**
 * A failing registration rule of the preflight view or the office's queue in the words of its refusal (the same
 * message the submission would be refused with), e.g. "the annual fees of 0x… are paid only until 2026-11-27".
 */
export function ruleFailureWords(code: string, f: { assetId: string; party: string; detail: bigint }): string {
  const failure = ruleFailureArgs(code, f);
  return failure ? render(failure.template, failure.args) : code;
}

/**
 * A failing rule's `detail` in API form, as its refusal's error details give it: a date YYYY-MM-DD, an instant, an
 * enum value by name (freeze, verdict) or a number as a decimal string; null when the rule has no detail.
 */
export function ruleFailureDetail(code: string, f: { assetId: string; party: string; detail: bigint }): string | null {
  const field = FAILURE_DETAIL[code];
  const value = field ? ruleFailureArgs(code, f)?.args[field] : undefined;
  return value === undefined || value === null ? null : String(value);
}
