/**
 * Deploys one receivable pool (special plan) and assigns its receivables to it. The pool creates its own tranche
 * tokens; the originator then assigns each sub-licence to the pool in the licence registry (the pool checks the
 * assignment at closing).
 */
import type { Signer } from "ethers";
import {
  ReceivablePool__factory,
  TrancheToken__factory,
  type ReceivablePool,
  type TrancheToken,
} from "../../typechain-types";
import type { LicenceRegistry, InvestorRegistry } from "../../typechain-types";

export interface TrancheConfig {
  name: string;
  symbol: string;
  face: bigint;
  couponBps: number;
}

export interface PoolConfig {
  paymentToken: string;
  originator: string;
  feeRecipient: string;
  guarantor: string;
  guaranteeCap: bigint;
  feePerPeriod: bigint;
  reserveTarget: bigint;
  subscriptionDeadline: bigint | number;
  /** The deal's cut-off date: period 1 runs from it, whenever the pool closes (before the first period end). */
  startDate: bigint | number;
  periodEnds: (bigint | number)[];
  receivables: bigint[];
  tranches: TrancheConfig[];
}

export interface DeployedPool {
  pool: ReceivablePool;
  tranches: TrancheToken[];
}

/** Deploy the pool as `originator` and assign every receivable to it. */
export async function deployPool(
  originator: Signer,
  config: PoolConfig,
  registries: { licenceRegistry: LicenceRegistry; investorRegistry: InvestorRegistry },
): Promise<DeployedPool> {
  const pool = await new ReceivablePool__factory(originator).deploy(
    config,
    await registries.licenceRegistry.getAddress(),
    await registries.investorRegistry.getAddress(),
  );
  await pool.waitForDeployment();
  const poolAddress = await pool.getAddress();
  for (const licenceId of config.receivables) {
    await (await registries.licenceRegistry.connect(originator).assignToPool(licenceId, poolAddress)).wait();
  }
  const tranches: TrancheToken[] = [];
  for (let i = 0; i < config.tranches.length; i++) {
    tranches.push(TrancheToken__factory.connect((await pool.trancheOf(i)).token, originator));
  }
  return { pool, tranches };
}
