/**
 * Shared helpers of the asset-register tests: expected ids, holder lists, and recording a new asset.
 */
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { AbiCoder, keccak256 } from "ethers";
import { AssetKind, YEAR, deployRegistryFixture, docHash, type RegistryFixture } from "./registryFixture";

export const Reason = {
  None: 0n,
  AssetNotInForce: 2n,
  AssetNotGranted: 3n,
  AnnualFeeUnpaid: 4n,
  AssetFrozen: 5n,
} as const;
export const MAX_HOLDERS = 16n;
export const WHOLE = 10_000;

export type HolderShare = { holder: string; shareBps: number };

/** The id the register must give an asset: keccak256(abi.encode(uint8 kind, string officialNumber)). */
export const expectedAssetId = (kind: number, officialNumber: string) =>
  keccak256(AbiCoder.defaultAbiCoder().encode(["uint8", "string"], [kind, officialNumber]));

export const soleHolder = (account: { address: string }): HolderShare[] => [
  { holder: account.address, shareBps: WHOLE },
];

/** A predicate for `withArgs` matching a `Holder[]` event argument against the expected list, in order. */
export const holdersAre = (expected: HolderShare[]) => (actual: readonly (readonly [string, bigint])[]) =>
  actual.length === expected.length &&
  expected.every((h, i) => actual[i][0] === h.holder && actual[i][1] === BigInt(h.shareBps));

/** `f.now` is the fixture's clock when it recorded its assets: their dates are relative to it. */
export const fixture = () => loadFixture(deployRegistryFixture);

/** Records a new asset as the registrar; defaults to a granted invention patent held by alice alone. */
export async function recordNew(
  f: RegistryFixture,
  officialNumber: string,
  opts: {
    kind?: number;
    holders?: HolderShare[];
    grantDate?: bigint;
    expiryDate?: bigint;
    feesPaidUntil?: bigint;
  } = {},
) {
  const now = BigInt(await time.latest());
  const kind = opts.kind ?? AssetKind.InventionPatent;
  await f.assetRegister
    .connect(f.signers.registrar)
    .recordAsset(
      kind,
      officialNumber,
      opts.holders ?? soleHolder(f.signers.alice),
      opts.grantDate ?? now - YEAR,
      opts.expiryDate ?? now + 19n * YEAR,
      opts.feesPaidUntil ?? now + YEAR,
      docHash(officialNumber),
    );
  return expectedAssetId(kind, officialNumber);
}

export const UNKNOWN_ID = expectedAssetId(AssetKind.InventionPatent, "ZL209999999999.9");
