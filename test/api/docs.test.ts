/**
 * The interactive API docs (item 16 of issue 8): Swagger UI from node_modules rendering /v1/openapi.json, with
 * nothing loaded from another origin, and an example on every request body that the route itself accepts.
 */
import { expect } from "chai";
import request from "supertest";
import type { ApiDefinition } from "../../api/src/openapi/registry";
import { openGateway } from "./helpers/gatewayFixture";

type Operation = { requestBody?: { content: Record<string, { example?: unknown }> } };

describe("gateway — interactive API docs", () => {
  it("serves Swagger UI and its assets from the gateway itself, with no URL of another origin", async () => {
    const f = await openGateway();
    const page = await request(f.app).get("/v1/docs");
    expect([page.status, page.type]).to.deep.equal([200, "text/html"]);
    const referenced = [...page.text.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    expect(referenced).to.have.length.greaterThan(3);
    expect(page.text).to.not.match(/https?:\/\//);
    for (const path of referenced) {
      expect(path, path).to.match(/^\/v1\/docs\//);
      const asset = await request(f.app).get(path);
      expect(asset.status, path).to.equal(200);
      expect(asset.body.length ?? asset.text.length, path).to.be.greaterThan(0);
    }
    const start = await request(f.app).get("/v1/docs/start.js");
    expect(start.text).to.include('url: "/v1/openapi.json"');
    // Swagger UI's default would fetch a badge from the online validator: switched off.
    expect(start.text).to.include("validatorUrl: null");
    expect(start.text).to.not.match(/https?:\/\//);
    const bundle = await request(f.app).get("/v1/docs/assets/swagger-ui-bundle.js");
    expect(bundle.type).to.match(/javascript$/);
    // Only the page's own files of the package are served.
    const other = await request(f.app).get("/v1/docs/assets/package.json");
    expect(other.status).to.not.equal(200);
    expect(other.body.error.code).to.be.a("string");
  });

  it("gives every request body of /v1/openapi.json an example that passes the route's own validation", async () => {
    const f = await openGateway();
    const doc = (await request(f.app).get("/v1/openapi.json")).body as {
      paths: Record<string, Record<string, Operation>>;
    };
    const api = f.app.locals.api as ApiDefinition;
    let bodies = 0;
    const problems: string[] = [];
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(item)) {
        for (const [mediaType, media] of Object.entries(operation.requestBody?.content ?? {})) {
          bodies++;
          const route = `${method.toUpperCase()} ${path}`;
          if (media.example === undefined) {
            problems.push(`${route} (${mediaType}): no example`);
            continue;
          }
          if (mediaType !== "application/json") continue;
          const parsed = api.bodies.get(route)!.safeParse(media.example);
          if (!parsed.success) {
            const issues = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
            problems.push(`${route}: ${JSON.stringify(media.example)} → ${issues}`);
          }
        }
      }
    }
    expect(bodies).to.be.greaterThan(40);
    expect(problems, problems.join("\n")).to.deep.equal([]);
  });
});
