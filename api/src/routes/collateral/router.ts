/**
 * /v1/collateral/:assetId — SPEC §4.4 in one call: is the asset pledged now, by which pledge, to whom, for how much,
 * until when, on which valuation report (and is that report still valid) — with the asset's pledge history and the
 * transaction hashes and block numbers to check every fact on chain.
 */
import { Router } from "express";
import { z } from "zod";
import type { ApiDefinition } from "../../openapi/registry";
import type { Registry } from "../../chain/registry";
import { inApiForm, sortEvents, type ChainEvent } from "../../chain/events";
import { pledgeEventsOf } from "../pledges/service";
import { ASSET_KINDS, PLEDGE_STATUSES, STANDING, VALUATION_VERDICTS } from "../../../../definitions/enumNames";

const STANDING_NAMES = STANDING.filter((s) => s !== "") as [string, ...string[]];
import { currentToBlock, dateOf, dateOut, eventSchema, instantOut, isoOf, moneyOut } from "../../openapi/schemas";
import { assetIdParams } from "../assets/schema";
import { readAssetRecord } from "../assets/service";
import { readIndexedCollateral } from "./indexed";
import type { GatewayIndex } from "../../indexer/gatewayIndex";

const collateralSchema = z
  .object({
    assetId: z.string(),
    officialNumber: z.string(),
    kind: z.enum(ASSET_KINDS),
    standing: z.enum(STANDING_NAMES),
    pledged: z.boolean(),
    pledge: z
      .object({
        pledgeId: z.string(),
        status: z.enum(PLEDGE_STATUSES),
        pledgee: z.string(),
        principal: moneyOut,
        currency: z.string().openapi({ description: "ISO 4217", example: "CNY" }),
        maturityDate: dateOut,
        registrationNumber: z.string(),
        registeredAt: instantOut,
        valuationReportId: z.string(),
        valuationVerdict: z.enum(VALUATION_VERDICTS),
        registration: z.object({ transactionHash: z.string(), blockNumber: z.number() }).nullable(),
      })
      .nullable(),
    history: z
      .array(eventSchema)
      .openapi({ description: "the asset's pledge events; dates, instants and enums in API form" }),
    currentToBlock,
  })
  .openapi("CollateralStatus");

/** Every pledge event about the asset: the pledges naming it (found by the asset's own topic), and everything that
 * happened to them. */
export async function pledgeHistoryOf(registry: Registry, assetId: string): Promise<ChainEvent[]> {
  const p = registry.pledgeRegistry;
  const named = await p.queryFilter(p.filters.AssetNamedInPledge(assetId));
  const histories = await Promise.all(named.map((log) => pledgeEventsOf(registry, log.args.pledgeId)));
  return sortEvents(histories.flat()).map(inApiForm);
}

export function collateralRouter(api: ApiDefinition, registry: Registry, index?: GatewayIndex) {
  const router = Router();
  api.route(
    router,
    {
      method: "get",
      path: "/collateral/:assetId",
      tag: "Collateral",
      summary: "Is this asset pledged now — to whom, for how much, until when, on which valuation? With proof.",
      description:
        "From the read model alone (one query, no chain call; kept until the index's head moves): the asset, the " +
        "pledge encumbering it and the asset's pledge history as the index holds them at `currentToBlock`; what " +
        "depends on the chain's clock — the asset's standing and the valuation verdict — is judged at that block's " +
        "time.",
      params: assetIdParams,
      response: collateralSchema,
    },
    async ({ params }) => {
      const currentToBlock = (await index?.currentTo()) ?? null;
      const { assetId } = params;
      if (index && currentToBlock !== null) {
        const answer = await index.cached(`collateral ${assetId}`, () =>
          readIndexedCollateral(index, registry, assetId),
        );
        return { ...answer, currentToBlock };
      }
      const [asset, status, history] = await Promise.all([
        readAssetRecord(registry, assetId),
        registry.pledgeRegistry.collateralStatusOf(assetId),
        pledgeHistoryOf(registry, assetId),
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
              maturityDate: dateOf(status.maturityDate),
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
        currentToBlock,
      };
    },
  );
  return router;
}
