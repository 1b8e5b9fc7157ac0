/**
 * The IP asset register (SPEC §3): what the registrar records and which records it refuses.
 */
import { expect } from "chai";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { AssetKind, AssetStatus, DAY, FreezeKind, YEAR, docHash } from "./helpers/registryFixture";
import {
  MAX_HOLDERS,
  Reason,
  UNKNOWN_ID,
  WHOLE,
  expectedAssetId,
  fixture,
  holdersAre,
  recordNew,
  soleHolder,
} from "./helpers/assetRecords";

describe("IPAssetRegister — records", () => {
  describe("recordAsset", () => {
    it("identifies an asset by keccak256(abi.encode(kind, officialNumber))", async () => {
      const f = await fixture();
      const number = "ZL202310777777.1";
      const id = expectedAssetId(AssetKind.UtilityModel, number);
      const registrar = f.assetRegister.connect(f.signers.registrar);
      const args = [
        AssetKind.UtilityModel,
        number,
        soleHolder(f.signers.bob),
        f.now - DAY,
        f.now + 9n * YEAR,
        f.now + YEAR,
        docHash(number),
      ] as const;

      expect(await registrar.recordAsset.staticCall(...args)).to.equal(id);
      expect(await f.assetRegister.assetIdOf(AssetKind.UtilityModel, number)).to.equal(id);
      await registrar.recordAsset(...args);
      expect(await f.assetRegister.officialNumberOf(id)).to.equal(number);
      // The same number under another kind is another asset.
      expect(await f.assetRegister.assetIdOf(AssetKind.Design, number)).to.not.equal(id);
      expect((await f.assetRegister.assetOf(expectedAssetId(AssetKind.Design, number))).recordedAt).to.equal(0n);
    });

    it("gives the fixture's assets the ids computed from kind and number", async () => {
      const f = await fixture();
      expect(f.assets.soloPatent).to.equal(expectedAssetId(AssetKind.InventionPatent, "ZL202110012345.6"));
      expect(f.assets.coOwnedPatent).to.equal(expectedAssetId(AssetKind.InventionPatent, "ZL202220054321.X"));
      expect(f.assets.trademark).to.equal(expectedAssetId(AssetKind.Trademark, "TM-56781234"));
    });

    it("records an asset with grant date 0 as Applied", async () => {
      const f = await fixture();
      const id = await recordNew(f, "CN202410001111.0", { grantDate: 0n, expiryDate: 0n, feesPaidUntil: 0n });
      const asset = await f.assetRegister.assetOf(id);
      expect(asset.status).to.equal(AssetStatus.Applied);
      expect(asset.grantDate).to.equal(0n);
    });

    it("records an asset with a grant date as Granted, with its term, fees and holders", async () => {
      const f = await fixture();
      const grant = f.now - 3n * YEAR;
      const expiry = f.now + 17n * YEAR;
      const fees = f.now + 200n * DAY;
      const holders = [
        { holder: f.signers.alice.address, shareBps: 7_500 },
        { holder: f.signers.carol.address, shareBps: 2_500 },
      ];
      const id = await recordNew(f, "ZL202010123456.7", {
        holders,
        grantDate: grant,
        expiryDate: expiry,
        feesPaidUntil: fees,
      });
      const recordedAt = BigInt(await time.latest());

      const asset = await f.assetRegister.assetOf(id);
      expect(asset.kind).to.equal(AssetKind.InventionPatent);
      expect(asset.status).to.equal(AssetStatus.Granted);
      expect(asset.freeze).to.equal(FreezeKind.None);
      expect(asset.invalidationPending).to.equal(false);
      expect(asset.holderCount).to.equal(2n);
      expect(asset.grantDate).to.equal(grant);
      expect(asset.expiryDate).to.equal(expiry);
      expect(asset.feesPaidUntil).to.equal(fees);
      expect(asset.recordedAt).to.equal(recordedAt);
      expect((await f.assetRegister.holdersOf(id)).map((h) => [h.holder, h.shareBps])).to.deep.equal([
        [f.signers.alice.address, 7_500n],
        [f.signers.carol.address, 2_500n],
      ]);
      expect(await f.assetRegister.isHolder(id, f.signers.carol.address)).to.equal(true);
      expect(await f.assetRegister.isHolder(id, f.signers.bob.address)).to.equal(false);
    });

    it("emits AssetRecorded and HoldersRecorded with the recorded values", async () => {
      const f = await fixture();
      const number = "ZL202310555555.5";
      const id = expectedAssetId(AssetKind.Design, number);
      const holders = [
        { holder: f.signers.bob.address, shareBps: 3_000 },
        { holder: f.signers.alice.address, shareBps: 7_000 },
      ];
      const [grant, expiry, fees] = [f.now - DAY, f.now + 14n * YEAR, f.now + YEAR];
      const tx = f.assetRegister
        .connect(f.signers.registrar)
        .recordAsset(AssetKind.Design, number, holders, grant, expiry, fees, docHash("design-certificate"));
      await expect(tx)
        .to.emit(f.assetRegister, "AssetRecorded")
        .withArgs(
          id,
          AssetKind.Design,
          number,
          AssetStatus.Granted,
          grant,
          expiry,
          fees,
          docHash("design-certificate"),
        );
      await expect(tx)
        .to.emit(f.assetRegister, "HoldersRecorded")
        .withArgs(id, holdersAre(holders), docHash("design-certificate"));
    });

    it("refuses to record the same kind and number twice", async () => {
      const f = await fixture();
      await expect(recordNew(f, "ZL202110012345.6"))
        .to.be.revertedWithCustomError(f.assetRegister, "AssetAlreadyRecorded")
        .withArgs(expectedAssetId(AssetKind.InventionPatent, "ZL202110012345.6"));
    });

    it("refuses an empty official number", async () => {
      const f = await fixture();
      await expect(recordNew(f, "")).to.be.revertedWithCustomError(f.assetRegister, "OfficialNumberEmpty");
    });

    it("refuses an asset without holders", async () => {
      const f = await fixture();
      await expect(recordNew(f, "ZL202310000001.1", { holders: [] }))
        .to.be.revertedWithCustomError(f.assetRegister, "HolderCountInvalid")
        .withArgs(0n, MAX_HOLDERS);
    });

    it("refuses more than 16 holders", async () => {
      const f = await fixture();
      // 17 distinct, non-zero holders whose shares add up to 10,000: only the count is wrong.
      const holders = Array.from({ length: 17 }, (_, i) => ({
        holder: `0x${(i + 1).toString(16).padStart(40, "0")}`,
        shareBps: i === 0 ? WHOLE - 16 * 588 : 588,
      }));
      await expect(recordNew(f, "ZL202310000002.2", { holders }))
        .to.be.revertedWithCustomError(f.assetRegister, "HolderCountInvalid")
        .withArgs(17n, MAX_HOLDERS);
    });

    it("accepts exactly 16 holders", async () => {
      const f = await fixture();
      const holders = Array.from({ length: 16 }, (_, i) => ({
        holder: `0x${(i + 1).toString(16).padStart(40, "0")}`,
        shareBps: WHOLE / 16 + (i === 0 ? WHOLE % 16 : 0),
      }));
      const id = await recordNew(f, "ZL202310000003.3", { holders });
      expect((await f.assetRegister.holdersOf(id)).length).to.equal(16);
    });

    it("refuses the zero address as a holder, naming its index", async () => {
      const f = await fixture();
      const holders = [
        { holder: f.signers.alice.address, shareBps: 5_000 },
        { holder: "0x0000000000000000000000000000000000000000", shareBps: 5_000 },
      ];
      await expect(recordNew(f, "ZL202310000004.4", { holders }))
        .to.be.revertedWithCustomError(f.assetRegister, "HolderInvalid")
        .withArgs(1n);
    });

    it("refuses a holder with a zero share, naming its index", async () => {
      const f = await fixture();
      const holders = [
        { holder: f.signers.alice.address, shareBps: 0 },
        { holder: f.signers.bob.address, shareBps: WHOLE },
      ];
      await expect(recordNew(f, "ZL202310000005.5", { holders }))
        .to.be.revertedWithCustomError(f.assetRegister, "HolderInvalid")
        .withArgs(0n);
    });

    it("refuses a holder listed twice", async () => {
      const f = await fixture();
      const holders = [
        { holder: f.signers.alice.address, shareBps: 4_000 },
        { holder: f.signers.bob.address, shareBps: 2_000 },
        { holder: f.signers.alice.address, shareBps: 4_000 },
      ];
      await expect(recordNew(f, "ZL202310000006.6", { holders }))
        .to.be.revertedWithCustomError(f.assetRegister, "HolderDuplicated")
        .withArgs(f.signers.alice.address);
    });

    it("refuses shares that do not add up to 10,000 basis points", async () => {
      const f = await fixture();
      const short = [
        { holder: f.signers.alice.address, shareBps: 6_000 },
        { holder: f.signers.bob.address, shareBps: 3_999 },
      ];
      await expect(recordNew(f, "ZL202310000007.7", { holders: short }))
        .to.be.revertedWithCustomError(f.assetRegister, "HolderSharesNotWhole")
        .withArgs(9_999n);
      const over = [
        { holder: f.signers.alice.address, shareBps: 6_000 },
        { holder: f.signers.bob.address, shareBps: 4_001 },
      ];
      await expect(recordNew(f, "ZL202310000007.7", { holders: over }))
        .to.be.revertedWithCustomError(f.assetRegister, "HolderSharesNotWhole")
        .withArgs(10_001n);
    });

    it("refuses an expiry date not after the grant date", async () => {
      const f = await fixture();
      const grant = f.now - YEAR;
      await expect(recordNew(f, "ZL202310000008.8", { grantDate: grant, expiryDate: grant }))
        .to.be.revertedWithCustomError(f.assetRegister, "AssetTermInvalid")
        .withArgs(grant, grant);
      await expect(recordNew(f, "ZL202310000008.8", { grantDate: grant, expiryDate: grant - 1n }))
        .to.be.revertedWithCustomError(f.assetRegister, "AssetTermInvalid")
        .withArgs(grant, grant - 1n);
    });

    it("accepts a granted asset with no fixed expiry (expiry date 0)", async () => {
      const f = await fixture();
      const id = await recordNew(f, "GI-2024-0042", {
        kind: AssetKind.GeographicalIndication,
        expiryDate: 0n,
        feesPaidUntil: 0n,
      });
      expect((await f.assetRegister.assetOf(id)).status).to.equal(AssetStatus.Granted);
      expect(await f.assetRegister.standingOf(id)).to.equal(Reason.None);
    });
  });

  describe("recordTerm", () => {
    it("grants an applied asset: records the term, moves it to Granted and emits AssetStatusRecorded", async () => {
      const f = await fixture();
      const id = await recordNew(f, "CN202410002222.0", { grantDate: 0n, expiryDate: 0n, feesPaidUntil: 0n });
      const [grant, expiry] = [f.now, f.now + 20n * YEAR];
      const tx = f.assetRegister.connect(f.signers.registrar).recordTerm(id, grant, expiry, docHash("grant-notice"));
      await expect(tx)
        .to.emit(f.assetRegister, "AssetTermRecorded")
        .withArgs(id, grant, expiry, docHash("grant-notice"));
      await expect(tx)
        .to.emit(f.assetRegister, "AssetStatusRecorded")
        .withArgs(id, AssetStatus.Granted, docHash("grant-notice"));
      const asset = await f.assetRegister.assetOf(id);
      expect(asset.status).to.equal(AssetStatus.Granted);
      expect(asset.grantDate).to.equal(grant);
      expect(asset.expiryDate).to.equal(expiry);
    });

    it("renews a trademark by extending its expiry, without a status change", async () => {
      const f = await fixture();
      // The fixture's trademark: granted a year ago, expiring in nine years.
      const grant = f.now - YEAR;
      const renewedExpiry = f.now + 19n * YEAR;
      const tx = f.assetRegister
        .connect(f.signers.registrar)
        .recordTerm(f.assets.trademark, grant, renewedExpiry, docHash("renewal"));
      await expect(tx)
        .to.emit(f.assetRegister, "AssetTermRecorded")
        .withArgs(f.assets.trademark, grant, renewedExpiry, docHash("renewal"));
      await expect(tx).to.not.emit(f.assetRegister, "AssetStatusRecorded");
      const asset = await f.assetRegister.assetOf(f.assets.trademark);
      expect(asset.expiryDate).to.equal(renewedExpiry);
      expect(asset.status).to.equal(AssetStatus.Granted);

      // Past the original expiry the renewed trademark is still in force.
      await time.increaseTo(f.now + 10n * YEAR);
      expect(await f.assetRegister.standingOf(f.assets.trademark)).to.equal(Reason.None);
    });

    it("does not revive a lapsed asset", async () => {
      const f = await fixture();
      await f.assetRegister
        .connect(f.signers.registrar)
        .recordStatus(f.assets.soloPatent, AssetStatus.Lapsed, docHash("lapse"));
      await f.assetRegister
        .connect(f.signers.registrar)
        .recordTerm(f.assets.soloPatent, f.now - 2n * YEAR, f.now + 19n * YEAR, docHash("correction"));
      expect((await f.assetRegister.assetOf(f.assets.soloPatent)).status).to.equal(AssetStatus.Lapsed);
    });

    it("refuses a term without a grant date", async () => {
      const f = await fixture();
      await expect(
        f.assetRegister.connect(f.signers.registrar).recordTerm(f.assets.soloPatent, 0, f.now + YEAR, docHash("x")),
      )
        .to.be.revertedWithCustomError(f.assetRegister, "AssetTermInvalid")
        .withArgs(0n, f.now + YEAR);
    });

    it("refuses an expiry date not after the grant date", async () => {
      const f = await fixture();
      await expect(
        f.assetRegister.connect(f.signers.registrar).recordTerm(f.assets.soloPatent, f.now, f.now, docHash("x")),
      )
        .to.be.revertedWithCustomError(f.assetRegister, "AssetTermInvalid")
        .withArgs(f.now, f.now);
    });

    it("refuses an unknown asset", async () => {
      const f = await fixture();
      await expect(
        f.assetRegister.connect(f.signers.registrar).recordTerm(UNKNOWN_ID, f.now, f.now + YEAR, docHash("x")),
      )
        .to.be.revertedWithCustomError(f.assetRegister, "AssetNotRecorded")
        .withArgs(UNKNOWN_ID);
    });
  });

  describe("recordAnnualFees", () => {
    it("records the date annual fees are paid until and emits AnnualFeesRecorded", async () => {
      const f = await fixture();
      const paidUntil = f.now + 2n * YEAR;
      await expect(
        f.assetRegister
          .connect(f.signers.registrar)
          .recordAnnualFees(f.assets.soloPatent, paidUntil, docHash("fee-receipt")),
      )
        .to.emit(f.assetRegister, "AnnualFeesRecorded")
        .withArgs(f.assets.soloPatent, paidUntil, docHash("fee-receipt"));
      expect((await f.assetRegister.assetOf(f.assets.soloPatent)).feesPaidUntil).to.equal(paidUntil);
    });

    it("refuses an unknown asset", async () => {
      const f = await fixture();
      await expect(
        f.assetRegister.connect(f.signers.registrar).recordAnnualFees(UNKNOWN_ID, f.now + YEAR, docHash("x")),
      )
        .to.be.revertedWithCustomError(f.assetRegister, "AssetNotRecorded")
        .withArgs(UNKNOWN_ID);
    });
  });

  describe("recordStatus", () => {
    it("records a lapse", async () => {
      const f = await fixture();
      await expect(
        f.assetRegister
          .connect(f.signers.registrar)
          .recordStatus(f.assets.soloPatent, AssetStatus.Lapsed, docHash("lapse")),
      )
        .to.emit(f.assetRegister, "AssetStatusRecorded")
        .withArgs(f.assets.soloPatent, AssetStatus.Lapsed, docHash("lapse"));
      expect((await f.assetRegister.assetOf(f.assets.soloPatent)).status).to.equal(AssetStatus.Lapsed);
    });

    it("records an invalidation", async () => {
      const f = await fixture();
      await expect(
        f.assetRegister
          .connect(f.signers.registrar)
          .recordStatus(f.assets.coOwnedPatent, AssetStatus.Invalidated, docHash("decision")),
      )
        .to.emit(f.assetRegister, "AssetStatusRecorded")
        .withArgs(f.assets.coOwnedPatent, AssetStatus.Invalidated, docHash("decision"));
      expect((await f.assetRegister.assetOf(f.assets.coOwnedPatent)).status).to.equal(AssetStatus.Invalidated);
    });

    it("restores a lapsed asset that has a grant date to Granted", async () => {
      const f = await fixture();
      const registrar = f.assetRegister.connect(f.signers.registrar);
      await registrar.recordStatus(f.assets.soloPatent, AssetStatus.Lapsed, docHash("lapse"));
      await expect(registrar.recordStatus(f.assets.soloPatent, AssetStatus.Granted, docHash("restoration")))
        .to.emit(f.assetRegister, "AssetStatusRecorded")
        .withArgs(f.assets.soloPatent, AssetStatus.Granted, docHash("restoration"));
      expect((await f.assetRegister.assetOf(f.assets.soloPatent)).status).to.equal(AssetStatus.Granted);
    });

    it("refuses Granted for an asset without a grant date (a grant goes through recordTerm)", async () => {
      const f = await fixture();
      const id = await recordNew(f, "CN202410003333.0", { grantDate: 0n, expiryDate: 0n, feesPaidUntil: 0n });
      await expect(f.assetRegister.connect(f.signers.registrar).recordStatus(id, AssetStatus.Granted, docHash("x")))
        .to.be.revertedWithCustomError(f.assetRegister, "AssetStatusChangeInvalid")
        .withArgs(AssetStatus.Applied, AssetStatus.Granted);
    });

    it("refuses to send a granted asset back to Applied", async () => {
      const f = await fixture();
      await expect(
        f.assetRegister
          .connect(f.signers.registrar)
          .recordStatus(f.assets.soloPatent, AssetStatus.Applied, docHash("x")),
      )
        .to.be.revertedWithCustomError(f.assetRegister, "AssetStatusChangeInvalid")
        .withArgs(AssetStatus.Granted, AssetStatus.Applied);
    });

    it("refuses to send a lapsed asset back to Applied", async () => {
      const f = await fixture();
      const registrar = f.assetRegister.connect(f.signers.registrar);
      await registrar.recordStatus(f.assets.soloPatent, AssetStatus.Lapsed, docHash("lapse"));
      await expect(registrar.recordStatus(f.assets.soloPatent, AssetStatus.Applied, docHash("x")))
        .to.be.revertedWithCustomError(f.assetRegister, "AssetStatusChangeInvalid")
        .withArgs(AssetStatus.Lapsed, AssetStatus.Applied);
    });

    it("refuses an unknown asset", async () => {
      const f = await fixture();
      await expect(
        f.assetRegister.connect(f.signers.registrar).recordStatus(UNKNOWN_ID, AssetStatus.Lapsed, docHash("x")),
      )
        .to.be.revertedWithCustomError(f.assetRegister, "AssetNotRecorded")
        .withArgs(UNKNOWN_ID);
    });
  });

  describe("recordInvalidationProceedings", () => {
    it("records proceedings opened and closed, each with an event", async () => {
      const f = await fixture();
      const registrar = f.assetRegister.connect(f.signers.registrar);
      await expect(registrar.recordInvalidationProceedings(f.assets.soloPatent, true, docHash("request")))
        .to.emit(f.assetRegister, "InvalidationProceedingsRecorded")
        .withArgs(f.assets.soloPatent, true, docHash("request"));
      expect((await f.assetRegister.assetOf(f.assets.soloPatent)).invalidationPending).to.equal(true);

      await expect(registrar.recordInvalidationProceedings(f.assets.soloPatent, false, docHash("rejected")))
        .to.emit(f.assetRegister, "InvalidationProceedingsRecorded")
        .withArgs(f.assets.soloPatent, false, docHash("rejected"));
      expect((await f.assetRegister.assetOf(f.assets.soloPatent)).invalidationPending).to.equal(false);
    });

    it("leaves the asset's standing alone (pending proceedings are a pledge rule, not a defect of the asset)", async () => {
      const f = await fixture();
      await f.assetRegister
        .connect(f.signers.registrar)
        .recordInvalidationProceedings(f.assets.soloPatent, true, docHash("request"));
      expect(await f.assetRegister.standingOf(f.assets.soloPatent)).to.equal(Reason.None);
    });

    it("refuses an unknown asset", async () => {
      const f = await fixture();
      await expect(
        f.assetRegister.connect(f.signers.registrar).recordInvalidationProceedings(UNKNOWN_ID, true, docHash("x")),
      )
        .to.be.revertedWithCustomError(f.assetRegister, "AssetNotRecorded")
        .withArgs(UNKNOWN_ID);
    });
  });

  describe("recordFreeze", () => {
    it("freezes an asset for an ownership dispute and lifts the freeze", async () => {
      const f = await fixture();
      const registrar = f.assetRegister.connect(f.signers.registrar);
      await expect(registrar.recordFreeze(f.assets.soloPatent, FreezeKind.OwnershipDispute, docHash("dispute")))
        .to.emit(f.assetRegister, "FreezeRecorded")
        .withArgs(f.assets.soloPatent, FreezeKind.OwnershipDispute, docHash("dispute"));
      expect((await f.assetRegister.assetOf(f.assets.soloPatent)).freeze).to.equal(FreezeKind.OwnershipDispute);

      await expect(registrar.recordFreeze(f.assets.soloPatent, FreezeKind.None, docHash("settled")))
        .to.emit(f.assetRegister, "FreezeRecorded")
        .withArgs(f.assets.soloPatent, FreezeKind.None, docHash("settled"));
      expect((await f.assetRegister.assetOf(f.assets.soloPatent)).freeze).to.equal(FreezeKind.None);
    });

    it("records a court preservation order", async () => {
      const f = await fixture();
      await expect(
        f.assetRegister
          .connect(f.signers.registrar)
          .recordFreeze(f.assets.trademark, FreezeKind.PreservationOrder, docHash("court-order")),
      )
        .to.emit(f.assetRegister, "FreezeRecorded")
        .withArgs(f.assets.trademark, FreezeKind.PreservationOrder, docHash("court-order"));
      expect((await f.assetRegister.assetOf(f.assets.trademark)).freeze).to.equal(FreezeKind.PreservationOrder);
    });

    it("refuses an unknown asset", async () => {
      const f = await fixture();
      await expect(
        f.assetRegister
          .connect(f.signers.registrar)
          .recordFreeze(UNKNOWN_ID, FreezeKind.OwnershipDispute, docHash("x")),
      )
        .to.be.revertedWithCustomError(f.assetRegister, "AssetNotRecorded")
        .withArgs(UNKNOWN_ID);
    });
  });

  describe("recordHolders", () => {
    it("replaces the whole holder list and emits HoldersRecorded", async () => {
      const f = await fixture();
      const newHolders = [
        { holder: f.signers.bob.address, shareBps: 2_500 },
        { holder: f.signers.carol.address, shareBps: 7_500 },
      ];
      await expect(
        f.assetRegister
          .connect(f.signers.registrar)
          .recordHolders(f.assets.soloPatent, newHolders, docHash("assignment")),
      )
        .to.emit(f.assetRegister, "HoldersRecorded")
        .withArgs(f.assets.soloPatent, holdersAre(newHolders), docHash("assignment"));
      expect((await f.assetRegister.holdersOf(f.assets.soloPatent)).map((h) => [h.holder, h.shareBps])).to.deep.equal([
        [f.signers.bob.address, 2_500n],
        [f.signers.carol.address, 7_500n],
      ]);
      expect(await f.assetRegister.isHolder(f.assets.soloPatent, f.signers.alice.address)).to.equal(false);
      expect(await f.assetRegister.isHolder(f.assets.soloPatent, f.signers.bob.address)).to.equal(true);
    });

    it("shrinking two holders to one leaves exactly that one holder", async () => {
      const f = await fixture();
      // coOwnedPatent: alice 60 %, bob 40 %. After a disposal bob holds it alone.
      await f.assetRegister
        .connect(f.signers.registrar)
        .recordHolders(f.assets.coOwnedPatent, soleHolder(f.signers.bob), docHash("disposal"));
      const holders = await f.assetRegister.holdersOf(f.assets.coOwnedPatent);
      expect(holders.map((h) => [h.holder, h.shareBps])).to.deep.equal([[f.signers.bob.address, 10_000n]]);
      expect((await f.assetRegister.assetOf(f.assets.coOwnedPatent)).holderCount).to.equal(1n);
      expect(await f.assetRegister.isHolder(f.assets.coOwnedPatent, f.signers.bob.address)).to.equal(true);
      expect(await f.assetRegister.isHolder(f.assets.coOwnedPatent, f.signers.alice.address)).to.equal(false);
    });

    it("a former holder who left in a shrink is not revived by a stale slot when the list grows back", async () => {
      const f = await fixture();
      const registrar = f.assetRegister.connect(f.signers.registrar);
      await registrar.recordHolders(f.assets.coOwnedPatent, soleHolder(f.signers.carol), docHash("disposal"));
      const regrown = [
        { holder: f.signers.carol.address, shareBps: 5_000 },
        { holder: f.signers.outsider.address, shareBps: 5_000 },
      ];
      await registrar.recordHolders(f.assets.coOwnedPatent, regrown, docHash("partial assignment"));
      expect(
        (await f.assetRegister.holdersOf(f.assets.coOwnedPatent)).map((h) => [h.holder, h.shareBps]),
      ).to.deep.equal([
        [f.signers.carol.address, 5_000n],
        [f.signers.outsider.address, 5_000n],
      ]);
      expect(await f.assetRegister.isHolder(f.assets.coOwnedPatent, f.signers.alice.address)).to.equal(false);
      expect(await f.assetRegister.isHolder(f.assets.coOwnedPatent, f.signers.bob.address)).to.equal(false);
    });

    it("validates the new list like recordAsset and keeps the old holders on refusal", async () => {
      const f = await fixture();
      const registrar = f.assetRegister.connect(f.signers.registrar);
      await expect(registrar.recordHolders(f.assets.coOwnedPatent, [], docHash("x")))
        .to.be.revertedWithCustomError(f.assetRegister, "HolderCountInvalid")
        .withArgs(0n, MAX_HOLDERS);
      await expect(
        registrar.recordHolders(
          f.assets.coOwnedPatent,
          [{ holder: f.signers.bob.address, shareBps: 9_000 }],
          docHash("x"),
        ),
      )
        .to.be.revertedWithCustomError(f.assetRegister, "HolderSharesNotWhole")
        .withArgs(9_000n);
      await expect(
        registrar.recordHolders(
          f.assets.coOwnedPatent,
          [
            { holder: f.signers.bob.address, shareBps: 5_000 },
            { holder: f.signers.bob.address, shareBps: 5_000 },
          ],
          docHash("x"),
        ),
      )
        .to.be.revertedWithCustomError(f.assetRegister, "HolderDuplicated")
        .withArgs(f.signers.bob.address);
      expect(
        (await f.assetRegister.holdersOf(f.assets.coOwnedPatent)).map((h) => [h.holder, h.shareBps]),
      ).to.deep.equal([
        [f.signers.alice.address, 6_000n],
        [f.signers.bob.address, 4_000n],
      ]);
    });

    it("refuses an unknown asset", async () => {
      const f = await fixture();
      await expect(
        f.assetRegister
          .connect(f.signers.registrar)
          .recordHolders(UNKNOWN_ID, soleHolder(f.signers.alice), docHash("x")),
      )
        .to.be.revertedWithCustomError(f.assetRegister, "AssetNotRecorded")
        .withArgs(UNKNOWN_ID);
    });
  });
});
