// Builds the browser app (web/src → web/dist) with Vite. `--if-stale`: only when web/dist is missing or older than
// any source file, so that `npm start` on a fresh clone builds it once and later starts cost nothing.
import { existsSync, readdirSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = dirname(fileURLToPath(import.meta.url));
const dist = join(root, "dist");
const stamp = join(dist, "index.html");

function newestSource(path) {
  const info = statSync(path);
  if (!info.isDirectory()) return info.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newestSource(join(path, name))));
}

const sources = [join(root, "src"), join(root, "index.html"), join(root, "build.mjs")];
const stale = !existsSync(stamp) || statSync(stamp).mtimeMs < Math.max(...sources.map(newestSource));

if (process.argv.includes("--if-stale") && !stale) process.exit(0);

const { build } = await import("vite");
await build({
  root,
  configFile: false,
  base: "/",
  logLevel: "warn",
  // Preact's automatic JSX runtime (no React, no Babel plugin).
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  build: { outDir: dist, emptyOutDir: true, target: "es2022", sourcemap: false },
});
process.stdout.write(`web app built into ${dist}\n`);
