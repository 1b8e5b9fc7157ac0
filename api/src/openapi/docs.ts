/**
 * /v1/docs — interactive API docs: Swagger UI (the `swagger-ui-dist` package, served from node_modules, so the page
 * works on closed networks) rendering /v1/openapi.json. Nothing is loaded from another origin: the online validator
 * badge is switched off, and the start script is a file of its own (the Content-Security-Policy allows no inline
 * script).
 */
import { Router, static as serveStatic } from "express";
import { dirname } from "node:path";

/** Where swagger-ui-dist is installed (resolved like any dependency, no type package needed). */
const SWAGGER_UI_DIR = dirname(require.resolve("swagger-ui-dist/package.json"));

/** The files of swagger-ui-dist the page uses; nothing else of the package is served. */
export const DOCS_ASSETS = ["swagger-ui.css", "swagger-ui-bundle.js", "swagger-ui-standalone-preset.js"] as const;

export const docsPage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>IP Pledge Registry — API v1</title>
<link rel="stylesheet" href="/v1/docs/assets/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/v1/docs/assets/swagger-ui-bundle.js"></script>
<script src="/v1/docs/assets/swagger-ui-standalone-preset.js"></script>
<script src="/v1/docs/start.js"></script></body></html>`;

export const docsStart = `window.ui = SwaggerUIBundle({
  url: "/v1/openapi.json",
  dom_id: "#swagger-ui",
  deepLinking: true,
  validatorUrl: null,
  persistAuthorization: false,
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
  layout: "StandaloneLayout",
});
`;

export function docsRouter() {
  const router = Router();
  router.get("/docs", (_req, res) => res.type("html").send(docsPage));
  router.get("/docs/start.js", (_req, res) => res.type("application/javascript").send(docsStart));
  const assets = serveStatic(SWAGGER_UI_DIR, { index: false, fallthrough: true, maxAge: "1d" });
  router.use("/docs/assets", (req, res, next) =>
    (DOCS_ASSETS as readonly string[]).includes(req.path.slice(1)) ? assets(req, res, next) : next(),
  );
  return router;
}
