/**
 * GET /v1/transactions/{hash} — the outcome of a transaction the gateway sent, for a write that was answered
 * 202 PENDING (its receipt did not come in time): PENDING, CONFIRMED with its block, FAILED with the decoded
 * refusal, or DROPPED. Read from the chain each time; only "the gateway sent it" is remembered, by the relayer.
 */
import { Router } from "express";
import type { Registry } from "../../chain/registry";
import { isoOf } from "../../openapi/schemas";
import type { ApiDefinition } from "../../openapi/registry";
import { AppError } from "../../errors/AppError";
import { chainErrorToAppError } from "../../errors/contractErrors";
import { transactionHashParams, transactionStatusSchema } from "./statusSchema";

/** Why a mined transaction reverted: run it again on the state before its block and decode the refusal. */
async function refusalOf(registry: Registry, hash: string, blockNumber: number) {
  const tx = await registry.provider.getTransaction(hash);
  try {
    if (tx) {
      const { from, to, data, value } = tx;
      await registry.provider.call({ from, to, data, value, blockTag: blockNumber - 1 });
    }
  } catch (error) {
    const known = chainErrorToAppError(error);
    if (known?.code === "CHAIN_UNAVAILABLE") throw known;
    if (known)
      return { code: known.code, message: known.message, ...(known.details ? { details: known.details } : {}) };
  }
  return { code: "TRANSACTION_REVERTED", message: "the transaction reverted when mined" };
}

export async function transactionStatus(registry: Registry, asked: string) {
  // A transaction the relayer sent again with higher fees (same nonce and payload) is answered as the version that
  // was mined, whichever version is asked about; until one is mined, as the latest.
  const versions = registry.relayer.versionsOf(asked);
  let receipt = null;
  for (const version of versions) receipt ??= await registry.provider.getTransactionReceipt(version);
  const hash = receipt?.hash ?? (versions.length > 1 ? versions[versions.length - 1] : asked);
  if (receipt) {
    const block = await registry.provider.getBlock(receipt.blockNumber);
    const mined = {
      transactionHash: receipt.hash,
      blockNumber: receipt.blockNumber,
      ...(block ? { minedAt: isoOf(block.timestamp)! } : {}),
    };
    if (receipt.status === 1) return { ...mined, status: "CONFIRMED" as const };
    return { ...mined, status: "FAILED" as const, error: await refusalOf(registry, hash, receipt.blockNumber) };
  }
  if (await registry.provider.getTransaction(hash)) return { transactionHash: hash, status: "PENDING" as const };
  if (registry.relayer.broadcast(hash)) return { transactionHash: hash, status: "DROPPED" as const };
  throw AppError.of("NOT_FOUND", `neither the chain nor this gateway knows a transaction ${hash}`, "hash");
}

export function transactionStatusRouter(api: ApiDefinition, registry: Registry) {
  const router = Router();
  api.route(
    router,
    {
      method: "get",
      path: "/transactions/:hash",
      tag: "Transactions",
      summary: "What became of a transaction: PENDING, CONFIRMED, FAILED or DROPPED",
      description:
        "For a write answered 202 PENDING: ask until it is CONFIRMED, FAILED or DROPPED. A transaction the relayer " +
        "sent again with higher fees is answered as the version that was mined (its transactionHash), whichever " +
        "version is asked about. Any transaction on " +
        "the chain can be asked about; DROPPED is only said of transactions this gateway sent since it started " +
        "(404 NOT_FOUND otherwise).",
      params: transactionHashParams,
      response: transactionStatusSchema,
    },
    async ({ params }) => transactionStatus(registry, params.hash),
  );
  return router;
}
