/**
 * The read model as the test gateways use it: one in-memory PGlite per deployment for the whole run, following the
 * in-process Hardhat chain. loadFixture's revert between tests is a reorganisation to the index (its blocks are no
 * longer on the chain): `indexFor` catches up — walking back first — before a test's gateway serves a read.
 */
import { network } from "hardhat";
import type { Deployment } from "../../../definitions/deployment";
import { GatewayIndex } from "../../../api/src/indexer/gatewayIndex";
import { eip1193JsonRpc } from "../../../api/src/indexer/jsonRpc";
import { openReadModel } from "../../../api/src/indexer/readModel";

const indexes = new Map<string, Promise<GatewayIndex>>();

export async function indexFor(deployment: Deployment): Promise<GatewayIndex> {
  const key = JSON.stringify([deployment.chainId, deployment.firstBlock, deployment.contracts]);
  let opening = indexes.get(key);
  if (!opening) {
    opening = openReadModel({ deployment, rpc: eip1193JsonRpc(network.provider), follow: false }).then(
      (model) => new GatewayIndex(model, 10_000),
    );
    indexes.set(key, opening);
  }
  const index = await opening;
  await index.model.follower.syncOnce();
  return index;
}
