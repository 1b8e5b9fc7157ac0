/**
 * Is the deployment there? A gateway pointed at a chain that does not hold the deployment file's contracts (a fresh
 * node, another chain) would answer every read with a decoding error. Each contract's code is checked; a complete
 * deployment is remembered for DEPLOYMENT_CHECK_TTL_MS (contracts are not undeployed, but a development chain may be
 * restarted under a running gateway), a missing one is asked again on the next request. Reads and writes answer
 * 503 DEPLOYMENT_MISSING meanwhile; /health says which contracts have no code.
 */
import type { NextFunction, Request, Response } from "express";
import type { Registry } from "../chain/registry";
import { AppError } from "../errors/AppError";

export const DEPLOYMENT_CHECK_TTL_MS = 30_000;

const checkedAt = new WeakMap<Registry, number>();

/** The deployment's contracts without code on the chain (none: the deployment is complete). */
async function missingContracts(registry: Registry): Promise<string[]> {
  const entries = Object.entries(registry.deployment.contracts);
  const codes = await Promise.all(entries.map(([, address]) => registry.provider.getCode(address)));
  return entries.filter((_, i) => codes[i] === "0x").map(([name]) => name);
}

/** Throws 503 DEPLOYMENT_MISSING naming the contracts without code; a chain failure propagates as it is. */
export async function assertDeployed(registry: Registry, now = Date.now()) {
  const last = checkedAt.get(registry);
  if (last !== undefined && now - last < DEPLOYMENT_CHECK_TTL_MS) return;
  const missing = await missingContracts(registry);
  if (missing.length > 0) {
    checkedAt.delete(registry);
    throw new AppError(
      "DEPLOYMENT_MISSING",
      503,
      `the chain does not hold this gateway's deployment (no code at ${missing.join(", ")}); deploy, or point ` +
        "RPC_URL and DEPLOYMENT_FILE at the same chain",
      undefined,
      { chainId: registry.deployment.chainId, missing },
    );
  }
  checkedAt.set(registry, now);
}

/** Before every authenticated route: 503 DEPLOYMENT_MISSING rather than a read or write against nothing. */
export function requireDeployment(registry: Registry) {
  return (_req: Request, _res: Response, next: NextFunction) => {
    assertDeployed(registry).then(() => next(), next);
  };
}
