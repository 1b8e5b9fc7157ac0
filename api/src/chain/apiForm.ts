/**
 * Contract values in the API's form (README "Conventions"), for event arguments and error details alike: calendar
 * dates as YYYY-MM-DD, instants as ISO 8601, enum values by name, integers as decimal strings. Which is which comes
 * from the ABI: an argument declared as an enum (its internalType) is named; dates and instants go by field name.
 */
import { dateOf, isoOf } from "../openapi/time";
import {
  ASSET_KINDS,
  ASSET_STATUSES,
  DISPOSAL_METHODS,
  FREEZE_KINDS,
  LICENCE_KINDS,
  NOT_DEFAULTABLE_REASONS,
  PLEDGE_STATUSES,
  POOL_ADDRESS_FIELDS,
  POOL_AMOUNT_FIELDS,
  POOL_STATUSES,
  REASON_CODES,
  VALUATION_METHODS,
  VALUATION_VERDICTS,
  WATERFALL_STEPS,
} from "../../../definitions/enumNames";

/** The API's names of each contract enum's values, by the enum's Solidity name. */
const ENUM_NAMES: Record<string, readonly string[]> = {
  AssetKind: ASSET_KINDS,
  AssetStatus: ASSET_STATUSES,
  FreezeKind: FREEZE_KINDS,
  PledgeStatus: PLEDGE_STATUSES,
  ValuationVerdict: VALUATION_VERDICTS,
  ValuationMethod: VALUATION_METHODS,
  Reason: REASON_CODES,
  DisposalMethod: DISPOSAL_METHODS,
  LicenceKind: LICENCE_KINDS,
  PoolStatus: POOL_STATUSES,
  PoolAddressField: POOL_ADDRESS_FIELDS,
  PoolAmountField: POOL_AMOUNT_FIELDS,
  NotDefaultableReason: NOT_DEFAULTABLE_REASONS,
  WaterfallStep: WATERFALL_STEPS,
};
/** Fields that hold a calendar date, and fields that hold an instant (Unix seconds on chain). */
export const DATE_FIELDS = new Set([
  "grantDate",
  "expiryDate",
  "feesPaidUntil",
  "paidUntil",
  "maturityDate",
  "startDate",
  "endDate",
  "dueDate",
  "valuationDate",
  "validUntil",
  "until",
]);
export const INSTANT_FIELDS = new Set([
  "deadline",
  "registeredAt",
  "anchoredAt",
  "recordedAt",
  "distributedAt",
  // a pool's period ends, as its configuration errors name them
  "firstPeriodEnd",
  "previousEnd",
  "periodEnd",
]);

export interface AbiParam {
  name: string;
  type: string;
  internalType?: string;
  components?: AbiParam[];
}

const enumOf = (param: AbiParam) => /^enum (?:\w+\.)*(\w+)$/.exec(param.internalType ?? "")?.[1];

/** One value (as plain JSON: integers as decimal strings or bigints) in API form. */
export function apiValue(param: AbiParam, value: unknown, names?: readonly string[]): unknown {
  if (param.type.endsWith("]") && Array.isArray(value)) {
    const child = {
      ...param,
      type: param.type.replace(/\[\d*\]$/, ""),
      internalType: param.internalType?.replace(/\[\d*\]$/, ""),
    };
    return value.map((v) => apiValue(child, v, names));
  }
  if (param.components && value && typeof value === "object" && !Array.isArray(value)) {
    const record = value as Record<string, unknown>;
    return Object.fromEntries(
      Object.entries(record).map(([k, v]) => {
        const c = param.components!.find((p) => p.name === k);
        return [k, c ? apiValue(c, v) : v];
      }),
    );
  }
  const isInteger = typeof value === "bigint" || (typeof value === "string" && /^\d+$/.test(value));
  if (!isInteger || !/^u?int/.test(param.type)) return value;
  const n = BigInt(value as string | bigint);
  const enumNames = names ?? ENUM_NAMES[enumOf(param) ?? ""];
  if (enumNames) return enumNames[Number(n)] ?? n.toString();
  if (DATE_FIELDS.has(param.name)) return dateOf(n);
  if (INSTANT_FIELDS.has(param.name)) return isoOf(n);
  return n.toString();
}

/** Named arguments in API form; `enums` names plain-integer arguments that are enum values. */
export function apiArgs(
  params: readonly AbiParam[],
  args: Record<string, unknown>,
  enums: Record<string, readonly string[]> = {},
): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(args).map(([k, v]) => {
      const param = params.find((p) => p.name === k);
      return [k, param ? apiValue(param, v, enums[k]) : v];
    }),
  );
}
