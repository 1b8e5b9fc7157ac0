/**
 * One convention for units, dates and enums (README "Conventions", item 15 of issue 8), in the routes of assets,
 * collateral, valuations, documents, licences, pledges, administration, risk schemes and contracts: the OpenAPI document says
 * every money field is an integer string of the smallest unit and every date or instant field its format, and the
 * answers keep to it — history events included: dates YYYY-MM-DD, instants ISO 8601 with a zone, enum values by name.
 */
import { expect } from "chai";
import request from "supertest";
import { randomBytes } from "node:crypto";
import { sha256 } from "ethers";
import { openGateway, type GatewayFixture } from "./helpers/gatewayFixture";
import { anchorReport, application, docHash, iso, partyStep, recordPatent } from "./helpers/pledgeParties";

const ROUTES =
  /^\/v1\/(assets|collateral|valuations|documents|licences|registrar|participants|investors|pledges|pledges-policy|risk-schemes|contracts)\b/;
const MONEY = new Set([
  "value",
  "principal",
  "proceeds",
  "amount",
  "upfrontFee",
  "perLoanCap",
  "perBorrowerYearCap",
  "loss",
  "bankShare",
  "share",
]);
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
const INSTANTS = new Set([
  "recordedAt",
  "registeredAt",
  "anchoredAt",
  "sealedAt",
  "deployedAt",
  "submittedAt",
  "closedAt",
  "disposedAt",
]);
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

    it("give a pledge's debt dates as YYYY-MM-DD and its instants with a zone — drafts, queue, history and error details", async () => {
      const f = await openGateway();
      const bank = f.signerOf["bank-a"];
      const holder = f.parties[0];
      const assetId = await recordPatent(f, "ZL202110054321.0", [holder]);
      const reportId = await anchorReport(f, [assetId]);
      // Instants in the request (the helper's default) are taken as their UTC day, as the asset routes take them.
      const body = application(f, { assets: [assetId], pledgors: [holder], reportId }, { riskScheme: "zhongshan" });
      expect(body.startDate).to.equal(iso(f.now));
      const start = dayOf(f.now);
      const maturity = dayOf(f.now + YEAR);

      const prepared = await f.as("bank-a").post("/pledges/applications", body);
      expect(prepared.status, JSON.stringify(prepared.body)).to.equal(201);
      expect(prepared.body.terms).to.include({ startDate: start, maturityDate: maturity, principal: "100000000" });
      // What the parties sign is contract form: 00:00:00 UTC of the day, in Unix seconds.
      const midnight = (day: string) => String(Date.parse(`${day}T00:00:00Z`) / 1000);
      const signed = prepared.body.signers[0].typedData.message.terms.debt;
      expect([signed.startDate, signed.maturityDate]).to.deep.equal([midnight(start), midnight(maturity)]);

      // A draft that fails rules with a detail: fees paid only until yesterday, the asset frozen, no such report.
      const unpaid = await recordPatent(f, "ZL202110054321.1", [holder], { feesPaidUntil: iso(f.now - 86_400n) });
      await f.as("registration-office").post(`/assets/${unpaid}/freeze`, { freeze: "PreservationOrder" });
      const failing = await f
        .as("bank-a")
        .post(
          "/pledges/applications",
          application(f, { assets: [unpaid], pledgors: [holder], reportId: docHash("a report nobody anchored") }),
        );
      expect(failing.status, JSON.stringify(failing.body)).to.equal(201);
      const detailOf = (reason: string) =>
        failing.body.preflight.find((x: { reason: string }) => x.reason === reason)?.detail;
      expect({
        ANNUAL_FEE_UNPAID: detailOf("ANNUAL_FEE_UNPAID"),
        ASSET_FROZEN: detailOf("ASSET_FROZEN"),
        VALUATION_INVALID: detailOf("VALUATION_INVALID"),
        CO_OWNER_CONSENT_MISSING: detailOf("CO_OWNER_CONSENT_MISSING"),
      }).to.deep.equal({
        ANNUAL_FEE_UNPAID: dayOf(f.now - 86_400n),
        ASSET_FROZEN: "PreservationOrder",
        VALUATION_INVALID: "UNKNOWN",
        CO_OWNER_CONSENT_MISSING: null,
      });

      for (const wallet of [holder, bank]) {
        const request = prepared.body.signers.find((x: { address: string }) => x.address === wallet.address);
        const { domain, types, message } = request.typedData;
        const signature = await wallet.signTypedData(domain, types, message);
        await f.as("bank-a").post(`/pledges/applications/${prepared.body.draftId}/signatures`, {
          signer: wallet.address,
          signature,
        });
      }
      const submitted = await f.as("bank-a").post(`/pledges/applications/${prepared.body.draftId}/submit`);
      expect(submitted.status, JSON.stringify(submitted.body)).to.equal(201);
      const { pledgeId } = submitted.body;
      const queue = await f.as("registration-office").get("/pledges/queue");
      expect(queue.body.applications[0]).to.include({ pledgeId, maturityDate: maturity });
      expect(await f.as("registration-office").post(`/pledges/${pledgeId}/register`)).to.have.property("status", 200);

      const later = dayOf(f.now + 2n * YEAR);
      const changed = await partyStep(
        f,
        "bank-a",
        pledgeId,
        "change",
        { principal: "90000000", maturityDate: `${later}T18:45:00+08:00` },
        [holder, bank],
      );
      expect(changed.status, JSON.stringify(changed.body)).to.equal(200);
      // Before maturity without evidence: the refusal's details name the maturity date as a date.
      const early = await partyStep(f, "bank-a", pledgeId, "default", {}, [bank]);
      expect([early.status, early.body.error.code]).to.deep.equal([422, "DEFAULT_BEFORE_MATURITY"]);
      expect(early.body.error.details.args).to.include({ maturityDate: later });
      await partyStep(f, "bank-a", pledgeId, "default", { evidenceHash: docHash("overdue notice") }, [bank]);
      const disposal = {
        method: "Transfer",
        proceeds: "40000000",
        transferee: f.parties[4].address,
        evidenceHash: docHash("auction"),
      };
      const disposed = await partyStep(f, "bank-a", pledgeId, "disposal", disposal, [bank]);
      expect(disposed.status, JSON.stringify(disposed.body)).to.equal(200);

      const pledge = await f.as("auditor").get(`/pledges/${pledgeId}`);
      expect(pledge.body).to.include({ startDate: start, maturityDate: later, status: "Disposed" });
      expect(pledge.body.disposal).to.include({ method: "Transfer", loss: "50000000" });
      const argsOf = (event: string) =>
        pledge.body.history.find((e: { event: string }) => e.event === event).args as Record<string, unknown>;
      expect((argsOf("PledgeApplied").terms as { debt: object }).debt).to.include({
        startDate: start,
        maturityDate: maturity,
      });
      expect(argsOf("PledgeChanged")).to.include({ principal: "90000000", maturityDate: later });
      expect(argsOf("PledgeDisposed")).to.include({ method: "Transfer", proceeds: "40000000" });
      expect(argsOf("PledgeRegistered").registeredAt).to.equal(pledge.body.registeredAt);

      // What each party signs is in contract form on purpose (README "Conventions"): the rest of a draft is not.
      const unsigned = (draft: { signers: { typedData: unknown }[] }) => ({
        ...draft,
        signers: draft.signers.map((signer) => ({ ...signer, typedData: undefined })),
      });
      const answers = [
        unsigned(prepared.body),
        unsigned(failing.body),
        queue.body,
        changed.body,
        disposed.body,
        pledge.body,
      ];
      expect(answers.flatMap(offences)).to.deep.equal([]);
      for (const instant of ["submittedAt", "registeredAt", "closedAt"])
        expect(pledge.body[instant], instant).to.match(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      expect(pledge.body.disposal.disposedAt).to.match(/Z$/);
    });
  });
});
