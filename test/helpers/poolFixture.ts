/**
 * Building blocks of the licence-fee securitisation tests (SPEC §6): the registries, a test CNY stablecoin
 * (2 decimals: amounts are in fen), an originator holding an exclusive, sub-licensable first licence from a
 * patentee, identified investors, and helpers to record sub-licences, create pools and subscribe them.
 */
import { ethers } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import type { Signer } from "ethers";
import { deployRegistry } from "../../scripts/lib/deployRegistry";
import { deployPool, type PoolConfig } from "../../scripts/lib/deployPool";
import { Roles } from "../../definitions/roles";
import { cny } from "../../definitions/riskSchemes";
import {
  firstLicenceGrantTypes,
  subLicenceGrantTypes,
  type FirstLicenceTerms,
  type Instalment,
  type SubLicenceTerms,
} from "../../definitions/licenceTypedData";
import type { Consent } from "../../definitions/typedData";
import { ReceivablePoolHarness__factory, TrancheToken__factory, type LicenceRegistry } from "../../typechain-types";
import { AssetKind, DAY, YEAR, docHash } from "./registryFixture";
import { deployedDomain, signConsent } from "./consent";

export const QUARTER = 91n * DAY;

/** `PoolAmountField` (contracts/types/Pool.sol), written out here: which amount a `ZeroAmount` refusal names. */
export const AMOUNT_FIELD = { Subscription: 0, InstalmentPayment: 1, GuarantorCallPayment: 2 } as const;
/** `NotDefaultableReason`, written out here: why `InstalmentNotDefaultable` refused. */
export const NOT_DEFAULTABLE = { AlreadyDefaulted: 0, Paid: 1, NotOverdueLongEnough: 2 } as const;

let nextNonce = 5_000_000n;

async function signLicence(
  registry: LicenceRegistry,
  signer: Signer,
  types: Record<string, { name: string; type: string }[]>,
  message: Record<string, unknown>,
): Promise<Consent> {
  return signConsent(signer, await deployedDomain("licenceRegistry", registry), types, message, nextNonce++);
}

export const signFirstLicence = (registry: LicenceRegistry, signer: Signer, terms: FirstLicenceTerms) =>
  signLicence(registry, signer, firstLicenceGrantTypes, { ...terms });

export const signSubLicence = (registry: LicenceRegistry, signer: Signer, terms: SubLicenceTerms) =>
  signLicence(registry, signer, subLicenceGrantTypes, { ...terms });

/** `count` period ends, `length` apart, the first `length` after `start`. */
export const calendar = (start: bigint, count: number, length = QUARTER) =>
  Array.from({ length: count }, (_, k) => start + BigInt(k + 1) * length);

export async function deployLicensingFixture() {
  const signers = await ethers.getSigners();
  const [admin, registrar, patentee, originator, guarantor, feeRecipient, outsider] = signers;
  const licensees = signers.slice(7, 17); // ten licensees
  const investors = signers.slice(17, 22); // five identified investors
  const unidentified = signers[22];

  const contracts = await deployRegistry({ admin, registrar: registrar.address });
  const { accessManager, assetRegister, licenceRegistry, investorRegistry } = contracts;
  await accessManager.connect(admin).grantRole(Roles.ORIGINATOR, originator.address, 0);
  for (const investor of [...investors, originator]) {
    await investorRegistry.connect(registrar).identify(investor.address, docHash(`kyc ${investor.address}`));
  }

  const stablecoin = await (await ethers.getContractFactory("TestStablecoin")).deploy();
  for (const payer of [...licensees, ...investors, originator, guarantor]) {
    await stablecoin.mint(payer.address, cny(1_000_000_000));
  }

  const now = BigInt(await time.latest());
  const patents: string[] = [];
  for (const number of ["ZL201910000001.1", "ZL201910000002.2"]) {
    await assetRegister
      .connect(registrar)
      .recordAsset(
        AssetKind.InventionPatent,
        number,
        [{ holder: patentee.address, shareBps: 10_000 }],
        now - YEAR,
        now + 15n * YEAR,
        now + YEAR,
        docHash(number),
      );
    patents.push(await assetRegister.assetIdOf(AssetKind.InventionPatent, number));
  }
  // Annual fees paid far ahead, so that the sub-licences stay licensable as the tests move the clock.
  for (const id of patents)
    await assetRegister.connect(registrar).recordAnnualFees(id, now + 10n * YEAR, docHash("fees"));

  // 1. The patentee grants the originator an exclusive, sub-licensable licence for 6 years, paid up front.
  const firstTerms: FirstLicenceTerms = {
    assetIds: patents,
    licensors: [patentee.address],
    licensee: originator.address,
    exclusive: true,
    subLicensable: true,
    upfrontFee: cny(18_000_000),
    startDate: now,
    endDate: now + 6n * YEAR,
    contractHash: docHash("exclusive licence with sub-licence right"),
  };
  await licenceRegistry
    .connect(originator)
    .recordFirstLicence(firstTerms, [await signFirstLicence(licenceRegistry, patentee, firstTerms)]);
  const firstLicenceId = await licenceRegistry.lastLicenceId();

  /** 2. The originator sub-licenses to `licensee` against `schedule`; returns the sub-licence id. */
  const recordSubLicence = async (licensee: Signer, schedule: Instalment[], endDate = now + 5n * YEAR) => {
    const terms: SubLicenceTerms = {
      firstLicenceId,
      licensee: await licensee.getAddress(),
      schedule,
      startDate: now,
      endDate,
      contractHash: docHash(`sub-licence ${await licensee.getAddress()}`),
    };
    await licenceRegistry
      .connect(originator)
      .recordSubLicence(terms, await signSubLicence(licenceRegistry, licensee, terms));
    return licenceRegistry.lastLicenceId();
  };

  type PoolTerms = Partial<PoolConfig> & Pick<PoolConfig, "receivables" | "tranches" | "periodEnds">;
  /** A whole configuration: unless given, the start date is a quarter before the first period end. */
  const poolConfig = async (config: PoolTerms): Promise<PoolConfig> => ({
    paymentToken: await stablecoin.getAddress(),
    originator: originator.address,
    feeRecipient: feeRecipient.address,
    guarantor: guarantor.address,
    guaranteeCap: 0n,
    feePerPeriod: 0n,
    reserveTarget: 0n,
    subscriptionDeadline: now + 30n * DAY,
    startDate: BigInt(config.periodEnds[0]) - QUARTER,
    ...config,
  });

  /** 3. The originator creates a pool over sub-licences (and assigns them to it). */
  const createPool = async (config: PoolTerms) =>
    deployPool(originator, await poolConfig(config), { licenceRegistry, investorRegistry });

  /**
   * 3b. The same, but the pool's clock is the test's to set (`pool.setTime(t)`, ReceivablePoolHarness): for tests
   * that only need the pool to see a date. The chain's clock stays where it is, so the licence registry and the
   * tranche tokens are unaffected; until set, the pool reads the block's timestamp.
   */
  const createClockedPool = async (config: PoolTerms) => {
    const pool = await new ReceivablePoolHarness__factory(originator).deploy(
      await poolConfig(config),
      licenceRegistry,
      investorRegistry,
    );
    for (const licenceId of config.receivables) await licenceRegistry.connect(originator).assignToPool(licenceId, pool);
    const count = (config.tranches ?? []).length;
    const tranches = [];
    for (let i = 0; i < count; i++)
      tranches.push(TrancheToken__factory.connect((await pool.trancheOf(i)).token, originator));
    return { pool, tranches };
  };

  /** Approve and subscribe `amount` of a tranche as `investor`. */
  const subscribe = async (
    pool: Awaited<ReturnType<typeof createPool | typeof createClockedPool>>["pool"],
    investor: Signer,
    tranche: number,
    amount: bigint,
  ) => {
    await stablecoin.connect(investor).approve(await pool.getAddress(), amount);
    await pool.connect(investor).subscribe(tranche, amount);
  };

  return {
    ...contracts,
    stablecoin,
    signers: {
      admin,
      registrar,
      patentee,
      originator,
      guarantor,
      feeRecipient,
      outsider,
      unidentified,
      licensees,
      investors,
    },
    patents,
    firstLicenceId,
    now,
    recordSubLicence,
    createPool,
    createClockedPool,
    subscribe,
  };
}

export type LicensingFixture = Awaited<ReturnType<typeof deployLicensingFixture>>;
