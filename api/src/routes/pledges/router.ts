/**
 * /v1/pledges — the paperless pledge (SPEC §4). The bank prepares an application; every pledgor and the bank sign the
 * EIP-712 typed data the gateway hands out, each with its own wallet; the bank submits and the gateway relays with
 * its own key. The registration office works its queue. Later steps (release, default, disposal, change,
 * withdrawal, in actions.ts) follow the same two steps: typed data per signer, then the signatures, relayed.
 */
import { Router } from "express";
import { getAddress, type TransactionReceipt } from "ethers";
import { REASON_CODES } from "../../../../definitions/reasons";
import type { ApiDefinition } from "../../openapi/registry";
import type { Registry } from "../../chain/registry";
import type { Sent } from "../../chain/relayer";
import type { RecordStore } from "../../store/records";
import { AppError } from "../../errors/AppError";
import { organisationOf } from "../../middleware/auth";
import { DRAFT_READERS, same } from "../drafts/signatureDraft";
import { partyActions } from "./actions";
import {
  applicationBody,
  draftIdParams,
  draftSchema,
  pledgeIdParams,
  pledgeListQuery,
  pledgeListSchema,
  pledgeSchema,
  queueSchema,
  refusalBody,
  signatureBody,
  writeResultSchema,
} from "./schema";
import {
  addDraftSignature,
  consentsOf,
  createDraft,
  draftView,
  loadDraftFor,
  pendingApplications,
  proofOf,
  relay,
  settleSubmission,
  holdSubmission,
  updateDraft,
  alreadySubmitted,
  submissionUnderway,
  statusOf,
  writeResult,
  type PledgeDraft,
  readPledge,
} from "./service";
import { indexedPendingApplications, listPledges, readIndexedPledge, type PledgeFilter } from "./indexed";
import { indexOnly, indexedOrChain, type GatewayIndex } from "../../indexer/gatewayIndex";

export function pledgesRouter(api: ApiDefinition, registry: Registry, store: RecordStore, index?: GatewayIndex) {
  const router = Router();
  const p = registry.pledgeRegistry;
  const tag = "Pledges";
  /** A draft as the register has it: a submission whose answer was lost is completed first (settleSubmission). */
  // Each write's answer from its mined transaction (also a recovered retry's: openapi/registry.ts `Answer`).
  /** A submission's: the pledge its PledgeApplied event names. */
  const applied = (sent: Sent) => writeResult(registry, appliedPledgeId(registry, sent.receipt), sent);
  /** The registrar's decision's. */
  const decided = (sent: Sent, { params }: { params: { pledgeId: bigint } }) =>
    writeResult(registry, params.pledgeId, sent);
  const loadSettled = async (draftId: string, reader: ReturnType<typeof organisationOf>) =>
    settleSubmission(registry, store, await loadDraftFor(store, draftId, reader));

  // ───────────── applications ─────────────

  api.route(
    router,
    {
      method: "post",
      path: "/pledges/applications",
      tag,
      summary: "Prepare an application: the terms, and the typed data every pledgor and the bank sign",
      description:
        "The calling bank is the pledgee. Nothing is sent to the chain yet; `preflight` lists every rule the " +
        "application would fail now (missing signatures included).",
      roles: ["pledgee"],
      body: applicationBody,
      response: draftSchema,
      status: 201,
    },
    async ({ body, req }) => draftView(registry, await createDraft(registry, store, organisationOf(req), body)),
  );

  api.route(
    router,
    {
      method: "get",
      path: "/pledges/applications/:draftId",
      tag,
      summary: "An application draft: who has signed, and what it would fail now",
      description: DRAFT_READERS,
      params: draftIdParams,
      response: draftSchema,
    },
    async ({ params, req }) => draftView(registry, await loadSettled(params.draftId, organisationOf(req))),
  );

  api.route(
    router,
    {
      method: "post",
      path: "/pledges/applications/:draftId/signatures",
      tag,
      summary: "Add a party's signature over the typed data it was given",
      description:
        "The organisation of any party of the draft (the bank) relays a party's signature. A signature that is not " +
        `the signer's over its own typed data is refused: 422 SIGNATURE_INVALID. ${DRAFT_READERS}`,
      params: draftIdParams,
      body: signatureBody,
      response: draftSchema,
    },
    async ({ params, body, req }) => {
      const draft = await loadSettled(params.draftId, organisationOf(req));
      if (draft.submitted || submissionUnderway(draft)) throw alreadySubmitted(draft);
      return draftView(registry, await addDraftSignature(registry, store, draft, body));
    },
  );

  api.route(
    router,
    {
      method: "post",
      path: "/pledges/applications/:draftId/submit",
      tag,
      summary: "Submit the signed application to the register",
      description:
        "Only the draft's pledgee. Every rule of SPEC §4.2 is checked; a refusal is 422 with one reason code: " +
        "signature, nonce and deadline problems first, otherwise the lowest-numbered failing rule (a lone signer " +
        "who is not the holder is PLEDGOR_NOT_HOLDER; a pledgor's missing signature is CO_OWNER_CONSENT_MISSING). " +
        "The preflight lists every failing rule. A draft is submitted once: 409 " +
        "DRAFT_ALREADY_SUBMITTED after that.",
      roles: ["pledgee"],
      params: draftIdParams,
      response: writeResultSchema,
      status: 201,
    },
    async ({ params, req }) => {
      const loaded = await loadSettled(params.draftId, organisationOf(req));
      if (!same(organisationOf(req).address, loaded.terms.pledgee)) {
        throw AppError.of("FORBIDDEN", "only the application's pledgee may submit it");
      }
      // Claim the submission in the draft's record (one transaction, version-checked): the draft as stored now,
      // with every signature any gateway has added, is what is sent.
      const draft = await updateDraft(store, loaded.draftId, (current) => {
        if (current.submitted || submissionUnderway(current)) throw alreadySubmitted(current);
        return { ...current, submitting: { since: Date.now(), renewedAt: Date.now() } };
      });
      let submitted: PledgeDraft["submitted"];
      try {
        const sent = await holdSubmission(store, draft.draftId, () =>
          relay(registry, p.submitApplication, draft.terms, ...consentsOf(draft)),
        );
        submitted = { pledgeId: appliedPledgeId(registry, sent.receipt).toString(), ...proofOf(sent) };
        return applied(sent);
      } finally {
        await updateDraft(store, draft.draftId, ({ submitting: _claim, ...current }) =>
          submitted ? { ...current, submitted } : current,
        );
      }
    },
    applied,
  );

  // ───────────── the registration office ─────────────

  api.route(
    router,
    {
      method: "get",
      path: "/pledges/queue",
      tag,
      summary: "Pending applications, each with every rule it would fail if registered now",
      roles: ["registrar"],
      response: queueSchema,
    },
    async () => {
      const currentToBlock = (await index?.currentTo()) ?? null;
      const applications =
        index && currentToBlock !== null
          ? await indexedPendingApplications(index, registry)
          : await pendingApplications(registry);
      return { applications, currentToBlock };
    },
  );

  api.route(
    router,
    {
      method: "get",
      path: "/pledges",
      tag,
      summary: "Pledges by bank, pledgor, asset and status, in pages",
      description:
        "From the read model only (`currentToBlock`), by pledge number ascending; every filter given must match. " +
        "Pages: `limit` (default 50, at most 500) and `cursor` = the previous page's `nextCursor` (null on the last " +
        "page). While the read model lags behind a write this gateway answered (or is not open): 503 INDEX_BEHIND.",
      query: pledgeListQuery,
      response: pledgeListSchema,
    },
    async ({ query }) => {
      const { currentToBlock } = await indexOnly(index);
      const filter: PledgeFilter = {
        pledgee: query.pledgee && getAddress(query.pledgee),
        pledgor: query.pledgor && getAddress(query.pledgor),
        asset: query.asset,
        status: query.status as PledgeFilter["status"],
        after: query.cursor,
        limit: query.limit,
      };
      // Cached per indexed head, like the collateral lookup: a bank asking again before the next block costs nothing.
      const key = `pledges ${JSON.stringify({ ...filter, after: filter.after?.toString() })}`;
      const page = await index!.cached(key, () => listPledges(index!, filter));
      return { ...page, currentToBlock };
    },
  );

  api.route(
    router,
    {
      method: "post",
      path: "/pledges/:pledgeId/register",
      tag,
      summary: "Register a pending application (every rule is checked again)",
      roles: ["registrar"],
      params: pledgeIdParams,
      response: writeResultSchema,
    },
    async ({ params }) => decided(await relay(registry, p.register, params.pledgeId), { params }),
    decided,
  );

  api.route(
    router,
    {
      method: "post",
      path: "/pledges/:pledgeId/refuse",
      tag,
      summary: "Refuse a pending application, for a reason code or a free-text reason",
      roles: ["registrar"],
      params: pledgeIdParams,
      body: refusalBody,
      response: writeResultSchema,
    },
    async ({ params, body }) => {
      const reason = REASON_CODES.indexOf(body.reasonCode ?? "REFUSED_BY_REGISTRAR");
      const sent = await relay(registry, p.refuse, params.pledgeId, reason, body.note ?? "");
      return decided(sent, { params });
    },
    decided,
  );

  api.route(
    router,
    {
      method: "get",
      path: "/pledges/:pledgeId",
      tag,
      summary: "A pledge: terms, status, disposal and loss split, with its full history and proof",
      params: pledgeIdParams,
      response: pledgeSchema,
    },
    async ({ params }) => {
      const { answer, currentToBlock } = await indexedOrChain(
        index,
        `pledge:${params.pledgeId}`,
        (current) => readIndexedPledge(current, registry, params.pledgeId),
        () => readPledge(registry, params.pledgeId),
      );
      return { ...answer, currentToBlock };
    },
  );

  partyActions(api, router, registry);

  return router;
}

function appliedPledgeId(registry: Registry, receipt: TransactionReceipt): bigint {
  const p = registry.pledgeRegistry;
  for (const log of receipt.logs) {
    const parsed = p.interface.parseLog(log);
    if (parsed?.name === "PledgeApplied") return parsed.args.pledgeId as bigint;
  }
  throw new AppError("INTERNAL", 500, "the submission mined without a PledgeApplied event");
}
