/**
 * POST /v1/pools/{pool}/instalments/{licenceId}/{index}/default — marking an instalment defaulted once it is 90 days
 * unpaid (SPEC §6.4). Permissionless on chain, so the gateway sends it with its own key; the whole unpaid amount is
 * allocated: the subordinated tranche first, then senior classes from the lowest priority up, the rest absorbed.
 */
import { Router } from "express";
import { z } from "zod";
import type { GatewayParts } from "../../parts";
import type { ApiDefinition } from "../../openapi/registry";
import { address, eventSchema, proofSchema } from "../../openapi/schemas";
import { plain, type ChainEvent } from "../../chain/events";
import { knownPool } from "./service";
import type { Sent } from "../../chain/relayer";

export const instalmentParams = z.object({
  pool: address.openapi({ description: "the pool's contract address" }),
  licenceId: z
    .string()
    .regex(/^[1-9][0-9]{0,30}$/, "must be a licence number")
    .transform((s) => BigInt(s))
    .openapi({ type: "string", example: "2" }),
  index: z
    .string()
    .regex(/^[0-9]{1,3}$/, "must be an instalment number (0 is the first)")
    .transform((s) => Number(s))
    .openapi({ type: "string", example: "0" }),
});

/** Money: an integer string in the payment token's smallest unit. */
const money = (what: string) =>
  z
    .string()
    .regex(/^[0-9]+$/)
    .openapi({ example: "30000000", description: `${what}; integer string in the payment token's smallest unit` });

export const defaultedSchema = z
  .object({
    pool: z.string(),
    licenceId: z.string(),
    index: z.number().int(),
    unpaid: money("what was unpaid when marked: the loss"),
    writtenDown: money(
      "how much of it wrote tranches down (the subordinated first, then senior classes, A2 before A1)",
    ),
    absorbedByExcessReturn: money("what exceeded every tranche's outstanding (LossAbsorbedByExcessReturn)"),
    events: z.array(eventSchema),
    proof: proofSchema,
  })
  .openapi("InstalmentDefault");

export function poolDefaultsRouter(api: ApiDefinition, parts: GatewayParts) {
  const router = Router();
  const { registry, records: store } = parts;

  api.route(
    router,
    {
      method: "post",
      path: "/pools/:pool/instalments/:licenceId/:index/default",
      tag: "Pools",
      summary: "Mark an instalment defaulted, 90 days after its due date while unpaid",
      description:
        "Permissionless on chain, so the gateway sends it with its own key. Answers the InstalmentDefaulted, " +
        "LossAllocated (one per tranche written down) and LossAbsorbedByExcessReturn events. " +
        "422 INSTALMENT_NOT_DEFAULTABLE before 90 days, when paid or already defaulted; " +
        "422 RECEIVABLE_UNKNOWN for a licence not in the pool; 404 for a pool the gateway does not know.",
      params: instalmentParams,
      response: defaultedSchema,
      status: 201,
    },
    async ({ params }) => {
      const pool = await knownPool(registry, store, params.pool);
      const sent = await registry.relayer.send(
        () => pool.markDefaulted.staticCall(params.licenceId, params.index),
        () => pool.markDefaulted(params.licenceId, params.index),
      );
      return defaulted(sent, { params });
    },
    defaulted,
  );

  return router;

  /** The default's answer from its receipt's events (also a recovered retry's: openapi/registry.ts `Answer`). */
  async function defaulted(sent: Sent, { params }: { params: z.infer<typeof instalmentParams> }) {
    const pool = await knownPool(registry, store, params.pool);
    const poolAddress = await pool.getAddress();
    const events: ChainEvent[] = [];
    for (const log of sent.receipt.logs) {
      if (log.address.toLowerCase() !== poolAddress.toLowerCase()) continue;
      const parsed = pool.interface.parseLog(log);
      if (!parsed) continue;
      events.push({
        event: parsed.name,
        contract: "ReceivablePool",
        blockNumber: log.blockNumber,
        transactionHash: log.transactionHash,
        logIndex: log.index,
        args: Object.fromEntries(parsed.fragment.inputs.map((input, i) => [input.name, plain(parsed.args[i])])),
      });
    }
    const arg = (name: string, key: string) => String(events.find((e) => e.event === name)?.args[key] ?? "0");
    const total = (name: string) =>
      events
        .filter((e) => e.event === name)
        .reduce((sum, e) => sum + BigInt(String(e.args.amount)), 0n)
        .toString();
    return {
      pool: poolAddress,
      licenceId: params.licenceId.toString(),
      index: params.index,
      unpaid: arg("InstalmentDefaulted", "unpaid"),
      writtenDown: total("LossAllocated"),
      absorbedByExcessReturn: total("LossAbsorbedByExcessReturn"),
      events,
      proof: { transactionHash: sent.transactionHash, blockNumber: sent.blockNumber },
    };
  }
}
