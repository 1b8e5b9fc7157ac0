/**
 * /v1/licences — the licences behind the receivables (SPEC §6 steps 1–2), signing staying with the parties: the
 * originator drafts a first licence (every licensor signs its typed data) or a sub-licence (the licensee signs); once
 * every consent is in, the gateway prepares the originator's own transaction, which the originator signs with its
 * wallet and posts to POST /v1/transactions. Assigning a sub-licence to a pool is prepared the same way.
 */
import { Router } from "express";
import type { GatewayParts } from "../../parts";
import type { ApiDefinition } from "../../openapi/registry";
import { AppError } from "../../errors/AppError";
import { organisationOf } from "../../middleware/auth";
import { DRAFT_READERS, same } from "../drafts/signatureDraft";
import { preparedSchema } from "../transactions/schema";
import { prepare } from "../transactions/service";
import {
  assignmentBody,
  draftIdParams,
  firstLicenceBody,
  licenceDraftSchema,
  licenceIdParams,
  subLicenceBody,
} from "./schema";
import { createFirstLicenceDraft, createSubLicenceDraft, draftView, loadDraftFor, recordingCall } from "./service";

const TWO_STEPS =
  "Nothing is sent yet: the answer holds the EIP-712 typed data each consenting party signs with its own wallet " +
  "(POST /v1/licences/drafts/{draftId}/signatures, which needs no API key), then POST " +
  "/v1/licences/drafts/{draftId}/prepare.";

export function licencesRouter(api: ApiDefinition, parts: GatewayParts) {
  const router = Router();
  const { registry, records: store } = parts;
  const tag = "Licences";
  const l = registry.licenceRegistry;

  api.route(
    router,
    {
      method: "post",
      path: "/licences/first-licences",
      tag,
      summary: "Draft a first licence to the calling originator: typed data for every licensor",
      description: TWO_STEPS,
      roles: ["originator"],
      body: firstLicenceBody,
      response: licenceDraftSchema,
      status: 201,
    },
    async ({ body, req }) =>
      draftView(registry, await createFirstLicenceDraft(registry, store, organisationOf(req).address, body)),
  );

  api.route(
    router,
    {
      method: "post",
      path: "/licences/sub-licences",
      tag,
      summary: "Draft a sub-licence from the calling originator: typed data for the licensee",
      description: TWO_STEPS,
      roles: ["originator"],
      body: subLicenceBody,
      response: licenceDraftSchema,
      status: 201,
    },
    async ({ body, req }) =>
      draftView(registry, await createSubLicenceDraft(registry, store, organisationOf(req).address, body)),
  );

  api.route(
    router,
    {
      method: "get",
      path: "/licences/drafts/:draftId",
      tag,
      summary: "A licence draft: its terms and who has signed",
      description: DRAFT_READERS,
      params: draftIdParams,
      response: licenceDraftSchema,
    },
    async ({ params, req }) => draftView(registry, await loadDraftFor(store, params.draftId, organisationOf(req))),
  );

  api.route(
    router,
    {
      method: "post",
      path: "/licences/drafts/:draftId/prepare",
      tag,
      summary: "Prepare the originator's transaction recording the licence with every party's consent",
      description:
        "422 CONSENT_MISSING while a party has not signed; otherwise the unsigned transaction for the originator's " +
        "own wallet (simulated now: a refusal is 422 with the registry's error), to post to POST /v1/transactions.",
      roles: ["originator"],
      params: draftIdParams,
      response: preparedSchema,
    },
    async ({ params, req }) => {
      const draft = await loadDraftFor(store, params.draftId, organisationOf(req));
      if (!same(organisationOf(req).address, draft.originator)) {
        throw AppError.of("FORBIDDEN", "only the originator who drafted the licence may record it");
      }
      const data = recordingCall(registry, draft);
      const action = draft.kind === "first" ? "recordFirstLicence" : "recordSubLicence";
      return prepare(parts, draft.originator, [
        { action, description: `record the ${draft.kind} licence`, to: await l.getAddress(), data },
      ]);
    },
  );

  api.route(
    router,
    {
      method: "post",
      path: "/licences/:licenceId/prepare-assignment",
      tag,
      summary: "Prepare the originator's transaction assigning a sub-licence's receivables to a pool",
      roles: ["originator"],
      params: licenceIdParams,
      body: assignmentBody,
      response: preparedSchema,
    },
    async ({ params, body, req }) =>
      prepare(parts, organisationOf(req).address, [
        {
          action: "assignToPool",
          description: `assign licence ${params.licenceId} to pool ${body.pool}`,
          to: await l.getAddress(),
          data: l.interface.encodeFunctionData("assignToPool", [params.licenceId, body.pool]),
        },
      ]),
  );

  return router;
}
