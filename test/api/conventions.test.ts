/**
 * One convention for units, dates and enums (README "Conventions", item 15 of issue 8), in the routes of assets,
 * collateral, valuations, documents, licences, administration, risk schemes and contracts: the OpenAPI document says
 * every money field is an integer string of the smallest unit and every date or instant field its format, and the
 * answers keep to it — history events included: dates YYYY-MM-DD, instants ISO 8601 with a zone, enum values by name.
 */
import { expect } from "chai";
import request from "supertest";
import { randomBytes } from "node:crypto";
import { sha256 } from "ethers";
import { openGateway, type GatewayFixture } from "./helpers/gatewayFixture";

const ROUTES =
  /^\/v1\/(assets|collateral|valuations|documents|licences|registrar|participants|investors|pledges-policy|risk-schemes|contracts)\b/;
const MONEY = new Set(["value", "principal", "proceeds", "amount", "upfrontFee", "perLoanCap", "perBorrowerYearCap"]);
const DATES = new Set([
  "grantDate",
  "expiryDate",
  "feesPaidUntil",
  "paidUntil",
  "maturityDate",
  "startDate",
  "endDate",
  "dueDate",
  "valuationDate",
  "validUntil",
]);
const INSTANTS = new Set(["recordedAt", "registeredAt", "anchoredAt", "sealedAt", "deployedAt"]);
const ENUMS = new Set(["kind", "status", "method", "freeze", "verdict", "valuationVerdict", "standing", "reason"]);

type Schema = {
  $ref?: string;
  type?: string | string[];
  format?: string;
  description?: string;
  properties?: Record<string, Schema>;
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
};

describe("gateway — units, dates and enums, one convention", () => {
  it("documents every money field as an integer string of the smallest unit, and every date's and instant's format", async () => {
    const f = await openGateway();
    const doc = (await request(f.app).get("/v1/openapi.json")).body;
    const components = doc.components.schemas as Record<string, Schema>;
    const problems: string[] = [];
    const seen = new Set<Schema>();
    // Contract form on purpose: verifyInBatch's arguments as the ABI takes them (Unix seconds), and a transaction for
    // a wallet to sign (its `value` is wei, not money of a currency).
    const contractForm = new Set(["ValuationReportContractForm", "UnsignedTransaction"]);
    const check = (schema: Schema, where: string) => {
      if (schema.$ref && contractForm.has(schema.$ref.split("/").pop()!)) return;
      if (schema.$ref) schema = components[schema.$ref.split("/").pop()!];
      if (!schema || seen.has(schema)) return;
      seen.add(schema);
      for (const option of [...(schema.anyOf ?? []), ...(schema.oneOf ?? []), ...(schema.allOf ?? [])])
        check(option, where);
      if (schema.items) check(schema.items, where);
      for (const [name, raw] of Object.entries(schema.properties ?? {})) {
        const property = raw.$ref ? components[raw.$ref.split("/").pop()!] : raw;
        const described = [property, ...(property.anyOf ?? [])];
        const has = (test: (s: Schema) => boolean) => described.some(test);
        if (MONEY.has(name) && !has((s) => /smallest unit/.test(s.description ?? "")))
          problems.push(`${where} ${name}: money`);
        if (DATES.has(name) && !has((s) => s.format === "date")) problems.push(`${where} ${name}: date`);
        if (INSTANTS.has(name) && !has((s) => s.format === "date-time")) problems.push(`${where} ${name}: instant`);
        check(raw, `${where} ${name}`);
      }
    };
    let checked = 0;
    for (const [path, item] of Object.entries(doc.paths as Record<string, Record<string, Record<string, unknown>>>)) {
      if (!ROUTES.test(path)) continue;
      for (const [method, operation] of Object.entries(item)) {
        const where = `${method.toUpperCase()} ${path}`;
        const body = (operation.requestBody as { content?: Record<string, { schema: Schema }> })?.content;
        for (const media of Object.values(body ?? {})) check(media.schema, where);
        const ok = Object.entries(
          operation.responses as Record<string, { content?: Record<string, { schema: Schema }> }>,
        ).filter(([status]) => status !== "default");
        for (const [, response] of ok)
          for (const media of Object.values(response.content ?? {})) check(media.schema, where);
        checked++;
      }
    }
    expect(checked).to.be.greaterThan(30);
    expect(problems).to.deep.equal([]);
  });

  describe("the answers", () => {
    /** Every field of an answer, however deep, with its name. */
    function* fields(value: unknown, name = ""): Generator<[string, unknown]> {
      if (Array.isArray(value)) for (const v of value) yield* fields(v, name);
      else if (value && typeof value === "object") {
        for (const [k, v] of Object.entries(value)) {
          yield [k, v];
          yield* fields(v, k);
        }
      }
    }
    const offences = (answer: unknown) =>
      [...fields(answer)].flatMap(([name, v]) => {
        if (v === null || typeof v === "object") return [];
        if (DATES.has(name) && !/^\d{4}-\d{2}-\d{2}$/.test(String(v))) return [`${name}: ${v}`];
        if (INSTANTS.has(name) && !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/.test(String(v)))
          return [`${name}: ${v}`];
        if (MONEY.has(name) && !/^\d+$/.test(String(v))) return [`${name}: ${v}`];
        if (MONEY.has(name) && typeof v !== "string") return [`${name}: a number`];
        if (ENUMS.has(name) && /^\d+$/.test(String(v))) return [`${name}: ${v}`];
        return [];
      });

    // Other suites move the chain's clock: dates are relative to it.
    const dayOf = (seconds: bigint) => new Date(Number(seconds) * 1000).toISOString().slice(0, 10);
    const YEAR = 365n * 86_400n;

    async function story(f: GatewayFixture) {
      const office = f.as("registration-office");
      const asset = await office.post("/assets", {
        kind: "InventionPatent",
        officialNumber: "ZL202110012345.6",
        holders: [{ address: f.parties[0].address, shareBps: 10_000 }],
        grantDate: dayOf(f.now - 2n * YEAR),
        expiryDate: dayOf(f.now + 15n * YEAR),
        feesPaidUntil: Number(f.now) + 365 * 86_400,
      });
      expect(asset.status).to.equal(201);
      await office.post(`/assets/${asset.body.assetId}/freeze`, { freeze: "OwnershipDispute" });
      await office.post(`/assets/${asset.body.assetId}/freeze`, { freeze: "None" });
      const bytes = Buffer.concat([Buffer.from("%PDF-1.7\n"), randomBytes(64)]);
      const upload = await request(f.app)
        .post("/v1/documents")
        .set("Authorization", `Bearer ${f.keyOf.evaluator}`)
        .set("content-type", "application/pdf")
        .send(bytes);
      expect(upload.status).to.equal(201);
      const today = dayOf(f.now);
      const validUntil = dayOf(f.now + 2n * YEAR);
      const prepared = await f.as("evaluator").post("/valuations/typed-data", {
        documentHash: sha256(bytes),
        assetIds: [asset.body.assetId],
        value: "2500000000",
        currency: "CNY",
        method: "Market",
        valuationDate: today,
        validUntil,
      });
      expect(prepared.status, JSON.stringify(prepared.body)).to.equal(200);
      const { domain, types, message } = prepared.body.typedData;
      const signature = await f.signerOf.evaluator.signTypedData(domain, types, message);
      const anchored = await f.as("evaluator").post("/valuations", {
        report: prepared.body.report,
        signature,
        nonce: message.nonce,
        deadline: message.deadline,
      });
      expect(anchored.status, JSON.stringify(anchored.body)).to.equal(201);
      return { assetId: asset.body.assetId as string, documentHash: sha256(bytes), today, validUntil };
    }

    it("give dates as YYYY-MM-DD, instants with a zone, money as integer strings and enum values by name", async () => {
      const f = await openGateway();
      const { assetId, documentHash, today, validUntil } = await story(f);
      const asset = await f.as("auditor").get(`/assets/${assetId}`);
      expect(asset.body).to.include({
        grantDate: dayOf(f.now - 2n * YEAR),
        expiryDate: dayOf(f.now + 15n * YEAR),
        freeze: "None",
      });
      const recorded = asset.body.history.find((e: { event: string }) => e.event === "AssetRecorded");
      expect(recorded.args).to.include({
        kind: "InventionPatent",
        status: "Granted",
        grantDate: dayOf(f.now - 2n * YEAR),
      });
      const freezes = asset.body.history.filter((e: { event: string }) => e.event === "FreezeRecorded");
      expect(freezes.map((e: { args: { freeze: string } }) => e.args.freeze)).to.deep.equal([
        "OwnershipDispute",
        "None",
      ]);

      const report = await f.as("bank-a").get(`/valuations/${documentHash}`);
      expect(report.body).to.include({ validUntil, verdict: "VALID" });
      expect(report.body.report).to.include({ valuationDate: today, validUntil, value: "2500000000" });
      const anchoring = report.body.history[0].args.report;
      expect(anchoring).to.include({ method: "Market", valuationDate: today, validUntil });

      const answers = [
        asset.body,
        report.body,
        (await f.as("bank-b").get(`/collateral/${assetId}`)).body,
        (await f.as("bank-b").get("/risk-schemes")).body,
      ];
      expect(answers.flatMap(offences)).to.deep.equal([]);
    });
  });
});
