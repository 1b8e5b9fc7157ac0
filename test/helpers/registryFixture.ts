/**
 * The fixture every pledge test starts from: the production wiring (scripts/lib/deployRegistry.ts), a stand-in
 * valuation registry, two licensed banks, one unlicensed lender, and a few recorded assets:
 *  - soloPatent:    invention patent held by alice alone, in force for 18 more years, fees paid for a year
 *  - coOwnedPatent: invention patent held by alice (60 %) and bob (40 %)
 *  - trademark:     trademark held by carol (no annual fees; renewed every ten years)
 * and one valuation report covering all three.
 */
import { ethers } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { encodeBytes32String, id as keccakText } from "ethers";
import { deployRegistry } from "../../scripts/lib/deployRegistry";
import { Roles } from "../../definitions/roles";
import { cny } from "../../definitions/riskSchemes";

export const DAY = 24n * 60n * 60n;
export const YEAR = 365n * DAY;

export const AssetKind = {
  InventionPatent: 0,
  UtilityModel: 1,
  Design: 2,
  Trademark: 3,
  Copyright: 4,
  SoftwareCopyright: 5,
  GeographicalIndication: 6,
  PlantVariety: 7,
  DataRight: 8,
  ICLayoutDesign: 9,
} as const;
export const AssetStatus = { Applied: 0, Granted: 1, Lapsed: 2, Invalidated: 3 } as const;
export const FreezeKind = { None: 0, OwnershipDispute: 1, PreservationOrder: 2 } as const;
export const PledgeStatus = {
  None: 0,
  Pending: 1,
  Registered: 2,
  Released: 3,
  Enforced: 4,
  Disposed: 5,
  Refused: 6,
  Withdrawn: 7,
} as const;
export const ValuationVerdict = {
  Valid: 0,
  Unknown: 1,
  Revoked: 2,
  Superseded: 3,
  Expired: 4,
  AssetNotCovered: 5,
} as const;
export const DisposalMethod = { Transfer: 0, ReverseLicence: 1, DebtToEquity: 2 } as const;

/** "CNY" as the bytes3 the contracts store. */
export const CNY = ethers.hexlify(ethers.toUtf8Bytes("CNY"));
/** A borrower's unified social credit code (18 characters) as bytes32. */
export const DEBTOR = encodeBytes32String("91440101MA5CXYZ12K");
export const docHash = (label: string) => keccakText(label);

export async function deployRegistryFixture() {
  const [admin, registrar, bank, secondBank, unlicensedLender, alice, bob, carol, relayer, outsider] =
    await ethers.getSigners();
  const valuations = await (await ethers.getContractFactory("MockValuationVerifier")).deploy();
  const contracts = await deployRegistry({
    admin,
    registrar: registrar.address,
    valuationVerifier: await valuations.getAddress(),
  });
  const { accessManager, assetRegister } = contracts;

  // The registrar licenses the two banks.
  await accessManager.connect(registrar).grantRole(Roles.PLEDGEE, bank.address, 0);
  await accessManager.connect(registrar).grantRole(Roles.PLEDGEE, secondBank.address, 0);

  const now = BigInt(await time.latest());
  const record = async (
    kind: number,
    officialNumber: string,
    holders: { holder: string; shareBps: number }[],
    term = { grantDate: now - 2n * YEAR, expiryDate: now + 18n * YEAR, feesPaidUntil: now + YEAR },
  ) => {
    await assetRegister
      .connect(registrar)
      .recordAsset(
        kind,
        officialNumber,
        holders,
        term.grantDate,
        term.expiryDate,
        term.feesPaidUntil,
        docHash(officialNumber),
      );
    return assetRegister.assetIdOf(kind, officialNumber);
  };
  const soloPatent = await record(AssetKind.InventionPatent, "ZL202110012345.6", [
    { holder: alice.address, shareBps: 10_000 },
  ]);
  const coOwnedPatent = await record(AssetKind.InventionPatent, "ZL202220054321.X", [
    { holder: alice.address, shareBps: 6_000 },
    { holder: bob.address, shareBps: 4_000 },
  ]);
  const trademark = await record(AssetKind.Trademark, "TM-56781234", [{ holder: carol.address, shareBps: 10_000 }], {
    grantDate: now - YEAR,
    expiryDate: now + 9n * YEAR,
    feesPaidUntil: 0n,
  });

  const reportId = keccakText("valuation-report-2026-001");
  await valuations.setReport(reportId, [soloPatent, coOwnedPatent, trademark]);

  return {
    ...contracts,
    valuations,
    signers: { admin, registrar, bank, secondBank, unlicensedLender, alice, bob, carol, relayer, outsider },
    assets: { soloPatent, coOwnedPatent, trademark },
    reportId,
    now,
    principal: cny(10_000_000),
  };
}

export type RegistryFixture = Awaited<ReturnType<typeof deployRegistryFixture>>;
