/** /v1/assets — the registrar records and maintains IP assets; anyone authenticated reads them with their history. */
import { Router } from "express";
import { z } from "zod";
import type { ApiDefinition } from "../../openapi/registry";
import type { Registry } from "../../chain/registry";
import {
  ASSET_KINDS,
  ASSET_STATUSES,
  FREEZE_KINDS,
  annualFeesBody,
  assetIdParams,
  assetSchema,
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
import { localAssetIdOf, readIndexedAsset } from "./indexed";
import type { GatewayIndex } from "../../indexer/gatewayIndex";

/** An asset's timeline from the index (current to a block), or from the chain while the index lags a write. */
async function assetTimeline(registry: Registry, index: GatewayIndex | undefined, assetId: string) {
  const currentToBlock = (await index?.currentTo()) ?? null;
  if (!index || currentToBlock === null) return { ...(await readAsset(registry, assetId)), currentToBlock };
  const asset = await index.cached(`asset ${assetId}`, () => readIndexedAsset(index, registry, assetId));
  return { ...asset, currentToBlock };
}

export function assetsRouter(api: ApiDefinition, registry: Registry, index?: GatewayIndex) {
  const router = Router();
  const r = registry.assetRegister;
  const relay = registry.relayer;
  const tag = "IP assets";
  const holdersOf = (holders: { address: string; shareBps: number }[]) =>
    holders.map((h) => ({ holder: h.address, shareBps: h.shareBps }));

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
    async ({ body }) => {
      const args = [
        ASSET_KINDS.indexOf(body.kind),
        body.officialNumber,
        holdersOf(body.holders),
        body.grantDate ?? 0n,
        body.expiryDate ?? 0n,
        body.feesPaidUntil ?? 0n,
        docOrZero(body.documentHash),
      ] as const;
      const proof = await relay.send(
        () => r.recordAsset.staticCall(...args),
        () => r.recordAsset(...args),
      );
      return { assetId: await assetIdOf(registry, body.kind, body.officialNumber), proof: strip(proof) };
    },
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
      async ({ params, body: b }) => {
        const { simulate, send } = call(params.assetId, b);
        return { assetId: params.assetId, proof: strip(await relay.send(simulate, send)) };
      },
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
