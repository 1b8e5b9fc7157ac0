/**
 * Replay protection (SPEC §4.1): a signature binds chain id, contract, a per-signer nonce and a deadline.
 * Contract-account signers (ERC-1271) are accepted.
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { TypedDataEncoder } from "ethers";
import { deployRegistry } from "../scripts/lib/deployRegistry";
import { Roles } from "../definitions/roles";
import { NO_CONSENT, pledgeApplicationTypes } from "../definitions/typedData";
import { domainOf as domainAt } from "../definitions/domains";
import { AssetKind, deployRegistryFixture, docHash, PledgeStatus } from "./helpers/registryFixture";
import { consentsFor, domainOf, signApplication, signRelease, registeredPledge, termsFor } from "./helpers/pledging";

describe("PledgeRegistry — signatures and replay protection", () => {
  it("computes the same EIP-712 digest as the gateway's typed data (definitions/typedData.ts)", async () => {
    const f = await loadFixture(deployRegistryFixture);
    const terms = termsFor(f, {
      assetIds: [f.assets.soloPatent, f.assets.coOwnedPatent],
      pledgors: [f.signers.alice.address, f.signers.bob.address],
      riskScheme: 3,
      invalidationAcknowledged: true,
    });
    const domain = await domainOf(f.pledgeRegistry);
    const expected = TypedDataEncoder.hash(domain, pledgeApplicationTypes, {
      terms,
      signer: f.signers.bob.address,
      nonce: 12345n,
      deadline: 999n,
    });
    expect(await f.pledgeLens.applicationDigest(terms, f.signers.bob.address, 12345n, 999n)).to.equal(expected);
  });

  it("refuses the same signed application submitted twice (the nonces are spent)", async () => {
    const f = await loadFixture(deployRegistryFixture);
    const args = await consentsFor(f, termsFor(f), [f.signers.alice]);
    await f.pledgeRegistry.connect(f.signers.relayer).submitApplication(...args);
    await expect(f.pledgeRegistry.connect(f.signers.relayer).submitApplication(...args))
      .to.be.revertedWithCustomError(f.pledgeRegistry, "NonceUsed")
      .withArgs(f.signers.alice.address, args[1][0].nonce);
  });

  it("refuses a signature made for another chain id", async () => {
    const f = await loadFixture(deployRegistryFixture);
    const terms = termsFor(f);
    const otherChain = domainAt("pledgeRegistry", 1n, await f.pledgeRegistry.getAddress());
    const consent = await signApplication(f.pledgeRegistry, f.signers.alice, terms, { domain: otherChain });
    await expect(
      f.pledgeRegistry.submitApplication(
        terms,
        [consent],
        await signApplication(f.pledgeRegistry, f.signers.bank, terms),
      ),
    )
      .to.be.revertedWithCustomError(f.pledgeRegistry, "SignatureInvalid")
      .withArgs(f.signers.alice.address);
  });

  it("refuses a signature made for another registry contract", async () => {
    const f = await loadFixture(deployRegistryFixture);
    const other = await deployRegistry({
      admin: f.signers.admin,
      registrar: f.signers.registrar.address,
      valuationVerifier: await f.valuations.getAddress(),
      withRiskSchemes: false,
    });
    const terms = termsFor(f);
    const forOther = await signApplication(other.pledgeRegistry, f.signers.alice, terms);
    await expect(
      f.pledgeRegistry.submitApplication(
        terms,
        [forOther],
        await signApplication(f.pledgeRegistry, f.signers.bank, terms),
      ),
    )
      .to.be.revertedWithCustomError(f.pledgeRegistry, "SignatureInvalid")
      .withArgs(f.signers.alice.address);
  });

  it("refuses an application signature used for another action (release)", async () => {
    const f = await loadFixture(deployRegistryFixture);
    const pledgeId = await registeredPledge(f);
    const applicationSignature = await signApplication(f.pledgeRegistry, f.signers.bank, termsFor(f));
    await expect(f.pledgeRegistry.release(pledgeId, applicationSignature))
      .to.be.revertedWithCustomError(f.pledgeRegistry, "SignatureInvalid")
      .withArgs(f.signers.bank.address);
    await expect(
      f.pledgeRegistry.release(pledgeId, await signRelease(f.pledgeRegistry, f.signers.bank, pledgeId)),
    ).to.emit(f.pledgeRegistry, "PledgeReleased");
  });

  it("accepts nonces in any order, so a bank can co-sign many applications at once", async () => {
    const f = await loadFixture(deployRegistryFixture);
    const first = termsFor(f);
    const second = termsFor(f, { assetIds: [f.assets.trademark], pledgors: [f.signers.carol.address] });
    const bankFirst = await signApplication(f.pledgeRegistry, f.signers.bank, first, { nonce: 10n });
    const bankSecond = await signApplication(f.pledgeRegistry, f.signers.bank, second, { nonce: 11n });
    await f.pledgeRegistry.submitApplication(
      second,
      [await signApplication(f.pledgeRegistry, f.signers.carol, second)],
      bankSecond,
    );
    await f.pledgeRegistry.submitApplication(
      first,
      [await signApplication(f.pledgeRegistry, f.signers.alice, first)],
      bankFirst,
    );
    expect(await f.pledgeRegistry.isNonceUsed(f.signers.bank.address, 10n)).to.equal(true);
    expect(await f.pledgeRegistry.isNonceUsed(f.signers.bank.address, 11n)).to.equal(true);
    expect(await f.pledgeRegistry.isNonceUsed(f.signers.bank.address, 12n)).to.equal(false);
  });

  it("lets a signer cancel a nonce before its signature is used", async () => {
    const f = await loadFixture(deployRegistryFixture);
    const terms = termsFor(f);
    const consent = await signApplication(f.pledgeRegistry, f.signers.alice, terms, { nonce: 2n ** 200n });
    await expect(f.pledgeRegistry.connect(f.signers.alice).cancelNonce(2n ** 200n))
      .to.emit(f.pledgeRegistry, "NonceCancelled")
      .withArgs(f.signers.alice.address, 2n ** 200n);
    await expect(
      f.pledgeRegistry.submitApplication(
        terms,
        [consent],
        await signApplication(f.pledgeRegistry, f.signers.bank, terms),
      ),
    )
      .to.be.revertedWithCustomError(f.pledgeRegistry, "NonceUsed")
      .withArgs(f.signers.alice.address, 2n ** 200n);
    await expect(f.pledgeRegistry.connect(f.signers.alice).cancelNonce(2n ** 200n)).to.be.revertedWithCustomError(
      f.pledgeRegistry,
      "NonceUsed",
    );
  });

  describe("contract-account signers (ERC-1271)", () => {
    async function companyWalletFixture() {
      const f = await deployRegistryFixture();
      // A company whose patent is held by its smart-contract wallet, controlled by its officer (outsider's key).
      const wallet = await (await ethers.getContractFactory("ContractSigner")).deploy(f.signers.outsider.address);
      const walletAddress = await wallet.getAddress();
      await f.assetRegister
        .connect(f.signers.registrar)
        .recordAsset(
          AssetKind.UtilityModel,
          "ZL202320011111.1",
          [{ holder: walletAddress, shareBps: 10_000 }],
          f.now - 1n,
          f.now + 3_000n * 86_400n * 3n,
          f.now + 365n * 86_400n,
          docHash("um"),
        );
      const assetId = await f.assetRegister.assetIdOf(AssetKind.UtilityModel, "ZL202320011111.1");
      await f.valuations.setReport(f.reportId, [assetId]);
      return { ...f, walletAddress, assetId };
    }

    it("accepts the signature of a contract-account holder", async () => {
      const f = await loadFixture(companyWalletFixture);
      const terms = termsFor(f, { assetIds: [f.assetId], pledgors: [f.walletAddress] });
      // The officer signs the wallet's typed data (signer = the wallet address); the wallet vouches for it.
      const domain = await domainOf(f.pledgeRegistry);
      const nonce = 1n;
      const deadline = 2n ** 40n;
      const signature = await f.signers.outsider.signTypedData(domain, pledgeApplicationTypes, {
        terms,
        signer: f.walletAddress,
        nonce,
        deadline,
      });
      await f.pledgeRegistry.submitApplication(
        terms,
        [{ nonce, deadline, signature }],
        await signApplication(f.pledgeRegistry, f.signers.bank, terms),
      );
      expect((await f.pledgeRegistry.pledgeOf(1n)).status).to.equal(PledgeStatus.Pending);
    });

    it("refuses a contract-account signature its wallet does not vouch for", async () => {
      const f = await loadFixture(companyWalletFixture);
      const terms = termsFor(f, { assetIds: [f.assetId], pledgors: [f.walletAddress] });
      const domain = await domainOf(f.pledgeRegistry);
      const signature = await f.signers.bob.signTypedData(domain, pledgeApplicationTypes, {
        terms,
        signer: f.walletAddress,
        nonce: 1n,
        deadline: 2n ** 40n,
      });
      await expect(
        f.pledgeRegistry.submitApplication(
          terms,
          [{ nonce: 1n, deadline: 2n ** 40n, signature }],
          await signApplication(f.pledgeRegistry, f.signers.bank, terms),
        ),
      )
        .to.be.revertedWithCustomError(f.pledgeRegistry, "SignatureInvalid")
        .withArgs(f.walletAddress);
    });
  });

  it("treats an empty signature from someone other than the party as no consent", async () => {
    const f = await loadFixture(deployRegistryFixture);
    const terms = termsFor(f);
    await expect(
      f.pledgeRegistry
        .connect(f.signers.relayer)
        .submitApplication(terms, [NO_CONSENT], await signApplication(f.pledgeRegistry, f.signers.bank, terms)),
    )
      .to.be.revertedWithCustomError(f.pledgeRegistry, "CoOwnerConsentMissing")
      .withArgs(f.assets.soloPatent, f.signers.alice.address);
  });

  it("uses the role ids the contracts use (Roles.sol ↔ definitions/roles.ts)", async () => {
    const f = await loadFixture(deployRegistryFixture);
    const [isLicensed] = await f.accessManager.hasRole(Roles.PLEDGEE, f.signers.bank.address);
    const [isRegistrar] = await f.accessManager.hasRole(Roles.REGISTRAR, f.signers.registrar.address);
    expect([isLicensed, isRegistrar]).to.deep.equal([true, true]);
    // The pledge registry reads PLEDGEE from Roles.sol: revoking the TS id must make the bank unlicensed on chain.
    await f.accessManager.connect(f.signers.registrar).revokeRole(Roles.PLEDGEE, f.signers.bank.address);
    await expect(
      f.pledgeRegistry.submitApplication(...(await consentsFor(f, termsFor(f), [f.signers.alice]))),
    ).to.be.revertedWithCustomError(f.pledgeRegistry, "PledgeeNotLicensed");
  });
});
