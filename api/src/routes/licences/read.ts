/**
 * GET /v1/licences/{licenceId} — a licence as the licence registry holds it: kind, parties, term, assets, the
 * instalment schedule of a sub-licence, and the pool its receivables were assigned to. GET /v1/licences — the
 * licences by licensee, asset, pool and kind, a page at a time (read model only).
 */
import { Router } from "express";
import { ZeroAddress, getAddress } from "ethers";
import { z } from "zod";
import type { GatewayParts } from "../../parts";
import type { ApiDefinition } from "../../openapi/registry";
import { AppError } from "../../errors/AppError";
import { sql, type SqlBool } from "kysely";
import { address, bytes32, currentToBlock, dateOf, dateOut, moneyOut } from "../../openapi/schemas";
import { indexOnly, type GatewayIndex } from "../../indexer/gatewayIndex";
import { licenceIdParams } from "./schema";
import { LICENCE_KINDS } from "../../../../definitions/enumNames";

const when = dateOut;

export const licenceViewSchema = z
  .object({
    licenceId: z.string(),
    kind: z.enum(LICENCE_KINDS),
    exclusive: z.boolean(),
    subLicensable: z.boolean(),
    licensor: z.string().openapi({ description: "for a first licence, its first holder (all are in licensors)" }),
    licensors: z.array(z.string()).openapi({ description: "every holder who granted a first licence" }),
    licensee: z.string(),
    firstLicenceId: z.string().nullable().openapi({ description: "the first licence a sub-licence is under" }),
    upfrontFee: moneyOut.nullable(),
    startDate: when,
    endDate: when,
    contractHash: z.string(),
    assets: z.array(z.string()),
    schedule: z.array(z.object({ index: z.number().int(), dueDate: when, amount: moneyOut })),
    pool: z.string().nullable().openapi({ description: "the pool the receivables were assigned to, if any" }),
    currentToBlock,
  })
  .openapi("Licence");

export const licenceListQuery = z.object({
  licensee: address.optional(),
  asset: bytes32.optional().openapi({ description: "an asset licensed (a sub-licence's are its first licence's)" }),
  pool: address.optional().openapi({ description: "the pool its receivables were assigned to" }),
  kind: z.enum(LICENCE_KINDS).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50).openapi({ description: "licences per page (1–500)" }),
  cursor: z
    .string()
    .regex(/^[1-9][0-9]{0,30}$/, "must be the nextCursor of the previous page")
    .optional()
    .openapi({ description: "the previous page's `nextCursor`; absent: the first page" }),
});

export const licenceListSchema = z
  .object({
    licences: z.array(licenceViewSchema.omit({ currentToBlock: true })),
    nextCursor: z.string().nullable().openapi({ description: "pass as `cursor` for the next page; null on the last" }),
    currentToBlock: z.number().int().openapi({ description: "the block the read model is current to" }),
  })
  .openapi("LicenceList");

export function licenceReadRouter(api: ApiDefinition, parts: GatewayParts) {
  const router = Router();

  api.route(
    router,
    {
      method: "get",
      path: "/licences/:licenceId",
      tag: "Licences",
      summary: "A licence: kind, parties, term, assets, instalment schedule and pool",
      description:
        "From the read model (`currentToBlock`). 404 NOT_FOUND (field params.licenceId) for a licence never recorded.",
      params: licenceIdParams,
      response: licenceViewSchema,
    },
    async ({ params }) => {
      const currentToBlock = (await parts.index?.currentTo()) ?? null;
      if (parts.index && currentToBlock !== null) {
        return { ...(await readIndexedLicence(parts.index, params.licenceId)), currentToBlock };
      }
      return { ...(await readLicence(parts, params.licenceId)), currentToBlock };
    },
  );

  api.route(
    router,
    {
      method: "get",
      path: "/licences",
      tag: "Licences",
      summary: "Licences by licensee, asset, pool and kind, a page at a time",
      description:
        "From the read model only (`currentToBlock`), by licence number ascending; every filter given must match. " +
        "503 INDEX_BEHIND while the index lags behind a write of this gateway.",
      query: licenceListQuery,
      response: licenceListSchema,
    },
    async ({ query }) => {
      const { index, currentToBlock } = await indexOnly(parts.index);
      return { ...(await listLicences(index, query)), currentToBlock };
    },
  );

  return router;
}

/** One page of licences matching every given filter, and the cursor of the next page (null on the last). */
async function listLicences(index: GatewayIndex, query: z.infer<typeof licenceListQuery>) {
  let q = index.db.selectFrom("licences").select("licence_id");
  if (query.licensee) q = q.where("licensee", "=", getAddress(query.licensee));
  if (query.pool) q = q.where("pool", "=", getAddress(query.pool));
  if (query.kind) q = q.where("kind", "=", LICENCE_KINDS.indexOf(query.kind));
  if (query.cursor) q = q.where("licence_id", ">", query.cursor);
  if (query.asset) {
    q = q.where(
      sql<SqlBool>`exists (select 1 from licence_assets la where la.licence_id = coalesce(licences.first_licence_id, licences.licence_id) and la.asset_id = ${query.asset})`,
    );
  }
  const rows = await q
    .orderBy("licence_id")
    .limit(query.limit + 1)
    .execute();
  const page = rows.slice(0, query.limit);
  const licences = await Promise.all(page.map((r) => readIndexedLicence(index, BigInt(r.licence_id))));
  return { licences, nextCursor: rows.length > query.limit ? (page.at(-1)?.licence_id ?? null) : null };
}

/** The licence as the licence registry's views give it (the chain path, while the index lags a write). */
async function readLicence(parts: GatewayParts, id: bigint) {
  const l = parts.registry.licenceRegistry;
  const licence = await l.licenceOf(id);
  if (licence.licensee === ZeroAddress) throw notFound(id);
  const [assets, schedule, pool] = await Promise.all([l.assetsOf(id), l.scheduleOf(id), l.poolOf(id)]);
  const kind = LICENCE_KINDS[Number(licence.kind)];
  let licensors = [licence.licensor];
  if (kind === "First") {
    const [recorded] = await l.queryFilter(l.filters.FirstLicenceRecorded(id));
    if (recorded) licensors = Array.from(recorded.args.licensors);
  }
  return {
    licenceId: id.toString(),
    kind,
    exclusive: licence.exclusive,
    subLicensable: licence.subLicensable,
    licensor: licence.licensor,
    licensors,
    licensee: licence.licensee,
    firstLicenceId: kind === "Sub" ? licence.firstLicenceId.toString() : null,
    upfrontFee: kind === "First" ? licence.upfrontFee.toString() : null,
    startDate: dateOf(licence.startDate),
    endDate: dateOf(licence.endDate),
    contractHash: licence.contractHash,
    assets: Array.from(assets),
    schedule: schedule.map((s, index) => ({ index, dueDate: dateOf(s.dueDate), amount: s.amount.toString() })),
    pool: pool === ZeroAddress ? null : pool,
  };
}

const notFound = (id: bigint) => AppError.of("NOT_FOUND", `no licence ${id} is recorded`, "params.licenceId");

/**
 * The licence from the index. A sub-licence's licensor is its first licence's licensee (the only one who may record
 * it) and its assets are the first licence's, as LicenceRegistry.recordSubLicence stores them.
 */
async function readIndexedLicence(index: GatewayIndex, id: bigint) {
  const db = index.db;
  const licence = await db
    .selectFrom("licences")
    .selectAll()
    .where("licence_id", "=", id.toString())
    .executeTakeFirst();
  if (!licence) throw notFound(id);
  const kind = LICENCE_KINDS[licence.kind];
  const first =
    kind === "Sub"
      ? await db
          .selectFrom("licences")
          .selectAll()
          .where("licence_id", "=", licence.first_licence_id as string)
          .executeTakeFirstOrThrow()
      : licence;
  const [assets, schedule] = await Promise.all([
    db
      .selectFrom("licence_assets")
      .select("asset_id")
      .where("licence_id", "=", first.licence_id)
      .orderBy("position")
      .execute(),
    db.selectFrom("instalments").selectAll().where("licence_id", "=", licence.licence_id).orderBy("idx").execute(),
  ]);
  const licensors = kind === "First" ? (licence.licensors as string[]) : [first.licensee];
  return {
    licenceId: id.toString(),
    kind,
    exclusive: kind === "First" ? Boolean(licence.exclusive) : false,
    subLicensable: kind === "First" ? Boolean(licence.sub_licensable) : false,
    licensor: licensors[0],
    licensors,
    licensee: licence.licensee,
    firstLicenceId: kind === "Sub" ? licence.first_licence_id : null,
    upfrontFee: kind === "First" ? licence.upfront_fee : null,
    startDate: dateOf(BigInt(licence.start_date)),
    endDate: dateOf(BigInt(licence.end_date)),
    contractHash: licence.contract_hash,
    assets: assets.map((a) => a.asset_id),
    schedule: schedule.map((s) => ({ index: s.idx, dueDate: dateOf(BigInt(s.due_date)), amount: s.amount })),
    pool: licence.pool,
  };
}
