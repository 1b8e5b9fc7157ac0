/**
 * Licence drafts: the terms, and for every consenting party (each licensor of a first licence, the licensee of a
 * sub-licence) its own EIP-712 typed data with a fresh nonce and a week's deadline. Kept in the document store until
 * the originator's transaction is prepared from the consents.
 */
import { firstLicenceGrantTypes, subLicenceGrantTypes } from "../../../../definitions/licenceTypedData";
import { domainOf } from "../../../../definitions/domains";
import type { Registry } from "../../chain/registry";
import type { RecordStore } from "../../store/records";
import { AppError } from "../../errors/AppError";
import {
  draftKind,
  jsonSafe,
  newDraftId,
  withNonceAndDeadline,
  type DraftSigner,
  type SignatureDraft,
} from "../drafts/signatureDraft";
import type { z } from "zod";
import type { firstLicenceBody, subLicenceBody } from "./schema";

export interface LicenceDraft extends SignatureDraft {
  kind: "first" | "sub";
  originator: string;
  /** The terms as the contract takes them, numbers as decimal strings. */
  terms: Record<string, unknown>;
  signers: (DraftSigner & { role: "licensor" | "licensee" })[];
}

const drafts = draftKind<LicenceDraft>({
  collection: "licence-drafts",
  name: "licence draft",
  notFoundField: "params.draftId",
  notAParty: "this licence",
  signerAsGiven: true,
  typedDataOf,
  partiesOf: (draft) => [draft.originator, ...draft.signers.map((s) => s.address)],
});

async function newDraft(
  registry: Registry,
  store: RecordStore,
  kind: LicenceDraft["kind"],
  originator: string,
  terms: Record<string, unknown>,
  parties: { address: string; role: "licensor" | "licensee" }[],
): Promise<LicenceDraft> {
  const draft: LicenceDraft = {
    draftId: newDraftId(),
    kind,
    originator,
    terms: jsonSafe(terms) as Record<string, unknown>,
    signers: await withNonceAndDeadline(registry, parties),
  };
  await drafts.save(store, draft);
  return draft;
}

export const createFirstLicenceDraft = (
  registry: Registry,
  store: RecordStore,
  originator: string,
  body: z.infer<typeof firstLicenceBody>,
) =>
  newDraft(
    registry,
    store,
    "first",
    originator,
    { ...body, licensee: originator },
    body.licensors.map((address) => ({ address, role: "licensor" as const })),
  );

export const createSubLicenceDraft = (
  registry: Registry,
  store: RecordStore,
  originator: string,
  body: z.infer<typeof subLicenceBody>,
) => newDraft(registry, store, "sub", originator, body, [{ address: body.licensee, role: "licensee" as const }]);

/** `loadDraft` only where a party's own signature proves the caller's standing (the keyless signature route). */
export const { load: loadDraft, loadFor: loadDraftFor, addSignature: addDraftSignature } = drafts;

export function typedDataOf(registry: Registry, draft: LicenceDraft, signer: LicenceDraft["signers"][number]) {
  const { chainId, contracts } = registry.deployment;
  return {
    domain: domainOf("licenceRegistry", chainId, contracts.licenceRegistry),
    types: draft.kind === "first" ? firstLicenceGrantTypes : subLicenceGrantTypes,
    primaryType: draft.kind === "first" ? "FirstLicenceGrant" : "SubLicenceGrant",
    message: { ...draft.terms, signer: signer.address, nonce: signer.nonce, deadline: signer.deadline },
  };
}

export const draftView = (registry: Registry, draft: LicenceDraft) => ({
  draftId: draft.draftId,
  kind: draft.kind,
  originator: draft.originator,
  terms: draft.terms,
  signers: draft.signers.map((s) => ({
    address: s.address,
    role: s.role,
    signed: s.signature !== undefined,
    typedData: typedDataOf(registry, draft, s),
  })),
  complete: draft.signers.every((s) => s.signature !== undefined),
});

/** The contract call the draft becomes: the terms and each party's consent (nonce, deadline, signature). */
export function recordingCall(registry: Registry, draft: LicenceDraft) {
  const missing = draft.signers.find((s) => s.signature === undefined);
  if (missing) {
    throw new AppError("CONSENT_MISSING", 422, `${missing.address} (${missing.role}) has not signed yet`, undefined, {
      signer: missing.address,
    });
  }
  const consents = draft.signers.map((s) => ({ nonce: s.nonce, deadline: s.deadline, signature: s.signature! }));
  const l = registry.licenceRegistry.interface;
  const t = draft.terms;
  return draft.kind === "first"
    ? l.encodeFunctionData("recordFirstLicence", [
        {
          assetIds: t.assetIds as string[],
          licensors: t.licensors as string[],
          licensee: t.licensee as string,
          exclusive: t.exclusive as boolean,
          subLicensable: t.subLicensable as boolean,
          upfrontFee: t.upfrontFee as string,
          startDate: t.startDate as string,
          endDate: t.endDate as string,
          contractHash: t.contractHash as string,
        },
        consents,
      ])
    : l.encodeFunctionData("recordSubLicence", [
        {
          firstLicenceId: t.firstLicenceId as string,
          licensee: t.licensee as string,
          schedule: t.schedule as { dueDate: string; amount: string }[],
          startDate: t.startDate as string,
          endDate: t.endDate as string,
          contractHash: t.contractHash as string,
        },
        consents[0],
      ]);
}
