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

/** `AssetKind`, `AssetStatus` and `FreezeKind` of contracts/types/IPAsset.sol. */
export const ASSET_KINDS = [
  "InventionPatent",
  "UtilityModel",
  "Design",
  "Trademark",
  "Copyright",
  "SoftwareCopyright",
  "GeographicalIndication",
  "PlantVariety",
  "DataRight",
  "ICLayoutDesign",
] as const;
export const ASSET_STATUSES = ["Applied", "Granted", "Lapsed", "Invalidated"] as const;
export const FREEZE_KINDS = ["None", "OwnershipDispute", "PreservationOrder"] as const;
/** `standingOf` as the API reports it: in good standing, or the first rule (SPEC §4.2, 2–5) it fails. */
export const STANDING = [
  "IN_GOOD_STANDING",
  "",
  "ASSET_NOT_IN_FORCE",
  "ASSET_NOT_GRANTED",
  "ANNUAL_FEE_UNPAID",
  "ASSET_FROZEN",
] as const;

/** How a clerk names each kind of asset, in ASSET_KINDS order. */
export const ASSET_KIND_WORDS = [
  "invention patent",
  "utility model",
  "design",
  "trademark",
  "copyright",
  "software copyright",
  "geographical indication",
  "plant variety",
  "data right",
  "IC layout design",
] as const;

/** `ValuationMethod` of contracts/types/Valuation.sol. */
export const VALUATION_METHODS = ["Income", "Market", "Cost", "BankInternal"] as const;
