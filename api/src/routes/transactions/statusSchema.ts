/** GET /v1/transactions/{hash}: what became of a transaction the gateway sent (a write answered 202 PENDING). */
import { z } from "zod";
import { bytes32 } from "../../openapi/schemas";

export const TRANSACTION_STATES = ["PENDING", "CONFIRMED", "FAILED", "DROPPED"] as const;

export const transactionHashParams = z.object({ hash: bytes32.openapi({ description: "the transaction hash" }) });

export const transactionStatusSchema = z
  .object({
    transactionHash: z.string(),
    status: z.enum(TRANSACTION_STATES).openapi({
      description:
        "PENDING: the chain holds it, not mined yet. CONFIRMED: mined and executed. FAILED: mined and reverted " +
        "(error says why). DROPPED: the gateway sent it but the chain does not know it (lost, or its nonce was " +
        "reused): it will not execute; send the request again.",
    }),
    blockNumber: z.number().int().optional().openapi({ description: "CONFIRMED and FAILED: the block that holds it" }),
    minedAt: z.string().optional().openapi({ description: "CONFIRMED and FAILED: the block's time, ISO 8601" }),
    error: z
      .object({
        code: z.string(),
        message: z.string(),
        details: z.record(z.string(), z.unknown()).optional(),
      })
      .optional()
      .openapi({ description: "FAILED: the contract's refusal, as a write answered at once would have given it" }),
  })
  .openapi("TransactionStatus");
