/**
 * The gateway's connection to the chain: a JSON-RPC provider on which no call waits longer than `timeoutMs`. ethers'
 * own limit is five minutes, so a chain that accepts connections but stops answering used to hang every request (and
 * /health) that long; here the call fails with ethers' TIMEOUT error, which clients see as 503 CHAIN_UNAVAILABLE.
 */
import { FetchRequest, JsonRpcProvider, makeError, type JsonRpcPayload, type JsonRpcResult } from "ethers";

export class ChainProvider extends JsonRpcProvider {
  constructor(
    url: string,
    chainId: number,
    readonly timeoutMs: number,
  ) {
    const request = new FetchRequest(url);
    // Bounds the HTTP request itself (its socket is given up), not only the promise below.
    request.timeout = timeoutMs;
    // The chain id comes from the deployment file: no network detection, and no unstructured retry logs. No
    // response cache either: ethers would answer a repeated read (a nonce, an allowance) from a quarter-second
    // cache, stale right after a party's transaction was mined.
    super(request, chainId, { staticNetwork: true, cacheTimeout: -1 });
  }

  override async _send(payload: JsonRpcPayload | JsonRpcPayload[]): Promise<JsonRpcResult[]> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            makeError(`the chain did not answer within ${this.timeoutMs} ms`, "TIMEOUT", {
              operation: Array.isArray(payload) ? payload.map((p) => p.method).join(",") : payload.method,
              reason: "timeout",
            }),
          ),
        this.timeoutMs,
      );
    });
    try {
      return await Promise.race([super._send(payload), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}
