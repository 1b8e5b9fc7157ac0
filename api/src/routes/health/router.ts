/**
 * /v1/health — is the gateway up, is the chain reachable, which deployment. No API key needed. It answers at once:
 * it waits for the chain at most HEALTH_CHAIN_WAIT_MS and then says what is wrong.
 */
import { Router } from "express";
import type { Registry } from "../../chain/registry";

/** How long /health waits for the chain's block number. */
export const HEALTH_CHAIN_WAIT_MS = 500;

export function healthRouter(registry: Registry) {
  const router = Router();
  router.get("/health", async (_req, res) => {
    const waitMs = Math.min(HEALTH_CHAIN_WAIT_MS, registry.relayer.timeouts.rpcTimeoutMs);
    let timer: NodeJS.Timeout | undefined;
    const stalled = new Promise<"stalled">((resolve) => (timer = setTimeout(() => resolve("stalled"), waitMs)));
    try {
      const blockNumber = await Promise.race([registry.provider.getBlockNumber(), stalled]);
      if (blockNumber === "stalled") {
        res.status(503).json({
          error: {
            code: "CHAIN_UNAVAILABLE",
            message: `the chain did not tell its block number within ${waitMs} ms: it is stalled or overloaded`,
            details: { reason: "TIMEOUT", waitedMs: waitMs },
          },
        });
        return;
      }
      res.json({
        status: "ok",
        chainId: registry.deployment.chainId,
        blockNumber,
        contracts: registry.deployment.contracts,
      });
    } catch {
      res.status(503).json({
        error: {
          code: "CHAIN_UNAVAILABLE",
          message: "the chain is not reachable (the connection failed)",
          details: { reason: "UNREACHABLE" },
        },
      });
    } finally {
      clearTimeout(timer);
    }
  });
  return router;
}
