/**
 * /v1/health — is the gateway up, is the chain reachable, which deployment. No API key needed. It answers at once:
 * it waits for the chain at most HEALTH_CHAIN_WAIT_MS and then says what is wrong.
 */
import { Router } from "express";
import { z } from "zod";
import type { Registry } from "../../chain/registry";
import type { ApiDefinition } from "../../openapi/registry";
import { AppError } from "../../errors/AppError";
import { chainErrorToAppError } from "../../errors/contractErrors";
import { assertDeployed } from "../../middleware/deployment";

/** How long /health waits for the chain (its block number and the deployment's code). */
export const HEALTH_CHAIN_WAIT_MS = 500;

const healthSchema = z
  .object({
    status: z.literal("ok"),
    chainId: z.number().int(),
    blockNumber: z.number().int(),
    contracts: z.record(z.string(), z.string()),
  })
  .openapi("Health");

export function healthRouter(api: ApiDefinition, registry: Registry) {
  const router = Router();
  api.route(
    router,
    {
      method: "get",
      path: "/health",
      tag: "Health",
      summary: "Is the gateway up, is the chain reachable, and which deployment it serves",
      description:
        "Answers at once: it waits for the chain at most half a second. 503 CHAIN_UNAVAILABLE when the chain does " +
        "not answer (details.reason TIMEOUT: stalled or overloaded; UNREACHABLE: the connection failed); 503 " +
        "DEPLOYMENT_MISSING (details.missing) when the chain does not hold the deployment's contracts.",
      keyless: true,
      response: healthSchema,
    },
    async () => {
      const waitMs = Math.min(HEALTH_CHAIN_WAIT_MS, registry.relayer.timeouts.rpcTimeoutMs);
      let timer: NodeJS.Timeout | undefined;
      const stalled = new Promise<"stalled">((resolve) => (timer = setTimeout(() => resolve("stalled"), waitMs)));
      const check = async () => {
        const blockNumber = await registry.provider.getBlockNumber();
        await assertDeployed(registry);
        return blockNumber;
      };
      let blockNumber: number | "stalled";
      try {
        blockNumber = await Promise.race([check(), stalled]);
      } catch (error) {
        if (error instanceof AppError) throw error;
        throw (
          chainErrorToAppError(error) ??
          new AppError("CHAIN_UNAVAILABLE", 503, "the chain is not reachable (the connection failed)", undefined, {
            reason: "UNREACHABLE",
          })
        );
      } finally {
        clearTimeout(timer);
      }
      if (blockNumber === "stalled") {
        throw new AppError(
          "CHAIN_UNAVAILABLE",
          503,
          `the chain did not answer within ${waitMs} ms: it is stalled or overloaded`,
          undefined,
          { reason: "TIMEOUT", waitedMs: waitMs },
        );
      }
      return {
        status: "ok" as const,
        chainId: registry.deployment.chainId,
        blockNumber,
        contracts: registry.deployment.contracts,
      };
    },
  );
  return router;
}
