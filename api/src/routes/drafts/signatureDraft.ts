/**
 * Signature drafts: what a pledge application and a licence have in common before their transaction exists. The
 * gateway never holds a party's key, so a draft keeps the terms and, for every party that must consent, the nonce and
 * deadline of the EIP-712 typed data handed to it; each party's signature is checked on arrival and kept until the
 * feature acts on the draft. The features keep their own terms, typed data, routes and answers; this is only the
 * shared bookkeeping, so that the rules for nonces, deadlines, signature checks and parallel signers are written once.
 */
import { randomBytes } from "node:crypto";
import { Contract, TypedDataEncoder, verifyTypedData, type TypedDataField } from "ethers";
import type { Registry } from "../../chain/registry";
import type { DocumentStore } from "../../documents/store";
import { AppError } from "../../errors/AppError";

/** How long a party's signature stays usable: a week from when the gateway prepares it (by the chain's clock). */
export const SIGNING_WINDOW_SECONDS = 7n * 86_400n;

/** EIP-712 typed data with every number as a decimal string, so that it travels as JSON unchanged. */
export interface TypedData {
  domain: { name: string; version: string; chainId: number; verifyingContract: string };
  types: Record<string, TypedDataField[]>;
  primaryType: string;
  message: Record<string, unknown>;
}

/** One consenting party of a draft: the nonce and deadline its typed data names, and its signature once given. */
export interface DraftSigner {
  address: string;
  nonce: string;
  deadline: string;
  signature?: string;
}

export interface SignatureDraft {
  draftId: string;
  signers: DraftSigner[];
}

/** Addresses come in any letter case (the checksum is optional in requests and in the organisations file). */
export const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** Deadlines are counted on the chain's clock, the one the contracts check them against. */
export async function chainNow(registry: Registry): Promise<bigint> {
  return BigInt((await registry.provider.getBlock("latest"))!.timestamp);
}

/** Bigints as decimal strings, all the way down: typed data and stored terms must survive JSON unchanged. */
export const jsonSafe = (value: unknown): unknown =>
  typeof value === "bigint"
    ? value.toString()
    : Array.isArray(value)
      ? value.map(jsonSafe)
      : value && typeof value === "object"
        ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, jsonSafe(v)]))
        : value;

/** A draft's id: random, so that knowing one draft tells nothing about another. */
export const newDraftId = () => randomBytes(16).toString("hex");

/**
 * Every party with what its typed data adds to the terms: a fresh random nonce each (the registers' nonces are
 * unordered, so any unused one will do) and one deadline a week ahead of the chain's clock.
 */
export async function withNonceAndDeadline<P extends { address: string }>(
  registry: Registry,
  parties: P[],
): Promise<(P & { nonce: string; deadline: string })[]> {
  const deadline = ((await chainNow(registry)) + SIGNING_WINDOW_SECONDS).toString();
  return parties.map((party) => ({
    ...party,
    nonce: BigInt(`0x${randomBytes(8).toString("hex")}`).toString(),
    deadline,
  }));
}

/** Whether `signature` is `signer`'s over `typedData`: ECDSA recovery, or ERC-1271 for a contract wallet. */
export async function signatureVerifies(registry: Registry, typedData: TypedData, signer: string, signature: string) {
  const { domain, types, message } = typedData;
  try {
    if (same(verifyTypedData(domain, types, message, signature), signer)) return true;
  } catch {
    // not an ECDSA signature at all: a contract wallet may still accept it
  }
  if ((await registry.provider.getCode(signer)) === "0x") return false;
  const wallet = new Contract(signer, ["function isValidSignature(bytes32, bytes) view returns (bytes4)"], {
    provider: registry.provider,
  });
  try {
    return (await wallet.isValidSignature(TypedDataEncoder.hash(domain, types, message), signature)) === "0x1626ba7e";
  } catch {
    return false;
  }
}

/** How one feature keeps its drafts, and what it answers where the shared steps refuse. */
export interface DraftKindSpec<D extends SignatureDraft> {
  /** The document store's collection for this feature's drafts. */
  collection: string;
  /** What a client calls such a draft, for the 404 (`no licence draft …`). */
  name: string;
  /** The field the 404 names. */
  notFoundField: string;
  /** What the signer is not a party of, for the 400 (`signer: not a party of this licence`). */
  notAParty: string;
  /**
   * Whose spelling of the signer's address is verified and named in a 422: the draft's or the request's. They differ
   * only in letter case; each feature keeps the one it has always answered with.
   */
  signerAsGiven: boolean;
  /** The typed data the feature handed this signer. */
  typedDataOf: (registry: Registry, draft: D, signer: D["signers"][number]) => TypedData;
  /** Every party of the draft by address (its signers and the organisation that drafted it). */
  partiesOf: (draft: D) => string[];
}

/** What a draft route's description says about who sees the draft. */
export const DRAFT_READERS =
  "Only the organisations of the draft's parties (by address) and the registrar see a draft: anyone else gets " +
  "404 NOT_FOUND, as for a draft that does not exist.";

/** Who asks for a draft: an organisation's role and on-chain address. */
export interface DraftReader {
  role: string;
  address: string;
}

/** One feature's drafts: reading and writing them in the document store, and adding a verified signature. */
export function draftKind<D extends SignatureDraft>(spec: DraftKindSpec<D>) {
  const load = (store: DocumentStore, draftId: string): D => {
    const draft = store.getRecord<D>(spec.collection, draftId);
    if (!draft) throw AppError.of("NOT_FOUND", `no ${spec.name} ${draftId}`, spec.notFoundField);
    return draft;
  };
  const save = (store: DocumentStore, draft: D) => store.putRecord(spec.collection, draft.draftId, draft);
  /**
   * The draft for one of its parties' organisations or the registrar. Anyone else gets the same 404 as for a draft
   * that does not exist: an unsubmitted draft's terms (debtor, principal) are the parties' business, and even its
   * existence is not confirmed to others.
   */
  const loadFor = (store: DocumentStore, draftId: string, reader: DraftReader): D => {
    const draft = load(store, draftId);
    const party = spec.partiesOf(draft).some((address) => same(address, reader.address));
    if (!party && reader.role !== "registrar") {
      throw AppError.of("NOT_FOUND", `no ${spec.name} ${draftId}`, spec.notFoundField);
    }
    return draft;
  };

  /**
   * Adds a party's signature once it verifies over that party's own typed data, and answers the draft as stored now.
   * Refuses a signer who is not a party (400 VALIDATION_FAILED) and a signature that is not the signer's (422
   * SIGNATURE_INVALID). Verifying may await the chain (ERC-1271), so the draft is read again and written at once
   * afterwards, with no await in between: co-signers' signatures may arrive in parallel, and none may drop another's.
   *
   * @param draft the draft as the route loaded it (and found it may still be signed)
   * @param once refuse a signer who has signed already (409 SIGNATURE_ALREADY_GIVEN): a keyless caller may add a
   *   missing signature, never replace one
   */
  const addSignature = async (
    registry: Registry,
    store: DocumentStore,
    draft: D,
    given: { signer: string; signature: string },
    once = false,
  ): Promise<D> => {
    const index = draft.signers.findIndex((s) => same(s.address, given.signer));
    if (index < 0) throw AppError.of("VALIDATION_FAILED", `signer: not a party of ${spec.notAParty}`, "signer");
    const alreadySigned = (d: D) => {
      if (once && d.signers[index].signature !== undefined) {
        throw AppError.of("SIGNATURE_ALREADY_GIVEN", `${d.signers[index].address} has signed already`, "signer");
      }
    };
    alreadySigned(draft);
    const signer = draft.signers[index];
    const address = spec.signerAsGiven ? given.signer : signer.address;
    const typedData = spec.typedDataOf(registry, draft, signer);
    if (!(await signatureVerifies(registry, typedData, address, given.signature))) {
      throw new AppError("SIGNATURE_INVALID", 422, `not ${address}'s signature over its typed data`, "signature");
    }
    const current = load(store, draft.draftId);
    alreadySigned(current);
    current.signers[index].signature = given.signature;
    save(store, current);
    return current;
  };

  return { load, loadFor, save, addSignature };
}
