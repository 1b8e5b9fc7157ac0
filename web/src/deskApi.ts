/**
 * The desk's reads (inbox, watchlist, names for addresses), read defensively like api.ts: screens see the plain
 * types below, never the wire format.
 */
import { PLEDGE_STATUSES, VALUATION_VERDICTS } from "../../definitions/enumNames";
import { ApiError, wire, type When } from "./api";
import type { TimelineEvent, WatchedAsset } from "./deskLogic";
import { readTypedData, type TypedData } from "./signing/wireTypedData";

const { call, obj, arr, str, num, bool, named } = wire;

// ───────────── names for addresses ─────────────

export interface KnownOrganisation {
  name: string;
  role: string;
  address: string;
}
const directories = new Map<string, Promise<Map<string, KnownOrganisation>>>();
/** The organisations directory (name, role, address), asked once per API key; lower-case address → organisation. */
export function organisationsByAddress(key: string): Promise<Map<string, KnownOrganisation>> {
  let found = directories.get(key);
  if (!found) {
    found = call("/organisations", { key }).then(
      (o) =>
        new Map(
          arr(o.organisations).map((v) => {
            const x = obj(v);
            const org = { name: str(x.name) ?? "", role: str(x.role) ?? "", address: str(x.address) ?? "" };
            return [org.address.toLowerCase(), org] as const;
          }),
        ),
    );
    // A failure is not kept: the next screen asks again.
    found.catch(() => directories.delete(key));
    directories.set(key, found);
  }
  return found;
}

// ───────────── the inbox ─────────────

export interface SignerState {
  address: string;
  role: string;
  signed: boolean;
}
const signerStates = (v: unknown): SignerState[] =>
  arr(v).map((s) => ({
    address: str(obj(s).address) ?? "",
    role: str(obj(s).role) ?? "",
    signed: bool(obj(s).signed),
  }));

export interface OpenDraft {
  draftId: string;
  pledgee: string;
  assets: string[];
  principal: string;
  currency: string;
  signBy: When | null;
  signers: SignerState[];
  awaitingMe: boolean;
}
export async function openDrafts(key: string): Promise<OpenDraft[]> {
  const o = await call("/inbox/drafts", { key });
  return arr(o.drafts).map((v) => {
    const d = obj(v);
    return {
      draftId: str(d.draftId) ?? "",
      pledgee: str(d.pledgee) ?? "",
      assets: arr(d.assets).map((x) => str(x) ?? ""),
      principal: str(d.principal) ?? "0",
      currency: str(d.currency) ?? "CNY",
      signBy: str(d.signBy),
      signers: signerStates(d.signers),
      awaitingMe: bool(d.awaitingMe),
    };
  });
}

export interface ListedPledge {
  pledgeId: string;
  status: string | null;
  registrationNumber: string | null;
  assets: string[];
  pledgors: string[];
  pledgee: string;
  principal: string;
  currency: string;
  maturityDate: When | null;
  valuationReportId: string;
  appliedBlock: number;
}
/** Every pledge of a bank (GET /v1/pledges?pledgee=…, all pages), optionally of one status. */
export async function pledgesOf(key: string, pledgee: string, status?: string): Promise<ListedPledge[]> {
  const all: ListedPledge[] = [];
  let cursor: string | null = null;
  do {
    const q = new URLSearchParams({ pledgee, limit: "500" });
    if (status) q.set("status", status);
    if (cursor) q.set("cursor", cursor);
    const o = await call(`/pledges?${q}`, { key });
    for (const v of arr(o.pledges)) {
      const p = obj(v);
      all.push({
        pledgeId: str(p.pledgeId) ?? "",
        status: named(p.status, PLEDGE_STATUSES),
        registrationNumber: str(p.registrationNumber),
        assets: arr(p.assets).map((x) => str(x) ?? ""),
        pledgors: arr(p.pledgors).map((x) => str(x) ?? ""),
        pledgee: str(p.pledgee) ?? "",
        principal: str(p.principal) ?? "0",
        currency: str(p.currency) ?? "CNY",
        maturityDate: str(p.maturityDate),
        valuationReportId: str(p.valuationReportId) ?? "",
        appliedBlock: num(p.appliedBlock) ?? 0,
      });
    }
    cursor = str(o.nextCursor);
  } while (cursor);
  return all;
}

// ───────────── the watchlist ─────────────

const timeline = (v: unknown): TimelineEvent[] =>
  arr(v).map((e) => ({
    event: str(obj(e).event) ?? "",
    blockNumber: num(obj(e).blockNumber),
    transactionHash: str(obj(e).transactionHash),
    at: str(obj(e).at),
  }));

export interface AssetTimeline extends WatchedAsset {
  kind: string;
  officialNumber: string;
}
export async function assetTimeline(key: string, assetId: string): Promise<AssetTimeline> {
  const o = await call(`/assets/${encodeURIComponent(assetId)}`, { key });
  return {
    assetId: str(o.assetId) ?? assetId,
    kind: str(o.kind) ?? "",
    officialNumber: str(o.officialNumber) ?? "",
    status: str(o.status),
    freeze: str(o.freeze),
    invalidationPending: bool(o.invalidationPending),
    feesPaidUntil: str(o.feesPaidUntil),
    history: timeline(o.history),
  };
}

/** The valuation verdict of the pledge encumbering an asset now (GET /v1/collateral), null when none does. */
export async function encumbranceVerdict(key: string, assetId: string): Promise<string | null> {
  const o = await call(`/collateral/${encodeURIComponent(assetId)}`, { key });
  return o.pledge ? named(obj(o.pledge).valuationVerdict, VALUATION_VERDICTS) : null;
}

/** A report's last valid day and its history (anchored, revoked, superseded), or null when the register lacks it. */
export async function reportTimeline(key: string, documentHash: string) {
  try {
    const o = await call(`/valuations/${encodeURIComponent(documentHash)}`, { key });
    return { validUntil: str(o.validUntil), history: timeline(o.history) };
  } catch {
    return null;
  }
}

const minedAt = new Map<string, Promise<When | null>>();
/** When a transaction's block was mined (never changes, so asked once per hash). */
export function transactionTime(key: string, hash: string): Promise<When | null> {
  let found = minedAt.get(hash);
  if (!found) {
    found = call(`/transactions/${encodeURIComponent(hash)}`, { key }).then(
      (o) => str(o.minedAt),
      () => (minedAt.delete(hash), null),
    );
    minedAt.set(hash, found);
  }
  return found;
}

// ───────────── documents opened in place ─────────────

/** A stored document's bytes (GET /v1/documents/{hash}), or null when the gateway holds no file for that hash. */
export async function fetchDocument(key: string, documentHash: string): Promise<Uint8Array<ArrayBuffer> | null> {
  const response = await fetch(`/v1/documents/${encodeURIComponent(documentHash)}`, {
    headers: { Authorization: `Bearer ${key}` },
  }).catch(() => {
    throw new ApiError(0, "NETWORK", "the gateway did not answer");
  });
  if (response.status === 404) return null;
  if (!response.ok) {
    const e = obj(obj(await response.json().catch(() => null)).error);
    throw new ApiError(response.status, str(e.code) ?? `HTTP_${response.status}`, str(e.message) ?? "");
  }
  return new Uint8Array(await response.arrayBuffer());
}

// ───────────── licence drafts ─────────────

export interface OpenLicenceDraft {
  draftId: string;
  kind: "first" | "sub";
  originator: string;
  licensee: string;
  assets: string[];
  firstLicenceId: string | null;
  /** a first licence's upfront fee, or a sub-licence's instalments summed (fen) */
  amount: string;
  startDate: When | null;
  endDate: When | null;
  signBy: When | null;
  signers: SignerState[];
  awaitingMe: boolean;
}
/** The licence drafts still missing a signature where the caller signs or is the originator (GET /v1/inbox/licence-drafts). */
export async function openLicenceDrafts(key: string): Promise<OpenLicenceDraft[]> {
  const o = await call("/inbox/licence-drafts", { key });
  return arr(o.drafts).map((v) => {
    const d = obj(v);
    return {
      draftId: str(d.draftId) ?? "",
      kind: str(d.kind) === "sub" ? "sub" : "first",
      originator: str(d.originator) ?? "",
      licensee: str(d.licensee) ?? "",
      assets: arr(d.assets).map((x) => str(x) ?? ""),
      firstLicenceId: str(d.firstLicenceId),
      amount: str(d.amount) ?? "0",
      startDate: str(d.startDate),
      endDate: str(d.endDate),
      signBy: str(d.signBy),
      signers: signerStates(d.signers),
      awaitingMe: bool(d.awaitingMe),
    };
  });
}

export interface LicenceDraft {
  draftId: string;
  kind: "first" | "sub";
  originator: string;
  contractHash: string;
  signers: (SignerState & { typedData: TypedData })[];
  complete: boolean;
}
const licenceDraft = (o: Record<string, unknown>): LicenceDraft => ({
  draftId: str(o.draftId) ?? "",
  kind: str(o.kind) === "sub" ? "sub" : "first",
  originator: str(o.originator) ?? "",
  contractHash: str(obj(o.terms).contractHash) ?? "",
  signers: arr(o.signers).map((s) => ({ ...signerStates([s])[0], typedData: readTypedData(obj(s).typedData) })),
  complete: bool(o.complete),
});
/** A licence draft the caller is a party to (GET /v1/licences/drafts/{id}): each signer's typed data and whether it signed. */
export async function getLicenceDraft(key: string, draftId: string): Promise<LicenceDraft> {
  return licenceDraft(await call(`/licences/drafts/${encodeURIComponent(draftId)}`, { key }));
}
/** Post a party's own signature (the keyless route: a licensor needs no key; the signature is its standing). */
export async function signLicenceDraft(draftId: string, signer: string, signature: string): Promise<LicenceDraft> {
  return licenceDraft(
    await call(`/licences/drafts/${encodeURIComponent(draftId)}/signatures`, {
      method: "POST",
      body: { signer, signature },
    }),
  );
}
