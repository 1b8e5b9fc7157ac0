/**
 * No credential in any log line: a whole pledge story runs through the gateway with its request logs captured, and
 * the captured text is searched for every API key the demo issued and for the word "Bearer ".
 */
import { expect } from "chai";
import request from "supertest";
import { createLogger } from "../../api/src/logger";
import { openGateway } from "./helpers/gatewayFixture";
import { anchorReport, partyStep, recordPatent, registeredPledge } from "./helpers/pledgeParties";

/** Everything pino writes, line by line, as the gateway's stdout would receive it. */
function capturedLog() {
  const lines: string[] = [];
  return { lines, stream: { write: (chunk: string) => void lines.push(chunk) } };
}

describe("gateway — logs hold no credentials", () => {
  it("logs a whole pledge story without any API key, Bearer header, x-api-key or cookie", async () => {
    const log = capturedLog();
    const f = await openGateway({ logger: createLogger("info", log.stream) });
    const [holder] = f.parties;

    // The story: the office records the patent, the evaluator's report is anchored, the bank prepares the
    // application, the parties sign, the bank submits, the office registers, the bank releases it later.
    const assetId = await recordPatent(f, "ZL202110099999.1", [holder]);
    const reportId = await anchorReport(f, [assetId]);
    const pledgeId = await registeredPledge(f, { assets: [assetId], pledgors: [holder], reportId });
    const released = await partyStep(f, "bank-a", pledgeId, "release", {}, [f.signerOf["bank-a"]]);
    expect(released.status, JSON.stringify(released.body)).to.equal(200);
    // Every other organisation reads, each key in the form a client might send it.
    const reads = [
      await request(f.app).get(`/v1/pledges/${pledgeId}`).set("x-api-key", f.keyOf.auditor),
      await request(f.app)
        .get(`/v1/collateral/${assetId}`)
        .set("Authorization", `Bearer ${f.keyOf["bank-b"]}`)
        .set("Cookie", `session=${f.keyOf["bank-b"]}`),
      await f.as("originator").get(`/assets/${assetId}`),
      await f.as("evaluator").get(`/valuations/${reportId}`),
      // Refusals are logged too (warn): an unknown key, a wrong role, a missing route.
      await request(f.app).get("/v1/assets").set("Authorization", "Bearer ipr_not-a-key-0123456789"),
      await f.as("auditor").post("/assets", {}),
      await f.as("bank-b").get("/nowhere"),
    ];
    expect(reads.map((r) => r.status)).to.deep.equal([200, 200, 200, 200, 401, 403, 404]);

    const text = log.lines.join("");
    // The log did record the story: one line per request at least, with the request's method and url.
    const requestLines = log.lines.map((line) => JSON.parse(line)).filter((entry) => entry.req?.url);
    expect(requestLines.length).to.be.at.least(reads.length + 6);

    for (const [org, key] of Object.entries(f.keyOf)) {
      expect(text.includes(key), `${org}'s API key is in the log`).to.equal(false);
      expect(text.includes(key.slice(4, 20)), `part of ${org}'s API key is in the log`).to.equal(false);
    }
    expect(text).to.not.include("Bearer ");
    expect(text).to.not.include("ipr_not-a-key");
    expect(text).to.not.include("session=");
    expect(requestLines.some((entry) => entry.req.headers?.authorization === "[redacted]")).to.equal(true);
  });
});
