/**
 * The read model end to end on the in-process Hardhat chain, on both databases (embedded PGlite, and a real
 * PostgreSQL server this file starts): the projections after a realistic story match what the story says; a
 * rebuild from events and a fresh index of the same chain equal the live index; a reorg (evm_snapshot → more
 * blocks indexed → evm_revert → other blocks) walks the index back to what a fresh index of the final chain holds.
 */
import { expect } from "chai";
import { ethers, network } from "hardhat";
import { mine } from "@nomicfoundation/hardhat-network-helpers";
import { sql, type Kysely } from "kysely";
import { openDatabase, type ReadModelDatabase } from "../../../api/src/store/database";
import { PRIMARY_KEYS, PROJECTION_TABLES, type ReadModel } from "../../../api/src/store/schema";
import { ChainFollower, IndexMismatchError, rebuildProjections } from "../../../api/src/indexer/follower";
import { eip1193JsonRpc } from "../../../api/src/indexer/jsonRpc";
import { cny } from "../../../definitions/riskSchemes";
import { calendar, deployLicensingFixture } from "../../helpers/poolFixture";
import { AssetKind, DAY, docHash, YEAR } from "../../helpers/registryFixture";
import { startPostgres, type PostgresServer } from "../store/postgresServer";
import { deployStory, registryAddresses, storyOf } from "./story";
import { listPledges } from "../../../api/src/routes/pledges/indexed";
import type { GatewayIndex } from "../../../api/src/indexer/gatewayIndex";
import { PLEDGE_STATUSES } from "../../../definitions/enumNames";

const rpc = eip1193JsonRpc(network.provider);

type Deployed = Awaited<ReturnType<typeof deployStory>>;

/** Every table the chain decides (not the bookkeeping of how it was read: cursor, block hashes, undo log). */
async function dump(db: Kysely<ReadModel>) {
  const tables: Record<string, unknown[]> = {};
  const keys: Record<string, readonly string[]> = { ...PRIMARY_KEYS, events: ["block_number", "log_index"] };
  for (const table of ["events", "tracked_addresses", "pool_immutables", ...PROJECTION_TABLES]) {
    const order = keys[table].join(", ");
    tables[table] = (await sql.raw(`select * from ${table} order by ${order}`).execute(db)).rows;
  }
  return tables;
}

const followerFor = (d: Deployed, db: Kysely<ReadModel>, rangeSize = 2_000, undoDepth?: number) =>
  ChainFollower.open({
    db,
    rpc,
    chainId: d.chainId,
    startBlock: d.startBlock,
    contracts: d.contracts,
    rangeSize,
    undoDepth,
  });

/** A fresh database indexing the chain as it is now, in one pass. */
async function freshIndex(d: Deployed, open: () => Promise<ReadModelDatabase>) {
  const fresh = await open();
  try {
    await (await followerFor(d, fresh.db)).syncOnce();
    return await dump(fresh.db);
  } finally {
    await fresh.close();
  }
}

function suite(backend: string, open: () => Promise<ReadModelDatabase>) {
  describe(`Read model on ${backend}`, () => {
    let opened: ReadModelDatabase[] = [];
    const openDb = async () => {
      const d = await open();
      opened.push(d);
      return d;
    };
    afterEach(async () => {
      for (const d of opened) await d.close();
      opened = [];
    });

    it("int8, numeric and count(*) come back as decimal strings, jsonb parsed", async () => {
      const { db } = await openDb();
      const { rows } = await sql<Record<string, unknown>>`select count(*) as c, 9007199254740993::int8 as big,
        (2::numeric ^ 255)::numeric(78,0) as huge, '{"a":[1]}'::jsonb as j, 7::int4 as small`.execute(db);
      expect(rows[0]).to.deep.equal({
        c: "1",
        big: "9007199254740993",
        huge: (2n ** 255n).toString(),
        j: { a: [1] },
        small: 7,
      });
    });

    it("indexes a story live, step by step, into the projections the story describes", async () => {
      const d = await deployStory();
      const story = storyOf(d.f);
      const { db } = await openDb();
      const follower = await followerFor(d, db, 3);
      await follower.syncOnce();
      for (const step of story.steps) {
        await step();
        await follower.syncOnce();
      }
      const want = story.expectAfter();
      const chainHead = await ethers.provider.getBlockNumber();
      expect(await follower.headBlock()).to.equal(chainHead);

      const assets = await db
        .selectFrom("assets")
        .select([
          "asset_id",
          "kind",
          "official_number",
          "status",
          "freeze_kind",
          "invalidation_pending",
          "grant_date",
          "expiry_date",
          "fees_paid_until",
        ])
        .orderBy("asset_id")
        .execute();
      expect(assets).to.deep.equal(want.assets);
      const holders = await db
        .selectFrom("asset_holders")
        .selectAll()
        .orderBy("asset_id")
        .orderBy("position")
        .execute();
      expect(holders).to.deep.equal(want.holders);

      const reports = await db
        .selectFrom("valuation_reports")
        .select([
          "document_hash",
          "evaluator",
          "batch_root",
          "value",
          "valid_until",
          "status",
          "revoked_by",
          "revocation_reason",
        ])
        .orderBy("document_hash")
        .execute();
      const reportAssets = await db
        .selectFrom("report_assets")
        .selectAll()
        .orderBy("document_hash")
        .orderBy("position")
        .execute();
      expect(
        reports.map((r) => ({
          ...r,
          assets: reportAssets.filter((a) => a.document_hash === r.document_hash).map((a) => a.asset_id),
        })),
      ).to.deep.equal(want.reports);

      const pledges = await db
        .selectFrom("pledges")
        .select(["pledge_id", "pledgee", "status", "principal"])
        .orderBy("pledge_id")
        .execute();
      const pledgeAssets = await db
        .selectFrom("pledge_assets")
        .selectAll()
        .orderBy("pledge_id")
        .orderBy("position")
        .execute();
      const pledgors = await db
        .selectFrom("pledge_pledgors")
        .selectAll()
        .orderBy("pledge_id")
        .orderBy("position")
        .execute();
      expect(
        pledges.map((p) => ({
          ...p,
          assets: pledgeAssets.filter((a) => a.pledge_id === p.pledge_id).map((a) => a.asset_id),
          pledgors: pledgors.filter((a) => a.pledge_id === p.pledge_id).map((a) => a.pledgor),
        })),
      ).to.deep.equal(want.pledges);
      // The pledge list's one query (each pledge's assets and pledgors aggregated into its row) on this backend.
      const listed = await listPledges({ db } as GatewayIndex, { limit: 500 });
      expect(
        listed.pledges.map((p) => ({
          pledge_id: p.pledgeId,
          pledgee: p.pledgee,
          status: PLEDGE_STATUSES.indexOf(p.status),
          principal: p.principal,
          assets: p.assets,
          pledgors: p.pledgors,
        })),
      ).to.deep.equal(want.pledges);
      const twoPledgors = want.pledges.find((p) => p.pledgors.length > 1)!;
      const byPledgor = await listPledges({ db } as GatewayIndex, { pledgor: twoPledgors.pledgors[1], limit: 1 });
      expect(byPledgor.pledges.map((p) => p.pledgors)).to.deep.equal([twoPledgors.pledgors]);

      const disposed = await db
        .selectFrom("pledges")
        .select(["disposal", "enforcement_evidence", "closed_block"])
        .where("pledge_id", "=", want.disposal.pledge_id)
        .executeTakeFirstOrThrow();
      expect(disposed.disposal).to.include({
        method: want.disposal.method,
        proceeds: want.disposal.proceeds,
        loss: want.disposal.loss,
      });
      expect(disposed.enforcement_evidence).to.equal(docHash("default notice"));
      const refused = await db
        .selectFrom("pledges")
        .select(["refusal_reason", "refusal_note"])
        .where("pledge_id", "=", want.refusal.pledge_id)
        .executeTakeFirstOrThrow();
      expect(refused).to.deep.equal({ refusal_reason: want.refusal.reason, refusal_note: want.refusal.note });
      const withdrawn = await db
        .selectFrom("pledges")
        .select("withdrawn_by")
        .where("pledge_id", "=", want.withdrawnBy.pledge_id)
        .executeTakeFirstOrThrow();
      expect(withdrawn.withdrawn_by).to.equal(want.withdrawnBy.party);
      const registered = await db
        .selectFrom("pledges")
        .select(["pledge_id", "registration_number"])
        .where("registration_number", "is not", null)
        .orderBy("pledge_id")
        .execute();
      // P1, P3 and P4 were registered, in that order, and numbered in that order.
      expect(registered.map((r) => r.pledge_id)).to.deep.equal(
        [want.pledges[0], want.pledges[2], want.pledges[3]].map((p) => p.pledge_id),
      );
      const numbers = registered.map((r) => BigInt(r.registration_number as string));
      expect(numbers[0] < numbers[1] && numbers[1] < numbers[2]).to.equal(true);

      // Every log of the registry's contracts since the deployment block is an event row, decoded.
      const logs = (await rpc("eth_getLogs", [
        { address: Object.values(d.contracts), fromBlock: `0x${d.startBlock.toString(16)}`, toBlock: "latest" },
      ])) as unknown[];
      const events = await db.selectFrom("events").select(["name"]).execute();
      expect(events.length).to.equal(logs.length);
      expect(events.every((e) => e.name !== null)).to.equal(true);

      // Rebuild equals live: from the events table alone, and from the chain into a fresh database.
      const live = await dump(db);
      await rebuildProjections(db);
      expect(await dump(db)).to.deep.equal(live);
      expect(await freshIndex(d, openDb)).to.deep.equal(live);
    });

    for (const [label, undoDepth] of [
      ["with the undo log", 10_000],
      ["deeper than the undo log (rebuild from events)", 1],
    ] as const) {
      it(`walks back on a reorg ${label} and ends equal to a fresh index of the final chain`, async () => {
        const d = await deployStory();
        const story = storyOf(d.f);
        const { db } = await openDb();
        const follower = await followerFor(d, db, 5, undoDepth);
        for (const step of story.steps.slice(0, 8)) await step(); // …up to P1 registered
        await follower.syncOnce();
        const before = await dump(db);

        const snapshot = await network.provider.send("evm_snapshot");
        const orphanedHead = await follower.syncOnce();
        for (const step of story.steps.slice(8, 13)) await step(); // P1 released, P2 refused, P3 registered
        await follower.syncOnce();
        expect((await db.selectFrom("pledges").select("pledge_id").execute()).length).to.equal(3);
        const indexedBeforeRevert = await follower.headBlock();
        expect(indexedBeforeRevert).to.be.greaterThan(orphanedHead);

        await network.provider.send("evm_revert", [snapshot]);
        // A different history at the same heights: another asset and a holder change, then more blocks.
        const { registrar, alice, bob } = d.f.signers;
        const now = d.f.now;
        await d.f.assetRegister
          .connect(registrar)
          .recordAsset(
            AssetKind.Trademark,
            "TM-REORG-1",
            [{ holder: bob.address, shareBps: 10_000 }],
            now - YEAR,
            now + 9n * YEAR,
            0n,
            docHash("TM-REORG-1"),
          );
        await d.f.assetRegister
          .connect(registrar)
          .recordHolders(story.assets.patentA, [{ holder: bob.address, shareBps: 10_000 }], docHash("A to bob"));
        await mine(indexedBeforeRevert - orphanedHead);
        await d.f.assetRegister
          .connect(registrar)
          .recordHolders(story.assets.patentA, [{ holder: alice.address, shareBps: 10_000 }], docHash("A back"));

        await follower.syncOnce();
        const after = await dump(db);
        expect(after).to.deep.equal(await freshIndex(d, openDb));
        expect(after).to.not.deep.equal(before);
        // The orphaned history is gone: one pledge (P1, registered), no refusal, and the new trademark is there.
        const pledges = await db.selectFrom("pledges").select(["status"]).execute();
        expect(pledges).to.deep.equal([{ status: 2 }]);
        expect(
          await db.selectFrom("assets").select("official_number").where("official_number", "=", "TM-REORG-1").execute(),
        ).to.have.length(1);
        expect(await follower.headBlock()).to.equal(await ethers.provider.getBlockNumber());
      });
    }

    it("waits for a block (read-your-writes) and follows a pool address given by trackAddress", async () => {
      const d = await deployStory();
      const { db } = await openDb();
      const follower = await followerFor(d, db);
      follower.start();
      try {
        const stablecoin = await (await ethers.getContractFactory("TestStablecoin")).deploy();
        const receipt = await (await stablecoin.mint(d.f.signers.alice.address, 1_000n)).wait();
        // Unknown to the registry until tracked; then its logs since it was deployed are fetched.
        await follower.trackAddress(await stablecoin.getAddress(), d.startBlock);
        const head = await follower.waitForBlock(receipt!.blockNumber, 10_000);
        expect(head).to.be.at.least(receipt!.blockNumber);
        const raw = await db
          .selectFrom("events")
          .selectAll()
          .where("contract", "=", await stablecoin.getAddress())
          .execute();
        // The pool ABI does not know an ERC-20 Transfer: stored raw (name null), topics and data kept.
        expect(raw).to.have.length(1);
        expect(raw[0].name).to.equal(null);
        expect((raw[0].topics as string[])[0]).to.equal(ethers.id("Transfer(address,address,uint256)"));
      } finally {
        await follower.stop();
      }
    });

    it("projects licences and instalments, and follows a pool from its ReceivableAssigned event", async () => {
      const startBlock = (await ethers.provider.getBlockNumber()) + 1;
      const f = await deployLicensingFixture();
      const d: Deployed = {
        f: undefined as never,
        startBlock,
        chainId: Number((await ethers.provider.getNetwork()).chainId),
        contracts: await registryAddresses(f),
      };
      const { db } = await openDb();
      const follower = await followerFor(d, db, 3);
      await follower.syncOnce();

      // The pool of the issuance tests: four quarterly instalments, a senior and a subordinated tranche.
      const periodEnds = calendar(f.now + 40n * DAY, 4);
      const schedule = periodEnds.map((end, i) => ({ dueDate: end - 15n * DAY, amount: cny(100_000 + i) }));
      const subLicenceId = await f.recordSubLicence(f.signers.licensees[0], schedule);
      const { pool } = await f.createPool({
        receivables: [subLicenceId],
        periodEnds,
        reserveTarget: cny(10_000),
        feePerPeriod: cny(1_000),
        guaranteeCap: cny(50_000),
        tranches: [
          { name: "Senior A", symbol: "LFR-A", face: cny(300_000), couponBps: 400 },
          { name: "Subordinated", symbol: "LFR-B", face: cny(20_000), couponBps: 0 },
        ],
      });
      const investor = f.signers.investors[0];
      // The pool's immutables come with its first event, and go with it on a reorg (undo log).
      const beforeFirstEvent = await network.provider.send("evm_snapshot");
      await f.subscribe(pool, investor, 0, cny(50_000));
      await follower.syncOnce();
      const immutables = async () => db.selectFrom("pool_immutables").selectAll().execute();
      const tokens = await Promise.all([0, 1].map(async (i) => (await pool.trancheOf(i)).token));
      const expectedImmutables = {
        pool: await pool.getAddress(),
        start_date: String(periodEnds[0] - 91n * DAY),
        receivables: [String(subLicenceId)],
        tranches: [
          { token: tokens[0], name: "Senior A", symbol: "LFR-A", face: String(cny(300_000)) },
          { token: tokens[1], name: "Subordinated", symbol: "LFR-B", face: String(cny(20_000)) },
        ],
      };
      const [held] = await immutables();
      expect({ ...held, read_block: undefined }).to.deep.equal({ ...expectedImmutables, read_block: undefined });
      await network.provider.send("evm_revert", [beforeFirstEvent]);
      await mine(3);
      await follower.syncOnce();
      expect(await immutables()).to.deep.equal([]);
      await f.subscribe(pool, investor, 0, cny(50_000));
      await follower.syncOnce();
      expect((await immutables()).map((r) => ({ ...r, read_block: undefined }))).to.deep.equal([
        { ...expectedImmutables, read_block: undefined },
      ]);

      const poolAddress = await pool.getAddress();
      const licences = await db
        .selectFrom("licences")
        .select(["licence_id", "kind", "licensee", "first_licence_id", "licensors", "upfront_fee", "pool"])
        .orderBy("licence_id")
        .execute();
      expect(licences).to.deep.equal([
        {
          licence_id: String(f.firstLicenceId),
          kind: 0,
          licensee: f.signers.originator.address,
          first_licence_id: null,
          licensors: [f.signers.patentee.address],
          upfront_fee: String(cny(18_000_000)),
          pool: null,
        },
        {
          licence_id: String(subLicenceId),
          kind: 1,
          licensee: f.signers.licensees[0].address,
          first_licence_id: String(f.firstLicenceId),
          licensors: null,
          upfront_fee: null,
          pool: poolAddress,
        },
      ]);
      const licenceAssets = await db.selectFrom("licence_assets").select("asset_id").orderBy("position").execute();
      expect(licenceAssets.map((a) => a.asset_id)).to.deep.equal(f.patents);
      const instalments = await db.selectFrom("instalments").selectAll().orderBy("idx").execute();
      expect(instalments).to.deep.equal(
        schedule.map((s, idx) => ({
          licence_id: String(subLicenceId),
          idx,
          due_date: String(s.dueDate),
          amount: String(s.amount),
        })),
      );
      const tracked = await db.selectFrom("tracked_addresses").selectAll().where("address", "=", poolAddress).execute();
      expect(tracked.map((t) => [t.source, t.role])).to.deep.equal([["assignment", "pool"]]);
      const subscribed = await db
        .selectFrom("events")
        .select(["name", "args"])
        .where("contract", "=", poolAddress)
        .where("name", "=", "Subscribed")
        .execute();
      expect(subscribed).to.deep.equal([
        { name: "Subscribed", args: { tranche: "0", investor: investor.address, amount: String(cny(50_000)) } },
      ]);

      const live = await dump(db);
      await rebuildProjections(db);
      expect(await dump(db)).to.deep.equal(live);
      expect(await freshIndex(d, openDb)).to.deep.equal(live);
    });

    it("lets two followers (two gateways) sync one database at once and end with the index one follower builds", async () => {
      const d = await deployStory();
      const story = storyOf(d.f);
      const { db } = await openDb();
      const [one, two] = await Promise.all([followerFor(d, db, 2), followerFor(d, db, 3)]);
      for (const step of story.steps) {
        await step();
        await Promise.all([one.syncOnce(), two.syncOnce()]);
      }
      expect(await one.headBlock()).to.equal(await ethers.provider.getBlockNumber());
      expect(await dump(db)).to.deep.equal(await freshIndex(d, openDb));
    });

    it("refuses to index another deployment into the same database", async () => {
      const d = await deployStory();
      const { db } = await openDb();
      await (await followerFor(d, db)).syncOnce();
      const other = { ...d, contracts: { ...d.contracts, pledgeRegistry: d.contracts.assetRegister } };
      await expect(followerFor(other, db)).to.be.rejectedWith(IndexMismatchError);
      await expect(followerFor({ ...d, startBlock: 0 }, db)).to.be.rejectedWith(/never at block 0/);
    });
  });
}

describe("Read model on embedded PGlite", () => {
  // initdb under WASM takes seconds: every test database starts from one migrated template instead.
  let template: Blob | undefined;
  before(async function () {
    this.timeout(120_000);
    const first = await openDatabase({});
    template = await first.dump!();
    await first.close();
  });
  suite("PGlite", () => openDatabase({ pgliteTemplate: template }));
});

describe("Read model on a PostgreSQL server (started by the test)", () => {
  let server: PostgresServer | undefined;
  let n = 0;
  before(async function () {
    this.timeout(120_000);
    server = await startPostgres();
  });
  after(async () => {
    await server?.stop();
  });
  suite("PostgreSQL", async () => {
    if (!server) throw new Error("the PostgreSQL server did not start");
    return openDatabase({ url: await server.createDatabase(`readmodel_${process.pid}_${n++}`) });
  });
});
