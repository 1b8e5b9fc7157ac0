/**
 * The web app's only door to the gateway: every route it calls and every field it reads is here, read
 * defensively (a missing field is null, an enum may come as a name or as its on-chain number, a date as
 * YYYY-MM-DD or as an ISO instant). Screens use the plain types below and never see the wire format, so a change
 * of the API is adapted in this file alone.
 */

export type Role = "registrar" | "pledgee" | "evaluator" | "originator" | "investor" | "auditor";

export interface Session {
  id: string;
  name: string;
  role: Role | string;
  address: string;
}
export interface DemoOrganisation extends Session {
  apiKey: string;
}
export interface Proof {
  transactionHash: string;
  blockNumber: number | null;
}
/** A calendar date ("2027-11-28") or an instant ("2027-11-28T08:00:00.000Z"), as the gateway sent it. */
export type When = string;

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

import { PLEDGE_STATUSES, VALUATION_VERDICTS } from "../../definitions/enumNames";
import { REASON_CODES } from "../../definitions/reasons";

// ───────────── reading fields defensively ─────────────

export type Json = Record<string, unknown>;
export const obj = (v: unknown): Json => (v && typeof v === "object" && !Array.isArray(v) ? (v as Json) : {});
export const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
export const str = (v: unknown): string | null =>
  typeof v === "string" ? v : typeof v === "number" || typeof v === "bigint" ? String(v) : null;
export const num = (v: unknown): number | null =>
  typeof v === "number" ? v : typeof v === "string" && v !== "" && !isNaN(+v) ? +v : null;
export const bool = (v: unknown): boolean => v === true || v === "true";
/** An enum as a name; a number is looked up in the contract's order. */
export const named = (v: unknown, names: readonly string[]): string | null =>
  typeof v === "number"
    ? (names[v] ?? String(v))
    : /^\d+$/.test(String(v ?? "x"))
      ? (names[Number(v)] ?? String(v))
      : str(v);
export const proof = (v: unknown): Proof | null => {
  const p = obj(v);
  const tx = str(p.transactionHash);
  return tx ? { transactionHash: tx, blockNumber: num(p.blockNumber) } : null;
};

/** The contracts' enums in their on-chain order (used only when the gateway sends a number): the gateway's own lists,
 * which hold no server code, bundled in. */
export const REPORT_STATUSES = ["None", "Anchored", "Revoked", "Superseded"];
const ASSET_STATUSES = ["Applied", "Granted", "Lapsed", "Invalidated"];

// ───────────── HTTP ─────────────

export async function call(
  path: string,
  options: { key?: string | null; method?: "GET" | "POST"; body?: unknown } = {},
) {
  const headers: Record<string, string> = { Accept: "application/json" };
  if (options.key) headers.Authorization = `Bearer ${options.key}`;
  if (options.body !== undefined) headers["Content-Type"] = "application/json";
  // A write carries an Idempotency-Key: a retry after a lost answer sends no second transaction.
  if (options.method === "POST") headers["Idempotency-Key"] = crypto.randomUUID();
  let response: Response;
  try {
    response = await fetch(`/v1${path}`, {
      method: options.method ?? "GET",
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
  } catch {
    throw new ApiError(0, "NETWORK", "the gateway did not answer");
  }
  const text = await response.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  if (!response.ok) {
    const e = obj(obj(json).error);
    throw new ApiError(
      response.status,
      str(e.code) ?? `HTTP_${response.status}`,
      str(e.message) ?? response.statusText,
      str(e.field) ?? undefined,
    );
  }
  return obj(json);
}

// ───────────── what the API accepts ─────────────

let kinds: Promise<string[]> | null = null;
/** The asset kinds the gateway accepts, read from its OpenAPI document (the `kind` of GET /v1/assets), once. */
export function assetKinds(): Promise<string[]> {
  kinds ??= call("/openapi.json")
    .then((doc) => {
      const lookup = obj(obj(obj(doc.paths)["/v1/assets"]).get);
      const kind = arr(lookup.parameters)
        .map(obj)
        .find((p) => p.name === "kind");
      const names = arr(obj(kind?.schema).enum)
        .map(str)
        .filter((k): k is string => !!k);
      return names.length > 0 ? names : ["InventionPatent"];
    })
    .catch(() => ((kinds = null), ["InventionPatent"]));
  return kinds;
}

// ───────────── sign-in ─────────────

const session = (v: unknown): Session => {
  const o = obj(v);
  return {
    id: str(o.id) ?? "",
    name: str(o.name) ?? str(o.id) ?? "",
    role: str(o.role) ?? "",
    address: str(o.address) ?? "",
  };
};

/** The embedded demo's organisations with their keys; null when the gateway is not the local demo. */
export async function demoOrganisations(): Promise<DemoOrganisation[] | null> {
  try {
    const body = await call("/demo/organisations");
    return arr(body.organisations).map((o) => ({ ...session(o), apiKey: str(obj(o).apiKey) ?? "" }));
  } catch (error) {
    if (error instanceof ApiError && (error.status === 404 || error.status === 401)) return null;
    throw error;
  }
}

/** Who this API key belongs to (ApiError 401 when unknown). */
export async function whoAmI(key: string): Promise<Session> {
  return session(await call("/session", { key }));
}

// ───────────── public verify ─────────────

export interface ReportCheck {
  documentHash: string;
  anchored: boolean;
  evaluator: string | null;
  /** Anchored | Revoked | Superseded */
  status: string | null;
  /** VALID | REVOKED | SUPERSEDED | EXPIRED | ASSET_NOT_COVERED | UNKNOWN */
  verdict: string | null;
  validUntil: When | null;
  anchoredAt: When | null;
  supersededBy: string | null;
  proof: Proof | null;
  /** not in the register yet, but in the gateway's batching: queued | awaiting-signature | anchored */
  batch: string | null;
}

export async function checkReportHash(documentHash: string): Promise<ReportCheck> {
  const o = await call(`/public/valuations/${encodeURIComponent(documentHash)}`);
  return {
    documentHash: str(o.documentHash) ?? documentHash,
    anchored: bool(o.anchored),
    evaluator: str(o.evaluator),
    status: named(o.status, REPORT_STATUSES),
    verdict: named(o.verdict, VALUATION_VERDICTS),
    validUntil: str(o.validUntil),
    anchoredAt: str(o.anchoredAt),
    supersededBy: str(o.supersededBy),
    proof: proof(o.proof),
    batch: o.batch ? str(obj(o.batch).state) : null,
  };
}

// ───────────── collateral ─────────────

export interface HistoryEntry {
  event: string;
  blockNumber: number | null;
  transactionHash: string | null;
  pledgeId: string | null;
}
export interface Collateral {
  assetId: string;
  kind: string;
  officialNumber: string;
  assetStatus: string | null;
  /** IN_GOOD_STANDING or the first reason code the asset could not back a pledge */
  standing: string | null;
  pledged: boolean;
  pledge: {
    pledgeId: string;
    status: string | null;
    pledgee: string;
    /** integer string in the currency's smallest unit (fen) */
    principal: string;
    currency: string;
    maturityDate: When | null;
    registrationNumber: string | null;
    registeredAt: When | null;
    valuationReportId: string | null;
    valuationVerdict: string | null;
    registration: Proof | null;
  } | null;
  history: HistoryEntry[];
}

/** The asset's id for (kind, official number), or null when the register has no such asset. */
export async function findAssetId(key: string, kind: string, officialNumber: string) {
  try {
    const o = await call(
      `/assets?kind=${encodeURIComponent(kind)}&officialNumber=${encodeURIComponent(officialNumber)}`,
      { key },
    );
    return { assetId: str(o.assetId) ?? "", status: named(o.status, ASSET_STATUSES) };
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return null;
    throw error;
  }
}

/** SPEC §4.4 for one asset by kind and number; null when the register has no such asset. */
export async function collateralCheck(key: string, kind: string, officialNumber: string): Promise<Collateral | null> {
  const asset = await findAssetId(key, kind, officialNumber);
  if (!asset) return null;
  const o = await call(`/collateral/${encodeURIComponent(asset.assetId)}`, { key });
  const p = o.pledge ? obj(o.pledge) : null;
  return {
    assetId: str(o.assetId) ?? asset.assetId,
    kind: str(o.kind) ?? kind,
    officialNumber: str(o.officialNumber) ?? officialNumber,
    assetStatus: asset.status,
    standing: str(o.standing),
    pledged: bool(o.pledged),
    pledge: p
      ? {
          pledgeId: str(p.pledgeId) ?? "",
          status: named(p.status, PLEDGE_STATUSES),
          pledgee: str(p.pledgee) ?? "",
          principal: str(p.principal) ?? "0",
          currency: str(p.currency) ?? "CNY",
          maturityDate: str(p.maturityDate),
          registrationNumber: str(p.registrationNumber),
          registeredAt: str(p.registeredAt),
          valuationReportId: str(p.valuationReportId),
          valuationVerdict: named(p.valuationVerdict, VALUATION_VERDICTS),
          registration: proof(p.registration),
        }
      : null,
    history: arr(o.history).map((e) => {
      const h = obj(e);
      return {
        event: str(h.event) ?? "",
        blockNumber: num(h.blockNumber),
        transactionHash: str(h.transactionHash),
        pledgeId: str(obj(h.args).pledgeId),
      };
    }),
  };
}

// ───────────── the registration office ─────────────

export interface RuleFailure {
  reason: string;
  assetId: string | null;
  party: string | null;
  detail: string;
}
export interface PendingApplication {
  pledgeId: string;
  pledgee: string;
  pledgors: string[];
  assets: string[];
  principal: string;
  currency: string;
  maturityDate: When | null;
  submittedAt: When | null;
  application: Proof | null;
  failures: RuleFailure[];
}

export async function registrationQueue(key: string): Promise<PendingApplication[]> {
  const o = await call("/pledges/queue", { key });
  return arr(o.applications).map((v) => {
    const a = obj(v);
    return {
      pledgeId: str(a.pledgeId) ?? "",
      pledgee: str(a.pledgee) ?? "",
      pledgors: arr(a.pledgors).map((x) => str(x) ?? ""),
      assets: arr(a.assets).map((x) => str(x) ?? ""),
      principal: str(a.principal) ?? "0",
      currency: str(a.currency) ?? "CNY",
      maturityDate: str(a.maturityDate),
      submittedAt: str(a.submittedAt),
      application: proof(a.application),
      failures: arr(a.failures).map((f) => {
        const x = obj(f);
        return {
          reason: named(x.reason, REASON_CODES) ?? "",
          assetId: str(x.assetId),
          party: str(x.party),
          detail: str(x.detail) ?? "",
        };
      }),
    };
  });
}

export interface Decision {
  pledgeId: string;
  status: string | null;
  proof: Proof | null;
}
const decision = (o: Json, pledgeId: string): Decision => ({
  pledgeId: str(o.pledgeId) ?? pledgeId,
  status: named(o.status, PLEDGE_STATUSES),
  proof: proof(o.proof),
});

export async function registerPledge(key: string, pledgeId: string): Promise<Decision> {
  return decision(await call(`/pledges/${encodeURIComponent(pledgeId)}/register`, { key, method: "POST" }), pledgeId);
}

/** Refuse for a reason code, or (reasonCode null) for a free-text reason no machine can check. */
export async function refusePledge(key: string, pledgeId: string, reasonCode: string | null, note: string) {
  const body: Json = {};
  if (reasonCode) body.reasonCode = reasonCode;
  if (note.trim()) body.note = note.trim();
  return decision(
    await call(`/pledges/${encodeURIComponent(pledgeId)}/refuse`, { key, method: "POST", body }),
    pledgeId,
  );
}

/** An asset's kind and official number, for showing an asset id in words (null when unknown). */
export async function assetName(
  key: string,
  assetId: string,
): Promise<{ kind: string; officialNumber: string } | null> {
  try {
    const o = await call(`/assets/${encodeURIComponent(assetId)}`, { key });
    return { kind: str(o.kind) ?? "", officialNumber: str(o.officialNumber) ?? "" };
  } catch {
    return null;
  }
}
