/**
 * Free text must be well-formed Unicode: a lone UTF-16 surrogate can travel in JSON ("\ud800") but has no UTF-8 form,
 * so it cannot be put on chain. Every free-text field of every request refuses it with 400 VALIDATION_FAILED naming
 * the field, before any handler runs; well-formed text in any script (4-byte emoji, right-to-left marks) still passes.
 */
import { expect } from "chai";
import { openGateway, type GatewayFixture } from "./helpers/gatewayFixture";

const YEAR = 365 * 86_400;
const LONE_HIGH = "\ud800";
const LONE_LOW = "\udc00";
const hash = (digit: string) => `0x${digit.repeat(64)}`;

type Org = Parameters<GatewayFixture["as"]>[0];

/** Each free-text field, in a request that is valid but for it. */
function cases(f: GatewayFixture, bad: string): { org: Org; path: string; body: object; field: string }[] {
  const now = Number(f.now);
  const holder = f.parties[0].address;
  const patent = {
    kind: "InventionPatent",
    officialNumber: "ZL202110012345.6",
    holders: [{ address: holder, shareBps: 10_000 }],
    grantDate: now - 2 * YEAR,
  };
  const application = {
    assets: [hash("a")],
    pledgors: [holder],
    debtor: "91440101MA5CXYZ12K",
    principal: "100000000",
    startDate: now,
    maturityDate: now + YEAR,
    contractHash: hash("b"),
    valuationReportId: hash("c"),
    forfeitureClause: false,
    invalidationAcknowledged: false,
  };
  const report = {
    documentHash: hash("d"),
    assetIds: [hash("a")],
    value: "250000000",
    currency: "CNY",
    method: "Income",
    valuationDate: now - 86_400,
    validUntil: now + YEAR,
  };
  const pool = {
    paymentToken: holder,
    feeRecipient: holder,
    guarantor: holder,
    guaranteeCap: "0",
    feePerPeriod: "0",
    reserveTarget: "0",
    subscriptionDeadline: now + 86_400,
    startDate: now + 86_400,
    periodEnds: [now + YEAR],
    receivables: ["2"],
    tranches: [
      { name: "Senior A", symbol: "SA", face: "100", couponBps: 500 },
      { name: "Subordinated", symbol: "SB", face: "100", couponBps: 0 },
    ],
  };
  const senior = (key: "name" | "symbol") => ({
    ...pool,
    tranches: [{ ...pool.tranches[0], [key]: `A ${bad}` }, pool.tranches[1]],
  });
  return [
    {
      org: "registration-office",
      path: "/assets",
      body: { ...patent, officialNumber: `ZL${bad}1` },
      field: "officialNumber",
    },
    { org: "bank-a", path: "/pledges/applications", body: { ...application, debtor: `9144${bad}` }, field: "debtor" },
    { org: "registration-office", path: "/pledges/1/refuse", body: { note: `no ${bad}` }, field: "note" },
    { org: "evaluator", path: "/valuations/typed-data", body: { ...report, uri: `https://x/${bad}` }, field: "uri" },
    { org: "evaluator", path: `/valuations/${hash("d")}/revoke/typed-data`, body: { reason: bad }, field: "reason" },
    { org: "registration-office", path: `/valuations/${hash("d")}/revoke`, body: { reason: bad }, field: "reason" },
    { org: "registration-office", path: `/investors/${holder}/remove`, body: { reason: `x${bad}` }, field: "reason" },
    { org: "originator", path: "/pools/prepare-deployment", body: senior("name"), field: "tranches.0.name" },
    { org: "originator", path: "/pools/prepare-deployment", body: senior("symbol"), field: "tranches.0.symbol" },
  ];
}

describe("gateway — free text is well-formed Unicode", () => {
  for (const [name, bad] of [
    ["a lone high surrogate", LONE_HIGH],
    ["a lone low surrogate", LONE_LOW],
    ["a pair in the wrong order", LONE_LOW + LONE_HIGH],
  ]) {
    it(`refuses ${name} in every free-text field with 400 VALIDATION_FAILED naming the field`, async () => {
      const f = await openGateway();
      for (const { org, path, body, field } of cases(f, bad)) {
        const res = await f.as(org).post(path, body);
        expect([res.status, res.body.error?.code, res.body.error?.field], `POST ${path}`).to.deep.equal([
          400,
          "VALIDATION_FAILED",
          field,
        ]);
        expect(res.body.error.message).to.include("well-formed Unicode");
      }
    });
  }

  it("accepts well-formed text in any script: a 4-byte emoji, Chinese, a right-to-left mark", async () => {
    const f = await openGateway();
    const officialNumber = "ZL2021 专利 🚀 \u200fא";
    const res = await f.as("registration-office").post("/assets", {
      kind: "InventionPatent",
      officialNumber,
      holders: [{ address: f.parties[0].address, shareBps: 10_000 }],
      grantDate: Number(f.now) - YEAR,
    });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    const read = await f.as("bank-a").get(`/assets/${res.body.assetId}`);
    expect(read.body.officialNumber).to.equal(officialNumber);
  });
});
