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
import type { RecordStore } from "../../store/records";
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
  /** Why the draft as stored takes no more signatures (e.g. it is being submitted), if it does not. */
  closed?: (draft: D) => AppError | undefined;
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

/** One feature's drafts: reading and writing them in the gateway's records, and adding a verified signature. */
export function draftKind<D extends SignatureDraft>(spec: DraftKindSpec<D>) {
  const notFound = (draftId: string) => AppError.of("NOT_FOUND", `no ${spec.name} ${draftId}`, spec.notFoundField);
  const load = async (store: RecordStore, draftId: string): Promise<D> => {
    const draft = await store.get<D>(spec.collection, draftId);
    if (!draft) throw notFound(draftId);
    return draft;
  };
  /** A new draft, or one whose every change was made by this caller (use `update` for a change on what is stored). */
  const save = (store: RecordStore, draft: D) => store.put(spec.collection, draft.draftId, draft);
  /**
   * Change the draft as stored now, atomically: `change` sees the stored draft (never a stale copy) and what it
   * returns is written, unless another gateway changed the draft meanwhile — then it runs again on the new one.
   */
  const update = (store: RecordStore, draftId: string, change: (current: D) => D): Promise<D> =>
    store.change(async (tx) => {
      const current = await tx.get<D>(spec.collection, draftId);
      if (!current) throw notFound(draftId);
      const changed = change(current);
      await tx.put(spec.collection, draftId, changed);
      return changed;
    });
  /**
   * The draft for one of its parties' organisations or the registrar. Anyone else gets the same 404 as for a draft
   * that does not exist: an unsubmitted draft's terms (debtor, principal) are the parties' business, and even its
   * existence is not confirmed to others.
   */
  const loadFor = async (store: RecordStore, draftId: string, reader: DraftReader): Promise<D> => {
    const draft = await load(store, draftId);
    const party = spec.partiesOf(draft).some((address) => same(address, reader.address));
    if (!party && reader.role !== "registrar") throw notFound(draftId);
    return draft;
  };

  /**
   * Adds a party's signature once it verifies over that party's own typed data, and answers the draft as stored now.
   * Refuses a signer who is not a party (400 VALIDATION_FAILED) and a signature that is not the signer's (422
   * SIGNATURE_INVALID). Verifying may await the chain (ERC-1271), so the signature is then added to the draft as
   * stored at that moment, in one transaction with a version check: co-signers' signatures may arrive in parallel,
   * at several gateways, and none may drop another's.
   *
   * @param draft the draft as the route loaded it (and found it may still be signed)
   * @param once refuse a signer who has signed already (409 SIGNATURE_ALREADY_GIVEN): a keyless caller may add a
   *   missing signature, never replace one
   */
  const addSignature = async (
    registry: Registry,
    store: RecordStore,
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
    return update(store, draft.draftId, (current) => {
      const closed = spec.closed?.(current);
      if (closed) throw closed;
      alreadySigned(current);
      const signers = current.signers.map((s, i) => (i === index ? { ...s, signature: given.signature } : s));
      return { ...current, signers };
    });
  };

  return { load, loadFor, save, update, addSignature };
}
