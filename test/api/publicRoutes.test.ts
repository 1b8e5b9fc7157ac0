/**
 * Which routes need a key, said three times and checked to agree: the README's API section, the OpenAPI document
 * (`security` per operation) and the gateway's behaviour. Document bytes are confidential (signed contracts,
 * valuation reports): they need a key like every route but the public ones.
 */
import { expect } from "chai";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import request from "supertest";
import { openGateway } from "./helpers/gatewayFixture";

/** Public routes the OpenAPI document does not describe (the document itself and its page). */
const OUTSIDE_THE_DOCUMENT = ["GET /v1/openapi.json", "GET /v1/docs"];

/** The routes the README's API section says need no key: the `METHOD /v1/…` items before "(the public routes)". */
function publicRoutesOfReadme(): string[] {
  const readme = readFileSync(resolve(__dirname, "../../README.md"), "utf8");
  const paragraph = readme.split(/\n(?=- \*\*)/).find((p) => p.startsWith("- **Keys.**"));
  expect(paragraph, "the README's API section has a Keys paragraph").to.be.a("string");
  const publicPart = paragraph!.slice(0, paragraph!.indexOf("(the public routes)"));
  return [...publicPart.matchAll(/`((?:GET|POST|PUT) \/v1\/[^`]+)`/g)].map((m) => m[1]);
}

const operationsOf = (doc: any) =>
  Object.entries<any>(doc.paths).flatMap(([path, item]) =>
    Object.entries<any>(item).map(([method, op]) => ({ route: `${method.toUpperCase()} ${path}`, path, method, op })),
  );

/** A concrete URL for an OpenAPI path: every parameter filled with something well-formed enough. */
const urlOf = (path: string) => path.replace(/\{[^}]+\}/g, "1");

describe("gateway — which routes need a key", () => {
  it("serves a stored document's bytes to any organisation's key, and to nobody without one", async () => {
    const f = await openGateway();
    const bytes = Buffer.from("%PDF-1.7 pledge contract, confidential");
    const stored = await request(f.app)
      .post("/v1/documents")
      .set("Authorization", `Bearer ${f.keyOf["bank-a"]}`)
      .set("content-type", "application/pdf")
      .send(bytes);
    expect(stored.status).to.equal(201);
    const path = `/v1/documents/${stored.body.documentHash}`;

    for (const credentials of [undefined, "Bearer ipr_unknown"]) {
      const call = request(f.app).get(path);
      const res = await (credentials ? call.set("Authorization", credentials) : call);
      expect([res.status, res.body.error?.code]).to.deep.equal([401, "UNAUTHENTICATED"]);
      expect(res.text).to.not.include("confidential");
    }
    for (const org of ["bank-b", "auditor", "evaluator"] as const) {
      const res = await request(f.app).get(path).set("Authorization", `Bearer ${f.keyOf[org]}`).buffer(true);
      expect([res.status, Buffer.compare(res.body, bytes)], org).to.deep.equal([200, 0]);
    }
  });

  it("says the same in the README, in OpenAPI and in behaviour", async () => {
    const f = await openGateway();
    const doc = (await request(f.app).get("/v1/openapi.json")).body;
    const operations = operationsOf(doc);
    const documented = operations.filter((o) => o.op.security?.length === 0).map((o) => o.route);
    expect([...documented, ...OUTSIDE_THE_DOCUMENT]).to.have.members(publicRoutesOfReadme());
    expect(doc.paths["/v1/documents/{documentHash}"].get.security).to.deep.equal([{ apiKey: [] }]);

    for (const { route, path, method, op } of operations) {
      const res = await (request(f.app) as any)[method](urlOf(path));
      if (op.security?.length === 0) expect(res.status, route).to.not.equal(401);
      else expect([res.status, res.body.error?.code], route).to.deep.equal([401, "UNAUTHENTICATED"]);
    }
    for (const route of OUTSIDE_THE_DOCUMENT) {
      expect((await request(f.app).get(route.split(" ")[1])).status, route).to.equal(200);
    }
  });
});
