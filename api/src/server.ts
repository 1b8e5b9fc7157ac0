/**
 * Builds the gateway app from its parts (no port: tests use it directly with supertest; index.ts listens).
 */
import express, { Router } from "express";
import helmet from "helmet";
import { pinoHttp } from "pino-http";
import { randomUUID } from "node:crypto";
import type { Config } from "./config/env";
import type { Logger } from "./logger";
import type { Registry } from "./chain/registry";
import type { OrganisationDirectory } from "./organisations";
import { ApiDefinition } from "./openapi/registry";
import { authenticate } from "./middleware/auth";
import { protectedBodies } from "./middleware/body";
import { requireDeployment } from "./middleware/deployment";
import { errorHandlerWith, notFound } from "./middleware/errorHandler";
import { assetNameOf } from "./routes/assets/service";
import { idempotency } from "./middleware/idempotency";
import { rateLimits } from "./middleware/rateLimit";
import { readYourWrites } from "./indexer/gatewayIndex";
import { features, publicFeatures } from "./routes";
import { docsRouter } from "./openapi/docs";
import { publicRouter, sessionRouter } from "./routes/web/public";
import { demoRouter } from "./routes/web/demo";
import type { AppParts, GatewayParts } from "./parts";
import { webApp } from "./webApp";
import { recordsOf } from "./store/records";

export function buildApp(given: AppParts) {
  const parts: GatewayParts = { ...given, records: recordsOf(given) };
  const app = express();
  const api = new ApiDefinition();
  // Tests read the route definitions (e.g. to check every documented example against its route's validation).
  app.locals.api = api;
  app.disable("x-powered-by");
  app.set("trust proxy", false);
  app.use(
    pinoHttp({
      logger: parts.logger,
      genReqId: (req, res) => {
        const id = (req.headers["x-request-id"] as string | undefined)?.slice(0, 64) ?? randomUUID();
        res.setHeader("X-Request-Id", id);
        return id;
      },
      customLogLevel: (_req, res, err) =>
        err || res.statusCode >= 500 ? "error" : res.statusCode >= 400 ? "warn" : "info",
    }),
  );
  app.use(helmet());
  app.use(
    rateLimits(parts.organisations, {
      perAddress: parts.config.RATE_LIMIT_PER_MINUTE,
      perOrganisation: parts.config.ORG_RATE_LIMIT_PER_MINUTE,
    }),
  );

  const v1 = Router();
  // Public: no key needed. Nothing up to `authenticate` reads a body, except a keyless route its own, small one
  // (middleware/body.ts), so an anonymous upload is refused before a byte of it is buffered.
  for (const feature of publicFeatures) v1.use(feature(api, parts));
  v1.get("/openapi.json", (req, res) => res.json(api.document(`${req.protocol}://${req.get("host")}`)));
  v1.use(docsRouter());
  v1.use(publicRouter(api, parts));
  if (parts.demoKeys) v1.use(demoRouter(api, parts.demoKeys));
  v1.use(authenticate(parts.organisations));
  v1.use(requireDeployment(parts.registry));
  v1.use(protectedBodies(parts.config));
  v1.use(sessionRouter(api));
  v1.use(idempotency(parts.records, parts.registry, parts.config.IDEMPOTENCY_LEASE_MS));
  v1.use(readYourWrites(parts.index)); // after idempotency: it records the answer the caller gets
  for (const feature of features) v1.use(feature(api, parts));
  app.use("/v1", v1);
  app.use(webApp());
  app.use(notFound);
  app.use(errorHandlerWith((assetId) => assetNameOf(parts.registry, assetId)));
  return app;
}
