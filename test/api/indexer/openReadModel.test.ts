/**
 * The gateway's entry point: open the read model for a deployment file, follow the chain, and read a write back
 * once the index has reached its block (read-your-writes).
 */
import { expect } from "chai";
import { ethers, network } from "hardhat";
import { openReadModel } from "../../../api/src/indexer/readModel";
import { eip1193JsonRpc } from "../../../api/src/indexer/jsonRpc";
import { AssetKind, YEAR, docHash } from "../../helpers/registryFixture";
import { deployStory } from "./story";
import { deployForGateway } from "../../../scripts/lib/bootstrap";
import { deploymentSchema } from "../../../definitions/deployment";

describe("openReadModel", () => {
  it("follows from the deployment file's firstBlock; an older file without one is searched, with a warning", async () => {
    const d = await deployStory();
    const firstDeployBlock = (await d.f.accessManager.deploymentTransaction()!.wait())!.blockNumber;
    const head = await ethers.provider.getBlockNumber();
    const rpc = eip1193JsonRpc(network.provider);
    const startOf = async (deployment: Parameters<typeof openReadModel>[0]["deployment"]) => {
      const warnings: string[] = [];
      const readModel = await openReadModel({ deployment, rpc, follow: false, onWarning: (w) => warnings.push(w) });
      try {
        const state = await readModel.db.selectFrom("indexer_state").select("start_block").executeTakeFirstOrThrow();
        return { start: Number(state.start_block), warnings };
      } finally {
        await readModel.close();
      }
    };
    // A recorded first block is taken as it is (here one block later than the code, to tell it from a search).
    const recorded = await startOf({
      chainId: d.chainId,
      blockNumber: head,
      firstBlock: firstDeployBlock + 1,
      contracts: d.contracts,
    });
    expect(recorded).to.deep.equal({ start: firstDeployBlock + 1, warnings: [] });
    const old = await startOf({ chainId: d.chainId, blockNumber: head, contracts: d.contracts });
    expect(old.start).to.equal(firstDeployBlock);
    expect(old.warnings).to.have.length(1);
    expect(old.warnings[0]).to.contain(`from block ${firstDeployBlock}`);
  });

  it("the deploy step records the deployment's first block in the deployment file", async () => {
    const [admin, registrar] = await ethers.getSigners();
    const before = await ethers.provider.getBlockNumber();
    const { contracts, deployment } = await deployForGateway(admin, registrar.address, admin.address);
    const first = (await contracts.accessManager.deploymentTransaction()!.wait())!.blockNumber;
    expect(deployment.firstBlock).to.equal(first);
    expect(first).to.equal(before + 1);
    expect(deploymentSchema.parse(deployment).firstBlock).to.equal(first);
    // A file written before firstBlock existed still reads.
    const { firstBlock: _dropped, ...older } = deployment;
    expect(deploymentSchema.parse(older).firstBlock).to.equal(undefined);
  });

  it("indexes from the registry's first block (before the deployment file's head) and reads a write back", async () => {
    const d = await deployStory();
    const firstDeployBlock = (await d.f.accessManager.deploymentTransaction()!.wait())!.blockNumber;
    // The deployment file records the chain's head after deploying (scripts/lib/bootstrap.ts).
    const deployment = {
      chainId: d.chainId,
      blockNumber: await ethers.provider.getBlockNumber(),
      contracts: d.contracts,
    };
    expect(deployment.blockNumber).to.be.greaterThan(firstDeployBlock);

    const readModel = await openReadModel({ deployment, rpc: eip1193JsonRpc(network.provider), pollIntervalMs: 50 });
    try {
      const state = await readModel.db.selectFrom("indexer_state").select("start_block").executeTakeFirstOrThrow();
      expect(state.start_block).to.equal(String(firstDeployBlock));

      const { registrar, alice } = d.f.signers;
      const receipt = await (
        await d.f.assetRegister
          .connect(registrar)
          .recordAsset(
            AssetKind.Design,
            "ZL202130000009.9",
            [{ holder: alice.address, shareBps: 10_000 }],
            d.f.now - YEAR,
            d.f.now + 14n * YEAR,
            d.f.now + YEAR,
            docHash("design"),
          )
      ).wait();
      await readModel.follower.waitForBlock(receipt!.blockNumber);
      const asset = await readModel.db
        .selectFrom("assets")
        .select(["official_number", "kind"])
        .where("official_number", "=", "ZL202130000009.9")
        .executeTakeFirst();
      expect(asset).to.deep.equal({ official_number: "ZL202130000009.9", kind: AssetKind.Design });

      // Nothing of the registry is missing: the set-up events of the deployment itself are there too.
      const logs = (await network.provider.send("eth_getLogs", [
        { address: Object.values(d.contracts), fromBlock: "0x1", toBlock: `0x${receipt!.blockNumber.toString(16)}` },
      ])) as { blockNumber: string }[];
      const ours = logs.filter((l) => Number(l.blockNumber) >= d.startBlock);
      const indexed = await readModel.db
        .selectFrom("events")
        .select((eb) => eb.fn.countAll<string>().as("n"))
        .where("block_number", "<=", String(receipt!.blockNumber))
        .executeTakeFirstOrThrow();
      expect(indexed.n).to.equal(String(ours.length));
    } finally {
      await readModel.close();
    }
  });
});
