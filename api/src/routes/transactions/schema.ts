/**
 * Prepared transactions: the unsigned transaction a party signs with its own wallet, and the signed transaction the
 * client posts back for the gateway to broadcast. Amounts and fees are decimal strings.
 */
import { z } from "zod";
import { eventSchema } from "../../openapi/schemas";

export const unsignedTransactionSchema = z
  .object({
    type: z.number().int().openapi({ description: "2 (EIP-1559) or 0 (legacy, with gasPrice)" }),
    from: z.string(),
    to: z.string().nullable().openapi({ description: "null for a contract creation" }),
    data: z.string(),
    value: z.string(),
    chainId: z.number().int(),
    nonce: z.number().int(),
    gasLimit: z.string(),
    maxFeePerGas: z.string().optional(),
    maxPriorityFeePerGas: z.string().optional(),
    gasPrice: z.string().optional(),
  })
  .openapi("UnsignedTransaction", {
    description:
      "Ready for ethers `wallet.signTransaction(tx)`; post the result to POST /v1/transactions (an organisation, with " +
      "its API key) or POST /v1/transactions/prepared (the party itself, without a key).",
  });

export const preparedStepSchema = z
  .object({
    action: z.string().openapi({ example: "approve" }),
    description: z.string(),
    transaction: unsignedTransactionSchema,
    gasEstimated: z.boolean().openapi({
      description:
        "false when the step can only be simulated once the step before it is mined (an approval): gasLimit is " +
        "then a ceiling",
    }),
  })
  .openapi("PreparedStep");

export const preparedSchema = z
  .object({ steps: z.array(preparedStepSchema).openapi({ description: "sign and broadcast in this order" }) })
  .openapi("PreparedTransactions");

export const broadcastBody = z
  .object({
    signedTransaction: z
      .string()
      .regex(/^0x([0-9a-fA-F]{2})+$/, "must be 0x-prefixed hex bytes")
      .max(200_000)
      .openapi({ description: "the raw signed transaction (ethers `wallet.signTransaction`)" }),
  })
  .openapi("SignedTransaction");

export const broadcastResultSchema = z
  .object({
    transactionHash: z.string(),
    blockNumber: z.number().int(),
    status: z.enum(["success"]),
    from: z.string(),
    to: z.string().nullable(),
    contractAddress: z.string().optional(),
    events: z.array(eventSchema.extend({ address: z.string() })),
  })
  .openapi("BroadcastResult");
