/**
 * The IP asset register (SPEC §3): how an asset's standing follows from its record, who may write to it, and that an
 * asset's history can be rebuilt from events alone.
 */
import { expect } from "chai";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { anyValue } from "@nomicfoundation/hardhat-chai-matchers/withArgs";
import { type Signer } from "ethers";
import {
  AssetKind,
  AssetStatus,
  DAY,
  FreezeKind,
  YEAR,
  docHash,
  type RegistryFixture,
} from "./helpers/registryFixture";
import { Reason, UNKNOWN_ID, expectedAssetId, fixture, recordNew, soleHolder } from "./helpers/assetRecords";

describe("IPAssetRegister — standing, access and history", () => {
  describe("standingOf", () => {
    it("a granted patent in force with fees paid and no freeze has no problem", async () => {
      const f = await fixture();
      expect(await f.assetRegister.standingOf(f.assets.soloPatent)).to.equal(Reason.None);
      expect(await f.assetRegister.standingOf(f.assets.coOwnedPatent)).to.equal(Reason.None);
    });

    it("an asset only applied for is AssetNotGranted (even with no fees paid)", async () => {
      const f = await fixture();
      const id = await recordNew(f, "CN202410004444.0", { grantDate: 0n, expiryDate: 0n, feesPaidUntil: 0n });
      expect(await f.assetRegister.standingOf(id)).to.equal(Reason.AssetNotGranted);
    });

    it("a lapsed asset is AssetNotInForce", async () => {
      const f = await fixture();
      await f.assetRegister
        .connect(f.signers.registrar)
        .recordStatus(f.assets.soloPatent, AssetStatus.Lapsed, docHash("lapse"));
      expect(await f.assetRegister.standingOf(f.assets.soloPatent)).to.equal(Reason.AssetNotInForce);
    });

    it("an invalidated asset is AssetNotInForce", async () => {
      const f = await fixture();
      await f.assetRegister
        .connect(f.signers.registrar)
        .recordStatus(f.assets.soloPatent, AssetStatus.Invalidated, docHash("decision"));
      expect(await f.assetRegister.standingOf(f.assets.soloPatent)).to.equal(Reason.AssetNotInForce);
    });

    it("an asset is AssetNotInForce from the first second of its expiry date", async () => {
      const f = await fixture();
      const expiry = f.now + 30n * DAY;
      const id = await recordNew(f, "ZL200410009999.9", {
        grantDate: f.now - 20n * YEAR + 30n * DAY,
        expiryDate: expiry,
        feesPaidUntil: expiry,
      });
      await time.increaseTo(expiry - 2n);
      expect(await f.assetRegister.standingOf(id)).to.equal(Reason.None);
      await time.increaseTo(expiry);
      expect(await f.assetRegister.standingOf(id)).to.equal(Reason.AssetNotInForce);
    });

    it("a patent whose annual fees are not paid up to now is AnnualFeeUnpaid", async () => {
      const f = await fixture();
      await f.assetRegister
        .connect(f.signers.registrar)
        .recordAnnualFees(f.assets.soloPatent, f.now - DAY, docHash("correction"));
      expect(await f.assetRegister.standingOf(f.assets.soloPatent)).to.equal(Reason.AnnualFeeUnpaid);
    });

    it("a patent becomes AnnualFeeUnpaid once the paid-up date has passed", async () => {
      const f = await fixture();
      // The fixture paid soloPatent's fees until fixture time + 1 year.
      const paidUntil = f.now + YEAR;
      await time.increaseTo(paidUntil - 1n);
      expect(await f.assetRegister.standingOf(f.assets.soloPatent)).to.equal(Reason.None);
      await time.increaseTo(paidUntil + 1n);
      expect(await f.assetRegister.standingOf(f.assets.soloPatent)).to.equal(Reason.AnnualFeeUnpaid);
    });

    it("a trademark with feesPaidUntil 0 is fine: trademarks pay no annual fees", async () => {
      const f = await fixture();
      expect((await f.assetRegister.assetOf(f.assets.trademark)).feesPaidUntil).to.equal(0n);
      expect(await f.assetRegister.standingOf(f.assets.trademark)).to.equal(Reason.None);
    });

    it("with feesPaidUntil 0, patents, utility models, designs and plant varieties are AnnualFeeUnpaid; other kinds are fine", async () => {
      const f = await fixture();
      const payers = new Set<number>([
        AssetKind.InventionPatent,
        AssetKind.UtilityModel,
        AssetKind.Design,
        AssetKind.PlantVariety,
      ]);
      for (const [name, kind] of Object.entries(AssetKind)) {
        const id = await recordNew(f, `UNPAID-${name}`, { kind, feesPaidUntil: 0n });
        expect(await f.assetRegister.standingOf(id), name).to.equal(
          payers.has(kind) ? Reason.AnnualFeeUnpaid : Reason.None,
        );
      }
    });

    it("a frozen asset is AssetFrozen until the freeze is lifted", async () => {
      const f = await fixture();
      const registrar = f.assetRegister.connect(f.signers.registrar);
      await registrar.recordFreeze(f.assets.soloPatent, FreezeKind.OwnershipDispute, docHash("dispute"));
      expect(await f.assetRegister.standingOf(f.assets.soloPatent)).to.equal(Reason.AssetFrozen);
      await registrar.recordFreeze(f.assets.soloPatent, FreezeKind.PreservationOrder, docHash("court-order"));
      expect(await f.assetRegister.standingOf(f.assets.soloPatent)).to.equal(Reason.AssetFrozen);
      await registrar.recordFreeze(f.assets.soloPatent, FreezeKind.None, docHash("lifted"));
      expect(await f.assetRegister.standingOf(f.assets.soloPatent)).to.equal(Reason.None);
    });

    it("reports the first problem in SPEC order: unpaid fees before a freeze, not in force before unpaid fees", async () => {
      const f = await fixture();
      const registrar = f.assetRegister.connect(f.signers.registrar);
      const id = f.assets.soloPatent;
      await registrar.recordFreeze(id, FreezeKind.PreservationOrder, docHash("court-order"));
      await registrar.recordAnnualFees(id, f.now - DAY, docHash("correction"));
      expect(await f.assetRegister.standingOf(id)).to.equal(Reason.AnnualFeeUnpaid);
      await registrar.recordStatus(id, AssetStatus.Lapsed, docHash("lapse"));
      expect(await f.assetRegister.standingOf(id)).to.equal(Reason.AssetNotInForce);
    });

    it("reports the first problem in SPEC order: not granted before a freeze, not in force before not granted", async () => {
      const f = await fixture();
      const registrar = f.assetRegister.connect(f.signers.registrar);
      // An application whose expiry date is already known (the term runs from filing).
      const expiry = f.now + 30n * DAY;
      const id = await recordNew(f, "CN202410006666.0", { grantDate: 0n, expiryDate: expiry, feesPaidUntil: 0n });
      await registrar.recordFreeze(id, FreezeKind.OwnershipDispute, docHash("dispute"));
      expect(await f.assetRegister.standingOf(id)).to.equal(Reason.AssetNotGranted);
      await time.increaseTo(expiry);
      expect(await f.assetRegister.standingOf(id)).to.equal(Reason.AssetNotInForce);
    });

    it("refuses an unknown asset", async () => {
      const f = await fixture();
      await expect(f.assetRegister.standingOf(UNKNOWN_ID))
        .to.be.revertedWithCustomError(f.assetRegister, "AssetNotRecorded")
        .withArgs(UNKNOWN_ID);
    });
  });

  describe("access", () => {
    /** One valid call of each registrar function, sent by `caller`. */
    const registrarCalls = (f: RegistryFixture, caller: Signer) => {
      const register = f.assetRegister.connect(caller);
      const id = f.assets.soloPatent;
      return {
        recordAsset: () =>
          register.recordAsset(
            AssetKind.Copyright,
            "2024-A-00001",
            soleHolder(f.signers.alice),
            f.now,
            0,
            0,
            docHash("certificate"),
          ),
        recordTerm: () => register.recordTerm(id, f.now - 2n * YEAR, f.now + 19n * YEAR, docHash("correction")),
        recordAnnualFees: () => register.recordAnnualFees(id, f.now + 2n * YEAR, docHash("fee-receipt")),
        recordStatus: () => register.recordStatus(id, AssetStatus.Lapsed, docHash("lapse")),
        recordInvalidationProceedings: () => register.recordInvalidationProceedings(id, true, docHash("request")),
        recordFreeze: () => register.recordFreeze(id, FreezeKind.OwnershipDispute, docHash("dispute")),
        recordHolders: () => register.recordHolders(id, soleHolder(f.signers.bob), docHash("assignment")),
      };
    };
    const REGISTRAR_FUNCTIONS = [
      "recordAsset",
      "recordTerm",
      "recordAnnualFees",
      "recordStatus",
      "recordInvalidationProceedings",
      "recordFreeze",
      "recordHolders",
    ] as const;

    for (const fn of REGISTRAR_FUNCTIONS) {
      it(`only the registrar may call ${fn}: an outsider and a bank are unauthorised`, async () => {
        const f = await fixture();
        for (const caller of [f.signers.outsider, f.signers.bank]) {
          await expect(registrarCalls(f, caller)[fn]())
            .to.be.revertedWithCustomError(f.assetRegister, "AccessManagedUnauthorized")
            .withArgs(caller.address);
        }
        await expect(registrarCalls(f, f.signers.registrar)[fn]()).to.not.be.reverted;
      });
    }

    it("the admin's pause blocks recordAsset with EnforcedPause and unpause restores it", async () => {
      const f = await fixture();
      await expect(f.assetRegister.connect(f.signers.admin).pause())
        .to.emit(f.assetRegister, "Paused")
        .withArgs(f.signers.admin.address);
      await expect(registrarCalls(f, f.signers.registrar).recordAsset()).to.be.revertedWithCustomError(
        f.assetRegister,
        "EnforcedPause",
      );
      await expect(f.assetRegister.connect(f.signers.admin).unpause())
        .to.emit(f.assetRegister, "Unpaused")
        .withArgs(f.signers.admin.address);
      await expect(registrarCalls(f, f.signers.registrar).recordAsset())
        .to.emit(f.assetRegister, "AssetRecorded")
        .withArgs(
          expectedAssetId(AssetKind.Copyright, "2024-A-00001"),
          AssetKind.Copyright,
          "2024-A-00001",
          AssetStatus.Granted,
          f.now,
          0n,
          0n,
          docHash("certificate"),
        );
    });

    it("a pause blocks every registrar function but not the views", async () => {
      const f = await fixture();
      await f.assetRegister.connect(f.signers.admin).pause();
      const calls = registrarCalls(f, f.signers.registrar);
      for (const fn of REGISTRAR_FUNCTIONS) {
        await expect(calls[fn](), fn).to.be.revertedWithCustomError(f.assetRegister, "EnforcedPause");
      }
      expect(await f.assetRegister.standingOf(f.assets.soloPatent)).to.equal(Reason.None);
      expect(await f.assetRegister.isHolder(f.assets.soloPatent, f.signers.alice.address)).to.equal(true);
    });

    it("an outsider and the registrar cannot pause or unpause", async () => {
      const f = await fixture();
      for (const caller of [f.signers.outsider, f.signers.registrar]) {
        await expect(f.assetRegister.connect(caller).pause())
          .to.be.revertedWithCustomError(f.assetRegister, "AccessManagedUnauthorized")
          .withArgs(caller.address);
      }
      await f.assetRegister.connect(f.signers.admin).pause();
      for (const caller of [f.signers.outsider, f.signers.registrar]) {
        await expect(f.assetRegister.connect(caller).unpause())
          .to.be.revertedWithCustomError(f.assetRegister, "AccessManagedUnauthorized")
          .withArgs(caller.address);
      }
    });
  });

  describe("history from events", () => {
    it("rebuilds an asset's full history, in order, from its events alone", async () => {
      const f = await fixture();
      const registrar = f.assetRegister.connect(f.signers.registrar);
      const { alice, bob } = f.signers;
      const kind = AssetKind.InventionPatent;
      const number = "CN202410005555.0";
      const id = expectedAssetId(kind, number);
      const grant = f.now;
      const expiry = f.now + 20n * YEAR;
      const fees1 = f.now + YEAR;
      const fees2 = f.now + 2n * YEAR;
      const shared = [
        { holder: alice.address, shareBps: 5_000 },
        { holder: bob.address, shareBps: 5_000 },
      ];

      await registrar.recordAsset(kind, number, soleHolder(alice), 0, 0, 0, docHash("application"));
      await registrar.recordTerm(id, grant, expiry, docHash("grant"));
      await registrar.recordAnnualFees(id, fees1, docHash("fees-1"));
      // A change to another asset in between must not show up in this asset's history.
      await registrar.recordFreeze(f.assets.soloPatent, FreezeKind.OwnershipDispute, docHash("other-asset"));
      await registrar.recordInvalidationProceedings(id, true, docHash("invalidation-request"));
      await registrar.recordFreeze(id, FreezeKind.OwnershipDispute, docHash("dispute"));
      await registrar.recordHolders(id, shared, docHash("settlement"));
      await registrar.recordFreeze(id, FreezeKind.None, docHash("dispute-closed"));
      await registrar.recordInvalidationProceedings(id, false, docHash("invalidation-rejected"));
      await registrar.recordStatus(id, AssetStatus.Lapsed, docHash("lapse"));
      await registrar.recordStatus(id, AssetStatus.Granted, docHash("restoration"));
      await registrar.recordAnnualFees(id, fees2, docHash("fees-2"));

      const r = f.assetRegister;
      const logs = (
        await Promise.all([
          r.queryFilter(r.filters.AssetRecorded(id)),
          r.queryFilter(r.filters.HoldersRecorded(id)),
          r.queryFilter(r.filters.AssetTermRecorded(id)),
          r.queryFilter(r.filters.AnnualFeesRecorded(id)),
          r.queryFilter(r.filters.AssetStatusRecorded(id)),
          r.queryFilter(r.filters.InvalidationProceedingsRecorded(id)),
          r.queryFilter(r.filters.FreezeRecorded(id)),
        ])
      )
        .flat()
        .sort((a, b) => a.blockNumber - b.blockNumber || a.index - b.index);

      const plain = (v: unknown): unknown => (Array.isArray(v) ? Array.from(v, plain) : v);
      const history = logs.map((log) => [log.eventName, ...(plain(log.args) as unknown[])]);

      expect(history).to.deep.equal([
        ["AssetRecorded", id, BigInt(kind), number, BigInt(AssetStatus.Applied), 0n, 0n, 0n, docHash("application")],
        ["HoldersRecorded", id, [[alice.address, 10_000n]], docHash("application")],
        ["AssetTermRecorded", id, grant, expiry, docHash("grant")],
        ["AssetStatusRecorded", id, BigInt(AssetStatus.Granted), docHash("grant")],
        ["AnnualFeesRecorded", id, fees1, docHash("fees-1")],
        ["InvalidationProceedingsRecorded", id, true, docHash("invalidation-request")],
        ["FreezeRecorded", id, BigInt(FreezeKind.OwnershipDispute), docHash("dispute")],
        [
          "HoldersRecorded",
          id,
          [
            [alice.address, 5_000n],
            [bob.address, 5_000n],
          ],
          docHash("settlement"),
        ],
        ["FreezeRecorded", id, BigInt(FreezeKind.None), docHash("dispute-closed")],
        ["InvalidationProceedingsRecorded", id, false, docHash("invalidation-rejected")],
        ["AssetStatusRecorded", id, BigInt(AssetStatus.Lapsed), docHash("lapse")],
        ["AssetStatusRecorded", id, BigInt(AssetStatus.Granted), docHash("restoration")],
        ["AnnualFeesRecorded", id, fees2, docHash("fees-2")],
      ]);

      // Folding the events gives the asset's current record, the same one the register holds.
      const rebuilt = {
        status: -1n,
        freeze: -1n,
        invalidationPending: false,
        grantDate: -1n,
        expiryDate: -1n,
        feesPaidUntil: -1n,
        holders: [] as unknown[],
      };
      for (const [name, , ...a] of history) {
        if (name === "AssetRecorded") {
          [rebuilt.status, rebuilt.grantDate, rebuilt.expiryDate, rebuilt.feesPaidUntil] = a.slice(2, 6) as bigint[];
          rebuilt.freeze = BigInt(FreezeKind.None);
        }
        if (name === "HoldersRecorded") rebuilt.holders = a[0] as unknown[];
        if (name === "AssetTermRecorded") [rebuilt.grantDate, rebuilt.expiryDate] = a as bigint[];
        if (name === "AnnualFeesRecorded") rebuilt.feesPaidUntil = a[0] as bigint;
        if (name === "AssetStatusRecorded") rebuilt.status = a[0] as bigint;
        if (name === "InvalidationProceedingsRecorded") rebuilt.invalidationPending = a[0] as boolean;
        if (name === "FreezeRecorded") rebuilt.freeze = a[0] as bigint;
      }
      expect(rebuilt).to.deep.equal({
        status: BigInt(AssetStatus.Granted),
        freeze: BigInt(FreezeKind.None),
        invalidationPending: false,
        grantDate: grant,
        expiryDate: expiry,
        feesPaidUntil: fees2,
        holders: [
          [alice.address, 5_000n],
          [bob.address, 5_000n],
        ],
      });
      const stored = await r.assetOf(id);
      expect([
        stored.status,
        stored.freeze,
        stored.invalidationPending,
        stored.grantDate,
        stored.expiryDate,
        stored.feesPaidUntil,
      ]).to.deep.equal([
        rebuilt.status,
        rebuilt.freeze,
        rebuilt.invalidationPending,
        rebuilt.grantDate,
        rebuilt.expiryDate,
        rebuilt.feesPaidUntil,
      ]);
    });

    it("every registrar change carries the document hash behind it", async () => {
      const f = await fixture();
      const registrar = f.assetRegister.connect(f.signers.registrar);
      await expect(
        registrar.recordStatus(f.assets.trademark, AssetStatus.Invalidated, docHash("court-judgment-2026-17")),
      )
        .to.emit(f.assetRegister, "AssetStatusRecorded")
        .withArgs(anyValue, anyValue, docHash("court-judgment-2026-17"));
    });
  });
});
