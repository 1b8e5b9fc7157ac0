/**
 * The read model's tables as Kysely sees them. Conventions (the same on PGlite and on a PostgreSQL server):
 *  - uint256 amounts and ids are `numeric(78,0)`, block numbers and unix-second instants are `int8`: both come back
 *    as decimal strings (exact, JSON-safe); small enums and positions are `int4` numbers;
 *  - addresses are checksummed as ethers prints them; hashes are 0x-prefixed lower-case hex;
 *  - JSON columns are written as JSON text (`JSON.stringify`) and read back parsed.
 */
import type { ColumnType, Generated } from "kysely";

/** int8 / numeric: written as a string, number or bigint; always read as a decimal string. */
export type Decimal = ColumnType<string, string | number | bigint, string | number | bigint>;
/** jsonb: written as JSON text, read parsed. */
export type Json = ColumnType<unknown, string, string>;

export interface IndexerStateTable {
  id: number;
  chain_id: Decimal;
  start_block: Decimal;
  /** The last block whose logs are all in the index (start_block − 1 before the first range). */
  head_block: Decimal;
  head_hash: string | null;
  /** Undo records exist for every block above this one; a deeper reorg rebuilds the projections from events. */
  undo_floor: Decimal;
  /** The head block's unix time (null before the first range, or for a head indexed before migration 11). */
  head_time: Decimal | null;
}

export interface IndexedBlocksTable {
  number: Decimal;
  hash: string;
}

export interface EventsTable {
  block_number: Decimal;
  log_index: number;
  block_hash: string;
  tx_hash: string;
  contract: string;
  /** null for a log no known ABI decodes (kept raw in topics/data). */
  name: string | null;
  args: Json | null;
  topics: Json;
  data: string;
}

export interface TrackedAddressesTable {
  address: string;
  /** "registry" (from the deployment file), "assignment" (a ReceivableAssigned event) or "api" (trackAddress). */
  source: string;
  role: string;
  from_block: Decimal;
}

export interface UndoLogTable {
  seq: Generated<Decimal>;
  block_number: Decimal;
  tbl: string;
  key: Json;
  old_row: Json | null;
}

export interface AssetsTable {
  asset_id: string;
  kind: number;
  official_number: string;
  status: number;
  freeze_kind: number;
  invalidation_pending: boolean;
  grant_date: Decimal;
  expiry_date: Decimal;
  fees_paid_until: Decimal;
  document_hash: string;
  recorded_block: Decimal;
  updated_block: Decimal;
}

export interface AssetHoldersTable {
  asset_id: string;
  position: number;
  holder: string;
  share_bps: number;
}

export interface PledgesTable {
  pledge_id: Decimal;
  pledgee: string;
  submitter: string;
  terms_hash: string;
  status: number;
  debtor: string;
  principal: Decimal;
  currency: string;
  start_date: Decimal;
  maturity_date: Decimal;
  contract_hash: string;
  valuation_report_id: string;
  risk_scheme: number;
  forfeiture_clause: boolean;
  invalidation_acknowledged: boolean;
  registration_number: Decimal | null;
  registered_at: Decimal | null;
  refusal_reason: number | null;
  refusal_note: string | null;
  withdrawn_by: string | null;
  enforcement_evidence: string | null;
  disposal: Json | null;
  applied_block: Decimal;
  closed_block: Decimal | null;
  updated_block: Decimal;
}

export interface PledgeAssetsTable {
  pledge_id: Decimal;
  position: number;
  asset_id: string;
}

export interface PledgePledgorsTable {
  pledge_id: Decimal;
  position: number;
  pledgor: string;
}

export interface ValuationReportsTable {
  document_hash: string;
  evaluator: string;
  batch_root: string;
  value: Decimal;
  currency: string;
  method: number;
  valuation_date: Decimal;
  valid_until: Decimal;
  supersedes: string;
  uri: string;
  /** ReportStatus: 1 Anchored, 2 Revoked, 3 Superseded. */
  status: number;
  superseded_by: string | null;
  revoked_by: string | null;
  revocation_reason: string | null;
  anchored_block: Decimal;
  updated_block: Decimal;
}

export interface ReportAssetsTable {
  document_hash: string;
  position: number;
  asset_id: string;
}

export interface ReportBatchesTable {
  evaluator: string;
  root: string;
  report_count: number;
  revoked: boolean;
  revoked_by: string | null;
  revocation_reason: string | null;
  anchored_block: Decimal;
  updated_block: Decimal;
}

export interface LicencesTable {
  licence_id: Decimal;
  /** LicenceKind: 0 first, 1 sub. */
  kind: number;
  licensee: string;
  first_licence_id: Decimal | null;
  licensors: Json | null;
  exclusive: boolean | null;
  sub_licensable: boolean | null;
  upfront_fee: Decimal | null;
  start_date: Decimal;
  end_date: Decimal;
  contract_hash: string;
  pool: string | null;
  recorded_block: Decimal;
  updated_block: Decimal;
}

export interface LicenceAssetsTable {
  licence_id: Decimal;
  position: number;
  asset_id: string;
}

export interface InstalmentsTable {
  licence_id: Decimal;
  idx: number;
  due_date: Decimal;
  amount: Decimal;
}

/** Block times by block hash (immutable for a hash), filled on demand by the reads that show an instant. */
export interface BlockTimesTable {
  hash: string;
  timestamp: Decimal;
}

/** The gateway's own state (store/records.ts): one JSON value per (scope, kind, id), versioned. */
export interface GatewayRecordsTable {
  scope: string;
  kind: string;
  id: string;
  value: Json;
  version: number;
  updated_at: Generated<Date>;
}

/** A pool's constructor-fixed facts (migration 12): read once from its views, with its first event. */
export interface PoolImmutablesTable {
  pool: string;
  start_date: Decimal;
  /** The licence ids of its receivables, in the pool's order (decimal strings). */
  receivables: Json;
  /** Per tranche, in order: { token, name, symbol, face }. */
  tranches: Json;
  read_block: Decimal;
}

export interface ReadModel {
  gateway_records: GatewayRecordsTable;
  block_times: BlockTimesTable;
  indexer_state: IndexerStateTable;
  indexed_blocks: IndexedBlocksTable;
  events: EventsTable;
  tracked_addresses: TrackedAddressesTable;
  undo_log: UndoLogTable;
  assets: AssetsTable;
  asset_holders: AssetHoldersTable;
  pledges: PledgesTable;
  pledge_assets: PledgeAssetsTable;
  pledge_pledgors: PledgePledgorsTable;
  valuation_reports: ValuationReportsTable;
  report_assets: ReportAssetsTable;
  report_batches: ReportBatchesTable;
  licences: LicencesTable;
  licence_assets: LicenceAssetsTable;
  instalments: InstalmentsTable;
  pool_immutables: PoolImmutablesTable;
}

/** Tables built from events alone (the projections): dropped and replayed by a rebuild, restored by the undo log. */
export const PROJECTION_TABLES = [
  "assets",
  "asset_holders",
  "pledges",
  "pledge_assets",
  "pledge_pledgors",
  "valuation_reports",
  "report_assets",
  "report_batches",
  "licences",
  "licence_assets",
  "instalments",
] as const satisfies readonly (keyof ReadModel)[];
export type ProjectionTable = (typeof PROJECTION_TABLES)[number];

/** Each projection table's primary key, in order. */
export const PRIMARY_KEYS: Record<ProjectionTable | "tracked_addresses" | "pool_immutables", readonly string[]> = {
  assets: ["asset_id"],
  asset_holders: ["asset_id", "position"],
  pledges: ["pledge_id"],
  pledge_assets: ["pledge_id", "position"],
  pledge_pledgors: ["pledge_id", "position"],
  valuation_reports: ["document_hash"],
  report_assets: ["document_hash", "position"],
  report_batches: ["evaluator", "root"],
  licences: ["licence_id"],
  licence_assets: ["licence_id", "position"],
  instalments: ["licence_id", "idx"],
  tracked_addresses: ["address"],
  pool_immutables: ["pool"],
};

/** The jsonb columns, which must be written back as JSON text when a row is restored. */
export const JSON_COLUMNS: Partial<Record<keyof ReadModel, readonly string[]>> = {
  pledges: ["disposal"],
  licences: ["licensors"],
  pool_immutables: ["receivables", "tranches"],
};
