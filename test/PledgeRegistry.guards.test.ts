/**
 * The pledge register's two guards on every writing step: the admin's pause (`whenNotPaused`) and the registrar's
 * role (`restricted`, the shared AccessManager). Each step refuses while paused — whoever calls, whatever it
 * carries — and the very same signed step goes through once the register is unpaused. And the shape checks a
 * change passes before any signature is read.
 */
import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { Reason } from "../definitions/reasons";
import { DisposalMethod, YEAR, deployRegistryFixture, docHash, type RegistryFixture } from "./helpers/registryFixture";
import { NO_CONSENT, consentsFor, registeredPledge, signRelease, submitSigned, termsFor } from "./helpers/pledging";

const pause = (f: RegistryFixture) => f.pledgeRegistry.connect(f.signers.admin).pause();
const unpause = (f: RegistryFixture) => f.pledgeRegistry.connect(f.signers.admin).unpause();

describe("PledgeRegistry — pause and roles on every writing step", () => {
  it("refuses every party step while paused, and lets the same signed release through once unpaused", async () => {
    const f = await loadFixture(deployRegistryFixture);
    const reg = f.pledgeRegistry.connect(f.signers.relayer);
    const pledgeId = await registeredPledge(f);
    const release = await signRelease(f.pledgeRegistry, f.signers.bank, pledgeId);
    const application = await consentsFor(f, termsFor(f), [f.signers.alice]);
    await pause(f);

    const change = { pledgeId, principal: 1n, maturityDate: f.now, pledgee: f.signers.bank.address };
    const disposal = {
      method: DisposalMethod.Transfer,
      proceeds: 1n,
      transferee: f.signers.outsider.address,
      evidenceHash: docHash("auction record"),
    };
    const steps = {
      submitApplication: () => reg.submitApplication(...application),
      withdraw: () => reg.withdraw(pledgeId, f.signers.alice.address, NO_CONSENT),
      change: () =>
        reg.change(pledgeId, change, { pledgors: [NO_CONSENT], pledgee: NO_CONSENT, newPledgee: NO_CONSENT }),
      release: () => reg.release(pledgeId, release),
      declareDefault: () => reg.declareDefault(pledgeId, docHash("default"), NO_CONSENT),
      recordDisposal: () => reg.recordDisposal(pledgeId, disposal, NO_CONSENT),
    };
    for (const [name, step] of Object.entries(steps)) {
      await expect(step(), name).to.be.revertedWithCustomError(f.pledgeRegistry, "EnforcedPause");
    }

    await unpause(f);
    await expect(steps.release()).to.emit(f.pledgeRegistry, "PledgeReleased").withArgs(pledgeId, f.signers.bank);
  });

  it("refuses the registrar's register and refuse while paused, and registers once unpaused", async () => {
    const f = await loadFixture(deployRegistryFixture);
    const registrar = f.pledgeRegistry.connect(f.signers.registrar);
    const pledgeId = await submitSigned(f, termsFor(f), [f.signers.alice]);
    await pause(f);
    await expect(registrar.register(pledgeId)).to.be.revertedWithCustomError(f.pledgeRegistry, "EnforcedPause");
    await expect(registrar.refuse(pledgeId, Reason.ASSET_FROZEN, "frozen")).to.be.revertedWithCustomError(
      f.pledgeRegistry,
      "EnforcedPause",
    );
    await unpause(f);
    await expect(registrar.register(pledgeId)).to.emit(f.pledgeRegistry, "PledgeRegistered");
  });

  it("lets only the registrar refuse, and only the admin pause and unpause", async () => {
    const f = await loadFixture(deployRegistryFixture);
    const pledgeId = await submitSigned(f, termsFor(f), [f.signers.alice]);
    const { bank, outsider, registrar } = f.signers;
    await expect(f.pledgeRegistry.connect(bank).refuse(pledgeId, Reason.ASSET_FROZEN, "frozen"))
      .to.be.revertedWithCustomError(f.pledgeRegistry, "AccessManagedUnauthorized")
      .withArgs(bank.address);
    await expect(f.pledgeRegistry.connect(outsider).pause())
      .to.be.revertedWithCustomError(f.pledgeRegistry, "AccessManagedUnauthorized")
      .withArgs(outsider.address);
    await pause(f);
    for (const caller of [outsider, registrar]) {
      await expect(f.pledgeRegistry.connect(caller).unpause())
        .to.be.revertedWithCustomError(f.pledgeRegistry, "AccessManagedUnauthorized")
        .withArgs(caller.address);
    }
    expect(await f.pledgeRegistry.paused()).to.equal(true);
  });

  it("refuses a change whose consents do not match its pledgors, or that assigns the loan to a pledgor", async () => {
    const f = await loadFixture(deployRegistryFixture);
    const pledgeId = await registeredPledge(f);
    const { alice } = f.signers;
    const change = { pledgeId, principal: f.principal, maturityDate: f.now + YEAR, pledgee: f.signers.bank.address };
    // One pledgor (alice), no pledgor consent.
    await expect(
      f.pledgeRegistry.change(pledgeId, change, { pledgors: [], pledgee: NO_CONSENT, newPledgee: NO_CONSENT }),
    )
      .to.be.revertedWithCustomError(f.pledgeRegistry, "ConsentCountMismatch")
      .withArgs(1, 0);
    const toPledgor = { ...change, pledgee: alice.address };
    const consents = { pledgors: [NO_CONSENT], pledgee: NO_CONSENT, newPledgee: NO_CONSENT };
    await expect(f.pledgeRegistry.change(pledgeId, toPledgor, consents))
      .to.be.revertedWithCustomError(f.pledgeRegistry, "PartyListedTwice")
      .withArgs(alice.address);
  });
});
