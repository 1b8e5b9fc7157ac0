/**
 * GET /v1/demo/organisations — the embedded demo's organisations with their API keys, for the web app's sign-in
 * picker. Mounted ONLY when `npm start` runs its own throw-away Hardhat chain (never with RPC_URL): those keys were
 * made a moment ago for a local chain whose accounts are public anyway, and `npm start` already prints them.
 */
import { Router } from "express";
import { z } from "zod";
import type { ApiDefinition } from "../../openapi/registry";
import { ROLES, type Role } from "../../organisations";

export interface DemoKey {
  id: string;
  name: string;
  role: Role;
  address: string;
  apiKey: string;
}

const demoSchema = z
  .object({
    organisations: z.array(
      z.object({ id: z.string(), name: z.string(), role: z.enum(ROLES), address: z.string(), apiKey: z.string() }),
    ),
  })
  .openapi("DemoOrganisations");

export function demoRouter(api: ApiDefinition, demo: DemoKey[]) {
  const router = Router();
  api.route(
    router,
    {
      method: "get",
      path: "/demo/organisations",
      keyless: true,
      tag: "Public",
      summary: "The embedded demo's organisations and API keys (only on the local demo chain; no API key needed)",
      response: demoSchema,
    },
    // Field by field: whatever else the caller's records hold (a key hash) is not listed.
    async () => ({
      organisations: demo.map((o) => ({ id: o.id, name: o.name, role: o.role, address: o.address, apiKey: o.apiKey })),
    }),
  );
  return router;
}
