/**
 * /v1/pools/{pool}/prepare/* — the pool's steps that must come from a party's own account (an investor's
 * subscription and claim, the originator's closing, a licensee's instalment, the guarantor's payment…). The gateway
 * answers the unsigned transactions, approval first where tokens move; the party signs each with its own wallet and
 * posts it to POST /v1/transactions.
 */
import type { Router } from "express";
import { z } from "zod";
import type { ApiDefinition } from "../../openapi/registry";
import type { GatewayParts } from "../../server";
import type { Role } from "../../organisations";
import { preparedSchema } from "../transactions/schema";

const deploymentSchema = preparedSchema
  .extend({ poolAddress: z.string().openapi({ description: "the pool's address once mined" }) })
  .openapi("PreparedPoolDeployment");
import { prepare, withApproval, type Call } from "../transactions/service";
import { getCreateAddress } from "ethers";
import { ReceivablePool__factory } from "../../../../typechain-types";
import { organisationOf } from "../../middleware/auth";
import { deploymentBody, poolParams, prepareBodies } from "./schema";
import { knownPool } from "./service";

type Bodies = { [K in keyof typeof prepareBodies]: z.infer<(typeof prepareBodies)[K]> };
type Action = keyof Bodies;

interface Step<K extends Action> {
  summary: string;
  roles?: Role[];
  calls: (pool: Awaited<ReturnType<typeof knownPool>>, body: Bodies[K], address: string) => Promise<Call[]>;
}

export function prepareRoutes(api: ApiDefinition, router: Router, parts: GatewayParts) {
  const { registry, store } = parts;
  const call = (action: string, description: string, to: string, data: string): Call => ({
    action,
    description,
    to,
    data,
  });
  const paying = async (
    pool: Awaited<ReturnType<typeof knownPool>>,
    from: string,
    amount: bigint,
    action: Call,
  ): Promise<Call[]> =>
    withApproval(registry, await pool.paymentToken(), from, await pool.getAddress(), amount, action);

  const steps: { [K in Action]: Step<K> } = {
    subscribe: {
      summary: "An identified investor subscribes a tranche at face (approve, then subscribe)",
      calls: async (pool, b, to) =>
        paying(
          pool,
          b.from,
          b.amount,
          call(
            "subscribe",
            `subscribe ${b.amount} of tranche ${b.tranche}`,
            to,
            pool.interface.encodeFunctionData("subscribe", [b.tranche, b.amount]),
          ),
        ),
    },
    close: {
      summary: "The originator closes a fully subscribed pool (reserve funded, proceeds paid)",
      roles: ["originator"],
      calls: async (pool, _b, to) => [call("close", "close the pool", to, pool.interface.encodeFunctionData("close"))],
    },
    cancel: {
      summary: "Cancel an unclosed pool (the originator; anyone after the subscription deadline)",
      calls: async (pool, _b, to) => [
        call("cancel", "cancel the pool", to, pool.interface.encodeFunctionData("cancel")),
      ],
    },
    refund: {
      summary: "After cancellation, a holder takes back what its tokens of a tranche cost",
      calls: async (pool, b, to) => [
        call("refund", `refund tranche ${b.tranche}`, to, pool.interface.encodeFunctionData("refund", [b.tranche])),
      ],
    },
    claim: {
      summary: "A holder claims what accrued to its tokens of a tranche",
      calls: async (pool, b, to) => [
        call("claim", `claim tranche ${b.tranche}`, to, pool.interface.encodeFunctionData("claim", [b.tranche])),
      ],
    },
    "pay-instalment": {
      summary: "Pay (part of) an instalment of a receivable, the licensee or anyone on its behalf (approve, then pay)",
      calls: async (pool, b, to) =>
        paying(
          pool,
          b.from,
          b.amount,
          call(
            "payInstalment",
            `pay ${b.amount} of instalment ${b.index} of licence ${b.licenceId}`,
            to,
            pool.interface.encodeFunctionData("payInstalment", [b.licenceId, b.index, b.amount]),
          ),
        ),
    },
    "pay-guarantor-call": {
      summary: "The guarantor pays (part of) a call on its undertaking (approve, then pay)",
      calls: async (pool, b, to) =>
        paying(
          pool,
          b.from,
          b.amount,
          call(
            "payGuarantorCall",
            `pay ${b.amount} of guarantor call ${b.callId}`,
            to,
            pool.interface.encodeFunctionData("payGuarantorCall", [b.callId, b.amount]),
          ),
        ),
    },
  };

  api.route(
    router,
    {
      method: "post",
      path: "/pools/prepare-deployment",
      tag: "Pools",
      summary: "Prepare the originator's transaction creating a pool (its tranche tokens are created with it)",
      description:
        "The unsigned contract creation for the calling originator's own wallet; `poolAddress` is where the pool " +
        "will be once it is mined at that nonce. Then assign each receivable to it " +
        "(POST /v1/licences/{licenceId}/prepare-assignment). 422 POOL_CONFIG_INVALID for a configuration the pool " +
        "refuses.",
      roles: ["originator"],
      body: deploymentBody,
      response: deploymentSchema,
    },
    async ({ body, req }) => {
      const originator = organisationOf(req).address;
      const config = { ...body, originator };
      const creation = await new ReceivablePool__factory().getDeployTransaction(
        config,
        registry.deployment.contracts.licenceRegistry,
        registry.deployment.contracts.investorRegistry,
      );
      const prepared = await prepare(registry, originator, [
        { action: "deployPool", description: "create the pool and its tranche tokens", to: null, data: creation.data },
      ]);
      const { nonce } = prepared.steps[0].transaction;
      return { ...prepared, poolAddress: getCreateAddress({ from: originator, nonce }) };
    },
  );

  for (const action of Object.keys(steps) as Action[]) {
    const step = steps[action] as Step<Action>;
    api.route(
      router,
      {
        method: "post",
        path: `/pools/:pool/prepare/${action}`,
        tag: "Pools",
        summary: step.summary,
        description:
          "Signing stays with the party: the answer is the unsigned transaction(s) for `from`, to sign with its own " +
          "wallet and post to POST /v1/transactions in order. Each is simulated now: a refusal is 422 with the " +
          "contract's error (a step after an approval is simulated when broadcast).",
        roles: step.roles,
        params: poolParams,
        body: prepareBodies[action],
        response: preparedSchema,
      },
      async ({ params, body }) => {
        const pool = await knownPool(registry, store, params.pool);
        return prepare(registry, body.from, await step.calls(pool, body as Bodies[Action], await pool.getAddress()));
      },
    );
  }
}
