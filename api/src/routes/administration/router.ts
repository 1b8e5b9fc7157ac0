/**
 * /v1/registrar, /v1/investors, /v1/pledges-policy, /v1/participants — the registrar's administration. Every change
 * is sent by the relayer, which holds REGISTRAR because the office runs the gateway; only organisations with the
 * registrar role can make it use that role. The registrar is the admin of PLEDGEE and EVALUATOR on chain.
 */
import { Router } from "express";
import { getAddress } from "ethers";
import type { ApiDefinition } from "../../openapi/registry";
import type { Registry } from "../../chain/registry";
import type { Sent } from "../../chain/relayer";
import { ROLE_NAMES, Roles } from "../../../../definitions/roles";
import { strip } from "../assets/router";
import {
  addressBody,
  addressParams,
  identifyBody,
  instantRegistrationBody,
  investorResultSchema,
  licenceResultSchema,
  participantSchema,
  policyResultSchema,
  policySchema,
  removeBody,
} from "./schema";

/** The licences the registrar grants: path segment → role. */
const LICENCES = [
  { path: "licensed-lenders", role: "PLEDGEE", what: "lender (pledgee)" },
  { path: "licensed-evaluators", role: "EVALUATOR", what: "evaluator" },
] as const;

export function administrationRouter(api: ApiDefinition, registry: Registry) {
  const router = Router();
  const relay = registry.relayer;
  const am = registry.accessManager;
  const investors = registry.investorRegistry;
  const pledges = registry.pledgeRegistry;
  // Each write's answer from its mined transaction (also a recovered retry's: openapi/registry.ts `Answer`).
  const identified = async (sent: Sent, { body }: { body: { address: string } }) => ({
    address: getAddress(body.address),
    identified: true,
    proof: strip(sent),
  });
  const removed = async (sent: Sent, { params }: { params: { address: string } }) => ({
    address: getAddress(params.address),
    identified: false,
    proof: strip(sent),
  });
  const policySet = async (sent: Sent) => ({
    instantRegistration: await pledges.instantRegistration({ blockTag: sent.blockNumber }),
    proof: strip(sent),
  });

  for (const licence of LICENCES) {
    const roleId = Roles[licence.role];
    const granted = async (sent: Sent, { body }: { body: { address: string } }) => ({
      address: getAddress(body.address),
      role: licence.role,
      licensed: true,
      proof: strip(sent),
    });
    const revoked = async (sent: Sent, { params }: { params: { address: string } }) => ({
      address: getAddress(params.address),
      role: licence.role,
      licensed: false,
      proof: strip(sent),
    });
    api.route(
      router,
      {
        method: "post",
        path: `/registrar/${licence.path}`,
        tag: "Administration",
        summary: `License a ${licence.what}`,
        description: `grantRole(${licence.role}) on the shared AccessManager: licensed in every contract at once.`,
        roles: ["registrar"],
        body: addressBody,
        response: licenceResultSchema,
        status: 201,
      },
      async ({ body }) => {
        const account = getAddress(body.address);
        const sent = await relay.send(
          () => am.grantRole.staticCall(roleId, account, 0),
          () => am.grantRole(roleId, account, 0),
        );
        return granted(sent, { body });
      },
      granted,
    );
    api.route(
      router,
      {
        method: "post",
        path: `/registrar/${licence.path}/:address/revoke`,
        tag: "Administration",
        summary: `Withdraw a ${licence.what}'s licence`,
        description: `revokeRole(${licence.role}): from the next transaction on, the address acts unlicensed.`,
        roles: ["registrar"],
        params: addressParams,
        response: licenceResultSchema,
      },
      async ({ params }) => {
        const account = getAddress(params.address);
        const sent = await relay.send(
          () => am.revokeRole.staticCall(roleId, account),
          () => am.revokeRole(roleId, account),
        );
        return revoked(sent, { params });
      },
      revoked,
    );
  }

  api.route(
    router,
    {
      method: "get",
      path: "/participants/:address",
      tag: "Administration",
      summary: "What an address is on chain: its roles and whether it is an identified investor",
      params: addressParams,
      response: participantSchema,
    },
    async ({ params }) => {
      const account = getAddress(params.address);
      const held = await Promise.all(ROLE_NAMES.map(async (name) => (await am.hasRole(Roles[name], account))[0]));
      const roles = ROLE_NAMES.filter((_, i) => held[i]);
      return {
        address: account,
        roles,
        licensedLender: roles.includes("PLEDGEE"),
        licensedEvaluator: roles.includes("EVALUATOR"),
        identifiedInvestor: await investors.isIdentified(account),
      };
    },
  );

  api.route(
    router,
    {
      method: "post",
      path: "/investors",
      tag: "Administration",
      summary: "Identify an investor (may then hold tranche tokens)",
      description:
        "InvestorRegistry.identify, sent by the relayer with its REGISTRAR role. An originator may vet investors too, " +
        "but on chain that needs the originator's own transaction (the relayer does not hold ORIGINATOR), so this " +
        "route is for the registrar only. 422 INVESTOR_STATUS_UNCHANGED if already identified.",
      roles: ["registrar"],
      body: identifyBody,
      response: investorResultSchema,
      status: 201,
    },
    async ({ body }) => {
      const account = getAddress(body.address);
      const sent = await relay.send(
        () => investors.identify.staticCall(account, body.kycReference),
        () => investors.identify(account, body.kycReference),
      );
      return identified(sent, { body });
    },
    identified,
  );

  api.route(
    router,
    {
      method: "post",
      path: "/investors/:address/remove",
      tag: "Administration",
      summary: "Remove an identified investor (keeps its tokens and claims, but can neither send nor receive)",
      description:
        "InvestorRegistry.remove, sent by the relayer with its REGISTRAR role; an originator's own removal needs its " +
        "own transaction. 422 INVESTOR_STATUS_UNCHANGED if not identified.",
      roles: ["registrar"],
      params: addressParams,
      body: removeBody,
      response: investorResultSchema,
    },
    async ({ params, body }) => {
      const account = getAddress(params.address);
      const sent = await relay.send(
        () => investors.remove.staticCall(account, body.reason),
        () => investors.remove(account, body.reason),
      );
      return removed(sent, { params });
    },
    removed,
  );

  api.route(
    router,
    {
      method: "get",
      path: "/pledges-policy",
      tag: "Administration",
      summary: "The registration policy now",
      response: policySchema,
    },
    async () => ({ instantRegistration: await pledges.instantRegistration() }),
  );

  api.route(
    router,
    {
      method: "post",
      path: "/pledges-policy/instant-registration",
      tag: "Administration",
      summary: "Switch instant registration on or off",
      description: "With it on, an application that passes every rule is registered in the submitting transaction.",
      roles: ["registrar"],
      body: instantRegistrationBody,
      response: policyResultSchema,
    },
    async ({ body }) => {
      const sent = await relay.send(
        () => pledges.setInstantRegistration.staticCall(body.enabled),
        () => pledges.setInstantRegistration(body.enabled),
      );
      return policySet(sent);
    },
    policySet,
  );

  return router;
}
