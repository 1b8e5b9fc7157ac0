/**
 * Rate limits by organisation (middleware/rateLimit.ts): a request with a known API key counts against its
 * organisation, not its address, so two banks behind one address do not share a budget and one bank's lookups are
 * not refused at the per-address limit; requests without a key count per address.
 */
import { expect } from "chai";
import request from "supertest";
import { openCustomGateway } from "./helpers/customGateway";
import { DEFAULT_ORG_RATE_LIMIT_PER_MINUTE } from "../../api/src/middleware/rateLimit";

describe("gateway — rate limits by organisation", () => {
  it("counts keyed requests per organisation and unkeyed ones per address", async () => {
    const f = await openCustomGateway({ config: { RATE_LIMIT_PER_MINUTE: 5, ORG_RATE_LIMIT_PER_MINUTE: 8 } });
    const lookup = (org: "bank-a" | "bank-b") => f.as(org).get("/health");
    // One bank, all from this one address: more than the per-address limit, up to its organisation's.
    for (let i = 0; i < 8; i++) expect((await lookup("bank-a")).status, `bank-a #${i + 1}`).to.equal(200);
    const limited = await lookup("bank-a");
    expect([limited.status, limited.body.error?.code]).to.deep.equal([429, "RATE_LIMITED"]);
    expect(Number(limited.headers["retry-after"])).to.be.within(1, 60);
    // Another bank from the same address has its own budget.
    for (let i = 0; i < 5; i++) expect((await lookup("bank-b")).status, `bank-b #${i + 1}`).to.equal(200);
    // A caller without a key (or with an unknown one) is limited by its address, counting all the address sent.
    const anonymous = await request(f.app).get("/v1/health");
    expect([anonymous.status, anonymous.body.error?.code]).to.deep.equal([429, "RATE_LIMITED"]);
    const unknown = await request(f.app).get("/v1/health").set("Authorization", "Bearer ipr_unknown");
    expect(unknown.status).to.equal(429);
    // …which does not stop the banks: their own requests are not over any limit of theirs.
    expect((await lookup("bank-b")).status).to.equal(200);
  });

  it("refuses an address's keyed requests too once its requests without a key are over the limit", async () => {
    const f = await openCustomGateway({ config: { RATE_LIMIT_PER_MINUTE: 3, ORG_RATE_LIMIT_PER_MINUTE: 100 } });
    for (let i = 0; i < 3; i++) expect((await request(f.app).get("/v1/health")).status).to.equal(200);
    expect((await f.as("bank-a").get("/health")).status, "at the limit, not over it").to.equal(200);
    expect((await request(f.app).get("/v1/health")).status).to.equal(429);
    expect((await f.as("bank-a").get("/health")).status).to.equal(429);
  });

  it("lets one bank make 1,200 lookups in a minute by default (the per-address limit of before)", async () => {
    expect(DEFAULT_ORG_RATE_LIMIT_PER_MINUTE).to.be.at.least(12_000);
    const f = await openCustomGateway({ config: { RATE_LIMIT_PER_MINUTE: 1200 } });
    const answers = await Promise.all(
      Array.from({ length: 1300 }, () =>
        f
          .as("bank-a")
          .get("/health")
          .then((r) => r.status),
      ),
    );
    expect(answers.filter((s) => s === 429)).to.have.length(0);
  });
});
