/**
 * The projections: tables the reads need, built from events alone. Every write goes through a ProjectionWriter,
 * which first journals the row's previous image in undo_log under the event's block; a reorg walk-back replays the
 * journal backwards to the common ancestor. `applyEvent` is the one place that says what each event does.
 */
import type { Kysely, Transaction } from "kysely";
import { JSON_COLUMNS, PRIMARY_KEYS, type ProjectionTable, type ReadModel } from "../store/schema";
import type { ContractRole, JsonValue } from "./decode";

type Row = Record<string, unknown>;
type Key = Record<string, unknown>;
type JournaledTable = ProjectionTable | "tracked_addresses" | "pool_immutables";
// Table names here are dynamic; the typed schema still checks every column the reads use.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

const jsonText = (table: string, row: Row): Row => {
  const columns = JSON_COLUMNS[table as keyof ReadModel] ?? [];
  const out = { ...row };
  for (const column of columns)
    if (out[column] !== null && out[column] !== undefined) out[column] = JSON.stringify(out[column]);
  return out;
};

function whereKey<Q extends { where: (...args: never[]) => Q }>(query: Q, key: Key): Q {
  let q = query;
  for (const [column, value] of Object.entries(key)) {
    q = (q.where as unknown as (c: string, op: string, v: unknown) => Q)(column, "=", value);
  }
  return q;
}

export class ProjectionWriter {
  /** The block of the event being applied: the undo records are filed under it. */
  block = "0";
  /** Pool addresses that ReceivableAssigned events named, for the follower to start following. */
  readonly discovered: string[] = [];

  /**
   * @param journalAbove writes for blocks at or below it are not journaled: a catch-up far behind the chain's head
   *   needs no undo there (the follower raises its undo floor past them), and saves two queries a row.
   */
  constructor(
    private readonly trx: Transaction<ReadModel>,
    private readonly journalAbove = -Infinity,
  ) {}

  private get journaled() {
    return Number(this.block) > this.journalAbove;
  }

  private get db() {
    return this.trx as unknown as AnyDb;
  }

  private keyOf(table: JournaledTable, row: Row): Key {
    return Object.fromEntries(PRIMARY_KEYS[table].map((column) => [column, row[column]]));
  }

  async get(table: JournaledTable, key: Key): Promise<Row | undefined> {
    return whereKey(this.db.selectFrom(table).selectAll(), key).executeTakeFirst();
  }

  private async journal(table: JournaledTable, key: Key, old: Row | undefined) {
    await this.db
      .insertInto("undo_log")
      .values({
        block_number: this.block,
        tbl: table,
        key: JSON.stringify(key),
        old_row: old ? JSON.stringify(old) : null,
      })
      .execute();
  }

  /** Inserts or replaces the row with this primary key (JSON columns as values; they are serialised here). */
  async put(table: JournaledTable, row: Row) {
    const key = this.keyOf(table, row);
    if (this.journaled) await this.journal(table, key, await this.get(table, key));
    const values = jsonText(table, row);
    const rest = Object.fromEntries(Object.entries(values).filter(([c]) => !(c in key)));
    await this.db
      .insertInto(table)
      .values(values)
      .onConflict((oc) => {
        const target = oc.columns(PRIMARY_KEYS[table] as never);
        return Object.keys(rest).length ? target.doUpdateSet(rest) : target.doNothing();
      })
      .execute();
  }

  /** Changes some columns of an existing row; an event about a row the index never saw is ignored. */
  async patch(table: JournaledTable, key: Key, changes: Row) {
    if (!this.journaled) {
      await whereKey(this.db.updateTable(table).set(jsonText(table, changes)), key).execute();
      return;
    }
    const old = await this.get(table, key);
    if (!old) return;
    await this.journal(table, key, old);
    await whereKey(this.db.updateTable(table).set(jsonText(table, changes)), key).execute();
  }

  /** Deletes every row whose `column` equals `value` (e.g. an asset's holders before the new list). */
  async removeAll(table: JournaledTable, column: string, value: unknown) {
    if (!this.journaled) {
      await this.db.deleteFrom(table).where(column, "=", value).execute();
      return;
    }
    const rows: Row[] = await this.db.selectFrom(table).selectAll().where(column, "=", value).execute();
    for (const row of rows) {
      const key = this.keyOf(table, row);
      await this.journal(table, key, row);
      await whereKey(this.db.deleteFrom(table), key).execute();
    }
  }
}

/** Undoes every projection write filed under a block above `ancestor`, newest first. */
export async function undoAbove(trx: Transaction<ReadModel>, ancestor: number) {
  const db = trx as unknown as AnyDb;
  const records = await trx
    .selectFrom("undo_log")
    .selectAll()
    .where("block_number", ">", String(ancestor))
    .orderBy("seq", "desc")
    .execute();
  for (const record of records) {
    const table = record.tbl as JournaledTable;
    await whereKey(db.deleteFrom(table), record.key as Key).execute();
    if (record.old_row)
      await db
        .insertInto(table)
        .values(jsonText(table, record.old_row as Row))
        .execute();
  }
  await trx.deleteFrom("undo_log").where("block_number", ">", String(ancestor)).execute();
}

const PledgeStatus = { Pending: 1, Registered: 2, Released: 3, Enforced: 4, Disposed: 5, Refused: 6, Withdrawn: 7 };
const ReportStatus = { Anchored: 1, Revoked: 2, Superseded: 3 };

type Args = Record<string, JsonValue>;
type Struct = Record<string, JsonValue>;
const str = (v: JsonValue) => v as string;
const num = (v: JsonValue) => Number(v);

/** Applies one decoded event to the projections. Events with no projection are only kept in `events`. */
export async function applyEvent(w: ProjectionWriter, role: ContractRole, name: string, a: Args, contract: string) {
  const block = w.block;
  /** An asset's change on the strength of a document. */
  const asset = (changes: Row) =>
    w.patch("assets", { asset_id: a.assetId }, { ...changes, document_hash: a.documentHash, updated_block: block });
  const pledge = (changes: Row) => w.patch("pledges", { pledge_id: a.pledgeId }, { ...changes, updated_block: block });
  const closedPledge = (status: number, changes: Row = {}) => pledge({ status, ...changes, closed_block: block });
  const report = (changes: Row) =>
    w.patch("valuation_reports", { document_hash: a.documentHash }, { ...changes, updated_block: block });
  switch (`${role}.${name}`) {
    // ───── assets and holders ─────
    case "assetRegister.AssetRecorded":
      return w.put("assets", {
        asset_id: a.assetId,
        kind: num(a.kind),
        official_number: a.officialNumber,
        status: num(a.status),
        freeze_kind: 0,
        invalidation_pending: false,
        grant_date: a.grantDate,
        expiry_date: a.expiryDate,
        fees_paid_until: a.feesPaidUntil,
        document_hash: a.documentHash,
        recorded_block: block,
        updated_block: block,
      });
    case "assetRegister.HoldersRecorded": {
      await w.removeAll("asset_holders", "asset_id", a.assetId);
      const holders = a.holders as Struct[];
      for (const [position, h] of holders.entries()) {
        await w.put("asset_holders", { asset_id: a.assetId, position, holder: h.holder, share_bps: num(h.shareBps) });
      }
      return asset({});
    }
    case "assetRegister.AssetTermRecorded":
      return asset({ grant_date: a.grantDate, expiry_date: a.expiryDate });
    case "assetRegister.AnnualFeesRecorded":
      return asset({ fees_paid_until: a.feesPaidUntil });
    case "assetRegister.AssetStatusRecorded":
      return asset({ status: num(a.status) });
    case "assetRegister.InvalidationProceedingsRecorded":
      return asset({ invalidation_pending: a.pending });
    case "assetRegister.FreezeRecorded":
      return asset({ freeze_kind: num(a.freeze) });

    // ───── pledges ─────
    case "pledgeRegistry.PledgeApplied": {
      const terms = a.terms as Struct;
      const debt = terms.debt as Struct;
      const pledgeId = str(a.pledgeId);
      await w.put("pledges", {
        pledge_id: pledgeId,
        pledgee: a.pledgee,
        submitter: a.submitter,
        terms_hash: a.termsHash,
        status: PledgeStatus.Pending,
        debtor: debt.debtor,
        principal: debt.principal,
        currency: debt.currency,
        start_date: debt.startDate,
        maturity_date: debt.maturityDate,
        contract_hash: terms.contractHash,
        valuation_report_id: terms.valuationReportId,
        risk_scheme: num(terms.riskScheme),
        forfeiture_clause: terms.forfeitureClause,
        invalidation_acknowledged: terms.invalidationAcknowledged,
        registration_number: null,
        registered_at: null,
        refusal_reason: null,
        refusal_note: null,
        withdrawn_by: null,
        enforcement_evidence: null,
        disposal: null,
        applied_block: block,
        closed_block: null,
        updated_block: block,
      });
      for (const [position, assetId] of (terms.assetIds as string[]).entries()) {
        await w.put("pledge_assets", { pledge_id: pledgeId, position, asset_id: assetId });
      }
      for (const [position, pledgor] of (terms.pledgors as string[]).entries()) {
        await w.put("pledge_pledgors", { pledge_id: pledgeId, position, pledgor });
      }
      return;
    }
    case "pledgeRegistry.PledgeRegistered":
      return pledge({
        status: PledgeStatus.Registered,
        registration_number: a.registrationNumber,
        registered_at: a.registeredAt,
      });
    case "pledgeRegistry.PledgeRefused":
      return closedPledge(PledgeStatus.Refused, { refusal_reason: num(a.reason), refusal_note: a.note });
    case "pledgeRegistry.PledgeWithdrawn":
      return closedPledge(PledgeStatus.Withdrawn, { withdrawn_by: a.party });
    case "pledgeRegistry.PledgeChanged":
      return pledge({ pledgee: a.pledgee, principal: a.principal, maturity_date: a.maturityDate });
    case "pledgeRegistry.PledgeReleased":
      return closedPledge(PledgeStatus.Released);
    case "pledgeRegistry.PledgeEnforced":
      return closedPledge(PledgeStatus.Enforced, { enforcement_evidence: a.evidenceHash });
    case "pledgeRegistry.PledgeDisposed":
      return pledge({
        status: PledgeStatus.Disposed,
        disposal: {
          method: num(a.method),
          proceeds: a.proceeds,
          transferee: a.transferee,
          loss: a.loss,
          evidenceHash: a.evidenceHash,
        },
      });

    // ───── valuation reports and batches (the inputs of a verdict) ─────
    case "valuationRegistry.ReportAnchored": {
      const report = a.report as Struct;
      await w.put("valuation_reports", {
        document_hash: a.documentHash,
        evaluator: a.evaluator,
        batch_root: a.batchRoot,
        value: report.value,
        currency: report.currency,
        method: num(report.method),
        valuation_date: report.valuationDate,
        valid_until: report.validUntil,
        supersedes: report.supersedes,
        uri: report.uri,
        status: ReportStatus.Anchored,
        superseded_by: null,
        revoked_by: null,
        revocation_reason: null,
        anchored_block: block,
        updated_block: block,
      });
      for (const [position, assetId] of (report.assetIds as string[]).entries()) {
        await w.put("report_assets", { document_hash: a.documentHash, position, asset_id: assetId });
      }
      return;
    }
    case "valuationRegistry.ReportRevoked":
      return report({ status: ReportStatus.Revoked, revoked_by: a.revokedBy, revocation_reason: a.reason });
    case "valuationRegistry.ReportSuperseded":
      return report({ status: ReportStatus.Superseded, superseded_by: a.supersededBy });
    case "valuationRegistry.BatchAnchored":
      return w.put("report_batches", {
        evaluator: a.evaluator,
        root: a.root,
        report_count: num(a.reportCount),
        revoked: false,
        revoked_by: null,
        revocation_reason: null,
        anchored_block: block,
        updated_block: block,
      });
    case "valuationRegistry.BatchRevoked":
      return w.patch(
        "report_batches",
        { evaluator: a.evaluator, root: a.root },
        { revoked: true, revoked_by: a.revokedBy, revocation_reason: a.reason, updated_block: block },
      );

    // ───── licences and instalments ─────
    case "licenceRegistry.FirstLicenceRecorded": {
      const terms = a.terms as Struct;
      const licenceId = str(a.licenceId);
      await w.put("licences", {
        licence_id: licenceId,
        kind: 0,
        licensee: a.licensee,
        first_licence_id: null,
        licensors: a.licensors,
        exclusive: terms.exclusive,
        sub_licensable: terms.subLicensable,
        upfront_fee: terms.upfrontFee,
        start_date: terms.startDate,
        end_date: terms.endDate,
        contract_hash: terms.contractHash,
        pool: null,
        recorded_block: block,
        updated_block: block,
      });
      for (const [position, assetId] of (terms.assetIds as string[]).entries()) {
        await w.put("licence_assets", { licence_id: licenceId, position, asset_id: assetId });
      }
      return;
    }
    case "licenceRegistry.SubLicenceRecorded": {
      const terms = a.terms as Struct;
      const licenceId = str(a.licenceId);
      await w.put("licences", {
        licence_id: licenceId,
        kind: 1,
        licensee: a.licensee,
        first_licence_id: a.firstLicenceId,
        licensors: null,
        exclusive: null,
        sub_licensable: null,
        upfront_fee: null,
        start_date: terms.startDate,
        end_date: terms.endDate,
        contract_hash: terms.contractHash,
        pool: null,
        recorded_block: block,
        updated_block: block,
      });
      for (const [idx, instalment] of (terms.schedule as Struct[]).entries()) {
        await w.put("instalments", {
          licence_id: licenceId,
          idx,
          due_date: instalment.dueDate,
          amount: instalment.amount,
        });
      }
      return;
    }
    case "licenceRegistry.ReceivableAssigned": {
      await w.patch("licences", { licence_id: a.licenceId }, { pool: a.pool, updated_block: block });
      const pool = str(a.pool);
      if (!(await w.get("tracked_addresses", { address: pool }))) {
        await w.put("tracked_addresses", { address: pool, source: "assignment", role: "pool", from_block: block });
        w.discovered.push(pool);
      }
      return;
    }
    default:
      void contract;
      return;
  }
}
