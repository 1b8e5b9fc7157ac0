/**
 * The whitelist of identified investors (SPEC §6 step 5): kept by the registrar or any originator.
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { deployRegistry } from "../scripts/lib/deployRegistry";
import { Roles } from "../definitions/roles";
import { docHash } from "./helpers/registryFixture";

async function deployFixture() {
  const [admin, registrar, originator, secondOriginator, bank, investor, outsider] = await ethers.getSigners();
  const { accessManager, investorRegistry } = await deployRegistry({
    admin,
    registrar: registrar.address,
    withRiskSchemes: false,
  });
  await accessManager.connect(admin).grantRole(Roles.ORIGINATOR, originator.address, 0);
  await accessManager.connect(admin).grantRole(Roles.ORIGINATOR, secondOriginator.address, 0);
  await accessManager.connect(registrar).grantRole(Roles.PLEDGEE, bank.address, 0);
  return {
    accessManager,
    investorRegistry,
    signers: { admin, registrar, originator, secondOriginator, bank, investor, outsider },
    kyc: docHash(`kyc file of ${investor.address}`),
  };
}

describe("InvestorRegistry", () => {
  describe("identifying", () => {
    it("lets the registrar identify an investor", async () => {
      const { investorRegistry, signers, kyc } = await loadFixture(deployFixture);
      const { registrar, investor } = signers;
      expect(await investorRegistry.isIdentified(investor.address)).to.equal(false);
      await expect(investorRegistry.connect(registrar).identify(investor.address, kyc))
        .to.emit(investorRegistry, "InvestorIdentified")
        .withArgs(investor.address, registrar.address, kyc);
      expect(await investorRegistry.isIdentified(investor.address)).to.equal(true);
    });

    it("lets an originator identify an investor", async () => {
      const { investorRegistry, signers, kyc } = await loadFixture(deployFixture);
      const { originator, investor } = signers;
      await expect(investorRegistry.connect(originator).identify(investor.address, kyc))
        .to.emit(investorRegistry, "InvestorIdentified")
        .withArgs(investor.address, originator.address, kyc);
      expect(await investorRegistry.isIdentified(investor.address)).to.equal(true);
    });

    it("refuses anyone who is neither the registrar nor an originator", async () => {
      const { investorRegistry, signers, kyc } = await loadFixture(deployFixture);
      for (const caller of [signers.outsider, signers.bank, signers.admin, signers.investor]) {
        await expect(investorRegistry.connect(caller).identify(signers.investor.address, kyc))
          .to.be.revertedWithCustomError(investorRegistry, "InvestorVettingNotAllowed")
          .withArgs(caller.address);
      }
    });

    it("refuses an originator whose role was revoked", async () => {
      const { accessManager, investorRegistry, signers, kyc } = await loadFixture(deployFixture);
      const { admin, originator, investor } = signers;
      await accessManager.connect(admin).revokeRole(Roles.ORIGINATOR, originator.address);
      await expect(investorRegistry.connect(originator).identify(investor.address, kyc))
        .to.be.revertedWithCustomError(investorRegistry, "InvestorVettingNotAllowed")
        .withArgs(originator.address);
    });

    it("refuses to identify an investor twice, whoever identified it first", async () => {
      const { investorRegistry, signers, kyc } = await loadFixture(deployFixture);
      const { registrar, originator, investor } = signers;
      await investorRegistry.connect(registrar).identify(investor.address, kyc);
      await expect(investorRegistry.connect(originator).identify(investor.address, kyc))
        .to.be.revertedWithCustomError(investorRegistry, "InvestorStatusUnchanged")
        .withArgs(investor.address);
    });

    it("refuses the zero address", async () => {
      const { investorRegistry, signers, kyc } = await loadFixture(deployFixture);
      await expect(investorRegistry.connect(signers.registrar).identify(ethers.ZeroAddress, kyc))
        .to.be.revertedWithCustomError(investorRegistry, "InvestorStatusUnchanged")
        .withArgs(ethers.ZeroAddress);
    });
  });

  describe("removing", () => {
    it("lets an originator remove an investor another originator identified", async () => {
      const { investorRegistry, signers, kyc } = await loadFixture(deployFixture);
      const { originator, secondOriginator, investor } = signers;
      await investorRegistry.connect(originator).identify(investor.address, kyc);
      await expect(investorRegistry.connect(secondOriginator).remove(investor.address, "KYC expired"))
        .to.emit(investorRegistry, "InvestorRemoved")
        .withArgs(investor.address, secondOriginator.address, "KYC expired");
      expect(await investorRegistry.isIdentified(investor.address)).to.equal(false);
    });

    it("lets the registrar remove an investor, who may later be identified again", async () => {
      const { investorRegistry, signers, kyc } = await loadFixture(deployFixture);
      const { registrar, originator, investor } = signers;
      await investorRegistry.connect(originator).identify(investor.address, kyc);
      await expect(investorRegistry.connect(registrar).remove(investor.address, "no longer qualified"))
        .to.emit(investorRegistry, "InvestorRemoved")
        .withArgs(investor.address, registrar.address, "no longer qualified");
      await expect(investorRegistry.connect(originator).identify(investor.address, kyc))
        .to.emit(investorRegistry, "InvestorIdentified")
        .withArgs(investor.address, originator.address, kyc);
      expect(await investorRegistry.isIdentified(investor.address)).to.equal(true);
    });

    it("refuses to remove an investor who is not identified", async () => {
      const { investorRegistry, signers, kyc } = await loadFixture(deployFixture);
      const { registrar, investor } = signers;
      await expect(investorRegistry.connect(registrar).remove(investor.address, "never identified"))
        .to.be.revertedWithCustomError(investorRegistry, "InvestorStatusUnchanged")
        .withArgs(investor.address);
      await investorRegistry.connect(registrar).identify(investor.address, kyc);
      await investorRegistry.connect(registrar).remove(investor.address, "first removal");
      await expect(investorRegistry.connect(registrar).remove(investor.address, "second removal"))
        .to.be.revertedWithCustomError(investorRegistry, "InvestorStatusUnchanged")
        .withArgs(investor.address);
    });

    it("refuses a removal by anyone who is neither the registrar nor an originator", async () => {
      const { investorRegistry, signers, kyc } = await loadFixture(deployFixture);
      const { registrar, investor } = signers;
      await investorRegistry.connect(registrar).identify(investor.address, kyc);
      for (const caller of [signers.outsider, signers.bank, investor]) {
        await expect(investorRegistry.connect(caller).remove(investor.address, "self-removal"))
          .to.be.revertedWithCustomError(investorRegistry, "InvestorVettingNotAllowed")
          .withArgs(caller.address);
      }
      expect(await investorRegistry.isIdentified(investor.address)).to.equal(true);
    });
  });
});
