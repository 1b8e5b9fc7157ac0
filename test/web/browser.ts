/**
 * The browser tests' browser: Debian's Chromium driven by playwright-core (Playwright's own browser download cannot
 * work here), headless, in a fresh profile each run; and the built web app served by a real gateway on a port.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AddressInfo } from "node:net";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import type { Express } from "express";
import type { Registry } from "../../api/src/chain/registry";
import type { GatewayIndex } from "../../api/src/indexer/gatewayIndex";
import { buildApp } from "../../api/src/server";
import { createLogger } from "../../api/src/logger";
import { DocumentStore } from "../../api/src/documents/store";
import { OrganisationDirectory } from "../../api/src/organisations";
import { DEFAULT_TEST_CONFIG } from "../api/helpers/customGateway";
import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import {
  deployGatewayFixture,
  openGateway,
  recordsByDataDir,
  type GatewayFixture,
} from "../api/helpers/gatewayFixture";
import { indexFor } from "../api/helpers/sharedIndex";

export const CHROMIUM = "/usr/bin/chromium";
export const ARTIFACTS = join(__dirname, "..", "..", "test-results", "web");
/** 1280×800, the same screen at 200 % zoom (a 640 CSS-pixel viewport), and a 390 px phone. */
export const WIDTHS = [
  { name: "1280", width: 1280, height: 800 },
  { name: "1280-zoom200", width: 640, height: 400 },
  { name: "390", width: 390, height: 844 },
] as const;

/** Build web/dist when it is missing or older than its sources (as `npm start` does). */
export function ensureWebBuilt() {
  const built = spawnSync(process.execPath, [join(__dirname, "..", "..", "web", "build.mjs"), "--if-stale"], {
    encoding: "utf8",
  });
  if (built.status !== 0) throw new Error(`web build failed:\n${built.stdout}\n${built.stderr}`);
}

/** Chromium's flags here: headless, no sandbox (containers), nothing fetched in the background. */
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export async function launchBrowser(): Promise<BrowserContext> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: apt-get install chromium fonts-noto-cjk (.ci/run does it)`);
  }
  mkdirSync(ARTIFACTS, { recursive: true });
  const profile = mkdtempSync(join(tmpdir(), "ipr-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 800 },
    locale: "zh-CN",
    acceptDownloads: true,
  });
  // The fresh profile goes when the browser does (Chromium may still be flushing its cache: retry, never fail on it).
  context.on("close", () => {
    try {
      rmSync(profile, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
    } catch {
      // a leftover temporary folder is harmless
    }
  });
  return context;
}

/** Debian's Chromium, headless, for tests that open several contexts. */
export const launchChromium = () => chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });

/**
 * A fresh context (Chinese, 1280×800, its own storage; its clock fixed at `clock` when given, e.g. the chain's) and
 * its page, whose script errors and console errors (other than failed requests) are collected in `problems`.
 */
export async function watchedPage(browser: Browser, problems: string[], clock?: Date): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: "zh-CN" });
  if (clock) await context.clock.setFixedTime(clock);
  const page = await context.newPage();
  page.on("console", (m) => {
    if (m.type() === "error" && !m.text().startsWith("Failed to load resource")) problems.push(m.text());
  });
  page.on("pageerror", (e) => problems.push(`${e.message} ${e.stack}`));
  return page;
}

export async function listen(app: Express): Promise<{ url: string; server: Server }> {
  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

/**
 * A full-page screenshot of the current screen at each width, into test-results/web/; and at each width the page
 * must not scroll sideways (wide tables scroll inside their own box), or something would be cut off.
 */
export async function screenshots(page: Page, name: string) {
  for (const w of WIDTHS) {
    await page.setViewportSize({ width: w.width, height: w.height });
    await page.waitForTimeout(50);
    await page.screenshot({ path: join(ARTIFACTS, `${name}-${w.name}.png`), fullPage: true });
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    if (overflow > 0) throw new Error(`${name} at ${w.name}: the page is ${overflow}px wider than the screen`);
  }
  await page.setViewportSize({ width: 1280, height: 800 });
}

/** A failed test leaves its screen behind, to look at: call it from afterEach with mocha's current test. */
export async function keepFailedScreen(test: Mocha.Test | undefined, page: Page | undefined) {
  if (test?.state !== "failed" || !page) return;
  await page.screenshot({ path: join(ARTIFACTS, `FAILED-${test.title.slice(0, 40)}.png`), fullPage: true });
}

/** What every role lands on after signing in: its "my work" inbox. */
export const INBOX = "我的待办";

/**
 * Sign in from the demo picker (signing out first): every role lands on its inbox; then open `screen` (a menu
 * entry, named as its heading) unless it is the inbox itself.
 */
export async function signInFromPicker(page: Page, url: string, name: string, screen: string) {
  await page.goto(`${url}/#/`);
  const signOut = page.getByRole("button", { name: "退出" });
  if (await signOut.isVisible()) await signOut.click();
  await page.getByRole("link", { name: "登录" }).click();
  await page.getByRole("button", { name: new RegExp(name) }).click();
  await page.getByRole("heading", { level: 1, name: INBOX }).waitFor();
  if (screen !== INBOX) await openFromMenu(page, screen);
}

/** Open a screen from the menu and wait for its heading. */
export async function openFromMenu(page: Page, screen: string) {
  await page.getByRole("navigation").getByRole("link", { name: screen, exact: true }).click();
  await page.getByRole("heading", { level: 1, name: screen }).waitFor();
}

/**
 * The whole gateway over a test's chain and store, with the demo organisations' keys for the sign-in picker; with
 * `index`, its read model too (the screens that list from it: the asset register, the inbox, the watchlist).
 */
export function demoWebApp(
  registry: Registry,
  dataDir: string,
  demo: Awaited<ReturnType<typeof deployGatewayFixture>>["demo"],
  index?: GatewayIndex,
) {
  return buildApp({
    index,
    config: DEFAULT_TEST_CONFIG,
    logger: createLogger("silent"),
    registry,
    store: new DocumentStore(dataDir),
    records: recordsByDataDir.get(dataDir), // the test gateway's drafts and links, when the folder is one of its
    organisations: new OrganisationDirectory(demo.map((d) => d.organisation)),
    demoKeys: demo.map(({ organisation: o, apiKey }) => ({ ...o, apiKey })),
  });
}

/** What a browser suite shares: the gateway's fixture, its URL, Chromium, the page in use and the script errors seen. */
export interface BrowserSuite {
  f: GatewayFixture;
  url: string;
  browser: Browser;
  page: Page;
  problems: string[];
}

/**
 * A browser suite's scaffolding, registered in the calling `describe`: before its own hooks, the gateway with its read
 * model (as `npm start` runs it) on a fresh test chain, served on a free port, and Chromium; after each failed test
 * its screen kept; at the end the browser and the server closed, and no script error seen in any page. The suite
 * opens its pages with `watchedPage(s.browser, s.problems)` and sets `s.page` to the one a failure should show.
 */
export function browserSuite(): BrowserSuite {
  const s = { problems: [] as string[] } as BrowserSuite;
  let server: Server | undefined;
  before(async () => {
    ensureWebBuilt();
    s.f = await openGateway();
    const { demo } = await loadFixture(deployGatewayFixture);
    ({ url: s.url, server } = await listen(
      demoWebApp(s.f.registry, s.f.dataDir, demo, await indexFor(s.f.deployment)),
    ));
    s.browser = await launchChromium();
  });
  afterEach(function () {
    return keepFailedScreen(this.currentTest, s.page);
  });
  after(async () => {
    await s.browser?.close();
    if (server) await new Promise((resolve) => server!.close(resolve));
    expect(s.problems, "no script errors in the page").to.deep.equal([]);
  });
  return s;
}
