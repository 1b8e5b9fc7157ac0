/**
 * The error codes form a closed catalogue (README "Conventions"): AppError takes no other code, every custom error
 * of every compiled registry contract maps through the explicit table to a code and a clerk's message, and no
 * pinned code ever disappears or changes its status — so renaming a Solidity error cannot silently rename a code.
 */
import { expect } from "chai";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { AppError, errorCatalogue } from "../../api/src/errors/AppError";
import { CONTRACT_ERRORS } from "../../api/src/errors/contractErrorTable";
import { contractErrorToAppError, decodeContractError, ruleFailureWords } from "../../api/src/errors/contractErrors";
import { ReceivablePool__factory } from "../../typechain-types";
import { ZeroAddress, ZeroHash } from "ethers";
import { config } from "hardhat";
import { openGateway, type GatewayFixture } from "./helpers/gatewayFixture";

/**
 * Every code clients have seen, with its status. Add a line when a code is added; never remove or change one.
 */
const PINNED = [
  "ACCESS_MANAGED_INVALID_AUTHORITY 422",
  "ACCESS_MANAGED_REQUIRED_DELAY 422",
  "ACCESS_MANAGED_UNAUTHORIZED 422",
  "ACCESS_MANAGER_ALREADY_SCHEDULED 422",
  "ACCESS_MANAGER_BAD_CONFIRMATION 422",
  "ACCESS_MANAGER_EXPIRED 422",
  "ACCESS_MANAGER_INVALID_INITIAL_ADMIN 422",
  "ACCESS_MANAGER_LOCKED_FUNCTION 422",
  "ACCESS_MANAGER_LOCKED_ROLE 422",
  "ACCESS_MANAGER_NOT_READY 422",
  "ACCESS_MANAGER_NOT_SCHEDULED 422",
  "ACCESS_MANAGER_UNAUTHORIZED_ACCOUNT 422",
  "ACCESS_MANAGER_UNAUTHORIZED_CALL 422",
  "ACCESS_MANAGER_UNAUTHORIZED_CANCEL 422",
  "ACCESS_MANAGER_UNAUTHORIZED_CONSUME 422",
  "ADDRESS_EMPTY_CODE 422",
  "ALREADY_PLEDGED 422",
  "ANNUAL_FEE_UNPAID 422",
  "ASSET_ALREADY_RECORDED 422",
  "ASSET_FROZEN 422",
  "ASSET_LISTED_TWICE 422",
  "ASSET_NOT_GRANTED 422",
  "ASSET_NOT_IN_FORCE 422",
  "ASSET_NOT_LICENSABLE 422",
  "ASSET_NOT_RECORDED 422",
  "ASSET_STATUS_CHANGE_INVALID 422",
  "ASSET_TERM_INVALID 422",
  "ASSET_UNKNOWN 422",
  "BATCH_ALREADY_ANCHORED 422",
  "BATCH_INVALID 422",
  "BATCH_NOT_FOUND 422",
  "BATCH_REVOKED_ALREADY 422",
  "CHAIN_ID_MISMATCH 400",
  "CHAIN_UNAVAILABLE 503",
  "CONSENT_COUNT_MISMATCH 422",
  "CONSENT_MISSING 422",
  "CO_OWNER_CONSENT_MISSING 422",
  "DEADLINE_PASSED 422",
  "DEBT_BEYOND_EXPIRY 422",
  "DEFAULT_BEFORE_MATURITY 422",
  "DRAFT_ALREADY_SUBMITTED 409",
  "ENFORCED_PAUSE 422",
  "ERC20_INSUFFICIENT_ALLOWANCE 422",
  "ERC20_INSUFFICIENT_BALANCE 422",
  "ERC20_INVALID_APPROVER 422",
  "ERC20_INVALID_RECEIVER 422",
  "ERC20_INVALID_SENDER 422",
  "ERC20_INVALID_SPENDER 422",
  "EVALUATOR_NOT_LICENSED 422",
  "EXPECTED_PAUSE 422",
  "FAILED_CALL 422",
  "FORBIDDEN 403",
  "FORFEITURE_CLAUSE 422",
  "GUARANTOR_CALL_OVERPAID 422",
  "GUARANTOR_CALL_UNKNOWN 422",
  "HOLDER_COUNT_INVALID 422",
  "HOLDER_DUPLICATED 422",
  "HOLDER_INVALID 422",
  "HOLDER_NOT_IDENTIFIED 422",
  "HOLDER_NOT_LICENSOR 422",
  "HOLDER_SHARES_NOT_WHOLE 422",
  "IDEMPOTENCY_IN_PROGRESS 409",
  "IDEMPOTENCY_KEY_REUSED 409",
  "INSTALMENT_NOT_DEFAULTABLE 422",
  "INSTALMENT_OVERPAID 422",
  "INSUFFICIENT_BALANCE 422",
  "INTERNAL 500",
  "INVALIDATION_PENDING 422",
  "INVALID_SHORT_STRING 422",
  "INVESTOR_STATUS_UNCHANGED 422",
  "INVESTOR_VETTING_NOT_ALLOWED 422",
  "LICENCE_BEYOND_EXPIRY 422",
  "LICENCE_CONFLICT 422",
  "LICENCE_NOT_FOUND 422",
  "LICENCE_TERMS_INVALID 422",
  "LICENSEE_INVALID 422",
  "LICENSOR_NOT_HOLDER 422",
  "LOSS_ALREADY_ALLOCATED 422",
  "NONCE_USED 422",
  "NOTHING_TO_CLAIM 422",
  "NOTHING_TO_REFUND 422",
  "NOT_FOUND 404",
  "NOT_FULLY_SUBSCRIBED 422",
  "NOT_LICENSOR 422",
  "OFFICIAL_NUMBER_EMPTY 422",
  "ONLY_ORIGINATOR 422",
  "OVERSUBSCRIBED 422",
  "PARTY_LISTED_TWICE 422",
  "PAYLOAD_TOO_LARGE 413",
  "PAYMENT_NOT_EXACT 422",
  "PERIOD_NOT_ENDED 422",
  "PLEDGEE_NOT_LICENSED 422",
  "PLEDGE_NOT_FOUND 422",
  "PLEDGE_PARTY_INVALID 422",
  "PLEDGE_SHAPE_INVALID 422",
  "PLEDGE_STATUS_INVALID 422",
  "PLEDGOR_NOT_HOLDER 422",
  "POOL_CONFIG_INVALID 422",
  "POOL_STATUS_INVALID 422",
  "RATE_LIMITED 429",
  "RECEIVABLE_ALREADY_ASSIGNED 422",
  "RECEIVABLE_NOT_ASSIGNED 422",
  "RECEIVABLE_UNKNOWN 422",
  "REENTRANCY_GUARD_REENTRANT_CALL 422",
  "REPORT_ALREADY_ANCHORED 422",
  "REPORT_ALREADY_BATCHED 422",
  "REPORT_INVALID 422",
  "REPORT_NOT_ANCHORED 422",
  "REPORT_NOT_CURRENT 422",
  "REPORT_NOT_IN_BATCH 422",
  "RISK_SCHEME_UNKNOWN 422",
  "SAFE_CAST_OVERFLOWED_UINT_DOWNCAST 422",
  "SAFE_CAST_OVERFLOWED_UINT_TO_INT 422",
  "SAFE_ERC20_FAILED_OPERATION 422",
  "SCHEME_PARTIES_INVALID 422",
  "SCHEME_UNKNOWN 422",
  "SECURED_DEBT_INVALID 422",
  "SIGNATURE_INVALID 422",
  "STRING_TOO_LONG 422",
  "SUBSCRIPTION_CLOSED 422",
  "SUB_LICENCE_NOT_ALLOWED 422",
  "SUPERSESSION_INVALID 422",
  "TRANCHE_TOKEN_ONLY_POOL 422",
  "TRANCHE_UNKNOWN 422",
  "TRANSACTION_NONCE_INVALID 409",
  "TRANSACTION_NOT_SIGNED 400",
  "TRANSACTION_REVERTED 422",
  "TRANSACTION_TARGET_NOT_ALLOWED 400",
  "TRANSFEREE_REQUIRED 422",
  "UNAUTHENTICATED 401",
  "UNSUPPORTED_MEDIA_TYPE 415",
  "VALIDATION_FAILED 400",
  "VALUATION_INVALID 422",
  "ZERO_AMOUNT 422",
  // added since the catalogue was closed
  "CLOSING_TOO_LATE 422",
  "INSTALMENT_OPEN 422",
  "NOTHING_TO_BOOK 422",
  "SIGNATURE_ALREADY_GIVEN 409",
  "TRANCHE_OUTSTANDING 422",
  "TRANSACTION_NOT_PREPARED 403",
  "STORAGE_UNAVAILABLE 503",
];

interface AbiError {
  type: string;
  name: string;
  inputs: { name: string }[];
}

/**
 * Every compiled contract of contracts/ with its custom errors, read from the artifacts — not the test-only ones
 * (contracts/test/) nor the benchmark's reference contracts (contracts/bench/), which the gateway never talks to.
 */
function compiledErrors(): { contract: string; error: AbiError }[] {
  const found: { contract: string; error: AbiError }[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) {
        if (entry !== "test" && entry !== "bench") walk(path);
      } else if (entry.endsWith(".json") && !entry.endsWith(".dbg.json")) {
        const artifact = JSON.parse(readFileSync(path, "utf8")) as { contractName: string; abi: AbiError[] };
        for (const error of artifact.abi.filter((f) => f.type === "error")) {
          found.push({ contract: artifact.contractName, error });
        }
      }
    }
  };
  // Hardhat's artifacts folder (under `npm run coverage`, the instrumented build's: same ABIs).
  walk(join(config.paths.artifacts, "contracts"));
  return found;
}

describe("gateway — the error catalogue", () => {
  it("has a code and a message for every custom error of every compiled registry contract", () => {
    const errors = compiledErrors();
    expect(errors.length).to.be.greaterThan(50);
    const missing = errors
      .filter(({ error }) => !Object.hasOwn(CONTRACT_ERRORS, error.name))
      .map(({ contract, error }) => `${contract}.${error.name}`);
    expect(missing, "add a line to api/src/errors/contractErrorTable.ts for each").to.deep.equal([]);
  });

  it("words each message only with arguments the error carries (or a fallback)", () => {
    const problems: string[] = [];
    for (const { contract, error } of compiledErrors()) {
      const template = (CONTRACT_ERRORS as Record<string, readonly [string, string]>)[error.name]?.[1] ?? "";
      for (const [, name, fallback] of template.matchAll(/\{(\w+)(?:\|([^}]*))?\}/g)) {
        if (fallback === undefined && !error.inputs.some((i) => i.name === name)) {
          problems.push(`${contract}.${error.name} has no argument {${name}}`);
        }
      }
    }
    expect(problems).to.deep.equal([]);
  });

  it("keeps no line for an error no contract has any more (a rename shows up here)", () => {
    const compiled = new Set(compiledErrors().map(({ error }) => error.name));
    expect(Object.keys(CONTRACT_ERRORS).filter((name) => !compiled.has(name))).to.deep.equal([]);
  });

  it("never loses or re-statuses a pinned code", () => {
    const catalogue = errorCatalogue() as Record<string, number>;
    const lost = PINNED.filter((line) => {
      const [code, status] = line.split(" ");
      return catalogue[code] !== Number(status);
    });
    expect(lost).to.deep.equal([]);
  });

  it("refuses a code that is not in the catalogue, or the wrong status for one", () => {
    expect(() => new AppError("NO_SUCH_CODE" as never, 400, "x")).to.throw(/not in the catalogue/);
    expect(() => new AppError("NOT_FOUND", 400, "x")).to.throw(/answered 404/);
    expect(AppError.of("PLEDGOR_NOT_HOLDER", "x").status).to.equal(422);
    // A code outside the catalogue does not even compile:
    // @ts-expect-error NO_SUCH_CODE is not an ErrorCode
    expect(() => AppError.of("NO_SUCH_CODE", "x")).to.throw();
  });

  it("words each failing rule of the preflight view and the office's queue as its refusal would", () => {
    const assetId = `0x${"ab".repeat(32)}`;
    const party = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
    const paidUntil = BigInt(Date.UTC(2026, 10, 27) / 1000);
    expect(ruleFailureWords("ANNUAL_FEE_UNPAID", { assetId, party: ZeroAddress, detail: paidUntil })).to.equal(
      `the annual fees of ${assetId} are paid only until 2026-11-27`,
    );
    expect(ruleFailureWords("PLEDGOR_NOT_HOLDER", { assetId, party, detail: 0n })).to.equal(
      `the pledgor ${party} is not a recorded holder of ${assetId}`,
    );
    expect(ruleFailureWords("VALUATION_INVALID", { assetId: ZeroHash, party: ZeroAddress, detail: 2n })).to.equal(
      "the valuation report relied on cannot be relied on: REVOKED",
    );
    expect(ruleFailureWords("ASSET_FROZEN", { assetId, party: ZeroAddress, detail: 2n })).to.equal(
      `${assetId} is frozen (PreservationOrder)`,
    );
  });

  describe("messages a clerk understands", () => {
    const YEAR = 365 * 86_400;
    const patent = (f: GatewayFixture) => ({
      kind: "UtilityModel",
      officialNumber: "ZL202120456789.1",
      holders: [{ address: f.parties[0].address, shareBps: 10_000 }],
      grantDate: "2024-03-01",
      expiryDate: "2034-03-01",
      feesPaidUntil: Number(f.now) + YEAR,
    });

    it("names the asset by its kind and official number, with the code unchanged", async () => {
      const f = await openGateway();
      const office = f.as("registration-office");
      const first = await office.post("/assets", patent(f));
      expect(first.status).to.equal(201);
      const again = await office.post("/assets", patent(f));
      expect(again.status).to.equal(422);
      expect(again.body.error.code).to.equal("ASSET_ALREADY_RECORDED");
      expect(again.body.error.message).to.equal("utility model ZL202120456789.1 is already in the register");
      expect(again.body.error.details).to.deep.equal({
        error: "AssetAlreadyRecorded",
        args: { assetId: first.body.assetId },
      });
    });

    it("gives dates in error details as YYYY-MM-DD and enum values by name", async () => {
      const f = await openGateway();
      const office = f.as("registration-office");
      const { body } = await office.post("/assets", patent(f));
      const res = await office.post(`/assets/${body.assetId}/term`, {
        grantDate: "2030-01-01",
        expiryDate: "2029-01-01",
      });
      expect(res.status).to.equal(422);
      expect(res.body.error.code).to.equal("ASSET_TERM_INVALID");
      expect(res.body.error.details.args).to.deep.equal({ grantDate: "2030-01-01", expiryDate: "2029-01-01" });
      expect(res.body.error.message).to.equal("the term is not valid: granted 2030-01-01, expiring 2029-01-01");
      const lapse = await office.post(`/assets/${body.assetId}/status`, { status: "Applied" });
      expect(lapse.status).to.equal(422);
      expect(lapse.body.error.details.args).to.deep.equal({ from: "Granted", to: "Applied" });
      expect(lapse.body.error.message).to.equal("an asset cannot go from Granted to Applied");
    });

    it("names the amount that was zero, as the field and in the details", () => {
      const data = ReceivablePool__factory.createInterface().encodeErrorResult("ZeroAmount", [1]);
      const error = contractErrorToAppError(decodeContractError({ data })!);
      expect([error.code, error.field, error.message]).to.deep.equal([
        "ZERO_AMOUNT",
        "amount",
        "the amount (InstalmentPayment) must be more than zero",
      ]);
      expect(error.details).to.deep.equal({ error: "ZeroAmount", args: { field: "InstalmentPayment" } });
    });
  });
});
