/**
 * /v1/risk-schemes — the risk-compensation schemes of SPEC §4.3 as the chain holds them (schemes cannot change after
 * creation). The bank's share is implied: whatever the other parties do not bear, before their caps.
 */
import { Router } from "express";
import { decodeBytes32String } from "ethers";
import { z } from "zod";
import type { ApiDefinition } from "../../openapi/registry";
import type { Registry } from "../../chain/registry";
import { MONEY_WORDS, moneyOut } from "../../openapi/schemas";

const amount = moneyOut.openapi({ example: "500000000", description: `${MONEY_WORDS}; 0 = no cap` });

export const riskSchemeSchema = z
  .object({
    key: z.string().openapi({ example: "zhongshan" }),
    id: z.number().int(),
    name: z.string().openapi({ example: "Zhongshan 54:26:16:4" }),
    active: z.boolean(),
    parties: z.array(
      z.object({ name: z.string(), shareBps: z.number().int(), perLoanCap: amount, perBorrowerYearCap: amount }),
    ),
    bankShareBps: z.number().int().openapi({ description: "10,000 − the parties' shares; more where a cap binds" }),
  })
  .openapi("RiskScheme");

export const riskSchemesSchema = z.object({ schemes: z.array(riskSchemeSchema) }).openapi("RiskSchemes");

/** A bytes32 name, or its hex when it is not a short string. */
const nameOf = (raw: string) => {
  try {
    return decodeBytes32String(raw);
  } catch {
    return raw;
  }
};

export async function readRiskSchemes(registry: Registry) {
  const entries = Object.entries(registry.deployment.riskSchemes);
  return Promise.all(
    entries.map(async ([key, id]) => {
      const [scheme, parties] = await registry.lossSharing.schemeOf(id);
      const shown = parties.map((p) => ({
        name: nameOf(p.name),
        shareBps: Number(p.shareBps),
        perLoanCap: p.perLoanCap.toString(),
        perBorrowerYearCap: p.perBorrowerYearCap.toString(),
      }));
      return {
        key,
        id,
        name: nameOf(scheme.name),
        active: scheme.active,
        parties: shown,
        bankShareBps: 10_000 - shown.reduce((sum, p) => sum + p.shareBps, 0),
      };
    }),
  );
}

export function riskSchemesRouter(api: ApiDefinition, registry: Registry) {
  const router = Router();
  api.route(
    router,
    {
      method: "get",
      path: "/risk-schemes",
      tag: "Risk compensation",
      summary: "Every risk-compensation scheme of the deployment: parties, shares, caps and the bank's share",
      response: riskSchemesSchema,
    },
    async () => ({ schemes: await readRiskSchemes(registry) }),
  );
  return router;
}
