/**
 * Valuation reports read from the index: by evaluator, state and asset, a page at a time (GET /v1/valuations). The
 * verdict of a report for a pledge stays the chain's (`verdictFor` depends on the chain's clock); this list gives
 * the register's record of each report as its events left it.
 */
import { getAddress, toUtf8String, ZeroHash } from "ethers";
import { z } from "zod";
import { indexedOrChain, type GatewayIndex } from "../../indexer/gatewayIndex";
import { jsonArrayFrom } from "kysely/helpers/postgres";
import { blockTime, chainEventsOf, indexedEventsQuery, linkedTo } from "../../indexer/reads";
import { address, bytes32, dateOf, dateOut, isoOf, moneyOut } from "../../openapi/schemas";
import { AppError } from "../../errors/AppError";
import { inApiForm } from "../../chain/events";
import type { Registry } from "../../chain/registry";
import type { ValuationReport } from "../../../../definitions/valuationTypedData";
import { indexNow } from "../assets/indexed";
import { verdictAt } from "../collateral/indexed";
import { readReport, toView } from "./service";
import { REPORT_STATUSES, VALUATION_METHODS } from "./schema";

const LISTED_STATUSES = REPORT_STATUSES.filter((s) => s !== "None") as [string, ...string[]];

export const reportListQuery = z.object({
  evaluator: address.optional(),
  status: z.enum(LISTED_STATUSES).optional(),
  asset: bytes32.optional().openapi({ description: "an asset the report values" }),
  limit: z.coerce.number().int().min(1).max(500).default(50).openapi({ description: "reports per page (1–500)" }),
  cursor: z
    .string()
    .regex(/^[0-9]{1,20}-0x[0-9a-f]{64}$/, "must be the nextCursor of the previous page")
    .optional()
    .openapi({ description: "the previous page's `nextCursor`; absent: the first page" }),
});

export const reportListSchema = z
  .object({
    reports: z.array(
      z.object({
        documentHash: z.string(),
        evaluator: z.string(),
        assetIds: z.array(z.string()),
        value: moneyOut,
        currency: z.string(),
        method: z.enum(VALUATION_METHODS),
        valuationDate: dateOut,
        validUntil: dateOut,
        supersedes: z.string().nullable(),
        uri: z.string(),
        status: z.enum(REPORT_STATUSES),
        supersededBy: z.string().nullable(),
        batchRoot: z.string().nullable().openapi({ description: "the batch it was proven in; null: anchored alone" }),
        anchoredBlock: z.number().int(),
      }),
    ),
    nextCursor: z.string().nullable().openapi({ description: "pass as `cursor` for the next page; null on the last" }),
    currentToBlock: z.number().int().openapi({ description: "the block the read model is current to" }),
  })
  .openapi("ValuationReportList");

/** One page of reports, by anchoring block then document hash. */
export async function listReports(index: GatewayIndex, query: z.infer<typeof reportListQuery>) {
  let q = index.db.selectFrom("valuation_reports").selectAll();
  if (query.evaluator) q = q.where("evaluator", "=", getAddress(query.evaluator));
  if (query.status) q = q.where("status", "=", REPORT_STATUSES.indexOf(query.status as never));
  if (query.asset) {
    q = q.where(linkedTo("report_assets", "document_hash", "valuation_reports", "asset_id", query.asset));
  }
  if (query.cursor) {
    const [block, hash] = query.cursor.split("-");
    q = q.where((eb) =>
      eb.or([
        eb("anchored_block", ">", block),
        eb.and([eb("anchored_block", "=", block), eb("document_hash", ">", hash)]),
      ]),
    );
  }
  const rows = await q
    .orderBy("anchored_block")
    .orderBy("document_hash")
    .limit(query.limit + 1)
    .execute();
  const page = rows.slice(0, query.limit);
  const assets = page.length
    ? await index.db
        .selectFrom("report_assets")
        .selectAll()
        .where(
          "document_hash",
          "in",
          page.map((r) => r.document_hash),
        )
        .orderBy("position")
        .execute()
    : [];
  const last = page.at(-1);
  return {
    reports: page.map((r) => ({
      documentHash: r.document_hash,
      evaluator: r.evaluator,
      assetIds: assets.filter((a) => a.document_hash === r.document_hash).map((a) => a.asset_id),
      value: r.value,
      currency: toUtf8String(r.currency).replace(/\0+$/, ""),
      method: VALUATION_METHODS[r.method],
      valuationDate: dateOf(BigInt(r.valuation_date)),
      validUntil: dateOf(BigInt(r.valid_until)),
      supersedes: r.supersedes === ZeroHash ? null : r.supersedes,
      uri: r.uri,
      status: REPORT_STATUSES[r.status],
      supersededBy: r.superseded_by,
      batchRoot: r.batch_root === ZeroHash ? null : r.batch_root,
      anchoredBlock: Number(r.anchored_block),
    })),
    nextCursor: rows.length > query.limit && last ? `${last.anchored_block}-${last.document_hash}` : null,
  };
}

/**
 * A report as `readReport` answers it (GET /v1/valuations/{documentHash}, POST /v1/valuations/verify), from the
 * index: one query for the record, its ReportAnchored event (the report itself) and its history, and the anchoring
 * block's time (cached by block hash). The verdict on its own assets is judged at the head block's time.
 * Undefined when the register never recorded it.
 */
export async function readIndexedReport(index: GatewayIndex, registry: Registry, documentHash: string) {
  const hash = documentHash.toLowerCase();
  const db = index.db;
  const history = indexedEventsQuery(db, registry.deployment, [
    {
      contract: "valuationRegistry",
      names: ["ReportAnchored", "ReportRevoked", "ReportSuperseded"],
      arg: "documentHash",
      values: [hash],
    },
    { contract: "valuationRegistry", names: ["ReportSuperseded"], arg: "supersededBy", values: [hash] },
  ])!;
  const [row, now] = await Promise.all([
    db
      .selectFrom("valuation_reports as r")
      .leftJoin("report_batches as b", (join) =>
        join.onRef("b.evaluator", "=", "r.evaluator").onRef("b.root", "=", "r.batch_root"),
      )
      .select((eb) => [
        "r.evaluator",
        "r.status",
        "r.valid_until",
        "r.batch_root",
        "r.superseded_by",
        eb
          .selectFrom("indexed_blocks")
          .select("hash")
          .whereRef("number", "=", "b.anchored_block")
          .as("batch_block_hash"),
        jsonArrayFrom(history).as("history"),
      ])
      .where("r.document_hash", "=", hash)
      .executeTakeFirst(),
    indexNow(index),
  ]);
  if (!row) return undefined;
  const events = chainEventsOf(registry.deployment, row.history);
  const anchored = events.find((e) => e.event === "ReportAnchored" && e.args.documentHash === hash);
  if (!anchored) throw new AppError("INTERNAL", 500, `the index has report ${hash} without its ReportAnchored event`);
  const anchoredIn =
    row.batch_block_hash ??
    row.history.find((e) => Number(e.block_number) === anchored.blockNumber && e.log_index === anchored.logIndex)!
      .block_hash;
  const r = anchored.args.report as Record<string, string | string[]>;
  const report: ValuationReport = {
    documentHash: r.documentHash as string,
    evaluator: r.evaluator as string,
    assetIds: [...(r.assetIds as string[])],
    value: BigInt(r.value as string),
    currency: r.currency as string,
    method: Number(r.method),
    valuationDate: BigInt(r.valuationDate as string),
    validUntil: BigInt(r.validUntil as string),
    supersedes: r.supersedes as string,
    uri: r.uri as string,
  };
  return {
    documentHash: hash,
    source: "register" as const,
    anchored: true as const,
    evaluator: row.evaluator,
    status: REPORT_STATUSES[row.status],
    verdict: verdictAt({ status: row.status, valid_until: row.valid_until }, 0, now),
    validUntil: dateOf(BigInt(row.valid_until)),
    anchoredAt: isoOf(await blockTime(db, index.model.rpc, anchoredIn)),
    batchRoot: row.batch_root === ZeroHash ? null : row.batch_root,
    supersededBy: row.superseded_by,
    report: toView(report),
    proof: { transactionHash: anchored.transactionHash, blockNumber: anchored.blockNumber },
    history: events.map(inApiForm),
  };
}

/** A report from the index when it is current (cached per head), else from the chain; with `currentToBlock`. */
export async function readReportAt(index: GatewayIndex | undefined, registry: Registry, documentHash: string) {
  const { answer, currentToBlock } = await indexedOrChain(
    index,
    `report ${documentHash}`,
    (current) => readIndexedReport(current, registry, documentHash),
    () => readReport(registry, documentHash),
  );
  if (answer) return { ...answer, currentToBlock };
  // A hash the index does not hold may have been anchored since its head (by the evaluator's own wallet): ask the chain.
  const fromChain = currentToBlock === null ? undefined : await readReport(registry, documentHash);
  return fromChain ? { ...fromChain, currentToBlock: null } : undefined;
}
