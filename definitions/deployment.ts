/**
 * The deployment file: which chain and which addresses — one schema for the scripts that write it and the gateway
 * that reads it. Written by the deploy step, read by the gateway and by anyone who wants to check the register
 * directly against the chain (see the README).
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { z } from "zod";

const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/);

export const deploymentSchema = z.object({
  chainId: z.coerce.number().int().positive(),
  deployedAt: z.string(),
  blockNumber: z.number().int().nonnegative(),
  /**
   * The block of the deployment's first transaction: the read model follows the chain from here. Files written
   * before it existed lack it (the gateway then searches for the first block holding the contracts' code).
   */
  firstBlock: z.number().int().positive().optional(),
  contracts: z.object({
    accessManager: address,
    assetRegister: address,
    valuationRegistry: address,
    lossSharing: address,
    pledgeRegistry: address,
    pledgeLens: address,
    licenceRegistry: address,
    investorRegistry: address,
  }),
  riskSchemes: z.record(z.string(), z.coerce.number().int().positive()),
  /** The embedded demo chain's test CNY stablecoin (2 decimals), a pool's paymentToken there; absent elsewhere. */
  demoStablecoin: address.optional(),
});
export type Deployment = z.infer<typeof deploymentSchema>;

export function readDeployment(path: string): Deployment {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new Error(`cannot read the deployment file ${path}: ${(error as Error).message}`);
  }
  const parsed = deploymentSchema.safeParse(raw);
  if (!parsed.success) {
    throw new Error(`${path}: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  }
  return parsed.data;
}

export function writeDeployment(path: string, deployment: Deployment) {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(deployment, null, 2)}\n`);
}
