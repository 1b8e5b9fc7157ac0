/**
 * Pledge steps through the gateway as the parties take them: the registrar records the patent, the bank prepares the
 * application, each party signs the typed data the API hands it with its own wallet, and the bank submits. Nothing
 * here holds a party's key on the gateway's behalf: the signing is the test's wallets, as it would be the parties'.
 */
import { expect } from "chai";
import { ZeroHash, hexlify, sha256, toUtf8Bytes, type Signer } from "ethers";
import type { GatewayFixture } from "./gatewayFixture";

export const DAY = 86_400;
export const YEAR = 365 * DAY;
export const PRINCIPAL = 100_000_000n; // 1,000,000.00 CNY in fen

type Bank = "bank-a" | "bank-b";
/** Anyone with an address: a person's wallet, or a company's contract wallet (ERC-1271). */
type Account = { address: string };
type Wallet = Signer & Account;

/** The SHA-256 of a document's bytes, as the parties compute it. */
export const docHash = (label: string) => sha256(toUtf8Bytes(label));
export const iso = (seconds: bigint | number) => new Date(Number(seconds) * 1000).toISOString();

/** The body of POST /assets for a granted invention patent held in equal shares by `holders`. */
export function patentBody(f: Pick<GatewayFixture, "now">, officialNumber: string, holders: Account[]) {
  const share = Math.floor(10_000 / holders.length);
  return {
    kind: "InventionPatent",
    officialNumber,
    holders: holders.map((h, i) => ({
      address: h.address,
      shareBps: i === 0 ? 10_000 - share * (holders.length - 1) : share,
    })),
    grantDate: iso(f.now - 2n * BigInt(YEAR)),
    expiryDate: iso(f.now + 15n * BigInt(YEAR)),
    feesPaidUntil: iso(f.now + BigInt(YEAR)),
  };
}

/** The registrar records a granted invention patent held in equal shares by `holders`; returns its id. */
export async function recordPatent(f: GatewayFixture, officialNumber: string, holders: Account[], overrides = {}) {
  const res = await f
    .as("registration-office")
    .post("/assets", { ...patentBody(f, officialNumber, holders), ...overrides });
  expect(res.status, JSON.stringify(res.body)).to.equal(201);
  return res.body.assetId as string;
}

/**
 * A valuation report on `assetIds`, anchored by the evaluator. The valuation routes of the gateway are being built
 * separately; until they land, the evaluator anchors its report on chain itself, with its own wallet — the same
 * transaction the gateway will relay. Returns the report id (the SHA-256 of the report file).
 */
export async function anchorReport(f: GatewayFixture, assetIds: string[], file = `valuation of ${assetIds.join()}`) {
  const evaluator = f.signerOf.evaluator;
  const report = valuationReport(f, evaluator.address, assetIds, file);
  await (await f.contracts.valuationRegistry.connect(evaluator).anchor(report)).wait();
  return report.documentHash;
}

/** A report (contract form) valuing `assetIds` at 2,500,000.00 CNY, from yesterday for two years; method 0: Income. */
export const valuationReport = (
  f: Pick<GatewayFixture, "now">,
  evaluator: string,
  assetIds: string[],
  file: string,
  method = 0,
) => ({
  documentHash: docHash(file),
  evaluator,
  assetIds,
  value: 250_000_000n,
  currency: hexlify(toUtf8Bytes("CNY")),
  method,
  valuationDate: f.now - BigInt(DAY),
  validUntil: f.now + 2n * BigInt(YEAR),
  supersedes: ZeroHash,
  uri: "",
});

/** The body of a one-year CNY loan application secured by `assets`; override what a test needs. */
export const application = (
  f: GatewayFixture,
  parts: { assets: string[]; pledgors: Account[]; reportId: string },
  overrides: object = {},
) => ({
  assets: parts.assets,
  pledgors: parts.pledgors.map((p) => p.address),
  debtor: "91440101MA5CXYZ12K",
  principal: PRINCIPAL.toString(),
  currency: "CNY",
  startDate: iso(f.now),
  maturityDate: iso(f.now + BigInt(YEAR)),
  contractHash: docHash("pledge contract 2026-0042"),
  valuationReportId: parts.reportId,
  forfeitureClause: false,
  invalidationAcknowledged: false,
  ...overrides,
});

interface SigningRequest {
  address: string;
  role: string;
  typedData: {
    domain: object;
    types: Record<string, { name: string; type: string }[]>;
    message: Record<string, string>;
  };
}

/** The wallet signs the typed data the API gave it: with its own key, never the gateway's. */
export const signRequest = (wallet: Signer, request: SigningRequest) =>
  wallet.signTypedData(request.typedData.domain, request.typedData.types, request.typedData.message);

export const requestFor = (requests: SigningRequest[], wallet: Account) => {
  const request = requests.find((r) => r.address.toLowerCase() === wallet.address.toLowerCase());
  if (!request) throw new Error(`${wallet.address} is not asked to sign`);
  return request;
};

/** Each wallet signs its copy of the draft, and the draft's bank relays the signatures to the gateway. */
export async function signDraft(
  f: GatewayFixture,
  draft: { draftId: string; signers: SigningRequest[] },
  wallets: Wallet[],
  bank: Bank = "bank-a",
) {
  for (const wallet of wallets) {
    const signature = await signRequest(wallet, requestFor(draft.signers, wallet));
    const res = await f
      .as(bank)
      .post(`/pledges/applications/${draft.draftId}/signatures`, { signer: wallet.address, signature });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
  }
}

/** The bank prepares the application and the given wallets sign it; returns the draft as prepared. */
export async function preparedAndSigned(f: GatewayFixture, body: object, wallets: Wallet[], bank: Bank = "bank-a") {
  const prepared = await f.as(bank).post("/pledges/applications", body);
  expect(prepared.status, JSON.stringify(prepared.body)).to.equal(201);
  await signDraft(f, prepared.body, wallets, bank);
  return prepared.body as { draftId: string; signers: SigningRequest[] };
}

/** A registered pledge of `assets` held by `pledgors` to `bank`, every party having signed; returns its id. */
export async function registeredPledge(
  f: GatewayFixture,
  parts: { assets: string[]; pledgors: Wallet[]; reportId: string },
  bank: Bank = "bank-a",
  overrides: object = {},
) {
  const draft = await preparedAndSigned(
    f,
    application(f, parts, overrides),
    [...parts.pledgors, f.signerOf[bank]],
    bank,
  );
  const submitted = await f.as(bank).post(`/pledges/applications/${draft.draftId}/submit`);
  expect(submitted.status, JSON.stringify(submitted.body)).to.equal(201);
  const registered = await f.as("registration-office").post(`/pledges/${submitted.body.pledgeId}/register`);
  expect(registered.status, JSON.stringify(registered.body)).to.equal(200);
  return submitted.body.pledgeId as string;
}

/** A later step: the bank asks for the typed data, each wallet signs its copy, the bank sends the signatures. */
export async function partyStep(
  f: GatewayFixture,
  org: "bank-a" | "bank-b" | "auditor",
  pledgeId: string,
  action: string,
  fields: object,
  wallets: Wallet[],
) {
  const asked = await f.as(org).post(`/pledges/${pledgeId}/${action}/typed-data`, fields);
  expect(asked.status, JSON.stringify(asked.body)).to.equal(200);
  const signatures = await Promise.all(
    wallets.map(async (wallet) => {
      const request = requestFor(asked.body.signers, wallet);
      const { nonce, deadline } = request.typedData.message;
      return { signer: wallet.address, signature: await signRequest(wallet, request), nonce, deadline };
    }),
  );
  return f.as(org).post(`/pledges/${pledgeId}/${action}`, { ...fields, signatures });
}

export const codesOf = (failures: { reason: string }[]) => failures.map((x) => x.reason);
