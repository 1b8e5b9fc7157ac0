/**
 * Signing links for a pledge application's parties without an organisation (the patentee, its co-owners). The bank
 * asks for a link for one signer of its draft; the link's token is an HMAC of (draft, signer) under a random secret
 * the gateway keeps in its data folder, so it cannot be guessed and the bank gets the same link each time it asks.
 * The token grants exactly two things, without an API key: reading that signer's typed data (with the assets named
 * and the bank's name, so that the page can show the terms in words), and adding that signer's signature once, only
 * if it verifies over that typed data. It reads no other draft and signs for no other party.
 */
import { createHmac, randomBytes } from "node:crypto";
import { Router, type RequestHandler } from "express";
import { z } from "zod";
import type { ApiDefinition } from "../../openapi/registry";
import type { GatewayParts } from "../../parts";
import type { RecordStore } from "../../store/records";
import type { Registry } from "../../chain/registry";
import { AppError } from "../../errors/AppError";
import { organisationOf } from "../../middleware/auth";
import { address } from "../../openapi/schemas";
import { same } from "../drafts/signatureDraft";
import { draftIdParams, signatureBody, signingRequestSchema } from "../pledges/schema";
import { addDraftSignature, draftTypedData, loadDraftFor, type PledgeDraft } from "../pledges/service";
import { readAssetRecord } from "../assets/service";

const LINKS = "pledge-signing-links";
const SECRET = "signing-link-secret";

interface LinkRecord {
  draftId: string;
  signer: string;
}

const tokenParams = z.object({
  token: z
    .string()
    .regex(/^[0-9a-f]{64}$/, "must be a signing link's token (64 hex digits)")
    .openapi({ example: "9c1f0e4d2b7a4c3e8f6a5b4c3d2e1f0a9c1f0e4d2b7a4c3e8f6a5b4c3d2e1f0a" }),
});

const linkBody = z
  .object({ signer: address.openapi({ description: "a pledgor of the draft" }) })
  .openapi("SigningLinkRequest");

const linkSchema = z
  .object({
    draftId: z.string(),
    signer: z.string(),
    token: z.string().openapi({ description: "grants reading this signer's typed data and adding its signature" }),
    path: z.string().openapi({ description: "the web app's signing page for this link, relative to the gateway" }),
  })
  .openapi("SigningLink");

const linkViewSchema = z
  .object({
    draftId: z.string(),
    request: signingRequestSchema.extend({ signed: z.boolean() }),
    pledgee: z.object({ address: z.string(), name: z.string().nullable() }),
    assets: z.array(
      z.object({ assetId: z.string(), kind: z.string().nullable(), officialNumber: z.string().nullable() }),
    ),
    pledgeId: z.string().nullable().openapi({ description: "set once the bank has submitted the application" }),
  })
  .openapi("SigningLinkView", {
    description: "One signer's part of a pledge application draft: only what it signs, and names to read it by.",
  });

/** The gateway's secret for link tokens, made once and kept with its records. */
async function secretOf(store: RecordStore): Promise<Buffer> {
  // Made in one transaction: gateways that start together agree on one key (the first one written).
  const { key } = await store.change(async (tx) => {
    const kept = await tx.get<{ key: string }>(SECRET, "key");
    if (kept) return kept;
    const made = { key: randomBytes(32).toString("hex") };
    await tx.put(SECRET, "key", made);
    return made;
  });
  return Buffer.from(key, "hex");
}

const tokenOf = async (store: RecordStore, draftId: string, signer: string) =>
  createHmac("sha256", await secretOf(store))
    .update(`${draftId}:${signer.toLowerCase()}`)
    .digest("hex");

/** The link's draft and signer; 404 for a token the gateway never issued (or whose draft is gone). */
async function linkOf(
  store: RecordStore,
  token: string,
): Promise<{ draft: PledgeDraft; signer: PledgeDraft["signers"][number] }> {
  const link = await store.get<LinkRecord>(LINKS, token);
  if (!link) throw AppError.of("NOT_FOUND", "no such signing link", "token");
  // The link's signer reads the draft as one of its parties would.
  const draft = await loadDraftFor(store, link.draftId, { role: "pledgor", address: link.signer });
  return { draft, signer: draft.signers.find((s) => same(s.address, link.signer))! };
}

async function linkView(parts: Pick<GatewayParts, "registry" | "organisations">, draft: PledgeDraft, signer: string) {
  const registry: Registry = parts.registry;
  const s = draft.signers.find((x) => same(x.address, signer))!;
  const assets = await Promise.all(
    draft.terms.assetIds.map(async (assetId) => {
      const record = await readAssetRecord(registry, assetId).catch(() => null);
      return { assetId, kind: record?.kind ?? null, officialNumber: record?.officialNumber ?? null };
    }),
  );
  const bank = parts.organisations.organisations.find((o) => same(o.address, draft.terms.pledgee));
  return {
    draftId: draft.draftId,
    request: { address: s.address, role: s.role, signed: !!s.signature, typedData: draftTypedData(registry, draft, s) },
    pledgee: { address: draft.terms.pledgee, name: bank?.name ?? null },
    assets,
    pledgeId: draft.submitted?.pledgeId ?? null,
  };
}

/** Behind authentication: the draft's bank asks for a signer's link. */
export function signingLinkIssuer(api: ApiDefinition, parts: Pick<GatewayParts, "records">) {
  const router = Router();
  api.route(
    router,
    {
      method: "post",
      path: "/pledges/applications/:draftId/signing-links",
      tag: "Pledges",
      summary: "A signing link for a party without an organisation (the patentee, a co-owner)",
      description:
        "Only the draft's pledgee, for one of the draft's signers. The token lets whoever holds it read that " +
        "signer's typed data and add that signer's signature (GET/POST /v1/signing-links/{token}), nothing else. " +
        "Asking again for the same signer gives the same link.",
      roles: ["pledgee"],
      params: draftIdParams,
      body: linkBody,
      response: linkSchema,
      status: 201,
    },
    async ({ params, body, req }) => {
      const org = organisationOf(req);
      const draft = await loadDraftFor(parts.records, params.draftId, org);
      if (!same(org.address, draft.terms.pledgee)) {
        throw AppError.of("FORBIDDEN", "only the application's pledgee may hand out its signing links");
      }
      const signer = draft.signers.find((s) => same(s.address, body.signer));
      if (!signer) throw AppError.of("VALIDATION_FAILED", "signer: not a party of this application", "signer");
      const token = await tokenOf(parts.records, draft.draftId, signer.address);
      await parts.records.put(LINKS, token, { draftId: draft.draftId, signer: signer.address } satisfies LinkRecord);
      return { draftId: draft.draftId, signer: signer.address, token, path: `/#/sign/${token}` };
    },
  );
  return router;
}

/** Without an API key: read the link's typed data, add the link's signer's signature. */
export function signingLinkRoutes(
  api: ApiDefinition,
  router: Router,
  parts: Pick<GatewayParts, "registry" | "records" | "organisations">,
  keyless: RequestHandler[],
) {
  const { registry, records: store } = parts;
  api.route(
    router,
    {
      method: "get",
      path: "/signing-links/:token",
      tag: "Pledges",
      summary: "What a signing link's party signs: its typed data, the assets by number and the bank by name",
      description: "No API key: the token is the authority, and it shows this one signer's part of one draft.",
      keyless: true,
      before: keyless,
      params: tokenParams,
      response: linkViewSchema,
    },
    async ({ params }) => {
      const { draft, signer } = await linkOf(store, params.token);
      return linkView(parts, draft, signer.address);
    },
  );

  api.route(
    router,
    {
      method: "post",
      path: "/signing-links/:token/signature",
      tag: "Pledges",
      summary: "Add the link's party's signature over its typed data (no API key needed)",
      description:
        "Accepted only as the signature of the link's own signer over the typed data the link shows (`signer`, " +
        "if sent, must be that signer): 422 SIGNATURE_INVALID otherwise, 409 SIGNATURE_ALREADY_GIVEN for a second " +
        "one, 409 DRAFT_ALREADY_SUBMITTED once the bank has submitted the application.",
      keyless: true,
      before: keyless,
      params: tokenParams,
      body: signatureBody.partial({ signer: true }).openapi("SigningLinkSignature"),
      response: linkViewSchema,
    },
    async ({ params, body }) => {
      const { draft, signer } = await linkOf(store, params.token);
      if (body.signer !== undefined && !same(body.signer, signer.address)) {
        throw AppError.of("VALIDATION_FAILED", "signer: this link is for another party", "signer");
      }
      if (draft.submitted) {
        throw new AppError(
          "DRAFT_ALREADY_SUBMITTED",
          409,
          `draft ${draft.draftId} was already submitted as pledge ${draft.submitted.pledgeId}`,
          undefined,
          { pledgeId: draft.submitted.pledgeId },
        );
      }
      const signed = await addDraftSignature(
        registry,
        store,
        draft,
        { signer: signer.address, signature: body.signature },
        true,
      );
      return linkView(parts, signed, signer.address);
    },
  );
}
