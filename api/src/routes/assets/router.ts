/** /v1/assets — the registrar records and maintains IP assets; anyone authenticated reads them with their history. */
import { Router } from "express";
import { z } from "zod";
import type { ApiDefinition } from "../../openapi/registry";
import type { Registry } from "../../chain/registry";
import type { Sent } from "../../chain/relayer";
import {
  ASSET_KINDS,
  ASSET_STATUSES,
  FREEZE_KINDS,
  annualFeesBody,
  assetIdParams,
  assetListSchema,
  assetSchema,
  assetSearchQuery,
  freezeBody,
  holdersBody,
  invalidationBody,
  lookupQuery,
  recordAssetBody,
  statusBody,
  termBody,
  writeResultSchema,
} from "./schema";
import { assetIdOf, docOrZero, readAsset } from "./service";
import { blockTimesOf, localAssetIdOf, readIndexedAsset, searchIndexedAssets } from "./indexed";
import { indexOnly, type GatewayIndex } from "../../indexer/gatewayIndex";
import { isoOf } from "../../openapi/schemas";

/**
 * An asset's timeline from the index (current to a block), or from the chain while the index lags a write; each
 * event with its block's time, so that a timeline reads as dates.
 */
async function assetTimeline(registry: Registry, index: GatewayIndex | undefined, assetId: string) {
  const currentToBlock = (await index?.currentTo()) ?? null;
  /** The asset with each history event's block time (`at`). */
  const timed = async (asset: Awaited<ReturnType<typeof readAsset>>, from: GatewayIndex | undefined) => {
    const times = await blockTimesOf(
      registry,
      from,
      asset.history.map((e) => e.blockNumber),
    );
    const history = asset.history.map((e) => {
      const at = times.get(e.blockNumber);
      return { ...e, at: at === null || at === undefined ? null : isoOf(at) };
    });
    return { ...asset, history };
  };
  if (!index || currentToBlock === null)
    return { ...(await timed(await readAsset(registry, assetId), undefined)), currentToBlock };
  const asset = await index.cached(`asset ${assetId}`, async () =>
    timed(await readIndexedAsset(index, registry, assetId), index),
  );
  return { ...asset, currentToBlock };
}

export function assetsRouter(api: ApiDefinition, registry: Registry, index?: GatewayIndex) {
  const router = Router();
  const r = registry.assetRegister;
  const relay = registry.relayer;
  const tag = "IP assets";
  const holdersOf = (holders: { address: string; shareBps: number }[]) =>
    holders.map((h) => ({ holder: h.address, shareBps: h.shareBps }));
  /** A recorded asset's answer (also a recovered retry's: openapi/registry.ts `Answer`). */
  const recorded = async (sent: Sent, { body }: { body: z.infer<typeof recordAssetBody> }) => ({
    assetId: await assetIdOf(registry, body.kind, body.officialNumber),
    proof: strip(sent),
  });
  /** A maintenance step's answer. */
  const maintained = async (sent: Sent, { params }: { params: z.infer<typeof assetIdParams> }) => ({
    assetId: params.assetId,
    proof: strip(sent),
  });

  api.route(
    router,
    {
      method: "post",
      path: "/assets",
      tag,
      summary: "Record an asset",
      roles: ["registrar"],
      body: recordAssetBody,
      response: writeResultSchema,
      status: 201,
    },
    async (input) => {
      const { body } = input;
      const args = [
        ASSET_KINDS.indexOf(body.kind),
        body.officialNumber,
        holdersOf(body.holders),
        body.grantDate ?? 0n,
        body.expiryDate ?? 0n,
        body.feesPaidUntil ?? 0n,
        docOrZero(body.documentHash),
      ] as const;
      const sent = await relay.send(
        () => r.recordAsset.staticCall(...args),
        () => r.recordAsset(...args),
      );
      return recorded(sent, input);
    },
    recorded,
  );

  api.route(
    router,
    {
      method: "get",
      path: "/assets",
      tag,
      summary: "Find an asset by kind and official number",
      query: lookupQuery,
      response: assetSchema,
    },
    async ({ query }) =>
      assetTimeline(
        registry,
        index,
        index
          ? localAssetIdOf(query.kind, query.officialNumber)
          : await assetIdOf(registry, query.kind, query.officialNumber),
      ),
  );

  api.route(
    router,
    {
      method: "get",
      path: "/assets/search",
      tag,
      summary: "The register's assets, newest first, by part of the number, kind and status, in pages",
      description:
        "From the read model only (`currentToBlock`). Pages: `limit` (default 50, at most 500) and `cursor` = the " +
        "previous page's `nextCursor` (null on the last page). While the read model lags behind a write this gateway " +
        "answered (or is not open): 503 INDEX_BEHIND.",
      query: assetSearchQuery,
      response: assetListSchema,
    },
    async ({ query }) => {
      const { currentToBlock } = await indexOnly(index);
      return { ...(await searchIndexedAssets(index!, query)), currentToBlock };
    },
  );

  api.route(
    router,
    {
      method: "get",
      path: "/assets/:assetId",
      tag,
      summary: "An asset, its holders, standing and full history",
      description:
        "From the read model (`currentToBlock`), without a chain call: the standing, which depends on the chain's " +
        "clock, is judged at the time of the block the answer is current to.",
      params: assetIdParams,
      response: assetSchema,
    },
    async ({ params }) => assetTimeline(registry, index, params.assetId),
  );

  /** The registrar's maintenance steps share one shape: a body, one contract call, the proof. */
  const maintain = <B extends z.ZodType>(
    path: string,
    summary: string,
    body: B,
    call: (assetId: string, b: z.infer<B>) => { simulate: () => Promise<unknown>; send: () => Promise<never> },
  ) =>
    api.route(
      router,
      {
        method: "post",
        path: `/assets/:assetId/${path}`,
        tag,
        summary,
        roles: ["registrar"],
        params: assetIdParams,
        body,
        response: writeResultSchema,
      },
      async (input) => {
        const { simulate, send } = call(input.params.assetId, input.body);
        return maintained(await relay.send(simulate, send), input);
      },
      maintained,
    );
  const tx = <A extends unknown[]>(
    fn: { staticCall: (...a: A) => Promise<unknown>; (...a: A): Promise<unknown> },
    ...a: A
  ) => ({
    simulate: () => fn.staticCall(...a),
    send: () => fn(...a) as Promise<never>,
  });

  maintain("annual-fees", "Record annual fees paid", annualFeesBody, (id, b) =>
    tx(r.recordAnnualFees, id, b.paidUntil, docOrZero(b.documentHash)),
  );
  maintain("status", "Record a lapse, an invalidation or a restoration", statusBody, (id, b) =>
    tx(r.recordStatus, id, ASSET_STATUSES.indexOf(b.status), docOrZero(b.documentHash)),
  );
  maintain("term", "Record the grant, a renewal or a corrected term", termBody, (id, b) =>
    tx(r.recordTerm, id, b.grantDate, b.expiryDate ?? 0n, docOrZero(b.documentHash)),
  );
  maintain("freeze", "Record a freeze (dispute, preservation order) or its lifting", freezeBody, (id, b) =>
    tx(r.recordFreeze, id, FREEZE_KINDS.indexOf(b.freeze), docOrZero(b.documentHash)),
  );
  maintain("invalidation", "Record invalidation proceedings opened or closed", invalidationBody, (id, b) =>
    tx(r.recordInvalidationProceedings, id, b.pending, docOrZero(b.documentHash)),
  );
  maintain("holders", "Record new holders (e.g. after a disposal)", holdersBody, (id, b) =>
    tx(r.recordHolders, id, holdersOf(b.holders), docOrZero(b.documentHash)),
  );

  return router;
}

export const strip = (sent: { transactionHash: string; blockNumber: number }) => ({
  transactionHash: sent.transactionHash,
  blockNumber: sent.blockNumber,
});
