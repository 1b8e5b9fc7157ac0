/** /v1/health — is the gateway up, is the chain reachable, which deployment. No API key needed. */
import { Router } from "express";
import { z } from "zod";
import type { Registry } from "../../chain/registry";
import type { ApiDefinition } from "../../openapi/registry";
import { AppError } from "../../errors/AppError";
import { chainErrorToAppError } from "../../errors/contractErrors";
import { assertDeployed } from "../../middleware/deployment";

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
        "503 CHAIN_UNAVAILABLE when the chain does not answer; 503 DEPLOYMENT_MISSING (details.missing) when the " +
        "chain does not hold the deployment's contracts.",
      keyless: true,
      response: healthSchema,
    },
    async () => {
      let blockNumber: number;
      try {
        blockNumber = await registry.provider.getBlockNumber();
        await assertDeployed(registry);
      } catch (error) {
        if (error instanceof AppError) throw error;
        throw chainErrorToAppError(error) ?? AppError.of("CHAIN_UNAVAILABLE", "the chain is not reachable");
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
