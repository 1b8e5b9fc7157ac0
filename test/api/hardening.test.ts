/**
 * The gateway under pressure and abuse: concurrent writes through one relayer key, oversized bodies, floods, request
 * ids, security headers, unknown routes, error bodies that never leak internals, and a chain that does not answer.
 */
import { expect } from "chai";
import { AbiCoder, keccak256, type Provider } from "ethers";
import { ethers } from "hardhat";
import { createServer, request as httpRequest, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { gzipSync } from "node:zlib";
import request from "supertest";
import { openGateway, type GatewayFixture } from "./helpers/gatewayFixture";
import { openCustomGateway, unreachableRegistry } from "./helpers/customGateway";

const YEAR = 365 * 86_400;
const INVENTION_PATENT = 0;

/** A granted invention patent held by the first party, dated relative to the chain's clock. */
const patent = (f: Pick<GatewayFixture, "now" | "parties">, officialNumber: string) => ({
  kind: "InventionPatent",
  officialNumber,
  holders: [{ address: f.parties[0].address, shareBps: 10_000 }],
  grantDate: Number(f.now) - 2 * YEAR,
  expiryDate: Number(f.now) + 15 * YEAR,
  feesPaidUntil: Number(f.now) + YEAR,
});

/** README: asset id = keccak256(abi.encode(kind, officialNumber)), computed here without the contract. */
const expectedAssetId = (officialNumber: string) =>
  keccak256(AbiCoder.defaultAbiCoder().encode(["uint8", "string"], [INVENTION_PATENT, officialNumber]));

/** A Node or TypeScript stack frame, in any form a serialiser might produce. */
const STACK_FRAME = /\bat .+\.(ts|js):\d+|\(\/.+:\d+:\d+\)|"stack"/;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/**
 * Starts a request announcing `announced` bytes of body but sends only the first 64 KiB of it, and waits (at most
 * `patience` ms) for an answer: a gateway that reads the body before answering never answers.
 */
function announceLargeBody(
  app: GatewayFixture["app"],
  path: string,
  headers: Record<string, string>,
  announced = 20 * 1024 * 1024,
  patience = 3_000,
) {
  const server = createServer(app);
  return new Promise<{ status: number; body: any; connection?: string } | "no answer">((resolve, reject) => {
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      const sent = Buffer.alloc(64 * 1024, "a");
      const finish = (outcome: { status: number; body: any; connection?: string } | "no answer") => {
        clearTimeout(timer);
        req.destroy();
        server.close();
        server.closeAllConnections();
        resolve(outcome);
      };
      const req = httpRequest(
        { port, host: "127.0.0.1", method: "POST", path, headers: { ...headers, "content-length": announced } },
        (res: IncomingMessage) => {
          let text = "";
          res.on("data", (chunk) => (text += chunk));
          res.on("end", () =>
            finish({ status: res.statusCode!, body: JSON.parse(text), connection: res.headers.connection }),
          );
        },
      );
      req.on("error", (error) => (error.message.includes("EPIPE") ? undefined : reject(error)));
      req.write(sent);
      const timer = setTimeout(() => finish("no answer"), patience);
    });
  });
}

async function nonceOf(provider: Provider, transactionHash: string) {
  return (await provider.getTransaction(transactionHash))!.nonce;
}

describe("gateway — hardening", () => {
  describe("concurrent writes through the one relayer key", () => {
    it("records 50 assets sent at once, each in its own transaction with its own nonce", async () => {
      const f = await openGateway();
      const provider = f.registry.provider;
      const relayer = await f.registry.relayer.address();
      const firstNonce = await provider.getTransactionCount(relayer, "latest");
      const numbers = Array.from({ length: 50 }, (_, i) => `ZL2026100${String(i).padStart(5, "0")}.X`);

      const responses = await Promise.all(
        numbers.map((n) => f.as("registration-office").post("/assets", patent(f, n))),
      );

      for (const res of responses) expect(res.status, JSON.stringify(res.body)).to.equal(201);
      expect(responses.map((r) => r.body.assetId)).to.deep.equal(numbers.map(expectedAssetId));
      const hashes = responses.map((r) => r.body.proof.transactionHash as string);
      expect(new Set(hashes).size).to.equal(50);
      const nonces = await Promise.all(hashes.map((h) => nonceOf(provider, h)));
      expect([...nonces].sort((a, b) => a - b)).to.deep.equal(numbers.map((_, i) => firstNonce + i));
      expect(await provider.getTransactionCount(relayer, "latest")).to.equal(firstNonce + 50);

      const r = f.contracts.assetRegister;
      const recorded = await r.queryFilter(r.filters.AssetRecorded(), responses[0].body.proof.blockNumber);
      expect(recorded.map((e) => e.args.assetId).sort()).to.deep.equal(numbers.map(expectedAssetId).sort());
      for (const n of numbers) expect((await r.assetOf(expectedAssetId(n))).recordedAt).to.not.equal(0n);
    });

    it("recovers when another sender used the relayer's key meanwhile: one retry with the chain's nonce", async () => {
      const f = await openGateway();
      const office = f.as("registration-office");
      expect((await office.post("/assets", patent(f, "ZL202610000001.1"))).status).to.equal(201);
      // The relayer's key sends a transaction the gateway does not know about, so its local nonce is now stale.
      const sameKey = await ethers.getSigner(await f.registry.relayer.address());
      await (await sameKey.sendTransaction({ to: f.parties[1].address, value: 1n })).wait();
      const chainNonce = await f.registry.provider.getTransactionCount(sameKey.address, "latest");
      const nonceManager = f.registry.relayer.signer;
      let resets = 0;
      const reset = nonceManager.reset.bind(nonceManager);
      nonceManager.reset = () => {
        resets++;
        reset();
      };

      const res = await office.post("/assets", patent(f, "ZL202610000002.2"));

      expect(res.status, JSON.stringify(res.body)).to.equal(201);
      expect(resets, "the stale nonce was refused and sent again").to.equal(1);
      expect(await nonceOf(f.registry.provider, res.body.proof.transactionHash)).to.equal(chainNonce);
    });
  });

  describe("request limits", () => {
    it("refuses a JSON body above MAX_JSON_BYTES with 413 PAYLOAD_TOO_LARGE, and accepts one below it", async () => {
      const f = await openCustomGateway({ config: { MAX_JSON_BYTES: 1024 } });
      const body = patent(f, "ZL202610000003.3");
      expect(JSON.stringify(body).length).to.be.below(1024);
      const small = await f.as("registration-office").post("/assets", body);
      expect(small.status, JSON.stringify(small.body)).to.equal(201);

      const big = await f
        .as("registration-office")
        .post("/assets", { ...patent(f, "ZL202610000004.4"), note: "x".repeat(1024) });
      expect([big.status, big.body.error?.code]).to.deep.equal([413, "PAYLOAD_TOO_LARGE"]);
      // Refused before the handler: nothing was recorded.
      expect((await f.contracts.assetRegister.assetOf(expectedAssetId("ZL202610000004.4"))).recordedAt).to.equal(0n);
    });

    it("answers 429 RATE_LIMITED with Retry-After once a client exceeds RATE_LIMIT_PER_MINUTE", async () => {
      const f = await openCustomGateway({ config: { RATE_LIMIT_PER_MINUTE: 3 } });
      for (let i = 0; i < 3; i++) expect((await request(f.app).get("/v1/health")).status).to.equal(200);

      const limited = await request(f.app).get("/v1/health");
      expect([limited.status, limited.body.error?.code]).to.deep.equal([429, "RATE_LIMITED"]);
      expect(Number(limited.headers["retry-after"])).to.be.within(1, 60);
      const authenticated = await f.as("bank-a").get(`/assets/0x${"ab".repeat(32)}`);
      expect([authenticated.status, authenticated.body.error?.code]).to.deep.equal([429, "RATE_LIMITED"]);
    });
  });

  describe("authentication comes before the body", () => {
    for (const [path, type] of [
      ["/v1/documents", "application/pdf"],
      ["/v1/valuations/verify", "application/octet-stream"],
      ["/v1/assets", "application/json"],
      ["/v1/nowhere", "application/json"],
    ]) {
      it(`answers 401 to a 20 MB ${type} POST ${path} without a key before its body is sent`, async () => {
        const f = await openGateway();
        for (const credentials of [{}, { authorization: "Bearer ipr_unknown" }] as Record<string, string>[]) {
          const answer = await announceLargeBody(f.app, path, { "content-type": type, ...credentials });
          expect(answer, "the gateway waited for the body").to.not.equal("no answer");
          const { status, body, connection } = answer as Exclude<typeof answer, string>;
          expect([status, body.error?.code]).to.deep.equal([401, "UNAUTHENTICATED"]);
          expect(connection, "the rest of the body is not received").to.equal("close");
        }
      });
    }

    it("lets a keyless route refuse a large body itself, before reading it, and documents it without security", async () => {
      const f = await openGateway();
      const answer = await announceLargeBody(f.app, "/v1/transactions/prepared", {
        "content-type": "application/json",
      });
      expect(answer, "the keyless route waited for the body").to.not.equal("no answer");
      const { status, body } = answer as Exclude<typeof answer, string>;
      expect([status, body.error?.code]).to.deep.equal([413, "PAYLOAD_TOO_LARGE"]);
      const doc = (await request(f.app).get("/v1/openapi.json")).body;
      expect(doc.paths["/v1/transactions/prepared"].post.security).to.deep.equal([]);
    });

    it("still reads the body of an organisation that shows its key", async () => {
      const f = await openGateway();
      const upload = await request(f.app)
        .post("/v1/documents")
        .set("Authorization", `Bearer ${f.keyOf.evaluator}`)
        .set("content-type", "application/pdf")
        .send(Buffer.from("%PDF-1.7 report"));
      expect([upload.status, upload.body.bytes]).to.deep.equal([201, 15]);
      // The same announcement with a key: the body is read (here, to drain what exceeds MAX_JSON_BYTES before
      // answering 413), so no answer comes while it is not sent.
      const withKey = await announceLargeBody(
        f.app,
        "/v1/assets",
        { "content-type": "application/json", authorization: `Bearer ${f.keyOf["registration-office"]}` },
        20 * 1024 * 1024,
        1_000,
      );
      expect(withKey).to.equal("no answer");
    });
  });

  describe("request ids", () => {
    it("gives every response an X-Request-Id, a fresh one per request", async () => {
      const f = await openCustomGateway({ config: { RATE_LIMIT_PER_MINUTE: 5 } });
      const responses = [
        await request(f.app).get("/v1/health"), // 200
        await request(f.app).get("/v1/assets"), // 401
        await f.as("bank-a").get("/nowhere"), // 404
        await f.as("bank-a").get("/assets?kind=Nonsense&officialNumber=1"), // 400
        await request(f.app).get("/v1/docs"), // 200
        await request(f.app).get("/v1/health"), // 429
      ];
      expect(responses.map((r) => r.status)).to.deep.equal([200, 401, 404, 400, 200, 429]);
      const ids = responses.map((r) => r.headers["x-request-id"]);
      for (const id of ids) expect(id).to.match(UUID);
      expect(new Set(ids).size).to.equal(ids.length);
    });

    it("echoes the caller's X-Request-Id, on success and on error alike, cut to 64 characters", async () => {
      const f = await openGateway();
      const ok = await request(f.app).get("/v1/health").set("X-Request-Id", "bank-a-trace-0001");
      expect([ok.status, ok.headers["x-request-id"]]).to.deep.equal([200, "bank-a-trace-0001"]);
      const refused = await request(f.app).post("/v1/assets").set("X-Request-Id", "bank-a-trace-0002").send({});
      expect([refused.status, refused.headers["x-request-id"]]).to.deep.equal([401, "bank-a-trace-0002"]);
      const long = await request(f.app).get("/v1/health").set("X-Request-Id", "r".repeat(200));
      expect(long.headers["x-request-id"]).to.equal("r".repeat(64));
    });
  });

  describe("security headers", () => {
    for (const path of ["/v1/health", "/v1/docs", "/v1/nowhere"]) {
      it(`sends helmet's security headers and no X-Powered-By on ${path}`, async () => {
        const f = await openGateway();
        const res = await request(f.app).get(path);
        expect(res.headers).to.include({
          "x-content-type-options": "nosniff",
          "x-frame-options": "SAMEORIGIN",
          "referrer-policy": "no-referrer",
          "cross-origin-opener-policy": "same-origin",
          "cross-origin-resource-policy": "same-origin",
          "x-dns-prefetch-control": "off",
          "x-permitted-cross-domain-policies": "none",
        });
        expect(res.headers["strict-transport-security"]).to.match(/max-age=\d+/);
        expect(res.headers["content-security-policy"]).to.include("default-src 'self'");
        expect(res.headers["content-security-policy"]).to.include("object-src 'none'");
        expect(res.headers).to.not.have.property("x-powered-by");
      });
    }
  });

  describe("unknown routes and error bodies", () => {
    it("answers an unknown route with 404 NOT_FOUND in the error shape, inside and outside /v1", async () => {
      const f = await openGateway();
      const outside = await request(f.app).get("/nowhere");
      expect(outside.status).to.equal(404);
      expect(outside.type).to.equal("application/json");
      expect(outside.body).to.deep.equal({ error: { code: "NOT_FOUND", message: "no route GET /nowhere" } });
      const inside = await f.as("bank-a").post("/nowhere", {});
      expect([inside.status, inside.body.error?.code]).to.deep.equal([404, "NOT_FOUND"]);
      const wrongMethod = await request(f.app).delete("/v1/health").set("Authorization", `Bearer ${f.keyOf["bank-a"]}`);
      expect([wrongMethod.status, wrongMethod.body.error?.code]).to.deep.equal([404, "NOT_FOUND"]);
    });

    it("never puts a stack trace in a response body, whatever went wrong", async () => {
      const f = await openCustomGateway({ config: { MAX_JSON_BYTES: 1024 } });
      const office = () =>
        request(f.app).post("/v1/assets").set("Authorization", `Bearer ${f.keyOf["registration-office"]}`);
      await f.as("registration-office").post("/assets", patent(f, "ZL202610000005.5"));
      const responses = [
        await office().set("content-type", "application/json").send("{not json"),
        await office().set("content-type", "application/json").send('{"kind": "InventionPatent", "holders": 1}'),
        await office().send({ kind: "InventionPatent", officialNumber: "x".repeat(2000) }),
        await office().set("content-type", "application/json").set("content-encoding", "gzip").send("not gzip"),
        await office().set("content-type", "application/json; charset=latin1").send("{}"),
        await office().send(patent(f, "ZL202610000005.5")), // 422: already recorded
        await office().send({ ...patent(f, "ZL202610000006.6"), grantDate: 2 ** 50 }),
        await f.as("bank-a").get("/assets/%E0%A4%A"),
        await f.as("bank-a").get("/assets/0x1234"),
        await f.as("bank-a").get(`/collateral/0x${"cd".repeat(32)}`),
        await request(f.app).get("/v1/assets").set("Authorization", "Bearer ipr_nope"),
        await request(f.app).get("/nowhere/%zz"),
      ];
      expect(responses.filter((r) => r.status < 400).map((r) => r.status)).to.deep.equal([]);
      for (const res of responses) {
        expect(res.text, `${res.status} ${res.text}`).to.not.match(STACK_FRAME);
        expect(Object.keys(res.body), res.text).to.deep.equal(["error"]);
        expect(res.body.error.code).to.be.a("string");
      }
    });

    it("answers 400, not 500 INTERNAL, to a malformed request: undecodable path, corrupt gzip body", async () => {
      const f = await openGateway();
      const badPath = await f.as("bank-a").get("/assets/%E0%A4%A");
      const corrupt = await request(f.app)
        .post("/v1/assets")
        .set("Authorization", `Bearer ${f.keyOf["registration-office"]}`)
        .set("content-type", "application/json")
        .set("content-encoding", "gzip")
        .send(gzipSync(Buffer.from("{}")).subarray(0, 8));
      expect([
        [badPath.status, badPath.body.error?.code],
        [corrupt.status, corrupt.body.error?.code],
      ]).to.deep.equal([
        [400, "VALIDATION_FAILED"],
        [400, "VALIDATION_FAILED"],
      ]);
    });
  });

  describe("the chain does not answer", () => {
    const destroyers: (() => void)[] = [];
    const openUnreachable = () =>
      openCustomGateway({
        registry: (deployment) => {
          const unreachable = unreachableRegistry(deployment);
          destroyers.push(unreachable.destroy);
          return unreachable.registry;
        },
      });
    afterEach(() => destroyers.splice(0).forEach((destroy) => destroy()));

    it("answers a read with 503 CHAIN_UNAVAILABLE", async () => {
      const f = await openUnreachable();
      const byId = await f.as("bank-a").get(`/assets/0x${"ab".repeat(32)}`);
      expect([byId.status, byId.body.error?.code]).to.deep.equal([503, "CHAIN_UNAVAILABLE"]);
      const byNumber = await f.as("bank-a").get("/assets?kind=InventionPatent&officialNumber=ZL202110012345.6");
      expect([byNumber.status, byNumber.body.error?.code]).to.deep.equal([503, "CHAIN_UNAVAILABLE"]);
      expect(byId.text + byNumber.text).to.not.match(/127\.0\.0\.1|ECONNREFUSED/);
    });

    it("answers a write with 503 CHAIN_UNAVAILABLE", async () => {
      const f = await openUnreachable();
      const res = await f.as("registration-office").post("/assets", patent(f, "ZL1.1"));
      expect([res.status, res.body.error?.code]).to.deep.equal([503, "CHAIN_UNAVAILABLE"]);
    });

    it("reports 503 CHAIN_UNAVAILABLE on /v1/health", async () => {
      const f = await openUnreachable();
      const res = await request(f.app).get("/v1/health");
      expect([res.status, res.body.error?.code]).to.deep.equal([503, "CHAIN_UNAVAILABLE"]);
      expect(res.headers["x-request-id"]).to.match(UUID);
    });
  });
});
