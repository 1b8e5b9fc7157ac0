/**
 * GET /v1/public/registrations/:registrationNumber — what the registration notice (质押登记通知书) of that number
 * says, for the public verify page its QR code opens: the registration number and date, the assets (kind and
 * official number), pledgors, pledgee, debtor, secured amount, term, valuation report (and whether it still holds),
 * the pledge's current status, and the chain proof. Only the notice's facts: no contract hash, no risk scheme, no
 * signatures, no disposal or loss split. Read from the chain (the register's PledgeRegistered event is indexed by
 * registration number), so a notice printed a second after registering already verifies.
 */
import type { Router } from "express";
import { z } from "zod";
import { AppError } from "../../errors/AppError";
import type { ApiDefinition } from "../../openapi/registry";
import type { Registry } from "../../chain/registry";
import { instantOut, proofSchema } from "../../openapi/schemas";
import { ASSET_KINDS, PLEDGE_STATUSES, VALUATION_VERDICTS } from "../../../../definitions/enumNames";
import { readPledge } from "../pledges/service";
import { readReport } from "../valuations/service";
import { KEYLESS_REQUESTS_PER_MINUTE, keylessRateLimit } from "../keyless/router";
import { pledgeFacts } from "../pledges/schema";

export const registrationParams = z.object({
  registrationNumber: z
    .string()
    .regex(/^[1-9][0-9]{0,19}$/, "must be a registration number (digits, no leading zero)")
    .refine((s) => !/^[0-9]+$/.test(s) || BigInt(s) < 2n ** 64n, "is larger than any registration number")
    .openapi({ example: "1" }),
});

const registrationSchema = z
  .object({
    registrationNumber: z.string(),
    pledgeId: z.string(),
    status: z.enum(PLEDGE_STATUSES).openapi({ description: "the pledge's status now (Registered, Released, …)" }),
    registeredAt: instantOut,
    assets: z.array(z.object({ assetId: z.string(), kind: z.enum(ASSET_KINDS), officialNumber: z.string() })),
    ...pledgeFacts.omit({ assets: true }).shape,
    valuationVerdict: z.enum(VALUATION_VERDICTS).nullable().openapi({ description: "whether the report holds now" }),
    proof: z.object({ registration: proofSchema, latest: proofSchema }),
  })
  .openapi("PublicRegistration", { description: "The facts of a registration notice and where to check them" });

/** The pledge registered under `registrationNumber`, or undefined. */
async function pledgeIdOfRegistration(registry: Registry, registrationNumber: bigint) {
  const p = registry.pledgeRegistry;
  const [log] = await p.queryFilter(p.filters.PledgeRegistered(undefined, registrationNumber));
  return log?.args.pledgeId;
}

export async function readRegistration(registry: Registry, registrationNumber: bigint) {
  const pledgeId = await pledgeIdOfRegistration(registry, registrationNumber);
  if (pledgeId === undefined) {
    throw AppError.of("NOT_FOUND", `no registration number ${registrationNumber}`, "registrationNumber");
  }
  const pledge = await readPledge(registry, pledgeId);
  const r = registry.assetRegister;
  const [assets, report] = await Promise.all([
    Promise.all(
      pledge.assets.map(async (assetId) => {
        const [asset, officialNumber] = await Promise.all([r.assetOf(assetId), r.officialNumberOf(assetId)]);
        return { assetId, kind: ASSET_KINDS[Number(asset.kind)], officialNumber };
      }),
    ),
    readReport(registry, pledge.valuationReportId),
  ]);
  return {
    registrationNumber: registrationNumber.toString(),
    pledgeId: pledge.pledgeId,
    status: pledge.status,
    registeredAt: pledge.registeredAt,
    assets,
    pledgors: pledge.pledgors,
    pledgee: pledge.pledgee,
    debtor: pledge.debtor,
    principal: pledge.principal,
    currency: pledge.currency,
    startDate: pledge.startDate,
    maturityDate: pledge.maturityDate,
    valuationReportId: pledge.valuationReportId,
    valuationVerdict: report?.verdict ?? null,
    proof: { registration: pledge.proof.registration!, latest: pledge.proof.latest },
  };
}

export function registrationRoute(api: ApiDefinition, router: Router, registry: Registry) {
  const limiter = keylessRateLimit("registration look-ups");
  api.route(
    router,
    {
      method: "get",
      path: "/public/registrations/:registrationNumber",
      keyless: true,
      before: [limiter],
      tag: "Public",
      summary: "A registration notice's facts and proof, by registration number (质押登记号). No API key needed",
      description:
        "For the public verify page the notice's QR code opens. Only what the notice shows, and the pledge's " +
        `status now. 404 NOT_FOUND for a number never registered. At most ${KEYLESS_REQUESTS_PER_MINUTE} look-ups ` +
        "a minute from one address.",
      params: registrationParams,
      response: registrationSchema,
    },
    async ({ params }) => readRegistration(registry, BigInt(params.registrationNumber)),
  );
}
