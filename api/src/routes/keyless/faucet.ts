/**
 * /v1/demo/faucet — test money for demo parties, on the embedded demo chain only. `npm start` deploys a test CNY
 * stablecoin (tCNY, 2 decimals) beside the registry and tells the gateway so; a gateway started with RPC_URL is never
 * told, and these routes do not exist there (404, and absent from the OpenAPI document). Each request mints at most
 * FAUCET_MAX_AMOUNT to the party and tops its gas balance up, both sent by the gateway's relayer.
 */
import type { Router } from "express";
import type { ContractTransactionResponse } from "ethers";
import { TestStablecoin__factory } from "../../../../typechain-types";
import type { ApiDefinition } from "../../openapi/registry";
import type { GatewayParts } from "../../parts";
import type { Sent } from "../../chain/relayer";
import { AppError } from "../../errors/AppError";
import { idempotency } from "../../middleware/idempotency";
import { FAUCET_GAS_TOP_UP, FAUCET_MAX_AMOUNT, faucetBody, faucetInfoSchema, faucetResultSchema } from "./schema";

export function faucetRoutes(
  api: ApiDefinition,
  router: Router,
  parts: GatewayParts,
  stablecoin: string,
  keyless: Parameters<ApiDefinition["route"]>[1]["before"],
) {
  const { relayer, provider } = parts.registry;
  const coin = TestStablecoin__factory.connect(stablecoin, relayer.signer);
  const tag = "Demo";

  api.route(
    router,
    {
      method: "get",
      path: "/demo/faucet",
      tag,
      summary: "The demo chain's test stablecoin (embedded chain only)",
      description: "Where the demo's test money is: use `stablecoin` as a pool's paymentToken.",
      keyless: true,
      before: keyless,
      response: faucetInfoSchema,
    },
    async () => ({
      stablecoin,
      symbol: await coin.symbol(),
      decimals: Number(await coin.decimals()),
      maxAmount: FAUCET_MAX_AMOUNT.toString(),
      gasTopUp: FAUCET_GAS_TOP_UP.toString(),
    }),
  );

  api.route(
    router,
    {
      method: "post",
      path: "/demo/faucet",
      tag,
      summary: "Fund a demo party: test stablecoin and gas (embedded chain only)",
      description:
        "Mints `amount` of the test stablecoin to `address` and tops its native balance up to `gasTopUp`, so that a " +
        "party with only a wallet can pay, subscribe and send its own prepared transactions. Exists only on the " +
        "embedded demo chain of `npm start`; a gateway on RPC_URL answers 404. 400 VALIDATION_FAILED above " +
        "`maxAmount`.",
      keyless: true,
      // After the body is read (the key's request is told apart by it): a retry mints nothing again.
      before: [...(keyless ?? []), idempotency(parts.records, parts.registry, parts.config.IDEMPOTENCY_LEASE_MS)],
      body: faucetBody,
      response: faucetResultSchema,
      status: 201,
    },
    async (input) => {
      const { body } = input;
      const balance = await provider.getBalance(body.address);
      const gasSent = balance < FAUCET_GAS_TOP_UP ? FAUCET_GAS_TOP_UP - balance : 0n;
      const earlier: Sent[] = [];
      if (gasSent > 0n) {
        earlier.push(
          await relayer.send(
            async () => undefined,
            // A plain transfer: the relayer only waits for its receipt, as for a contract call.
            () =>
              relayer.signer.sendTransaction({
                to: body.address,
                value: gasSent,
              }) as Promise<unknown> as Promise<ContractTransactionResponse>,
          ),
        );
      }
      const minted = await relayer.send(
        () => coin.mint.staticCall(body.address, body.amount),
        () => coin.mint(body.address, body.amount),
      );
      return funded(minted, input, earlier);
    },
    funded,
  );

  /**
   * The answer from the mint (`minted`) and the gas top-up before it, if any (also a retry's whose first attempt
   * died after the mint was mined: openapi/registry.ts `Answer`).
   */
  async function funded(minted: Sent, { body }: { body: { address: string; amount: bigint } }, earlier: Sent[]) {
    if (minted.receipt.to?.toLowerCase() !== stablecoin.toLowerCase()) {
      // The first attempt died between the top-up and the mint: what it sent is spent; the key cannot be completed.
      throw new AppError("INTERNAL", 500, "the first attempt stopped before minting: retry with a new Idempotency-Key");
    }
    const topUp = earlier.at(-1);
    const gasSent = topUp ? ((await provider.getTransaction(topUp.transactionHash))?.value ?? 0n) : 0n;
    return {
      address: body.address,
      stablecoin,
      minted: body.amount.toString(),
      balance: (await coin.balanceOf(body.address)).toString(),
      gasSent: gasSent.toString(),
      transactionHashes: [...earlier, minted].map((sent) => sent.transactionHash),
    };
  }
}
