/**
 * The routes of a party without an API key (a patentee, a licensee, an investor, a guarantor): mounted before
 * authentication, so they must be safe to serve to anyone. Each takes only what proves itself:
 * - POST /transactions/prepared broadcasts a signed transaction only if the gateway prepared exactly that call for
 *   exactly that signer and has not broadcast it yet (the party pays its own gas; the gateway sends nothing of its
 *   own);
 * - POST /licences/drafts/{draftId}/signatures adds a signature only if it is, over its own typed data, the
 *   signature of one of the draft's parties who has not signed yet;
 * - GET/POST /signing-links/{token}[/signature] show one pledge signer its typed data and add its signature, by the
 *   unguessable token of the link its bank handed it (pledgeLinks.ts);
 * - on the embedded demo chain only, the faucet.
 * Every keyless route is rate limited per client address and reads at most a small JSON body of its own (the
 * protected routes read theirs only after authentication).
 */
import express, { Router, type NextFunction, type Request, type Response } from "express";
import { rateLimit } from "express-rate-limit";
import type { GatewayParts } from "../../parts";
import type { ApiDefinition } from "../../openapi/registry";
import { AppError } from "../../errors/AppError";
import { broadcast } from "../transactions/service";
import { broadcastBody, broadcastResultSchema } from "../transactions/schema";
import { draftIdParams, licenceDraftSchema, signatureBody } from "../licences/schema";
import { addDraftSignature, draftView, loadDraft } from "../licences/service";
import { faucetRoutes } from "./faucet";
import { signingLinkRoutes } from "./pledgeLinks";

/** Requests per minute from one client address, over all keyless routes together. */
export const KEYLESS_REQUESTS_PER_MINUTE = 60;
/** The largest keyless body: a signed call or a signature is well under a kilobyte of hex. */
export const KEYLESS_MAX_BODY_BYTES = 8 * 1024;

/** At most KEYLESS_REQUESTS_PER_MINUTE requests a minute from one client address (`what`: named in the refusal). */
export const keylessRateLimit = (what: string) =>
  rateLimit({
    windowMs: 60_000,
    limit: KEYLESS_REQUESTS_PER_MINUTE,
    standardHeaders: "draft-8",
    legacyHeaders: false,
    handler: (_req, _res, next) =>
      next(AppError.of("RATE_LIMITED", `at most ${KEYLESS_REQUESTS_PER_MINUTE} ${what} a minute`)),
  });

export function keylessRouter(api: ApiDefinition, parts: GatewayParts) {
  const router = Router();
  const { registry, records } = parts;

  const limiter = keylessRateLimit("keyless requests");
  const declaredSize = (req: Request, _res: Response, next: NextFunction) => {
    const length = Number(req.header("content-length") ?? 0);
    if (length > KEYLESS_MAX_BODY_BYTES) {
      return next(
        AppError.of("PAYLOAD_TOO_LARGE", `a keyless request body is at most ${KEYLESS_MAX_BODY_BYTES} bytes`),
      );
    }
    next();
  };
  const keyless = [limiter, declaredSize, express.json({ limit: KEYLESS_MAX_BODY_BYTES })];

  api.route(
    router,
    {
      method: "post",
      path: "/transactions/prepared",
      tag: "Transactions",
      summary: "Broadcast, without an API key, a transaction the gateway prepared for the signer",
      description:
        "For a party with a wallet but no API key (a licensee paying an instalment, an investor subscribing or " +
        "claiming, the guarantor authorising or paying). An organisation asks a prepare route for the party's " +
        "address; the party signs the unsigned transaction with its own wallet and posts it here. Accepted only if " +
        "its chain, signer, target, calldata and value equal a transaction the gateway prepared and has not " +
        "broadcast yet, otherwise 403 TRANSACTION_NOT_PREPARED and nothing is sent; then checked and answered as by " +
        "POST /v1/transactions. The signer pays its own gas. At most " +
        `${KEYLESS_REQUESTS_PER_MINUTE} keyless requests a minute from one address, bodies of at most ` +
        `${KEYLESS_MAX_BODY_BYTES} bytes.`,
      keyless: true,
      before: keyless,
      body: broadcastBody,
      response: broadcastResultSchema,
      status: 201,
    },
    async ({ body }) => broadcast(registry, records, body.signedTransaction, true),
  );

  api.route(
    router,
    {
      method: "post",
      path: "/licences/drafts/:draftId/signatures",
      tag: "Licences",
      summary: "Add a party's signature over the typed data it was given (no API key needed)",
      description:
        "A licensor or licensee has no API key: it posts its own signature, or anyone relays it. Accepted only when " +
        "the signature is `signer`'s over the typed data the draft holds for it (ECDSA, or ERC-1271 for a contract " +
        "wallet) and `signer` has not signed yet: 400 VALIDATION_FAILED for a signer who is not a party, 422 " +
        "SIGNATURE_INVALID for a signature that is not the signer's, 409 SIGNATURE_ALREADY_GIVEN for a second one.",
      keyless: true,
      before: keyless,
      params: draftIdParams,
      body: signatureBody,
      response: licenceDraftSchema,
    },
    async ({ params, body }) => {
      // Co-licensors' signatures may arrive in parallel: addDraftSignature keeps every one of them.
      const draft = await addDraftSignature(registry, records, await loadDraft(records, params.draftId), body, true);
      return draftView(registry, draft);
    },
  );

  signingLinkRoutes(api, router, parts, keyless);

  if (parts.demo) faucetRoutes(api, router, parts, parts.demo.stablecoin, keyless);
  return router;
}
