/**
 * The browser app (web/, built by `npm run build` into web/dist) served at `/` by the gateway itself: one origin,
 * so the app calls /v1 without CORS, and nothing is fetched from elsewhere at run time. `npm start` builds it when
 * it is missing or older than its sources; if it is missing anyway, `/` says how to build it.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import express, { Router } from "express";
import helmet from "helmet";

export const WEB_DIST = join(__dirname, "..", "..", "web", "dist");

/**
 * The app's page: helmet's policy (scripts and styles from this origin only), and a document the app has fetched and
 * checked against its hash shown in place from a `blob:` URL the app made itself — an image, a PDF in a frame. Only
 * the app's page gets this; the API's answers keep helmet's stricter default.
 */
const appPolicy = helmet.contentSecurityPolicy({
  directives: { "img-src": ["'self'", "data:", "blob:"], "frame-src": ["blob:"] },
});

export function webApp(dist = WEB_DIST) {
  const router = Router();
  // Hashed file names under /assets never change: cache them; index.html is always revalidated.
  router.use("/assets", express.static(join(dist, "assets"), { immutable: true, maxAge: "1y", fallthrough: false }));
  router.get("/", appPolicy, (_req, res) => {
    const index = join(dist, "index.html");
    if (!existsSync(index)) {
      res
        .status(503)
        .type("text")
        .send("The web app is not built: run `npm run build` (or `npm start`, which builds it). API docs: /v1/docs");
      return;
    }
    res.setHeader("Cache-Control", "no-cache");
    res.sendFile(index);
  });
  return router;
}
