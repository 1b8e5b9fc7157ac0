/**
 * The gateway routes the web app adds: the public hash check (no API key, nothing private), who a key belongs to,
 * the demo keys only when the gateway was given them (the embedded demo chain), and the app itself at `/`.
 */
import { expect } from "chai";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import request from "supertest";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { buildApp } from "../../api/src/server";
import { createLogger } from "../../api/src/logger";
import { DocumentStore } from "../../api/src/documents/store";
import { OrganisationDirectory } from "../../api/src/organisations";
import { webApp } from "../../api/src/webApp";
import express from "express";
import { deployGatewayFixture, openGateway } from "../api/helpers/gatewayFixture";
import { DEFAULT_TEST_CONFIG } from "../api/helpers/customGateway";
import { anchorReport, docHash, recordPatent } from "../api/helpers/pledgeParties";
import { ensureWebBuilt } from "./browser";

describe("gateway — routes of the web app", () => {
  it("answers a report hash without an API key: anchored by whom and when, or not anchored", async () => {
    const f = await openGateway();
    const assetId = await recordPatent(f, "ZL202110012345.6", [f.parties[0]]);
    const hash = await anchorReport(f, [assetId], "report file bytes");
    expect(hash).to.equal(docHash("report file bytes"));
    const [record] = await f.contracts.valuationRegistry.reportOf(hash);

    const found = await request(f.app).get(`/v1/public/valuations/${hash}`);
    expect(found.status, JSON.stringify(found.body)).to.equal(200);
    expect(found.body).to.include({
      documentHash: hash,
      anchored: true,
      evaluator: f.signerOf.evaluator.address,
      status: "Anchored",
      verdict: "VALID",
    });
    expect(Date.parse(found.body.anchoredAt) / 1000).to.equal(Number(record.anchoredAt));
    expect(found.body.proof.transactionHash).to.match(/^0x[0-9a-f]{64}$/);
    expect(found.body).not.to.have.property("report"); // the value and the rest stay behind the API key

    const unknown = docHash("never anchored");
    const missing = await request(f.app).get(`/v1/public/valuations/${unknown}`);
    expect([missing.status, missing.body.anchored, missing.body.evaluator]).to.deep.equal([200, false, null]);
    const bad = await request(f.app).get("/v1/public/valuations/0x1234");
    expect([bad.status, bad.body.error?.code]).to.deep.equal([400, "VALIDATION_FAILED"]);
  });

  it("tells a key's organisation and role, and 401 without a key", async () => {
    const f = await openGateway();
    const me = await f.as("bank-b").get("/session");
    expect(me.body).to.deep.equal({
      id: "bank-b",
      name: "Bank B (licensed lender)",
      role: "pledgee",
      address: f.signerOf["bank-b"].address,
    });
    expect((await request(f.app).get("/v1/session")).status).to.equal(401);
  });

  it("lists the demo keys only when the gateway runs the embedded demo, and each key signs in as its organisation", async () => {
    const f = await openGateway();
    const none = await request(f.app).get("/v1/demo/organisations");
    expect(none.status).to.equal(401); // not mounted: it falls through to authentication

    const { demo } = await loadFixture(deployGatewayFixture);
    const app = buildApp({
      config: DEFAULT_TEST_CONFIG,
      logger: createLogger("silent"),
      registry: f.registry,
      store: new DocumentStore(mkdtempSync(join(tmpdir(), "ipr-web-"))),
      organisations: new OrganisationDirectory(demo.map((d) => d.organisation)),
      demoKeys: demo.map(({ organisation: o, apiKey }) => ({ ...o, apiKey })),
    });
    const listed = await request(app).get("/v1/demo/organisations");
    expect(listed.status).to.equal(200);
    expect(listed.body.organisations.map((o: { id: string }) => o.id)).to.deep.equal(
      demo.map((d) => d.organisation.id),
    );
    for (const o of listed.body.organisations) {
      expect(o).not.to.have.property("keyHash");
      const me = await request(app).get("/v1/session").set("Authorization", `Bearer ${o.apiKey}`);
      expect([me.body.id, me.body.role]).to.deep.equal([o.id, o.role]);
    }
  });

  it("serves the built app at / and says how to build it when it is missing", async () => {
    ensureWebBuilt();
    const f = await openGateway();
    const page = await request(f.app).get("/");
    expect(page.status).to.equal(200);
    expect(page.text).to.include('<div id="app">');
    // Documents opened in place come from blob: URLs the app makes: images and frames may, scripts still may not.
    const policy = String(page.headers["content-security-policy"]);
    expect(policy).to.match(/img-src 'self' data: blob:/);
    expect(policy).to.match(/frame-src blob:/);
    expect(policy).to.match(/script-src 'self';/);
    expect((await request(f.app).get("/v1/health")).headers["content-security-policy"]).to.not.include("blob:");
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(page.text)![1];
    const js = await request(f.app).get(script);
    expect(js.status).to.equal(200);
    expect(js.headers["content-type"]).to.match(/^(text|application)\/javascript/);
    expect((await request(f.app).get("/v1/docs")).status).to.equal(200);

    const unbuilt = express().use(webApp(mkdtempSync(join(tmpdir(), "ipr-no-web-"))));
    const missing = await request(unbuilt).get("/");
    expect(missing.status).to.equal(503);
    expect(missing.text).to.include("npm run build");
  });
});
