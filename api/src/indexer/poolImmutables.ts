/**
 * A receivable pool's immutables (its calendar's start, receivables and tranches), read from its views by plain
 * eth_call: no event carries them, and they never change for the pool once deployed. The follower reads them with a
 * pool's first event (so the pool is deployed) at that event's block, or at the chain's head when the node keeps no
 * state that old.
 */
import { Interface } from "ethers";
import { REGISTRY_ABIS } from "../chain/abis";
import type { JsonRpc } from "./jsonRpc";

const poolViews = new Interface(REGISTRY_ABIS.ReceivablePool as never);
const tokenViews = new Interface(REGISTRY_ABIS.TrancheToken as never);

export interface PoolImmutables {
  pool: string;
  start_date: string;
  receivables: string[];
  tranches: { token: string; name: string; symbol: string; face: string }[];
  read_block: string;
}

export async function readPoolImmutables(rpc: JsonRpc, pool: string, block: number): Promise<PoolImmutables> {
  const at = async (tag: string) => {
    const call = async (iface: Interface, to: string, fn: string, args: unknown[] = []) => {
      const data = iface.encodeFunctionData(fn, args);
      const out = (await rpc("eth_call", [{ to, data }, tag])) as string;
      return iface.decodeFunctionResult(fn, out);
    };
    const [[startDate], [receivables], [count]] = await Promise.all([
      call(poolViews, pool, "startDate"),
      call(poolViews, pool, "receivables"),
      call(poolViews, pool, "trancheCount"),
    ]);
    const tranches = await Promise.all(
      Array.from({ length: Number(count) }, async (_, i) => {
        const [tranche] = await call(poolViews, pool, "trancheOf", [i]);
        const [[name], [symbol]] = await Promise.all([
          call(tokenViews, tranche.token, "name"),
          call(tokenViews, tranche.token, "symbol"),
        ]);
        return {
          token: tranche.token as string,
          name: name as string,
          symbol: symbol as string,
          face: String(tranche.face),
        };
      }),
    );
    return {
      pool,
      start_date: String(startDate),
      receivables: (receivables as bigint[]).map(String),
      tranches,
      read_block: String(block),
    };
  };
  try {
    return await at(`0x${block.toString(16)}`);
  } catch {
    return at("latest"); // a node without the state of old blocks: the immutables are the same at its head
  }
}
