/** /v1/health — is the gateway up, is the chain reachable, which deployment. No API key needed. */
import { Router } from "express";
import type { Registry } from "../../chain/registry";

export function healthRouter(registry: Registry) {
  const router = Router();
  router.get("/health", async (_req, res) => {
    try {
      const blockNumber = await registry.provider.getBlockNumber();
      res.json({
        status: "ok",
        chainId: registry.deployment.chainId,
        blockNumber,
        contracts: registry.deployment.contracts,
      });
    } catch {
      res.status(503).json({ error: { code: "CHAIN_UNAVAILABLE", message: "the chain is not reachable" } });
    }
  });
  return router;
}
