/**
 * The read model's schema, versioned: each migration is a list of statements run in one transaction at open, in
 * order, once (recorded in schema_migrations). A transaction-scoped advisory lock serialises gateways that start
 * together against one PostgreSQL server. Add a migration at the end; never edit one that has shipped.
 */
import { sql, type Kysely } from "kysely";
import { READS_HEAD_TIME } from "./migrations/reads_11";
import { READS_POOL_IMMUTABLES } from "./migrations/reads_12";
import { RECORDS_BY_PARTY_AND_AGE } from "./migrations/records_21";

export interface Migration {
  version: number;
  name: string;
  statements: string[];
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: "events, cursor and the registry projections",
    statements: [
      `create table indexer_state (
        id int4 primary key check (id = 1),
        chain_id int8 not null,
        start_block int8 not null,
        head_block int8 not null,
        head_hash text,
        undo_floor int8 not null
      )`,
      `create table indexed_blocks (number int8 primary key, hash text not null)`,
      `create table events (
        block_number int8 not null,
        log_index int4 not null,
        block_hash text not null,
        tx_hash text not null,
        contract text not null,
        name text,
        args jsonb,
        topics jsonb not null,
        data text not null,
        primary key (block_number, log_index)
      )`,
      `create index events_by_contract on events (contract, block_number, log_index)`,
      `create index events_by_name on events (name, block_number)`,
      `create table tracked_addresses (
        address text primary key,
        source text not null,
        role text not null,
        from_block int8 not null
      )`,
      `create table undo_log (
        seq bigserial primary key,
        block_number int8 not null,
        tbl text not null,
        key jsonb not null,
        old_row jsonb
      )`,
      `create index undo_log_by_block on undo_log (block_number)`,
      `create table assets (
        asset_id text primary key,
        kind int4 not null,
        official_number text not null,
        status int4 not null,
        freeze_kind int4 not null,
        invalidation_pending boolean not null,
        grant_date int8 not null,
        expiry_date int8 not null,
        fees_paid_until int8 not null,
        document_hash text not null,
        recorded_block int8 not null,
        updated_block int8 not null
      )`,
      `create table asset_holders (
        asset_id text not null,
        position int4 not null,
        holder text not null,
        share_bps int4 not null,
        primary key (asset_id, position)
      )`,
      `create index asset_holders_by_holder on asset_holders (holder)`,
      `create table pledges (
        pledge_id numeric(78, 0) primary key,
        pledgee text not null,
        submitter text not null,
        terms_hash text not null,
        status int4 not null,
        debtor text not null,
        principal numeric(78, 0) not null,
        currency text not null,
        start_date int8 not null,
        maturity_date int8 not null,
        contract_hash text not null,
        valuation_report_id text not null,
        risk_scheme int4 not null,
        forfeiture_clause boolean not null,
        invalidation_acknowledged boolean not null,
        registration_number numeric(78, 0),
        registered_at int8,
        refusal_reason int4,
        refusal_note text,
        withdrawn_by text,
        enforcement_evidence text,
        disposal jsonb,
        applied_block int8 not null,
        closed_block int8,
        updated_block int8 not null
      )`,
      `create index pledges_by_pledgee on pledges (pledgee, status, pledge_id)`,
      `create index pledges_by_status on pledges (status, pledge_id)`,
      `create table pledge_assets (
        pledge_id numeric(78, 0) not null,
        position int4 not null,
        asset_id text not null,
        primary key (pledge_id, position)
      )`,
      `create index pledge_assets_by_asset on pledge_assets (asset_id, pledge_id)`,
      `create table pledge_pledgors (
        pledge_id numeric(78, 0) not null,
        position int4 not null,
        pledgor text not null,
        primary key (pledge_id, position)
      )`,
      `create index pledge_pledgors_by_pledgor on pledge_pledgors (pledgor, pledge_id)`,
      `create table valuation_reports (
        document_hash text primary key,
        evaluator text not null,
        batch_root text not null,
        value numeric(78, 0) not null,
        currency text not null,
        method int4 not null,
        valuation_date int8 not null,
        valid_until int8 not null,
        supersedes text not null,
        uri text not null,
        status int4 not null,
        superseded_by text,
        revoked_by text,
        revocation_reason text,
        anchored_block int8 not null,
        updated_block int8 not null
      )`,
      `create index valuation_reports_by_evaluator on valuation_reports (evaluator, status)`,
      `create table report_assets (
        document_hash text not null,
        position int4 not null,
        asset_id text not null,
        primary key (document_hash, position)
      )`,
      `create index report_assets_by_asset on report_assets (asset_id)`,
      `create table report_batches (
        evaluator text not null,
        root text not null,
        report_count int4 not null,
        revoked boolean not null,
        revoked_by text,
        revocation_reason text,
        anchored_block int8 not null,
        updated_block int8 not null,
        primary key (evaluator, root)
      )`,
      `create table licences (
        licence_id numeric(78, 0) primary key,
        kind int4 not null,
        licensee text not null,
        first_licence_id numeric(78, 0),
        licensors jsonb,
        exclusive boolean,
        sub_licensable boolean,
        upfront_fee numeric(78, 0),
        start_date int8 not null,
        end_date int8 not null,
        contract_hash text not null,
        pool text,
        recorded_block int8 not null,
        updated_block int8 not null
      )`,
      `create index licences_by_licensee on licences (licensee)`,
      `create table licence_assets (
        licence_id numeric(78, 0) not null,
        position int4 not null,
        asset_id text not null,
        primary key (licence_id, position)
      )`,
      `create index licence_assets_by_asset on licence_assets (asset_id)`,
      `create table instalments (
        licence_id numeric(78, 0) not null,
        idx int4 not null,
        due_date int8 not null,
        amount numeric(78, 0) not null,
        primary key (licence_id, idx)
      )`,
    ],
  },
  {
    version: 2,
    name: "the reads' indexes: events by pledge and by asset, block times by hash",
    statements: [
      `create index events_by_pledge on events ((args->>'pledgeId'), block_number, log_index)`,
      `create index events_by_asset on events ((args->>'assetId'), block_number, log_index)`,
      // A block's time never changes for its hash, so this cache needs no reorg handling: filled by reads on demand.
      `create table block_times (hash text primary key, timestamp int8 not null)`,
    ],
  },
  {
    version: 3,
    name: "the gateway's own records (drafts, idempotency, batching queues, prepared transactions, pool index)",
    statements: [
      // Not built from events (never dropped by a rebuild). `scope` separates gateways' record sets sharing one
      // database for tests; every production gateway uses '' and so shares its records with the others.
      `create table gateway_records (
        scope text not null,
        kind text not null,
        id text not null,
        value jsonb not null,
        version int4 not null,
        updated_at timestamptz not null default now(),
        primary key (scope, kind, id)
      )`,
    ],
  },
  READS_HEAD_TIME,
  READS_POOL_IMMUTABLES,
  RECORDS_BY_PARTY_AND_AGE,
];

/** Any fixed number: the advisory lock that serialises migrations across gateways. */
const MIGRATION_LOCK = 4_451_001;

/** Brings the schema to the newest version; returns the versions it applied. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function migrate(db: Kysely<any>): Promise<number[]> {
  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(${MIGRATION_LOCK})`.execute(trx);
    await sql`create table if not exists schema_migrations (
      version int4 primary key,
      name text not null,
      applied_at timestamptz not null default now()
    )`.execute(trx);
    const done = new Set(
      (await sql<{ version: number }>`select version from schema_migrations`.execute(trx)).rows.map((r) => r.version),
    );
    const newest = Math.max(0, ...done);
    const latest = MIGRATIONS[MIGRATIONS.length - 1].version;
    if (newest > latest) {
      throw new Error(`the database schema is version ${newest}, newer than this gateway knows (${latest})`);
    }
    const applied: number[] = [];
    for (const migration of MIGRATIONS) {
      if (done.has(migration.version)) continue;
      for (const statement of migration.statements) await sql.raw(statement).execute(trx);
      await sql`insert into schema_migrations (version, name) values (${migration.version}, ${migration.name})`.execute(
        trx,
      );
      applied.push(migration.version);
    }
    return applied;
  });
}
