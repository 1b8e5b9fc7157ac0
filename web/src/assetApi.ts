/**
 * The registration office's asset register (/v1/assets: search, record, maintain, the timeline) and the public
 * look-up of a registration notice by its number (/v1/public/registrations). Read defensively like api.ts: screens
 * see the plain types below, never the wire format.
 */
import {
  ASSET_KINDS,
  ASSET_STATUSES,
  FREEZE_KINDS,
  PLEDGE_STATUSES,
  VALUATION_VERDICTS,
} from "../../definitions/enumNames";
import { ApiError, wire, type Proof, type When } from "./api";
import { readTerms, type Terms } from "./pledgeApi";

const { call, obj, arr, str, num, bool, named, proof } = wire;

export interface ListedAsset {
  assetId: string;
  kind: string;
  officialNumber: string;
  status: string;
  invalidationPending: boolean;
  freeze: string;
  expiryDate: When | null;
  feesPaidUntil: When | null;
  holders: number;
}

export async function searchAssets(
  key: string,
  search: { q?: string; kind?: string; cursor?: string | null },
): Promise<{ assets: ListedAsset[]; nextCursor: string | null }> {
  const query = new URLSearchParams({ limit: "25" });
  if (search.q?.trim()) query.set("q", search.q.trim());
  if (search.kind) query.set("kind", search.kind);
  if (search.cursor) query.set("cursor", search.cursor);
  const o = await call(`/assets/search?${query}`, { key });
  return {
    assets: arr(o.assets).map((v) => {
      const a = obj(v);
      return {
        assetId: str(a.assetId) ?? "",
        kind: named(a.kind, ASSET_KINDS) ?? "",
        officialNumber: str(a.officialNumber) ?? "",
        status: named(a.status, ASSET_STATUSES) ?? "",
        invalidationPending: bool(a.invalidationPending),
        freeze: named(a.freeze, FREEZE_KINDS) ?? "None",
        expiryDate: str(a.expiryDate),
        feesPaidUntil: str(a.feesPaidUntil),
        holders: num(a.holders) ?? 0,
      };
    }),
    nextCursor: str(o.nextCursor),
  };
}

export interface Holder {
  address: string;
  shareBps: number;
}
export interface TimelineEvent {
  event: string;
  at: When | null;
  blockNumber: number | null;
  transactionHash: string | null;
  args: Record<string, unknown>;
}
export interface AssetRecord {
  assetId: string;
  kind: string;
  officialNumber: string;
  status: string;
  standing: string | null;
  invalidationPending: boolean;
  freeze: string;
  grantDate: When | null;
  expiryDate: When | null;
  feesPaidUntil: When | null;
  holders: Holder[];
  history: TimelineEvent[];
}

const holders = (v: unknown): Holder[] =>
  arr(v).map((h) => ({
    address: str(obj(h).address) ?? str(obj(h).holder) ?? "",
    shareBps: num(obj(h).shareBps) ?? 0,
  }));

export async function getAsset(key: string, assetId: string): Promise<AssetRecord> {
  const o = await call(`/assets/${encodeURIComponent(assetId)}`, { key });
  return {
    assetId: str(o.assetId) ?? assetId,
    kind: named(o.kind, ASSET_KINDS) ?? "",
    officialNumber: str(o.officialNumber) ?? "",
    status: named(o.status, ASSET_STATUSES) ?? "",
    standing: str(o.standing),
    invalidationPending: bool(o.invalidationPending),
    freeze: named(o.freeze, FREEZE_KINDS) ?? "None",
    grantDate: str(o.grantDate),
    expiryDate: str(o.expiryDate),
    feesPaidUntil: str(o.feesPaidUntil),
    holders: holders(o.holders),
    history: arr(o.history).map((v) => {
      const e = obj(v);
      return {
        event: str(e.event) ?? "",
        at: str(e.at),
        blockNumber: num(e.blockNumber),
        transactionHash: str(e.transactionHash),
        args: obj(e.args),
      };
    }),
  };
}

export interface NewAsset {
  kind: string;
  officialNumber: string;
  holders: Holder[];
  grantDate: string;
  expiryDate: string;
  feesPaidUntil: string;
}

/** Record an asset; its id and the proof of the transaction. */
export async function recordAsset(key: string, a: NewAsset): Promise<{ assetId: string; proof: Proof | null }> {
  const body: Record<string, unknown> = { kind: a.kind, officialNumber: a.officialNumber.trim(), holders: a.holders };
  if (a.grantDate) body.grantDate = a.grantDate;
  if (a.expiryDate) body.expiryDate = a.expiryDate;
  if (a.feesPaidUntil) body.feesPaidUntil = a.feesPaidUntil;
  const o = await call("/assets", { key, method: "POST", body });
  return { assetId: str(o.assetId) ?? "", proof: proof(o.proof) };
}

/** The office's maintenance steps (POST /assets/{id}/<step>), each one transaction. */
export type Maintenance =
  | { step: "annual-fees"; paidUntil: string }
  | { step: "status"; status: string }
  | { step: "term"; grantDate: string; expiryDate: string }
  | { step: "freeze"; freeze: string }
  | { step: "invalidation"; pending: boolean }
  | { step: "holders"; holders: Holder[] };

/** One step, with the SHA-256 of the office's decision document (already stored, POST /v1/documents) when there is one. */
export async function maintainAsset(
  key: string,
  assetId: string,
  m: Maintenance,
  documentHash?: string,
): Promise<Proof | null> {
  const { step, ...rest } = m;
  const body: Record<string, unknown> = { ...rest };
  if (documentHash) body.documentHash = documentHash;
  if (m.step === "term" && !m.expiryDate) delete body.expiryDate;
  const o = await call(`/assets/${encodeURIComponent(assetId)}/${step}`, { key, method: "POST", body });
  return proof(o.proof);
}

// ───────────── the public look-up of a registration notice ─────────────

/** What a registration notice states (the terms a notice shows, read as pledgeApi reads them), and its proof. */
export interface PublicRegistration extends Pick<
  Terms,
  "assets" | "pledgors" | "pledgee" | "debtor" | "principal" | "currency" | "startDate" | "maturityDate"
> {
  registrationNumber: string;
  pledgeId: string;
  status: string | null;
  registeredAt: When | null;
  /** the assets by kind and official number (the public reader has no key to ask the register) */
  assetNames: { assetId: string; kind: string; officialNumber: string }[];
  valuationReportId: string;
  valuationVerdict: string | null;
  registration: Proof | null;
  latest: Proof | null;
}

/** The notice's facts by registration number; null when no notice has that number. */
export async function lookUpRegistration(registrationNumber: string): Promise<PublicRegistration | null> {
  let o;
  try {
    o = await call(`/public/registrations/${encodeURIComponent(registrationNumber)}`);
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return null;
    throw error;
  }
  const p = obj(o.proof);
  const assetNames = arr(o.assets).map((v) => {
    const a = obj(v);
    return {
      assetId: str(a.assetId) ?? "",
      kind: named(a.kind, ASSET_KINDS) ?? "",
      officialNumber: str(a.officialNumber) ?? "",
    };
  });
  return {
    ...readTerms(o),
    assets: assetNames.map((a) => a.assetId),
    assetNames,
    registrationNumber: str(o.registrationNumber) ?? registrationNumber,
    pledgeId: str(o.pledgeId) ?? "",
    status: named(o.status, PLEDGE_STATUSES),
    registeredAt: str(o.registeredAt),
    valuationVerdict: named(o.valuationVerdict, VALUATION_VERDICTS),
    registration: proof(p.registration),
    latest: proof(p.latest),
  };
}
