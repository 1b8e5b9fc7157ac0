/** A second read model of the same chain, caught up and then rebuilt from its events alone, for `run` to read. */
import { network } from "hardhat";
import type { Deployment } from "../../../definitions/deployment";
import { GatewayIndex } from "../../../api/src/indexer/gatewayIndex";
import { openReadModel } from "../../../api/src/indexer/readModel";
import { eip1193JsonRpc } from "../../../api/src/indexer/jsonRpc";
import { rebuildProjections } from "../../../api/src/indexer/follower";

export async function withRebuiltIndex(deployment: Deployment, run: (index: GatewayIndex) => Promise<void>) {
  const model = await openReadModel({ deployment, rpc: eip1193JsonRpc(network.provider), follow: false });
  try {
    await model.follower.syncOnce();
    await rebuildProjections(model.db);
    await run(new GatewayIndex(model, 10_000));
  } finally {
    await model.close();
  }
}
