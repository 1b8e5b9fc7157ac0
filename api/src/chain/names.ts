/** The names the API gives the contracts' enum values, in the enums' order (index = on-chain value). */
export const PLEDGE_STATUSES = [
  "None",
  "Pending",
  "Registered",
  "Released",
  "Enforced",
  "Disposed",
  "Refused",
  "Withdrawn",
] as const;

/** `ValuationVerdict` as the API reports it. */
export const VALUATION_VERDICTS = [
  "VALID",
  "UNKNOWN",
  "REVOKED",
  "SUPERSEDED",
  "EXPIRED",
  "ASSET_NOT_COVERED",
] as const;
