/**
 * A bank or an auditor checks a pledge and a valuation report directly against the chain with plain ethers and the
 * human-readable ABI of scripts/lib/publicAbi.ts (the README's recipe), trusting neither the gateway nor typechain.
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { Contract, sha256, toUtf8Bytes } from "ethers";
import {
  ASSET_REGISTER_READ_ABI,
  PLEDGE_REGISTRY_READ_ABI,
  VALUATION_REGISTRY_READ_ABI,
} from "../scripts/lib/publicAbi";
import { buildReportBatch } from "../definitions/valuationTypedData";
import { AssetKind, CNY, DEBTOR, PledgeStatus, ValuationVerdict, YEAR, docHash } from "./helpers/registryFixture";
import { signApplication } from "./helpers/pledging";
import { deployValuationFixture } from "./helpers/valuationFixture";

describe("third-party verification without the gateway (README recipe)", () => {
  async function pledgedOnAnchoredReportFixture() {
    const f = await deployValuationFixture();
    const reportFile = toUtf8Bytes("%PDF-1.7 … valuation of ZL202110000001.1 by Evaluator Co. …");
    const report = f.reportFor({ documentHash: sha256(reportFile), uri: "https://evaluator.example/r/2026-001.pdf" });
    await f.valuationRegistry.connect(f.signers.evaluator).anchor(report);
    const terms = {
      assetIds: [f.assets.patentA],
      pledgors: [f.signers.alice.address],
      pledgee: f.signers.bank.address,
      debt: { debtor: DEBTOR, principal: 800_000_000n, currency: CNY, startDate: f.now, maturityDate: f.now + YEAR },
      contractHash: docHash("contract"),
      valuationReportId: report.documentHash,
      riskScheme: 0,
      forfeitureClause: false,
      invalidationAcknowledged: false,
    };
    await f.pledgeRegistry.submitApplication(
      terms,
      [await signApplication(f.pledgeRegistry, f.signers.alice, terms)],
      await signApplication(f.pledgeRegistry, f.signers.bank, terms),
    );
    const registration = await (await f.pledgeRegistry.connect(f.signers.registrar).register(1n)).wait();
    return { ...f, reportFile, report, registration: registration! };
  }

  it("finds the report by hashing the file: who anchored it, in which block and transaction, for what value", async () => {
    const f = await loadFixture(pledgedOnAnchoredReportFixture);
    const registry = new Contract(await f.valuationRegistry.getAddress(), VALUATION_REGISTRY_READ_ABI, ethers.provider);
    const documentHash = sha256(f.reportFile);
    const [record, batchRoot, supersededBy] = await registry.reportOf(documentHash);
    expect(record.evaluator).to.equal(f.signers.evaluator.address);
    expect(record.status).to.equal(1n);
    expect(batchRoot).to.equal(ethers.ZeroHash);
    expect(supersededBy).to.equal(ethers.ZeroHash);
    const [anchoring] = await registry.queryFilter(registry.filters.ReportAnchored(documentHash));
    expect(anchoring.blockNumber).to.be.greaterThan(0);
    const tx = await ethers.provider.getTransaction(anchoring.transactionHash);
    expect(tx!.from).to.equal(f.signers.evaluator.address);
    expect((anchoring as unknown as { args: { report: { value: bigint } } }).args.report.value).to.equal(
      f.report.value,
    );
    expect(await registry.verdictFor(documentHash, [f.assets.patentA])).to.equal(BigInt(ValuationVerdict.Valid));
  });

  it("answers the bank's question about an asset from its kind and official number alone, with the proof", async () => {
    const f = await loadFixture(pledgedOnAnchoredReportFixture);
    const register = new Contract(await f.assetRegister.getAddress(), ASSET_REGISTER_READ_ABI, ethers.provider);
    const pledges = new Contract(await f.pledgeRegistry.getAddress(), PLEDGE_REGISTRY_READ_ABI, ethers.provider);
    const assetId = await register.assetIdOf(AssetKind.InventionPatent, "ZL202110000001.1");
    const status = await pledges.collateralStatusOf(assetId);
    expect(status.pledged).to.equal(true);
    expect(status.status).to.equal(BigInt(PledgeStatus.Registered));
    expect(status.pledgee).to.equal(f.signers.bank.address);
    expect(status.principal).to.equal(800_000_000n);
    expect(status.valuationReportId).to.equal(sha256(f.reportFile));
    const [registered] = await pledges.queryFilter(pledges.filters.PledgeRegistered(status.pledgeId));
    expect(registered.transactionHash).to.equal(f.registration.hash);
    expect(registered.blockNumber).to.equal(f.registration.blockNumber);
  });

  it("checks a batched report with its Merkle proof, without anyone materialising it", async () => {
    const f = await loadFixture(pledgedOnAnchoredReportFixture);
    const reports = [1, 2, 3, 4, 5].map((i) => f.reportFor({ documentHash: sha256(toUtf8Bytes(`batched ${i}`)) }));
    const batch = buildReportBatch(reports);
    await f.valuationRegistry.connect(f.signers.evaluator).anchorBatch(batch.root, reports.length);
    const registry = new Contract(await f.valuationRegistry.getAddress(), VALUATION_REGISTRY_READ_ABI, ethers.provider);
    expect(await registry.verifyInBatch(batch.root, reports[3], batch.proofOf(reports[3].documentHash))).to.equal(true);
    expect(await registry.verifyInBatch(batch.root, reports[3], batch.proofOf(reports[2].documentHash))).to.equal(
      false,
    );
  });
});
