/**
 * Malformed requests, thousands of them, against every POST and PUT route the OpenAPI document lists (read at run
 * time, so a new route is fuzzed without anyone adding it here), each sent with a key of the route's role: wrong
 * types, missing and unknown fields, huge, negative and fractional numbers, hex of the wrong length, unicode edge
 * cases, nested junk, wrong media types and encodings, bodies over the limit, path traversal in ids. Every answer
 * must be a 4xx JSON error with a catalogued code — never a 5xx — and the gateway must still serve afterwards.
 *
 * The seed is fixed (FUZZ_SEED overrides it) and printed by fast-check with the counterexample on failure.
 */
import { expect } from "chai";
import fc from "fast-check";
import request from "supertest";
import { HTTP_ERROR_CODES } from "../../api/src/errors/AppError";
import { codeOfError } from "../../api/src/errors/contractErrors";
import type { Role } from "../../api/src/organisations";
import { openCustomGateway } from "./helpers/customGateway";

const SEED = Number(process.env.FUZZ_SEED ?? 20_261_128);
const TOTAL_REQUESTS = 5_000;
/** Besides, per route, requests drawn from the route's own schemas, which reach the handlers (see below). */
const NEAR_VALID_PER_ROUTE = 12;
/** Small, so that a body over the limit is cheap to send. */
const MAX_JSON_BYTES = 8 * 1024;
const MAX_DOCUMENT_BYTES = 16 * 1024;

/** A demo organisation of each role. */
const ORG_OF_ROLE: Record<Role, string | undefined> = {
  registrar: "registration-office",
  pledgee: "bank-a",
  evaluator: "evaluator",
  originator: "originator",
  auditor: "auditor",
  investor: undefined,
};

/** The gateway's own 422 refusals, besides the contracts' custom errors (which carry details.error). */
const GATEWAY_REFUSALS = new Set([
  "CONSENT_MISSING",
  "REPORT_ALREADY_BATCHED",
  "SIGNATURE_INVALID",
  "TRANSACTION_NONCE_INVALID",
  "TRANSACTION_NOT_SIGNED",
  "TRANSACTION_REVERTED",
  "BATCH_NOT_FOUND",
  "CHAIN_ID_MISMATCH",
  "TRANSACTION_TARGET_NOT_ALLOWED",
]);

function catalogued(status: number, error: { code?: unknown; details?: { error?: unknown } }) {
  if (typeof error.code !== "string") return false;
  if (error.code in HTTP_ERROR_CODES) return HTTP_ERROR_CODES[error.code as keyof typeof HTTP_ERROR_CODES] === status;
  if (status !== 422) return false;
  return (
    GATEWAY_REFUSALS.has(error.code) ||
    (typeof error.details?.error === "string" && codeOfError(error.details.error) === error.code)
  );
}

// ───────────── the routes, from the OpenAPI document ─────────────

type Schema = Record<string, any>;
interface FuzzedRoute {
  method: "post" | "put";
  /** OpenAPI path, e.g. /v1/pledges/{pledgeId}/refuse */
  path: string;
  params: { name: string; schema: Schema }[];
  roles?: Role[];
  mediaType?: string;
  schema?: Schema;
}

function routesOf(doc: any): FuzzedRoute[] {
  const routes: FuzzedRoute[] = [];
  for (const [path, item] of Object.entries<any>(doc.paths)) {
    for (const method of ["post", "put"] as const) {
      const op = item[method];
      if (!op) continue;
      const [mediaType, content] = Object.entries<any>(op.requestBody?.content ?? {})[0] ?? [];
      routes.push({
        method,
        path,
        params: (op.parameters ?? []).filter((p: any) => p.in === "path"),
        roles: op["x-roles"],
        mediaType,
        schema: content?.schema,
      });
    }
  }
  return routes;
}

const resolver =
  (doc: any) =>
  (schema: Schema | undefined): Schema | undefined =>
    schema?.$ref ? doc.components.schemas[schema.$ref.split("/").pop()] : schema;

// ───────────── malformed values ─────────────

const UNICODE_EDGES = [
  "\ud800",
  "\udfff",
  "ok\ud83dnot",
  "\u0000",
  "nul\u0000byte",
  "\u202eevil\u202c",
  "\u200f",
  "🚀",
  "𠜎𠜎𠜎",
  "\ufeffbom",
  "e\u0301",
  "\u{10ffff}",
  "",
  " ",
  "x".repeat(5_000),
];
const BAD_NUMBERS = [-1, -0, 0.5, 1e308, -1e308, 2 ** 53 + 1, 2 ** 64, Number.MAX_SAFE_INTEGER, 1e-7];
const BAD_NUMERIC_STRINGS = ["-1", "1e400", "0x10", "1.5", " 1", "9".repeat(90), "NaN", "Infinity", "", "0"];
const hexDigits = (n: number) => "0123456789abcdef".repeat(Math.ceil(n / 16) + 1).slice(0, n);
const BAD_HEX = [
  "0x",
  "0x0",
  `0x${hexDigits(63)}`,
  `0x${hexDigits(65)}`,
  `0x${hexDigits(39)}`,
  `0x${hexDigits(41)}`,
  `0x${hexDigits(129)}`,
  `0X${hexDigits(64)}`,
  hexDigits(64),
  `0x${"zz".repeat(32)}`,
  `0x${hexDigits(62)}\ud800`,
];
const TRAVERSAL = [
  "..",
  "%2e%2e",
  "..%2f..%2fetc%2fpasswd",
  "%2e%2e%2f%2e%2e%2fetc%2fpasswd",
  "..%5c..%5cwindows",
  "%00",
  "a%00b",
  "%ED%A0%80",
  "%E0%A4%A",
  "%",
  "-1",
  "0",
  "1e3",
  "9".repeat(80),
  "%F0%9F%9A%80",
  "x".repeat(3_000),
  "%252e%252e",
];

const junk: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(...UNICODE_EDGES),
  fc.constantFrom(...BAD_NUMBERS),
  fc.constantFrom(...BAD_NUMERIC_STRINGS),
  fc.constantFrom(...BAD_HEX),
  fc.constantFrom(null, true, false, [], {}, [[[[]]]], { __proto__: { polluted: true } }),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.jsonValue({ maxDepth: 4 }),
  fc.integer(),
  fc.double({ noNaN: true }),
);

/** A value shaped by the schema, near the valid one or plainly wrong. */
function valueOf(doc: any, schemaIn: Schema | undefined, depth = 0): fc.Arbitrary<unknown> {
  const schema = resolver(doc)(schemaIn) ?? {};
  if (depth > 4) return junk;
  const choices = schema.anyOf ?? schema.oneOf;
  if (choices) return fc.oneof(...choices.map((s: Schema) => valueOf(doc, s, depth + 1)), junk);
  if (schema.enum) return fc.oneof(fc.constantFrom(...schema.enum), junk);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case "string": {
      const nearHex = schema.pattern?.includes("0-9a-fA-F") || schema.pattern?.includes("0-9a-f");
      return fc.oneof(
        nearHex ? fc.constantFrom(`0x${hexDigits(64)}`, `0x${hexDigits(40)}`, ...BAD_HEX) : fc.string(),
        fc.constantFrom(...UNICODE_EDGES),
        fc.constantFrom(...BAD_NUMERIC_STRINGS, "2027-06-30T00:00:00Z", "2027-13-45"),
        junk,
      );
    }
    case "integer":
    case "number":
      return fc.oneof(
        fc.constantFrom(...BAD_NUMBERS),
        fc.integer({ min: -10, max: 100 }),
        fc.constantFrom(...BAD_NUMERIC_STRINGS),
        junk,
      );
    case "boolean":
      return fc.oneof(fc.boolean(), fc.constantFrom("true", 1, 0, "yes"), junk);
    case "array":
      return fc.oneof(
        fc.array(valueOf(doc, schema.items, depth + 1), { maxLength: 4 }),
        fc.array(fc.constant(null), { minLength: 70, maxLength: 70 }),
        junk,
      );
    case "object":
    default:
      return objectOf(doc, schema, depth);
  }
}

/** An object from the schema's properties with some dropped, some wrong and some unknown ones added. */
function objectOf(doc: any, schema: Schema, depth: number): fc.Arbitrary<unknown> {
  const properties = Object.entries<Schema>(schema.properties ?? {});
  if (properties.length === 0) return fc.oneof(fc.dictionary(fc.string(), junk, { maxKeys: 4 }), junk);
  return fc.oneof(
    {
      weight: 4,
      arbitrary: fc
        .record(Object.fromEntries(properties.map(([key, s]) => [key, valueOf(doc, s, depth + 1)])), {
          requiredKeys: [],
        })
        .chain((object) =>
          fc
            .dictionary(fc.constantFrom("__proto__", "constructor", "extra", "\ud800", ""), junk, { maxKeys: 2 })
            .map((extra) => ({ ...object, ...extra })),
        ),
    },
    { weight: 1, arbitrary: junk },
  );
}

/** A value the schema would accept, or nearly: a pattern's strings, an enum's values, numbers in range. */
function validValueOf(doc: any, schemaIn: Schema | undefined, depth = 0): fc.Arbitrary<unknown> {
  const schema = resolver(doc)(schemaIn) ?? {};
  const choices = schema.anyOf ?? schema.oneOf;
  if (choices) return fc.oneof(...choices.map((s: Schema) => validValueOf(doc, s, depth + 1)));
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case "string":
      if (schema.pattern) return fc.stringMatching(new RegExp(schema.pattern));
      if (schema.format === "date-time") return fc.constantFrom("2026-01-01T00:00:00Z", "2030-06-30T00:00:00Z");
      return fc.string({ minLength: schema.minLength ?? 0, maxLength: Math.min(schema.maxLength ?? 20, 40) });
    case "integer":
    case "number":
      return fc.integer({ min: schema.minimum ?? 0, max: Math.min(schema.maximum ?? 2 ** 40, 2 ** 40) });
    case "boolean":
      return fc.boolean();
    case "array": {
      const minLength = schema.minItems ?? 0;
      return fc.array(validValueOf(doc, schema.items, depth + 1), {
        minLength,
        maxLength: Math.max(minLength, Math.min(schema.maxItems ?? 3, 3)),
      });
    }
    default: {
      if (depth > 6) return fc.constant({});
      const properties = Object.entries<Schema>(schema.properties ?? {});
      return fc.record(Object.fromEntries(properties.map(([key, s]) => [key, validValueOf(doc, s, depth + 1)])), {
        requiredKeys: (schema.required ?? []).filter((k: string) => schema.properties?.[k]),
      });
    }
  }
}

/**
 * Requests that pass validation now and then and reach the handlers and the chain: every path parameter and field
 * drawn from its own schema (mixed-case addresses with a wrong checksum among them). They may be refused or even
 * succeed; they must never be a 5xx.
 */
function nearValidRequestsFor(doc: any, route: FuzzedRoute): fc.Arbitrary<FuzzRequest> {
  const url = fc
    .tuple(...route.params.map((p) => validValueOf(doc, p.schema).map((v) => encodeURIComponent(String(v)))))
    .map((values) => route.params.reduce((path, p, i) => path.replace(`{${p.name}}`, values[i]), route.path));
  const body =
    route.mediaType === "application/octet-stream"
      ? fc
          .uint8Array({ minLength: 1, maxLength: 64 })
          .map((b) => ({ contentType: route.mediaType, body: Buffer.from(b) }))
      : validValueOf(doc, route.schema).map((v) => ({
          contentType: "application/json",
          body: JSON.stringify(v ?? {}),
        }));
  return fc.tuple(url, body).map(([u, b]) => ({ url: u, ...b }));
}

// ───────────── whole requests ─────────────

interface FuzzRequest {
  url: string;
  contentType?: string;
  contentEncoding?: string;
  body?: string | Buffer;
}

const paramValue = (schema: Schema) =>
  fc.oneof(
    fc.constantFrom(...TRAVERSAL),
    fc.constantFrom(`0x${hexDigits(64)}`, `0x${hexDigits(40)}`, "1", "2", hexDigits(32), "0x1234"),
    fc.constantFrom(...BAD_HEX.filter((h) => !h.includes("\ud800")).map(encodeURIComponent)),
    fc.string({ maxLength: 20 }).map(encodeURIComponent),
    schema.pattern ? fc.stringMatching(new RegExp(schema.pattern)).map(encodeURIComponent) : fc.constant("1"),
  );

/** A value of the wrong JSON type for the schema: refused whether the field is required, optional or nullable. */
function wrongTypeFor(doc: any, schemaIn: Schema): fc.Arbitrary<unknown> {
  const schema = resolver(doc)(schemaIn) ?? {};
  const types = new Set<string>(
    (schema.anyOf ?? schema.oneOf ?? [schema]).flatMap((s: Schema) => {
      const t = resolver(doc)(s)?.type;
      return Array.isArray(t) ? t : [t];
    }),
  );
  const wrong: unknown[] = [];
  if (!types.has("object")) wrong.push({ nested: ["junk", { deeper: [null] }] }, {});
  if (!types.has("array")) wrong.push([1, "two", null], [[[]]]);
  if (!types.has("boolean") && !schema.enum?.includes(true)) wrong.push(true, false);
  if (!types.has("string") && !types.has("number") && !types.has("integer")) wrong.push("a string", 12);
  return fc.constantFrom(...wrong);
}

/**
 * Every request carries at least one defect the route must refuse (so a 2xx is a bug too), on top of noise: a field
 * of the wrong type, a required field missing, an id that is no id, a body that is not what the route reads (wrong
 * media type, malformed JSON, an unknown encoding, over the limit, or empty where bytes are required).
 */
function requestsFor(doc: any, route: FuzzedRoute): fc.Arbitrary<FuzzRequest> {
  const schema = resolver(doc)(route.schema);
  const properties = Object.entries<Schema>(schema?.properties ?? {});
  const required: string[] = schema?.required ?? [];
  const isDocument = route.mediaType === "application/octet-stream";
  const json = (value: unknown) => JSON.stringify(value) ?? "null";

  const url = (junkParam: number | undefined) =>
    fc
      .tuple(...route.params.map((p, i) => (i === junkParam ? fc.constantFrom(...TRAVERSAL) : paramValue(p.schema))))
      .map((values) => route.params.reduce((path, p, i) => path.replace(`{${p.name}}`, values[i]), route.path));
  const anyUrl = url(undefined);
  const noise = isDocument ? fc.constant<unknown>({}) : valueOf(doc, route.schema);
  const jsonBody = (value: unknown) => ({ contentType: "application/json", body: json(value) });
  const asObject = (v: unknown) => (v && typeof v === "object" && !Array.isArray(v) ? v : {});

  type Defect = fc.Arbitrary<FuzzRequest>;
  const defects: { weight: number; arbitrary: Defect }[] = [];
  if (route.params.length > 0) {
    const junkParam = fc.nat(route.params.length - 1).chain((i) => url(i));
    defects.push({ weight: 4, arbitrary: fc.tuple(junkParam, noise).map(([u, v]) => ({ url: u, ...jsonBody(v) })) });
  }
  if (!isDocument && properties.length > 0) {
    const wrongField = fc
      .constantFrom(...properties)
      .chain(([key, s]) =>
        fc.tuple(noise, wrongTypeFor(doc, s)).map(([v, wrong]) => ({ ...asObject(v), [key]: wrong })),
      );
    defects.push({ weight: 8, arbitrary: fc.tuple(anyUrl, wrongField).map(([u, v]) => ({ url: u, ...jsonBody(v) })) });
    defects.push({
      weight: 2,
      arbitrary: fc
        .tuple(
          anyUrl,
          junk.filter((v) => v === null || typeof v !== "object" || Array.isArray(v)),
        )
        .map(([u, v]) => ({ url: u, ...jsonBody(v) })),
    });
  }
  if (!isDocument && required.length > 0) {
    const missing = fc
      .tuple(fc.constantFrom(...required), noise)
      .map(([key, v]) => Object.fromEntries(Object.entries(asObject(v)).filter(([k]) => k !== key)));
    defects.push({ weight: 3, arbitrary: fc.tuple(anyUrl, missing).map(([u, v]) => ({ url: u, ...jsonBody(v) })) });
    const wrongMediaType = fc
      .tuple(
        fc.constantFrom("text/plain", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data"),
        noise,
      )
      .map(([contentType, v]) => ({ contentType, body: json(v) }));
    defects.push({ weight: 1, arbitrary: fc.tuple(anyUrl, wrongMediaType).map(([u, b]) => ({ url: u, ...b })) });
  }
  if (!isDocument) {
    const unreadable = fc.constantFrom(
      ...['{"a":', "{'single':1}", "[1,2,", "\u0000", "nul", '{"a":1}}', "\ud800"].map((body) => ({
        contentType: "application/json",
        body,
      })),
      { contentType: "application/json; charset=latin1", body: "{}" },
      { contentType: "application/json", contentEncoding: "gzip", body: "not gzip" },
      { contentType: "application/json", contentEncoding: "x-unknown", body: "{}" },
    );
    defects.push({ weight: 2, arbitrary: fc.tuple(anyUrl, unreadable).map(([u, b]) => ({ url: u, ...b })) });
  }
  const oversized = fc
    .constantFrom(MAX_JSON_BYTES + 1, MAX_DOCUMENT_BYTES + 1, 4 * MAX_DOCUMENT_BYTES)
    .filter((n) => n > (isDocument ? MAX_DOCUMENT_BYTES : MAX_JSON_BYTES))
    .map((n) => ({
      contentType: route.mediaType ?? "application/json",
      body: isDocument ? Buffer.alloc(n, "x") : JSON.stringify({ pad: "x".repeat(n) }),
    }));
  defects.push({ weight: 1, arbitrary: fc.tuple(anyUrl, oversized).map(([u, b]) => ({ url: u, ...b })) });
  if (isDocument) {
    const empty = fc.constantFrom("application/octet-stream", "application/pdf", "image/png");
    defects.push({
      weight: 4,
      arbitrary: fc.tuple(anyUrl, empty).map(([u, contentType]) => ({ url: u, contentType, body: Buffer.alloc(0) })),
    });
  }
  return fc.oneof(...defects);
}

describe("gateway — fuzzing every POST and PUT route", function () {
  this.timeout(240_000);

  it(`answers ${TOTAL_REQUESTS}+ malformed requests with 4xx JSON errors of catalogued codes, then still serves`, async () => {
    const f = await openCustomGateway({ config: { MAX_JSON_BYTES, MAX_DOCUMENT_BYTES } });
    const doc = (await request(f.app).get("/v1/openapi.json")).body;
    const routes = routesOf(doc);
    expect(routes.length, "routes found in /v1/openapi.json").to.be.at.least(40);
    const perRoute = Math.ceil(TOTAL_REQUESTS / routes.length);
    const statuses = new Map<number, number>();
    let sent = 0;

    for (const [index, route] of routes.entries()) {
      const org = route.roles ? ORG_OF_ROLE[route.roles.find((r) => ORG_OF_ROLE[r])!] : "bank-b";
      expect(org, `a demo organisation for ${route.path}`).to.be.a("string");
      const send = async (req: FuzzRequest) => {
        let call = request(f.app)[route.method](req.url).set("Authorization", `Bearer ${f.keyOf[org!]}`);
        if (req.contentType !== undefined) call = call.set("Content-Type", req.contentType);
        if (req.contentEncoding) call = call.set("Content-Encoding", req.contentEncoding);
        const res = await (req.body === undefined ? call : call.send(req.body));
        sent++;
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        return { res, what: `${route.method.toUpperCase()} ${req.url} → ${res.status} ${res.text.slice(0, 300)}` };
      };
      await fc.assert(
        fc.asyncProperty(requestsFor(doc, route), async (req) => {
          const { res, what } = await send(req);
          expect(res.status, what).to.be.within(400, 499);
          expect(res.type, what).to.equal("application/json");
          expect(Object.keys(res.body), what).to.deep.equal(["error"]);
          expect(catalogued(res.status, res.body.error), `uncatalogued code: ${what}`).to.equal(true);
        }),
        { numRuns: perRoute, seed: SEED + index, endOnFailure: true },
      );
      await fc.assert(
        fc.asyncProperty(nearValidRequestsFor(doc, route), async (req) => {
          const { res, what } = await send(req);
          expect(res.status, what).to.be.below(500);
          if (res.status >= 400) expect(catalogued(res.status, res.body.error ?? {}), what).to.equal(true);
        }),
        { numRuns: NEAR_VALID_PER_ROUTE, seed: SEED + index, endOnFailure: true },
      );
    }

    expect(sent).to.be.at.least(TOTAL_REQUESTS + NEAR_VALID_PER_ROUTE * routes.length);
    // Still serving: health, and a well-formed write.
    expect((await request(f.app).get("/v1/health")).status).to.equal(200);
    const recorded = await f.as("registration-office").post("/assets", {
      kind: "InventionPatent",
      officialNumber: "ZL202610099999.9",
      holders: [{ address: f.parties[0].address, shareBps: 10_000 }],
      grantDate: Number(f.now) - 86_400,
    });
    expect(recorded.status, JSON.stringify(recorded.body)).to.equal(201);
    console.log(
      `      fuzz: ${sent} requests over ${routes.length} routes, seed ${SEED}; statuses`,
      Object.fromEntries(statuses),
    );
  });
});
