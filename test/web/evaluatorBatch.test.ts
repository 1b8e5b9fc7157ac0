/**
 * The evaluator's batch, signed in the browser: two reports queued for batching are sealed under one Merkle root (the
 * gateway's batcher, here with a batch of two so that nobody waits a minute); the evaluator opens its desk in
 * Chromium, chooses its key once, reviews what it signs in words (a batch of two reports, by its root), signs the
 * root with the page's key and anchors it; each report is then recorded in the register with its proof. Screens are
 * saved at 1280×800, 200 % zoom and 390 px under test-results/web/.
 */
import { expect } from "chai";
import express from "express";
import request from "supertest";
import type { Server } from "node:http";
import { randomBytes } from "node:crypto";
import { sha256 } from "ethers";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { chromium, type Browser, type Page } from "playwright-core";
import { DocumentStore } from "../../api/src/documents/store";
import { createLogger } from "../../api/src/logger";
import { authenticate } from "../../api/src/middleware/auth";
import { errorHandler, notFound } from "../../api/src/middleware/errorHandler";
import { ApiDefinition } from "../../api/src/openapi/registry";
import { OrganisationDirectory } from "../../api/src/organisations";
import { valuationsRouter } from "../../api/src/routes/valuations/router";
import type { GatewayParts } from "../../api/src/parts";
import { deployGatewayFixture, openGateway, type GatewayFixture } from "../api/helpers/gatewayFixture";
import { DAY, YEAR, recordPatent } from "../api/helpers/pledgeParties";
import { DEFAULT_TEST_CONFIG } from "../api/helpers/customGateway";
import {
  CHROMIUM,
  CHROMIUM_ARGS,
  INBOX,
  demoWebApp,
  ensureWebBuilt,
  keepFailedScreen,
  listen,
  openFromMenu,
  screenshots,
} from "./browser";

describe("web app — the evaluator signs a batch in the browser (Chromium)", function () {
  this.timeout(180_000);
  let f: GatewayFixture;
  let browser: Browser;
  let server: Server;
  let url: string;
  let page: Page;
  const problems: string[] = [];

  before(async () => {
    ensureWebBuilt();
    f = await openGateway();
    const { demo } = await loadFixture(deployGatewayFixture);
    ({ url, server } = await listen(demoWebApp(f.registry, f.dataDir, demo)));
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
    page = await (await browser.newContext({ locale: "zh-CN", viewport: { width: 1280, height: 800 } })).newPage();
    page.on("pageerror", (e) => problems.push(e.message));
  });

  afterEach(function () {
    return keepFailedScreen(this.currentTest, page);
  });

  after(async () => {
    await browser?.close();
    if (server) await new Promise((resolve) => server.close(resolve));
  });

  it("seals two queued reports, shows the batch in words, signs its root in the page and records both reports", async () => {
    // The valuations feature over the same chain and store, sealing every two reports (the gateway's default: 100).
    const { demo } = await loadFixture(deployGatewayFixture);
    const parts = {
      config: DEFAULT_TEST_CONFIG,
      logger: createLogger("silent"),
      registry: f.registry,
      store: new DocumentStore(f.dataDir),
      records: f.records, // the web app's gateway's records: it sees the batch this one seals
      organisations: new OrganisationDirectory(demo.map((d) => d.organisation)),
    } as GatewayParts;
    const sealing = express()
      .use(express.json())
      .use("/v1", authenticate(parts.organisations), valuationsRouter(new ApiDefinition(), parts, { batchSize: 2 }))
      .use(notFound)
      .use(errorHandler);
    const evaluator = (path: string) =>
      request(sealing).post(`/v1${path}`).set("Authorization", `Bearer ${f.keyOf.evaluator}`);

    const assetId = await recordPatent(f, "ZL202610077665.5", [f.parties[0]]);
    const hashes: string[] = [];
    for (const label of ["批次报告一", "批次报告二"]) {
      const bytes = Buffer.concat([Buffer.from(`资产评估报告 ${label}\n`), randomBytes(16)]);
      const stored = await evaluator("/documents").set("Content-Type", "application/octet-stream").send(bytes);
      expect(stored.status, JSON.stringify(stored.body)).to.equal(201);
      const report = {
        documentHash: sha256(bytes),
        assetIds: [assetId],
        value: "180000000",
        currency: "CNY",
        method: "Cost",
        valuationDate: Number(f.now) - DAY,
        validUntil: Number(f.now) + YEAR,
      };
      const queued = await evaluator("/valuations").send({ report, batch: true });
      expect(queued.status, JSON.stringify(queued.body)).to.equal(202);
      hashes.push(sha256(bytes));
    }

    await page.goto(`${url}/#/sign-in`);
    await page.getByRole("button", { name: /Evaluator Co/ }).click();
    await page.getByRole("heading", { level: 1, name: INBOX }).waitFor();
    await openFromMenu(page, "评估报告");
    await page.getByRole("button", { name: /使用演示签名密钥/ }).click();
    expect(await page.getByTestId("signer-address").innerText()).to.include(f.signerOf.evaluator.address);

    // The sealed batch awaits the evaluator's one signature; before signing, what is signed, in words.
    await page.getByRole("button", { name: "查看并签署这一批" }).click();
    const consent = page.getByTestId("batch-consent");
    const terms = await consent.getByTestId("signing-terms").innerText();
    expect(terms).to.include("整批评估报告存证");
    expect(terms).to.match(/报告份数\s+2/);
    expect(terms).to.include(f.signerOf.evaluator.address);
    await screenshots(page, "evaluator-batch-consent");

    await consent.getByRole("button", { name: "签名并存证整批" }).click();
    const done = page.locator(".result.good", { hasText: "批次根" });
    await done.waitFor({ timeout: 60_000 });

    // On chain: the batch anchored by the evaluator, and each report recorded with it.
    const v = f.contracts.valuationRegistry;
    const [anchored] = await v.queryFilter(v.filters.BatchAnchored());
    expect(anchored.args.evaluator).to.equal(f.signerOf.evaluator.address);
    const shown = await done.innerText();
    expect(shown).to.include(anchored.args.root);
    expect(shown).to.include(anchored.transactionHash);
    for (const hash of hashes) {
      const [record] = await v.reportOf(hash);
      expect(record.evaluator, hash).to.equal(f.signerOf.evaluator.address);
      await page.getByTestId("my-reports").locator(`a[title="${hash}"]`).waitFor();
    }
    await page.getByText("没有待签名的批次。").waitFor();
    await screenshots(page, "evaluator-batch-anchored");
    expect(problems).to.deep.equal([]);
  });
});
