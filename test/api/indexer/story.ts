/**
 * A realistic registry story on the in-process chain, told step by step (so a test can index between steps), and
 * what the read model must show after it — computed here from the story's own inputs, never read from the index.
 */
import { ethers } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { ZeroAddress, ZeroHash } from "ethers";
import type { RegistryContracts } from "../../../scripts/lib/deployRegistry";
import { cny } from "../../../definitions/riskSchemes";
import type { PledgeTerms } from "../../../definitions/typedData";
import { expectedAssetId } from "../../helpers/assetRecords";
import { signApplication, signDefault, signDisposal, signRelease, signWithdrawal } from "../../helpers/pledging";
import {
  AssetKind,
  AssetStatus,
  CNY,
  DAY,
  DEBTOR,
  DisposalMethod,
  PledgeStatus,
  YEAR,
  docHash,
} from "../../helpers/registryFixture";
import { deployValuationFixture, fileHash, type ValuationFixture } from "../../helpers/valuationFixture";

export const REFUSAL_REASON = 11; // ValuationInvalid
export const REFUSAL_NOTE = "the report does not cover the asset's current claims";
export const REVOCATION_REASON = "figures taken from the wrong year";

/** Deploys the registry (the deployment's first block is returned, as the deploy script records it). */
export async function deployStory() {
  const startBlock = (await ethers.provider.getBlockNumber()) + 1;
  const f = await deployValuationFixture();
  const contracts = await registryAddresses(f);
  const { chainId } = await ethers.provider.getNetwork();
  return { f, startBlock, contracts, chainId: Number(chainId) };
}

/** The deployment file's `contracts` for a fixture's registry. */
export async function registryAddresses(f: Omit<RegistryContracts, "schemeIds">) {
  return {
    accessManager: await f.accessManager.getAddress(),
    assetRegister: await f.assetRegister.getAddress(),
    valuationRegistry: await f.valuationRegistry.getAddress(),
    lossSharing: await f.lossSharing.getAddress(),
    pledgeRegistry: await f.pledgeRegistry.getAddress(),
    pledgeLens: await f.pledgeLens.getAddress(),
    licenceRegistry: await f.licenceRegistry.getAddress(),
    investorRegistry: await f.investorRegistry.getAddress(),
  };
}

export interface ExpectedPledge {
  pledge_id: string;
  pledgee: string;
  status: number;
  principal: string;
  assets: string[];
  pledgors: string[];
}

export function storyOf(f: ValuationFixture) {
  const { registrar, bank, secondBank, evaluator, otherEvaluator, alice, bob, relayer } = f.signers;
  const { patentA, patentB } = f.assets;
  const now = f.now;
  const patentCNumber = "ZL202110000003.3";
  const patentC = expectedAssetId(AssetKind.InventionPatent, patentCNumber);
  const reportOne = f.reportFor({ assetIds: [patentA, patentB, patentC], uri: "report one" });
  const reportTwo = f.reportFor({
    documentHash: fileHash("report two"),
    evaluator: otherEvaluator.address,
    assetIds: [patentA],
    uri: "report two",
  });
  const terms = (assetIds: string[], pledgors: string[], pledgee: string, principal: bigint, maturity: bigint) =>
    ({
      assetIds,
      pledgors,
      pledgee,
      debt: { debtor: DEBTOR, principal, currency: CNY, startDate: now, maturityDate: maturity },
      contractHash: docHash(`contract ${principal}`),
      valuationReportId: reportOne.documentHash,
      riskScheme: 0,
      forfeitureClause: false,
      invalidationAcknowledged: false,
    }) as PledgeTerms;
  const submit = async (t: PledgeTerms, signers: (typeof alice)[], pledgee: typeof bank) => {
    const pledgorConsents = [];
    for (const s of signers) pledgorConsents.push(await signApplication(f.pledgeRegistry, s, t));
    const pledgeeConsent = await signApplication(f.pledgeRegistry, pledgee, t);
    await f.pledgeRegistry.connect(relayer).submitApplication(t, pledgorConsents, pledgeeConsent);
    return f.pledgeRegistry.lastPledgeId();
  };
  const ids: bigint[] = [];
  const expected: { pledges: ExpectedPledge[] } = { pledges: [] };
  const pledge = (id: bigint, t: PledgeTerms, status: number) =>
    expected.pledges.push({
      pledge_id: String(id),
      pledgee: t.pledgee,
      status,
      principal: String(t.debt.principal),
      assets: [...t.assetIds],
      pledgors: [...t.pledgors],
    });

  const p1 = terms([patentA], [alice.address], bank.address, cny(1_000_000), now + YEAR);
  const p2 = terms([patentC], [alice.address, bob.address], bank.address, cny(2_000_000), now + YEAR);
  const p3 = terms([patentB], [bob.address], secondBank.address, cny(3_000_000), now + YEAR);
  const p4 = terms([patentA], [alice.address], bank.address, cny(4_000_000), now + 2n * DAY);
  const p5 = terms([patentC], [alice.address, bob.address], secondBank.address, cny(5_000_000), now + YEAR);

  const steps: (() => Promise<unknown>)[] = [
    // A co-owned patent, a holder change (B assigned to bob), annual fees paid for A.
    () =>
      f.assetRegister.connect(registrar).recordAsset(
        AssetKind.InventionPatent,
        patentCNumber,
        [
          { holder: alice.address, shareBps: 6_000 },
          { holder: bob.address, shareBps: 4_000 },
        ],
        now - YEAR,
        now + 15n * YEAR,
        now + YEAR,
        docHash(patentCNumber),
      ),
    () =>
      f.assetRegister
        .connect(registrar)
        .recordHolders(patentB, [{ holder: bob.address, shareBps: 10_000 }], docHash("assignment of B to bob")),
    () => f.assetRegister.connect(registrar).recordAnnualFees(patentA, now + 2n * YEAR, docHash("fees of A")),
    // Two reports; the second is revoked by the registrar.
    () => f.valuationRegistry.connect(evaluator).anchor(reportOne),
    () => f.valuationRegistry.connect(otherEvaluator).anchor(reportTwo),
    () => f.valuationRegistry.connect(registrar).revokeAsRegistrar(reportTwo.documentHash, REVOCATION_REASON),
    // P1 registered then released; P2 refused; P3 registered; P4 enforced and disposed; P5 withdrawn.
    async () => ids.push(await submit(p1, [alice], bank)),
    () => f.pledgeRegistry.connect(registrar).register(ids[0]),
    async () => f.pledgeRegistry.connect(relayer).release(ids[0], await signRelease(f.pledgeRegistry, bank, ids[0])),
    async () => ids.push(await submit(p2, [alice, bob], bank)),
    () => f.pledgeRegistry.connect(registrar).refuse(ids[1], REFUSAL_REASON, REFUSAL_NOTE),
    async () => ids.push(await submit(p3, [bob], secondBank)),
    () => f.pledgeRegistry.connect(registrar).register(ids[2]),
    async () => ids.push(await submit(p4, [alice], bank)),
    () => f.pledgeRegistry.connect(registrar).register(ids[3]),
    async () => {
      await time.increaseTo(now + 3n * DAY);
      const evidence = docHash("default notice");
      await f.pledgeRegistry
        .connect(relayer)
        .declareDefault(ids[3], evidence, await signDefault(f.pledgeRegistry, bank, ids[3], evidence));
    },
    async () => {
      const disposal = {
        pledgeId: ids[3],
        method: DisposalMethod.ReverseLicence,
        proceeds: cny(3_500_000),
        transferee: ZeroAddress,
        evidenceHash: docHash("reverse licence agreement"),
      };
      const { pledgeId: _, ...disposalTerms } = disposal;
      await f.pledgeRegistry
        .connect(relayer)
        .recordDisposal(ids[3], disposalTerms, await signDisposal(f.pledgeRegistry, bank, disposal));
    },
    async () => ids.push(await submit(p5, [alice, bob], secondBank)),
    async () =>
      f.pledgeRegistry
        .connect(relayer)
        .withdraw(ids[4], alice.address, await signWithdrawal(f.pledgeRegistry, alice, ids[4])),
  ];

  /** What the projections must say once every step has run. */
  const expectAfter = () => {
    expected.pledges.length = 0;
    pledge(ids[0], p1, PledgeStatus.Released);
    pledge(ids[1], p2, PledgeStatus.Refused);
    pledge(ids[2], p3, PledgeStatus.Registered);
    pledge(ids[3], p4, PledgeStatus.Disposed);
    pledge(ids[4], p5, PledgeStatus.Withdrawn);
    const asset = (assetId: string, official_number: string, fees: bigint) => ({
      asset_id: assetId,
      kind: AssetKind.InventionPatent,
      official_number,
      status: AssetStatus.Granted,
      freeze_kind: 0,
      invalidation_pending: false,
      grant_date: String(now - YEAR),
      expiry_date: String(now + 15n * YEAR),
      fees_paid_until: String(fees),
    });
    return {
      assets: [
        asset(patentA, "ZL202110000001.1", now + 2n * YEAR),
        asset(patentB, "ZL202110000002.2", now + YEAR),
        asset(patentC, patentCNumber, now + YEAR),
      ].sort((a, b) => a.asset_id.localeCompare(b.asset_id)),
      holders: [
        { asset_id: patentA, position: 0, holder: alice.address, share_bps: 10_000 },
        { asset_id: patentB, position: 0, holder: bob.address, share_bps: 10_000 },
        { asset_id: patentC, position: 0, holder: alice.address, share_bps: 6_000 },
        { asset_id: patentC, position: 1, holder: bob.address, share_bps: 4_000 },
      ].sort((a, b) => a.asset_id.localeCompare(b.asset_id) || a.position - b.position),
      reports: [
        {
          document_hash: reportOne.documentHash,
          evaluator: evaluator.address,
          batch_root: ZeroHash,
          value: String(reportOne.value),
          valid_until: String(reportOne.validUntil),
          status: 1,
          revoked_by: null,
          revocation_reason: null,
          assets: [patentA, patentB, patentC],
        },
        {
          document_hash: reportTwo.documentHash,
          evaluator: otherEvaluator.address,
          batch_root: ZeroHash,
          value: String(reportTwo.value),
          valid_until: String(reportTwo.validUntil),
          status: 2,
          revoked_by: registrar.address,
          revocation_reason: REVOCATION_REASON,
          assets: [patentA],
        },
      ].sort((a, b) => a.document_hash.localeCompare(b.document_hash)),
      pledges: [...expected.pledges],
      disposal: {
        pledge_id: String(ids[3]),
        method: DisposalMethod.ReverseLicence,
        proceeds: String(cny(3_500_000)),
        loss: String(cny(4_000_000) - cny(3_500_000)),
      },
      refusal: { pledge_id: String(ids[1]), reason: REFUSAL_REASON, note: REFUSAL_NOTE },
      withdrawnBy: { pledge_id: String(ids[4]), party: alice.address },
    };
  };

  return { steps, expectAfter, ids, assets: { patentA, patentB, patentC } };
}
