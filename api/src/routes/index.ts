/**
 * The gateway's features, one router each (routes/<feature>/{schema,router,service}.ts). A feature receives the API
 * definition (its routes join the OpenAPI document) and the gateway's parts.
 */
import type { Router } from "express";
import type { ApiDefinition } from "../openapi/registry";
import type { GatewayParts } from "../parts";
import { assetsRouter } from "./assets/router";
import { collateralRouter } from "./collateral/router";
import { contractsRouter } from "./contracts/router";
import { licencesRouter } from "./licences/router";
import { licenceReadRouter } from "./licences/read";
import { administrationRouter } from "./administration/router";
import { riskSchemesRouter } from "./riskSchemes/router";
import { poolDefaultsRouter } from "./pools/defaults";
import { pledgesRouter } from "./pledges/router";
import { poolsRouter } from "./pools/router";
import { transactionsRouter } from "./transactions/router";
import { transactionStatusRouter } from "./transactions/status";
import { valuationsRouter } from "./valuations/router";
import { healthRouter } from "./health/router";
import { keylessRouter } from "./keyless/router";
import { signingLinkIssuer } from "./keyless/pledgeLinks";
import { deskRouter } from "./desk/router";

export type FeatureRouter = (api: ApiDefinition, parts: GatewayParts) => Router;

/**
 * Routes anyone may call without an API key, mounted before `authenticate`. Such a router never reads bodies for all
 * its paths: each route is declared `keyless: true` (OpenAPI: no security) and reads its own body in `before`, with
 * a small limit and a rate limit (see keyless/router.ts).
 */
export const publicFeatures: FeatureRouter[] = [
  (api, p) => healthRouter(api, p.registry),
  (api, p) => keylessRouter(api, p),
];

/** Routes behind `authenticate`: the body is read (JSON, or a document's bytes) once the caller is known. */
export const features: FeatureRouter[] = [
  (api, p) => assetsRouter(api, p.registry, p.index),
  (api, p) => collateralRouter(api, p.registry, p.index),
  (api, p) => pledgesRouter(api, p.registry, p.records, p.index),
  (api, p) => valuationsRouter(api, p),
  (api, p) => licencesRouter(api, p),
  (api, p) => poolsRouter(api, p),
  (api, p) => transactionsRouter(api, p),
  (api, p) => transactionStatusRouter(api, p.registry),
  (api, p) => administrationRouter(api, p.registry),
  (api, p) => riskSchemesRouter(api, p.registry),
  (api, p) => poolDefaultsRouter(api, p),
  (api, p) => licenceReadRouter(api, p),
  (api, p) => contractsRouter(api, p.registry),
  (api, p) => signingLinkIssuer(api, p),
  (api, p) => deskRouter(api, p.records, p.organisations),
];
