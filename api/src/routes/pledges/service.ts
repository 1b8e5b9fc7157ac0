/**
 * Pledges: application drafts kept until every party's signature is in, relaying to the register, and reads of the
 * register with their history and proof.
 */
import {
  ZeroAddress,
  ZeroHash,
  decodeBytes32String,
  encodeBytes32String,
  hexlify,
  toUtf8Bytes,
  toUtf8String,
  type ContractTransactionResponse,
} from "ethers";
import { NO_CONSENT, type Consent } from "../../../../definitions/typedData";
import { REASON_CODES } from "../../../../definitions/reasons";
import { ruleFailureDetail, ruleFailureWords } from "../../errors/contractErrors";
import { AppError } from "../../errors/AppError";
import { historyOf, inApiForm, sortEvents, type ChainEvent } from "../../chain/events";
import type { Registry } from "../../chain/registry";
import type { Sent } from "../../chain/relayer";
import type { RecordStore } from "../../store/records";
import { dateOf, isoOf } from "../../openapi/schemas";
import { PLEDGE_STATUSES } from "../../../../definitions/enumNames";
import { draftKind, newDraftId, type DraftSigner, type SignatureDraft } from "../drafts/signatureDraft";
import { DISPOSAL_METHODS, type ApplicationInput } from "./schema";
import { signingRequests, typedDataOf, type Party } from "./signing";

/** Simulate, then send through the relayer (a refusal becomes 422 with its reason code before any nonce is spent). */
export function relay<A extends unknown[]>(
  registry: Registry,
  fn: { staticCall: (...a: A) => Promise<unknown>; (...a: A): Promise<unknown> },
  ...args: A
) {
  return registry.relayer.send(
    () => fn.staticCall(...args),
    () => fn(...args) as Promise<ContractTransactionResponse>,
  );
}

export const proofOf = (sent: { transactionHash: string; blockNumber: number }) => ({
  transactionHash: sent.transactionHash,
  blockNumber: sent.blockNumber,
});

/** What a write answers: the pledge, its status now, and the transaction to check it by. */
export const writeResult = async (registry: Registry, pledgeId: bigint, sent: Sent) => ({
  pledgeId: pledgeId.toString(),
  status: await statusOf(registry, pledgeId),
  proof: proofOf(sent),
});

const schemeKeyOf = (registry: Registry, schemeId: bigint | number) =>
  Number(schemeId) === 0
    ? null
    : (Object.entries(registry.deployment.riskSchemes).find(([, id]) => id === Number(schemeId))?.[0] ?? null);

const bytes3Text = (hex: string) => toUtf8String(hex).replace(/\0+$/, "");

export const failureView = (f: { reason: bigint; assetId: string; party: string; detail: bigint }) => ({
  reason: REASON_CODES[Number(f.reason)],
  assetId: f.assetId === ZeroHash ? null : f.assetId,
  party: f.party === ZeroAddress ? null : f.party,
  detail: ruleFailureDetail(REASON_CODES[Number(f.reason)], f),
  message: ruleFailureWords(REASON_CODES[Number(f.reason)], f),
});

// ───────────── drafts ─────────────

/** PledgeTerms exactly as signed and submitted, every number a decimal string (ethers takes them as they are). */
export interface StoredTerms {
  assetIds: string[];
  pledgors: string[];
  pledgee: string;
  debt: { debtor: string; principal: string; currency: string; startDate: string; maturityDate: string };
  contractHash: string;
  valuationReportId: string;
  riskScheme: string;
  forfeitureClause: boolean;
  invalidationAcknowledged: boolean;
}

export interface PledgeDraft extends SignatureDraft {
  createdBy: string;
  terms: StoredTerms;
  signers: (Party & DraftSigner)[];
  submitted?: { pledgeId: string; transactionHash: string; blockNumber: number };
  /** A gateway is submitting it (pledges/router.ts): since when, and its lease last renewed, in ms. */
  submitting?: { since: number; renewedAt?: number };
}

const drafts = draftKind<PledgeDraft>({
  collection: "pledge-drafts",
  name: "pledge application draft",
  notFoundField: "draftId",
  notAParty: "this application",
  signerAsGiven: false,
  typedDataOf: draftTypedData,
  partiesOf: (draft) => [draft.terms.pledgee, ...draft.signers.map((s) => s.address)],
  closed: (draft) => (draft.submitted || submissionUnderway(draft) ? alreadySubmitted(draft) : undefined),
});

/**
 * A submission's claim on its draft is a lease: the gateway submitting renews it five times per SUBMISSION_LEASE_MS
 * while it relays and waits (`holdSubmission`). A claim not renewed for that long is a gateway that died meanwhile
 * (kill -9, a crash): the draft may be submitted again — the chain refuses a second use of the signatures' nonces,
 * and a submission it took is settled from the register first (`settleSubmission`).
 */
export const SUBMISSION_LEASE_MS = 10_000;

/**
 * A draft whose submission is on its way (at this gateway or another) is marked in its record: a second submit must
 * not race the first.
 */
export const submissionUnderway = (draft: PledgeDraft) =>
  draft.submitting !== undefined &&
  Date.now() - (draft.submitting.renewedAt ?? draft.submitting.since) < SUBMISSION_LEASE_MS;

/** Renew the submission's claim on `draftId` while `work` runs (the claim itself is made and cleared by the caller). */
export async function holdSubmission<T>(store: RecordStore, draftId: string, work: () => Promise<T>): Promise<T> {
  const renew = setInterval(() => {
    void drafts
      .update(store, draftId, (current) =>
        current.submitting ? { ...current, submitting: { ...current.submitting, renewedAt: Date.now() } } : current,
      )
      .catch(() => {});
  }, SUBMISSION_LEASE_MS / 5);
  renew.unref();
  try {
    return await work();
  } finally {
    clearInterval(renew);
  }
}

export const alreadySubmitted = (draft: PledgeDraft) =>
  new AppError(
    "DRAFT_ALREADY_SUBMITTED",
    409,
    draft.submitted
      ? `draft ${draft.draftId} was already submitted as pledge ${draft.submitted.pledgeId}`
      : `draft ${draft.draftId} is being submitted`,
    undefined,
    draft.submitted ? { pledgeId: draft.submitted.pledgeId } : undefined,
  );

export async function createDraft(
  registry: Registry,
  store: RecordStore,
  createdBy: { id: string; address: string },
  input: ApplicationInput,
): Promise<PledgeDraft> {
  const schemes = registry.deployment.riskSchemes;
  if (input.riskScheme !== undefined && !Object.hasOwn(schemes, input.riskScheme)) {
    const known = Object.keys(schemes).join(", ");
    throw AppError.of("VALIDATION_FAILED", `riskScheme: unknown scheme; known: ${known}`, "riskScheme");
  }
  const riskScheme = input.riskScheme === undefined ? 0 : schemes[input.riskScheme];
  const terms: StoredTerms = {
    assetIds: input.assets,
    pledgors: input.pledgors,
    pledgee: createdBy.address,
    debt: {
      debtor: encodeBytes32String(input.debtor),
      principal: input.principal.toString(),
      currency: hexlify(toUtf8Bytes(input.currency)),
      startDate: input.startDate.toString(),
      maturityDate: input.maturityDate.toString(),
    },
    contractHash: input.contractHash,
    valuationReportId: input.valuationReportId,
    riskScheme: riskScheme.toString(),
    forfeitureClause: input.forfeitureClause,
    invalidationAcknowledged: input.invalidationAcknowledged,
  };
  const parties: Party[] = [
    ...terms.pledgors.map((address) => ({ address, role: "pledgor" as const })),
    { address: terms.pledgee, role: "pledgee" },
  ];
  const requests = await signingRequests(registry, "PledgeApplication", { terms }, parties);
  const draft: PledgeDraft = {
    draftId: newDraftId(),
    createdBy: createdBy.id,
    terms,
    signers: requests.map(({ address, role, nonce, deadline }) => ({ address, role, nonce, deadline })),
  };
  // The registry's structural checks (unknown asset or scheme, a party listed twice…) refuse the draft at once.
  await preflight(registry, draft);
  await drafts.save(store, draft);
  return draft;
}

export const { loadFor: loadDraftFor, update: updateDraft, addSignature: addDraftSignature } = drafts;

/**
 * A submission the register took but the draft does not say so — the gateway was stopped (even by kill -9) between the
 * mined transaction and saving the draft, or the submission was answered 202 PENDING — is completed from the
 * register: the pledgee's nonce of the draft is spent only by submitting the draft's application, so the
 * PledgeApplied whose transaction carries that nonce is this draft's pledge. The draft is saved with it.
 */
export async function settleSubmission(registry: Registry, store: RecordStore, draft: PledgeDraft) {
  const pledgee = draft.signers.find((s) => s.role === "pledgee");
  if (draft.submitted || !pledgee?.signature) return draft;
  const p = registry.pledgeRegistry;
  if (!(await p.isNonceUsed(pledgee.address, pledgee.nonce))) return draft;
  const applied = await p.queryFilter(p.filters.PledgeApplied(undefined, pledgee.address));
  for (const log of applied.reverse()) {
    const tx = await registry.provider.getTransaction(log.transactionHash);
    const call = tx && p.interface.parseTransaction(tx);
    if (call?.name !== "submitApplication" || call.args[2].nonce !== BigInt(pledgee.nonce)) continue;
    const submitted = { pledgeId: log.args.pledgeId.toString(), ...proofOf(log) };
    // One version-checked change: a gateway that recorded it meanwhile keeps its record.
    return drafts.update(store, draft.draftId, (current) =>
      current.submitted ? current : { ...current, submitted, submitting: undefined },
    );
  }
  return draft;
}

export function draftTypedData(registry: Registry, draft: PledgeDraft, signer: PledgeDraft["signers"][number]) {
  return typedDataOf(registry, "PledgeApplication", {
    terms: draft.terms,
    signer: signer.address,
    nonce: signer.nonce,
    deadline: signer.deadline,
  });
}

/** The consents as submitApplication takes them; a pledgor that has not signed is NO_CONSENT (the co-owner rule). */
export function consentsOf(draft: PledgeDraft): [Consent[], Consent] {
  const consentOf = (s: PledgeDraft["signers"][number]): Consent =>
    s.signature ? { nonce: BigInt(s.nonce), deadline: BigInt(s.deadline), signature: s.signature } : NO_CONSENT;
  const pledgors = draft.signers.filter((s) => s.role === "pledgor").map(consentOf);
  return [pledgors, consentOf(draft.signers.find((s) => s.role === "pledgee")!)];
}

/** Every rule the application would fail if submitted now (without spending any nonce). */
export async function preflight(registry: Registry, draft: PledgeDraft) {
  if (draft.submitted) return [];
  const failures = await registry.pledgeLens.evaluate(draft.terms, ...consentsOf(draft));
  return failures.map(failureView);
}

export function termsView(registry: Registry, terms: StoredTerms) {
  return {
    assets: terms.assetIds,
    pledgors: terms.pledgors,
    pledgee: terms.pledgee,
    debtor: decodeBytes32String(terms.debt.debtor),
    principal: terms.debt.principal,
    currency: bytes3Text(terms.debt.currency),
    startDate: dateOf(BigInt(terms.debt.startDate)),
    maturityDate: dateOf(BigInt(terms.debt.maturityDate)),
    contractHash: terms.contractHash,
    valuationReportId: terms.valuationReportId,
    riskScheme: schemeKeyOf(registry, BigInt(terms.riskScheme)),
    forfeitureClause: terms.forfeitureClause,
    invalidationAcknowledged: terms.invalidationAcknowledged,
  };
}

export async function draftView(registry: Registry, draft: PledgeDraft) {
  return {
    draftId: draft.draftId,
    createdBy: draft.createdBy,
    terms: termsView(registry, draft.terms),
    signers: draft.signers.map((s) => ({
      address: s.address,
      role: s.role,
      signed: !!s.signature,
      typedData: draftTypedData(registry, draft, s),
    })),
    preflight: await preflight(registry, draft),
    pledgeId: draft.submitted?.pledgeId ?? null,
  };
}

// ───────────── the register ─────────────

/** The pledge's parties and status; 404 when there is no such pledge. */
export async function partiesOf(registry: Registry, pledgeId: bigint) {
  const p = registry.pledgeRegistry;
  const [pledge, pledgors] = await Promise.all([p.pledgeOf(pledgeId), p.pledgorsOf(pledgeId)]);
  if (pledge.status === 0n) throw AppError.of("NOT_FOUND", `no pledge ${pledgeId}`, "pledgeId");
  return { pledgee: pledge.pledgee, pledgors: [...pledgors], status: PLEDGE_STATUSES[Number(pledge.status)] };
}

export async function statusOf(registry: Registry, pledgeId: bigint) {
  return PLEDGE_STATUSES[Number((await registry.pledgeRegistry.pledgeOf(pledgeId)).status)];
}

export async function lossSharingOf(registry: Registry, pledgeId: bigint) {
  const allocation = await registry.lossSharing.allocationOf(pledgeId);
  if (allocation.schemeId === 0n) return null;
  const [, parties] = await registry.lossSharing.schemeOf(allocation.schemeId);
  return lossSharingView(registry, allocation, parties);
}

/** A loss split as the API shows it: the allocation, and each scheme party's name (bytes32) with its share. */
export function lossSharingView(
  registry: Registry,
  allocation: { schemeId: bigint; year: bigint; loss: bigint; bankShare: bigint; partyShares: readonly bigint[] },
  parties: readonly { name: string }[],
) {
  return {
    scheme: schemeKeyOf(registry, allocation.schemeId),
    schemeId: Number(allocation.schemeId),
    year: Number(allocation.year),
    loss: allocation.loss.toString(),
    bankShare: allocation.bankShare.toString(),
    parties: parties.map((party, i) => ({
      name: decodeBytes32String(party.name),
      share: (allocation.partyShares[i] ?? 0n).toString(),
    })),
  };
}

export async function disposalOf(registry: Registry, pledgeId: bigint) {
  const d = await registry.pledgeRegistry.disposalOf(pledgeId);
  if (d.disposedAt === 0n) return null;
  return disposalView(d);
}

/** A disposal as the API shows it. */
export const disposalView = (d: {
  method: bigint | number;
  disposedAt: bigint;
  transferee: string;
  proceeds: bigint;
  loss: bigint;
  evidenceHash: string;
}) => ({
  method: DISPOSAL_METHODS[Number(d.method)],
  disposedAt: isoOf(d.disposedAt),
  transferee: d.transferee === ZeroAddress ? null : d.transferee,
  proceeds: d.proceeds.toString(),
  loss: d.loss.toString(),
  evidenceHash: d.evidenceHash,
});

/** Everything that happened to the pledge, in chain order: its own events and its loss split. */
export async function pledgeEventsOf(registry: Registry, pledgeId: bigint): Promise<ChainEvent[]> {
  const p = registry.pledgeRegistry;
  const l = registry.lossSharing;
  const [own, shares] = await Promise.all([
    historyOf(p, "PledgeRegistry", [
      p.filters.PledgeApplied(pledgeId),
      p.filters.PledgeRegistered(pledgeId),
      p.filters.PledgeRefused(pledgeId),
      p.filters.PledgeWithdrawn(pledgeId),
      p.filters.PledgeChanged(pledgeId),
      p.filters.PledgeReleased(pledgeId),
      p.filters.PledgeEnforced(pledgeId),
      p.filters.PledgeDisposed(pledgeId),
    ]),
    historyOf(l, "LossSharing", [l.filters.LossShareRecorded(pledgeId), l.filters.LossAllocated(pledgeId)]),
  ]);
  return sortEvents([...own, ...shares]);
}

export async function readPledge(registry: Registry, pledgeId: bigint) {
  const p = registry.pledgeRegistry;
  const pledge = await p.pledgeOf(pledgeId);
  if (pledge.status === 0n) throw AppError.of("NOT_FOUND", `no pledge ${pledgeId}`, "pledgeId");
  const [assets, pledgors, history, disposal, lossSharing] = await Promise.all([
    p.pledgedAssetsOf(pledgeId),
    p.pledgorsOf(pledgeId),
    pledgeEventsOf(registry, pledgeId),
    disposalOf(registry, pledgeId),
    lossSharingOf(registry, pledgeId),
  ]);
  return pledgePage(registry, {
    pledgeId,
    pledge,
    assets: [...assets],
    pledgors: [...pledgors],
    history,
    disposal,
    lossSharing,
  });
}

/** The pledge page (GET /v1/pledges/{id}) from the pledge's record, links and history, whichever read them. */
export function pledgePage(
  registry: Registry,
  facts: {
    pledgeId: bigint;
    pledge: {
      status: bigint | number;
      registrationNumber: bigint;
      pledgee: string;
      debtor: string;
      principal: bigint;
      currency: string;
      startDate: bigint;
      maturityDate: bigint;
      contractHash: string;
      valuationReportId: string;
      riskScheme: bigint | number;
      invalidationAcknowledged: boolean;
      submittedAt: bigint;
      registeredAt: bigint;
      closedAt: bigint;
    };
    assets: string[];
    pledgors: string[];
    history: ChainEvent[];
    disposal: ReturnType<typeof disposalView> | null;
    lossSharing: ReturnType<typeof lossSharingView> | null;
  },
) {
  const { pledgeId, pledge, history } = facts;
  const registration = history.find((e) => e.event === "PledgeRegistered");
  return {
    pledgeId: pledgeId.toString(),
    status: PLEDGE_STATUSES[Number(pledge.status)],
    registrationNumber: pledge.registrationNumber === 0n ? null : pledge.registrationNumber.toString(),
    assets: facts.assets,
    pledgors: facts.pledgors,
    pledgee: pledge.pledgee,
    debtor: decodeBytes32String(pledge.debtor),
    principal: pledge.principal.toString(),
    currency: bytes3Text(pledge.currency),
    startDate: dateOf(pledge.startDate),
    maturityDate: dateOf(pledge.maturityDate),
    contractHash: pledge.contractHash,
    valuationReportId: pledge.valuationReportId,
    riskScheme: schemeKeyOf(registry, pledge.riskScheme),
    invalidationAcknowledged: pledge.invalidationAcknowledged,
    submittedAt: isoOf(pledge.submittedAt),
    registeredAt: isoOf(pledge.registeredAt),
    closedAt: isoOf(pledge.closedAt),
    disposal: facts.disposal,
    lossSharing: facts.lossSharing,
    history: history.map(inApiForm),
    proof: {
      application: proofOf(history.find((e) => e.event === "PledgeApplied")!),
      registration: registration ? proofOf(registration) : null,
      latest: proofOf(history.at(-1)!),
    },
  };
}

/** The registration office's queue: every pending application with what it would fail if registered now. */
export async function pendingApplications(registry: Registry) {
  const p = registry.pledgeRegistry;
  const applied = await p.queryFilter(p.filters.PledgeApplied());
  const rows = await Promise.all(
    applied.map(async (log) => {
      const pledgeId = log.args.pledgeId;
      const pledge = await p.pledgeOf(pledgeId);
      if (PLEDGE_STATUSES[Number(pledge.status)] !== "Pending") return undefined;
      const terms = log.args.terms;
      return {
        pledgeId: pledgeId.toString(),
        pledgee: pledge.pledgee,
        pledgors: [...terms.pledgors],
        assets: [...terms.assetIds],
        principal: pledge.principal.toString(),
        currency: bytes3Text(pledge.currency),
        maturityDate: dateOf(pledge.maturityDate),
        submittedAt: isoOf(pledge.submittedAt),
        application: proofOf({ transactionHash: log.transactionHash, blockNumber: log.blockNumber }),
        failures: (await registry.pledgeLens.evaluatePending(pledgeId)).map(failureView),
      };
    }),
  );
  return rows.filter((row) => row !== undefined);
}
