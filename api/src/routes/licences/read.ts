/**
 * GET /v1/licences/{licenceId} — a licence as the licence registry holds it: kind, parties, term, assets, the
 * instalment schedule of a sub-licence, and the pool its receivables were assigned to.
 */
import { Router } from "express";
import { ZeroAddress } from "ethers";
import { z } from "zod";
import type { GatewayParts } from "../../parts";
import type { ApiDefinition } from "../../openapi/registry";
import { AppError } from "../../errors/AppError";
import { currentToBlock, dateOf, dateOut, moneyOut } from "../../openapi/schemas";
import type { GatewayIndex } from "../../indexer/gatewayIndex";
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

  return router;
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
