/**
 * The follower's JSON-RPC: a plain fetch with a timeout (ethers' getLogs over large ranges is slow), or any
 * EIP-1193 `request` (the in-process Hardhat network in tests).
 */
export type JsonRpc = (method: string, params: unknown[]) => Promise<unknown>;

export class JsonRpcError extends Error {
  constructor(
    message: string,
    readonly code?: number,
  ) {
    super(message);
    this.name = "JsonRpcError";
  }
}

let nextId = 1;

export function httpJsonRpc(url: string, timeoutMs = 10_000): JsonRpc {
  return async (method, params) => {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: nextId++, method, params }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!response.ok) throw new JsonRpcError(`${method}: HTTP ${response.status}`);
    const body = (await response.json()) as { result?: unknown; error?: { code: number; message: string } };
    if (body.error) throw new JsonRpcError(`${method}: ${body.error.message}`, body.error.code);
    return body.result;
  };
}

export function eip1193JsonRpc(provider: { request(args: { method: string; params?: unknown[] }): Promise<unknown> }) {
  const rpc: JsonRpc = (method, params) => provider.request({ method, params });
  return rpc;
}

export interface RpcLog {
  address: string;
  topics: string[];
  data: string;
  blockNumber: string;
  blockHash: string;
  transactionHash: string;
  logIndex: string;
  removed?: boolean;
}

export interface RpcBlock {
  number: string;
  hash: string;
  parentHash: string;
  /** Unix seconds, hex. */
  timestamp: string;
}

const hex = (n: number) => `0x${n.toString(16)}`;

export async function blockNumber(rpc: JsonRpc) {
  return Number(BigInt((await rpc("eth_blockNumber", [])) as string));
}

export async function blockHeader(rpc: JsonRpc, number: number): Promise<RpcBlock | null> {
  return (await rpc("eth_getBlockByNumber", [hex(number), false])) as RpcBlock | null;
}

export async function getLogs(rpc: JsonRpc, addresses: string[], fromBlock: number, toBlock: number) {
  if (addresses.length === 0) return [];
  return (await rpc("eth_getLogs", [
    { address: addresses, fromBlock: hex(fromBlock), toBlock: hex(toBlock) },
  ])) as RpcLog[];
}
