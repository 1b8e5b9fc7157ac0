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
import { dateOf, dateOut, moneyOut } from "../../openapi/schemas";
import { licenceIdParams } from "./schema";

const LICENCE_KINDS = ["First", "Sub"] as const;
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
  })
  .openapi("Licence");

export function licenceReadRouter(api: ApiDefinition, parts: GatewayParts) {
  const router = Router();
  const l = parts.registry.licenceRegistry;

  api.route(
    router,
    {
      method: "get",
      path: "/licences/:licenceId",
      tag: "Licences",
      summary: "A licence: kind, parties, term, assets, instalment schedule and pool",
      description: "404 NOT_FOUND (field params.licenceId) for a licence never recorded.",
      params: licenceIdParams,
      response: licenceViewSchema,
    },
    async ({ params }) => {
      const id = params.licenceId;
      const licence = await l.licenceOf(id);
      if (licence.licensee === ZeroAddress) {
        throw AppError.of("NOT_FOUND", `no licence ${id} is recorded`, "params.licenceId");
      }
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
    },
  );

  return router;
}
