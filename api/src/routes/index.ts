/**
 * The gateway's features, one router each (routes/<feature>/{schema,router,service}.ts). A feature receives the API
 * definition (its routes join the OpenAPI document) and the gateway's parts.
 */
import type { Router } from "express";
import type { ApiDefinition } from "../openapi/registry";
import type { GatewayParts } from "../server";
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
import { valuationsRouter } from "./valuations/router";

export type FeatureRouter = (api: ApiDefinition, parts: GatewayParts) => Router;

export const features: FeatureRouter[] = [
  (api, p) => assetsRouter(api, p.registry),
  (api, p) => collateralRouter(api, p.registry),
  (api, p) => pledgesRouter(api, p.registry, p.store),
  (api, p) => valuationsRouter(api, p),
  (api, p) => licencesRouter(api, p),
  (api, p) => poolsRouter(api, p),
  (api, p) => transactionsRouter(api, p),
  (api, p) => administrationRouter(api, p.registry),
  (api, p) => riskSchemesRouter(api, p.registry),
  (api, p) => poolDefaultsRouter(api, p),
  (api, p) => licenceReadRouter(api, p),
  (api, p) => contractsRouter(api, p.registry),
];
