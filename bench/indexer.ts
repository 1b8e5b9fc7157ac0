/**
 * Catch-up speed of the read model's follower: N assets recorded on the in-process chain (two logs each), then one
 * fresh index from the deployment block, on PGlite (in memory) and, with DATABASE_URL, on that PostgreSQL server.
 *   npm run bench:indexer                         (BENCH_ASSETS=2000 by default: 4,000 logs)
 *   BENCH_ASSETS=5000 DATABASE_URL=postgres://… npm run bench:indexer
 *   BENCH_UNDO_DEPTH=0 npm run bench:indexer      (no undo records: a catch-up far behind the chain's head)
 */
import { ethers, network } from "hardhat";
import { openDatabase, type DatabaseOptions } from "../api/src/store/database";
import { ChainFollower } from "../api/src/indexer/follower";
import { eip1193JsonRpc } from "../api/src/indexer/jsonRpc";
import { deployRegistry } from "../scripts/lib/deployRegistry";
import { AssetKind } from "../test/helpers/registryFixture";

const YEAR = 365n * 86_400n;

async function main() {
  const count = Number(process.env.BENCH_ASSETS ?? 2_000);
  const [admin, registrar, holder] = await ethers.getSigners();
  const startBlock = (await ethers.provider.getBlockNumber()) + 1;
  const contracts = await deployRegistry({ admin, registrar: registrar.address });
  const addresses = {
    accessManager: await contracts.accessManager.getAddress(),
    assetRegister: await contracts.assetRegister.getAddress(),
    valuationRegistry: await contracts.valuationRegistry.getAddress(),
    lossSharing: await contracts.lossSharing.getAddress(),
    pledgeRegistry: await contracts.pledgeRegistry.getAddress(),
    licenceRegistry: await contracts.licenceRegistry.getAddress(),
    investorRegistry: await contracts.investorRegistry.getAddress(),
  };

  // Many transactions per block, as on a busy chain.
  const now = BigInt((await ethers.provider.getBlock("latest"))!.timestamp);
  const register = contracts.assetRegister.connect(registrar);
  let nonce = await registrar.getNonce();
  await network.provider.send("evm_setAutomine", [false]);
  for (let i = 0; i < count; i++) {
    await register.recordAsset(
      AssetKind.InventionPatent,
      `ZL2024${String(i).padStart(8, "0")}.X`,
      [{ holder: holder.address, shareBps: 10_000 }],
      now - YEAR,
      now + 10n * YEAR,
      now + YEAR,
      ethers.id(`asset ${i}`),
      { nonce: nonce++, gasLimit: 400_000 },
    );
    if (i % 100 === 99) await network.provider.send("evm_mine");
  }
  await network.provider.send("evm_mine");
  await network.provider.send("evm_setAutomine", [true]);
  const head = await ethers.provider.getBlockNumber();
  const { chainId } = await ethers.provider.getNetwork();

  const rows: string[] = [];
  const targets: [string, DatabaseOptions][] = [["PGlite (in memory)", {}]];
  if (process.env.DATABASE_URL) targets.push(["PostgreSQL", { url: process.env.DATABASE_URL }]);
  for (const [label, options] of targets) {
    const database = await openDatabase(options);
    try {
      const follower = await ChainFollower.open({
        db: database.db,
        rpc: eip1193JsonRpc(network.provider),
        chainId: Number(chainId),
        startBlock,
        contracts: addresses,
        // BENCH_UNDO_DEPTH=0: a catch-up far behind the head, where no undo records are written.
        undoDepth: process.env.BENCH_UNDO_DEPTH === undefined ? undefined : Number(process.env.BENCH_UNDO_DEPTH),
      });
      const started = performance.now();
      await follower.syncOnce();
      const seconds = (performance.now() - started) / 1000;
      const { n } = await database.db
        .selectFrom("events")
        .select((eb) => eb.fn.countAll<string>().as("n"))
        .executeTakeFirstOrThrow();
      rows.push(
        `| ${label} | ${n} | ${head - startBlock + 1} | ${seconds.toFixed(2)} | ${Math.round(Number(n) / seconds)} |`,
      );
    } finally {
      await database.close();
    }
  }
  console.log(`\n| database | logs | blocks | catch-up (s) | logs/s |\n|---|---|---|---|---|\n${rows.join("\n")}`);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
