/**
 * /v1/pools/{pool}/prepare/* — the pool's steps that must come from a party's own account (an investor's
 * subscription and claim, the originator's closing, a licensee's instalment, the guarantor's payment…). The gateway
 * answers the unsigned transactions, approval first where tokens move; the party signs each with its own wallet and
 * posts it to POST /v1/transactions, or without an API key to POST /v1/transactions/prepared, which takes only what
 * the gateway prepared.
 */
import type { Router } from "express";
import { z } from "zod";
import type { ApiDefinition } from "../../openapi/registry";
import type { GatewayParts } from "../../parts";
import type { Role } from "../../organisations";
import { preparedSchema } from "../transactions/schema";

const deploymentSchema = preparedSchema
  .extend({ poolAddress: z.string().openapi({ description: "the pool's address once mined" }) })
  .openapi("PreparedPoolDeployment");
import { prepare, withApproval, type Call } from "../transactions/service";
import { getAddress, getCreateAddress } from "ethers";
import { ERC20__factory, ReceivablePool__factory } from "../../../../typechain-types";
import { AppError } from "../../errors/AppError";
import { organisationOf } from "../../middleware/auth";
import { authoriseGuaranteeBody, deploymentBody, poolParams, prepareBodies } from "./schema";
import { knownPool } from "./service";
import { inPoolTerms } from "./poolContract";

/** The pool's refusals in the API's terms (enum names, periods from 1, instants). */
const inTerms = (error: unknown) => Promise.reject(inPoolTerms(error));

type Bodies = { [K in keyof typeof prepareBodies]: z.infer<(typeof prepareBodies)[K]> };
type Action = keyof Bodies;
type Pool = Awaited<ReturnType<typeof knownPool>>;

interface Step<K extends Action> {
  summary: string;
  roles?: Role[];
  /** The party's one call to the pool: the action (the pool's function), what its wallet shows, the calldata. */
  call: (pool: Pool, body: Bodies[K]) => [action: string, description: string, data: string];
  /** The call takes `amount` of the payment token from `from`: the pool must be allowed it first. */
  pays?: true;
}

const steps: { [K in Action]: Step<K> } = {
  subscribe: {
    summary: "An identified investor subscribes a tranche at face (approve, then subscribe)",
    pays: true,
    call: (pool, b) => [
      "subscribe",
      `subscribe ${b.amount} of tranche ${b.tranche}`,
      pool.interface.encodeFunctionData("subscribe", [b.tranche, b.amount]),
    ],
  },
  close: {
    summary: "The originator closes a fully subscribed pool (reserve funded, proceeds paid)",
    roles: ["originator"],
    call: (pool) => ["close", "close the pool", pool.interface.encodeFunctionData("close")],
  },
  cancel: {
    summary: "Cancel an unclosed pool (the originator; anyone after the subscription deadline)",
    call: (pool) => ["cancel", "cancel the pool", pool.interface.encodeFunctionData("cancel")],
  },
  "wind-up": {
    summary:
      "The originator winds the pool up once no tranche is outstanding and no instalment is open: everything left " +
      "(dust included) goes to the subordinated holders' claims, and the pool accepts nothing more but claims",
    roles: ["originator"],
    call: (pool) => ["windUp", "wind the pool up", pool.interface.encodeFunctionData("windUp")],
  },
  refund: {
    summary: "After cancellation, a holder takes back what its tokens of a tranche cost",
    call: (pool, b) => [
      "refund",
      `refund tranche ${b.tranche}`,
      pool.interface.encodeFunctionData("refund", [b.tranche]),
    ],
  },
  claim: {
    summary: "A holder claims what accrued to its tokens of a tranche",
    call: (pool, b) => ["claim", `claim tranche ${b.tranche}`, pool.interface.encodeFunctionData("claim", [b.tranche])],
  },
  "pay-instalment": {
    summary: "Pay (part of) an instalment of a receivable, the licensee or anyone on its behalf (approve, then pay)",
    pays: true,
    call: (pool, b) => [
      "payInstalment",
      `pay ${b.amount} of instalment ${b.index} of licence ${b.licenceId}`,
      pool.interface.encodeFunctionData("payInstalment", [b.licenceId, b.index, b.amount]),
    ],
  },
  "pay-guarantor-call": {
    summary: "The guarantor pays (part of) a call on its undertaking (approve, then pay)",
    pays: true,
    call: (pool, b) => [
      "payGuarantorCall",
      `pay ${b.amount} of guarantor call ${b.callId}`,
      pool.interface.encodeFunctionData("payGuarantorCall", [b.callId, b.amount]),
    ],
  },
};

export function prepareRoutes(api: ApiDefinition, router: Router, parts: GatewayParts) {
  const { registry, records: store } = parts;

  /** The step's transaction(s) for `from`: its call to the pool, behind an approval where it takes tokens. */
  async function callsOf(step: Step<Action>, pool: Pool, body: Bodies[Action]): Promise<Call[]> {
    const [action, description, data] = step.call(pool, body);
    const to = await pool.getAddress();
    const call: Call = { action, description, to, data };
    if (!step.pays) return [call];
    const { amount } = body as { amount: bigint };
    return withApproval(registry, await pool.paymentToken(), body.from, to, amount, call);
  }

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
      const prepared = await prepare(parts, originator, [
        { action: "deployPool", description: "create the pool and its tranche tokens", to: null, data: creation.data },
      ]).catch(inTerms);
      const { nonce } = prepared.steps[0].transaction;
      return { ...prepared, poolAddress: getCreateAddress({ from: originator, nonce }) };
    },
  );

  api.route(
    router,
    {
      method: "post",
      path: "/pools/:pool/prepare/authorise-guarantee",
      tag: "Pools",
      summary: "The guarantor authorises the pool in advance, up to what remains of its cap (SPEC §6)",
      description:
        "The guarantor's undertaking as the pool can use it: an allowance of the payment token to the pool for the " +
        "cap less what the pool has already called, so that a shortfall call is paid in the distribution that makes " +
        "it. The answer is the unsigned approval for the guarantor's own wallet, to post to POST /v1/transactions " +
        "(or, without an API key, POST /v1/transactions/prepared). 400 VALIDATION_FAILED when `from` is not the " +
        "pool's guarantor.",
      params: poolParams,
      body: authoriseGuaranteeBody,
      response: preparedSchema,
    },
    async ({ params, body }) => {
      const pool = await knownPool(registry, store, params.pool);
      const guarantor = await pool.guarantor();
      if (getAddress(body.from) !== getAddress(guarantor)) {
        throw AppError.of("VALIDATION_FAILED", `from: not the pool's guarantor (${guarantor})`, "from");
      }
      const remaining = (await pool.guaranteeCap()) - (await pool.guaranteeCalled());
      const token = ERC20__factory.connect(await pool.paymentToken(), registry.provider);
      return prepare(parts, guarantor, [
        {
          action: "approve",
          description: `authorise the pool to draw up to ${remaining} of the payment token on the guarantee`,
          to: await token.getAddress(),
          data: token.interface.encodeFunctionData("approve", [await pool.getAddress(), remaining]),
        },
      ]);
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
          "wallet and post in order — to POST /v1/transactions/prepared when the party has no API key (any " +
          "organisation may prepare for it: the originator for a licensee or the guarantor, an arranger for an " +
          "investor), else to POST /v1/transactions. Each is simulated now: a refusal is 422 with the " +
          "contract's error (a step after an approval is simulated when broadcast).",
        roles: step.roles,
        params: poolParams,
        body: prepareBodies[action],
        response: preparedSchema,
      },
      async ({ params, body }) => {
        const pool = await knownPool(registry, store, params.pool);
        return prepare(parts, body.from, await callsOf(step, pool, body as Bodies[Action])).catch(inTerms);
      },
    );
  }
}
