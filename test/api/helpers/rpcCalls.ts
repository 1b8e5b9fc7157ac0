/** Counting what the in-process chain is asked: a read served from the index asks it nothing. */
import { network } from "hardhat";

/** Every JSON-RPC method the in-process chain is asked while `run` runs (ethers sends, the indexer requests). */
export async function rpcCallsDuring(run: () => Promise<unknown>): Promise<string[]> {
  const provider = network.provider as unknown as {
    send: (method: string, params?: unknown[]) => Promise<unknown>;
    request: (args: { method: string; params?: unknown[] }) => Promise<unknown>;
  };
  const { send, request: ask } = provider;
  const calls: string[] = [];
  provider.send = (method, params) => {
    calls.push(method);
    return send.call(provider, method, params);
  };
  provider.request = (args) => {
    calls.push(args.method);
    return ask.call(provider, args);
  };
  try {
    await run();
  } finally {
    provider.send = send;
    provider.request = ask;
  }
  return calls;
}
