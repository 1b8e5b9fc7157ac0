/**
 * /v1/collateral/:assetId — SPEC §4.4 in one call: is the asset pledged now, by which pledge, to whom, for how much,
 * until when, on which valuation report (and is that report still valid) — with the asset's pledge history and the
 * transaction hashes and block numbers to check every fact on chain.
 */
import { Router } from "express";
import { z } from "zod";
import type { ApiDefinition } from "../../openapi/registry";
import type { Registry } from "../../chain/registry";
import { sortEvents, toChainEvent, type ChainEvent } from "../../chain/events";
import { eventSchema, isoOf } from "../../openapi/schemas";
import { assetIdParams } from "../assets/schema";
import { readAsset } from "../assets/service";

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
export const VALUATION_VERDICTS = [
  "VALID",
  "UNKNOWN",
  "REVOKED",
  "SUPERSEDED",
  "EXPIRED",
  "ASSET_NOT_COVERED",
] as const;

const collateralSchema = z
  .object({
    assetId: z.string(),
    officialNumber: z.string(),
    kind: z.string(),
    standing: z.string(),
    pledged: z.boolean(),
    pledge: z
      .object({
        pledgeId: z.string(),
        status: z.enum(PLEDGE_STATUSES),
        pledgee: z.string(),
        principal: z.string(),
        currency: z.string(),
        maturityDate: z.string().nullable(),
        registrationNumber: z.string(),
        registeredAt: z.string().nullable(),
        valuationReportId: z.string(),
        valuationVerdict: z.enum(VALUATION_VERDICTS),
        registration: z.object({ transactionHash: z.string(), blockNumber: z.number() }).nullable(),
      })
      .nullable(),
    history: z.array(eventSchema),
  })
  .openapi("CollateralStatus");

/** Every pledge event about the asset: applications naming it, and everything that happened to those pledges. */
export async function pledgeHistoryOf(registry: Registry, assetId: string): Promise<ChainEvent[]> {
  const p = registry.pledgeRegistry;
  const applied = (await p.queryFilter(p.filters.PledgeApplied())).filter((log) =>
    (log.args.terms.assetIds as string[]).some((id) => id.toLowerCase() === assetId),
  );
  const ids = applied.map((log) => log.args.pledgeId);
  const later = (
    await Promise.all(
      ids.flatMap((id) => [
        p.queryFilter(p.filters.PledgeRegistered(id)),
        p.queryFilter(p.filters.PledgeRefused(id)),
        p.queryFilter(p.filters.PledgeWithdrawn(id)),
        p.queryFilter(p.filters.PledgeChanged(id)),
        p.queryFilter(p.filters.PledgeReleased(id)),
        p.queryFilter(p.filters.PledgeEnforced(id)),
        p.queryFilter(p.filters.PledgeDisposed(id)),
      ]),
    )
  ).flat();
  return sortEvents(
    [...applied, ...later].map((log) => toChainEvent("PledgeRegistry", log)).filter((e): e is ChainEvent => !!e),
  );
}

export function collateralRouter(api: ApiDefinition, registry: Registry) {
  const router = Router();
  api.route(
    router,
    {
      method: "get",
      path: "/collateral/:assetId",
      tag: "Collateral",
      summary: "Is this asset pledged now — to whom, for how much, until when, on which valuation? With proof.",
      params: assetIdParams,
      response: collateralSchema,
    },
    async ({ params }) => {
      const [asset, status, history] = await Promise.all([
        readAsset(registry, params.assetId),
        registry.pledgeRegistry.collateralStatusOf(params.assetId),
        pledgeHistoryOf(registry, params.assetId),
      ]);
      const registration = status.pledged
        ? history.find((e) => e.event === "PledgeRegistered" && e.args.pledgeId === status.pledgeId.toString())
        : undefined;
      return {
        assetId: asset.assetId,
        officialNumber: asset.officialNumber,
        kind: asset.kind,
        standing: asset.standing,
        pledged: status.pledged,
        pledge: status.pledged
          ? {
              pledgeId: status.pledgeId.toString(),
              status: PLEDGE_STATUSES[Number(status.status)],
              pledgee: status.pledgee,
              principal: status.principal.toString(),
              currency: Buffer.from(status.currency.slice(2), "hex").toString("utf8"),
              maturityDate: isoOf(status.maturityDate),
              registrationNumber: status.registrationNumber.toString(),
              registeredAt: isoOf(status.registeredAt),
              valuationReportId: status.valuationReportId,
              valuationVerdict: VALUATION_VERDICTS[Number(status.valuationVerdict)],
              registration: registration
                ? { transactionHash: registration.transactionHash, blockNumber: registration.blockNumber }
                : null,
            }
          : null,
        history,
      };
    },
  );
  return router;
}
