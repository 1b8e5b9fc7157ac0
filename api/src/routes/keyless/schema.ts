/**
 * The keyless routes' shapes: a demo party's request for test money, and the faucet's answer. (A keyless broadcast
 * takes the same body as POST /v1/transactions; a keyless signature the same as the licence draft's.)
 */
import { z } from "zod";
import { address, money } from "../../openapi/schemas";

/** The most test money one request may ask for: 100,000,000.00 tCNY, in fen. */
export const FAUCET_MAX_AMOUNT = 10_000_000_000n;
/** Each request tops the party's gas balance up to this (1 ether of the demo chain's native coin). */
export const FAUCET_GAS_TOP_UP = 10n ** 18n;

export const faucetBody = z
  .object({
    address: address.openapi({ description: "the demo party's own account" }),
    amount: money
      .refine((v) => v > 0n, "must be more than zero")
      .refine((v) => v <= FAUCET_MAX_AMOUNT, `must be at most ${FAUCET_MAX_AMOUNT} (100,000,000.00 tCNY)`)
      .openapi({
        description: "test stablecoin to mint, an integer string in fen (the coin has 2 decimals)",
        example: "100000000",
      }),
  })
  .openapi("FaucetRequest", {
    example: { address: "0x90F79bf6EB2c4f870365E785982E1f101E93b906", amount: "100000000" },
  });

export const faucetInfoSchema = z
  .object({
    stablecoin: z
      .string()
      .openapi({ description: "the demo chain's test CNY stablecoin (tCNY), a pool's paymentToken" }),
    symbol: z.string(),
    decimals: z.number().int(),
    maxAmount: z.string().openapi({ description: "the most one request may ask for, in fen" }),
    gasTopUp: z.string().openapi({ description: "each request tops the party's native balance up to this (wei)" }),
  })
  .openapi("Faucet");

export const faucetResultSchema = z
  .object({
    address: z.string(),
    stablecoin: z.string(),
    minted: z.string().openapi({ description: "in fen" }),
    balance: z.string().openapi({ description: "the party's tCNY balance now, in fen" }),
    gasSent: z.string().openapi({ description: "native coin sent for gas (wei); 0 when it had enough" }),
    transactionHashes: z.array(z.string()),
  })
  .openapi("FaucetResult");
