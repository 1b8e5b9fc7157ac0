/**
 * /v1/transactions — broadcast a transaction a party signed with its own wallet (prepared by the gateway's
 * `prepare` routes). The gateway checks it is for this chain and one of the register's contracts, simulates it
 * (422 with the contract's custom error), broadcasts it and answers with the receipt's decoded events in API form, or
 * 202 PENDING with its hash when the receipt does not come in time (the relayer's confirmation path).
 */
import { Router } from "express";
import type { GatewayParts } from "../../parts";
import type { ApiDefinition } from "../../openapi/registry";
import { broadcastBody, broadcastResultSchema } from "./schema";
import { broadcast, broadcastAnswer } from "./service";

export function transactionsRouter(api: ApiDefinition, parts: GatewayParts) {
  const router = Router();
  api.route(
    router,
    {
      method: "post",
      path: "/transactions",
      tag: "Transactions",
      summary: "Broadcast a party-signed transaction and wait for its receipt",
      description:
        "For an organisation, with its API key (it may relay a party's signed transaction too). A party without a " +
        "key posts what the gateway prepared for it to POST /v1/transactions/prepared instead. " +
        "Refused before broadcasting: 400 CHAIN_ID_MISMATCH (another chain), 400 TRANSACTION_TARGET_NOT_ALLOWED " +
        "(not a contract of this register, a pool it knows, its tranche tokens or payment token, nor a " +
        "ReceivablePool creation), 400 TRANSACTION_NOT_SIGNED, 422 with the contract's custom error when the " +
        "simulation reverts (TRANSACTION_REVERTED when it cannot be decoded), 409 TRANSACTION_NONCE_INVALID. " +
        "Once sent: 201 with the receipt's events (enum values by name, dates YYYY-MM-DD, instants ISO 8601); " +
        "202 PENDING with the transaction hash when no receipt comes within the receipt timeout or the chain " +
        "did not answer the broadcast (GET /v1/transactions/{hash} tells its outcome); 422 when it was mined but " +
        "failed, with the decoded refusal and its transactionHash and blockNumber in `details` (its nonce is spent).",
      body: broadcastBody,
      response: broadcastResultSchema,
      status: 201,
    },
    async ({ body }) => broadcast(parts.registry, parts.records, body.signedTransaction),
    (sent) => broadcastAnswer(sent.receipt),
  );
  return router;
}
