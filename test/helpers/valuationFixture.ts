/**
 * The fixture of the valuation tests: the production wiring with the real ValuationRegistry behind the pledge
 * registry, one licensed evaluator (and one unlicensed), and report builders.
 */
import { ethers } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { sha256, toUtf8Bytes, ZeroHash, type Signer } from "ethers";
import { deployRegistry } from "../../scripts/lib/deployRegistry";
import { Roles } from "../../definitions/roles";
import { cny } from "../../definitions/riskSchemes";
import {
  ValuationMethod,
  batchAnchoringTypes,
  batchRevocationTypes,
  reportAnchoringTypes,
  reportRevocationTypes,
  type ValuationReport,
} from "../../definitions/valuationTypedData";
import type { Consent } from "../../definitions/typedData";
import type { ValuationRegistry } from "../../typechain-types";
import { AssetKind, CNY, YEAR, docHash } from "./registryFixture";
import { FAR_DEADLINE, deployedDomain, signConsent } from "./consent";

/** The SHA-256 of a report file's bytes, as the evaluator and the bank compute it. */
export const fileHash = (contents: string) => sha256(toUtf8Bytes(contents));

export async function deployValuationFixture() {
  const [admin, registrar, bank, secondBank, evaluator, otherEvaluator, unlicensedEvaluator, alice, bob, relayer] =
    await ethers.getSigners();
  const contracts = await deployRegistry({ admin, registrar: registrar.address });
  const { accessManager, assetRegister } = contracts;
  for (const lender of [bank, secondBank]) await accessManager.connect(registrar).grantRole(Roles.PLEDGEE, lender, 0);
  for (const firm of [evaluator, otherEvaluator])
    await accessManager.connect(registrar).grantRole(Roles.EVALUATOR, firm, 0);

  const now = BigInt(await time.latest());
  const recordPatent = async (number: string, holder: string) => {
    await assetRegister
      .connect(registrar)
      .recordAsset(
        AssetKind.InventionPatent,
        number,
        [{ holder, shareBps: 10_000 }],
        now - YEAR,
        now + 15n * YEAR,
        now + YEAR,
        docHash(number),
      );
    return assetRegister.assetIdOf(AssetKind.InventionPatent, number);
  };
  const patentA = await recordPatent("ZL202110000001.1", alice.address);
  const patentB = await recordPatent("ZL202110000002.2", alice.address);

  /** A report by `evaluator` on patent A (override what a test needs), valid for a year from now. */
  const reportFor = (overrides: Partial<ValuationReport> = {}): ValuationReport => ({
    documentHash: fileHash(overrides.uri ?? "valuation report of ZL202110000001.1"),
    evaluator: evaluator.address,
    assetIds: [patentA],
    value: cny(25_000_000),
    currency: CNY,
    method: ValuationMethod.Income,
    valuationDate: now - 86_400n,
    validUntil: now + YEAR,
    supersedes: ZeroHash,
    uri: "",
    ...overrides,
  });

  return {
    ...contracts,
    signers: {
      admin,
      registrar,
      bank,
      secondBank,
      evaluator,
      otherEvaluator,
      unlicensedEvaluator,
      alice,
      bob,
      relayer,
    },
    assets: { patentA, patentB },
    now,
    reportFor,
  };
}

export type ValuationFixture = Awaited<ReturnType<typeof deployValuationFixture>>;

let nextNonce = 1_000_000n;

async function sign(
  registry: ValuationRegistry,
  signer: Signer,
  types: typeof reportAnchoringTypes,
  message: Record<string, unknown>,
  deadline = FAR_DEADLINE,
  nonce = nextNonce++,
): Promise<Consent> {
  return signConsent(signer, await deployedDomain("valuationRegistry", registry), types, message, nonce, deadline);
}

/** The evaluator's consent to anchoring `report`; a fixed `nonce` keeps calldata (and gas) the same every run. */
export const signReportAnchoring = (
  registry: ValuationRegistry,
  signer: Signer,
  report: ValuationReport,
  deadline?: bigint,
  nonce?: bigint,
) => sign(registry, signer, reportAnchoringTypes, { report }, deadline, nonce);

export const signBatchAnchoring = (registry: ValuationRegistry, signer: Signer, root: string, reportCount: number) =>
  sign(registry, signer, batchAnchoringTypes, { root, reportCount });

export const signRevocation = (registry: ValuationRegistry, signer: Signer, documentHash: string, reason: string) =>
  sign(registry, signer, reportRevocationTypes, { documentHash, reason });

export const signBatchRevocation = (registry: ValuationRegistry, signer: Signer, root: string, reason: string) =>
  sign(registry, signer, batchRevocationTypes, { root, reason });
