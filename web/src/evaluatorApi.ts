/**
 * The evaluator's routes (SPEC §5): store a report file, the typed data to sign, anchor singly or queue into the
 * next batch, sign a sealed batch's root, materialise, revoke; the firm's list of reports. Read defensively as in
 * api.ts; screens see the plain types below.
 */
import { ApiError, arr, call, named, num, obj, proof, str, type Json, type Proof, type When } from "./api";
import { readTypedData, type TypedData } from "./signing/wireTypedData";
import { VALUATION_METHODS } from "../../definitions/enumNames";

export { VALUATION_METHODS };

export interface ReportFields {
  documentHash: string;
  assetIds: string[];
  /** integer string in fen */
  value: string;
  currency: string;
  method: string;
  valuationDate: string;
  validUntil: string;
  supersedes: string | null;
  uri: string;
}

export interface ListedReport {
  documentHash: string;
  /** queued | awaiting-signature | anchored-in-batch | registered */
  stage: string;
  status: string | null;
  verdict: string | null;
  anchoredAt: When | null;
  supersededBy: string | null;
  batchRoot: string | null;
  report: ReportFields;
  proof: Proof | null;
}

export interface Batch {
  root: string;
  state: string;
  reportCount: number;
  documentHashes: string[];
  sealedAt: When | null;
  typedData: TypedData | null;
}

const fields = (v: unknown): ReportFields => {
  const r = obj(v);
  return {
    documentHash: str(r.documentHash) ?? "",
    assetIds: arr(r.assetIds).map((a) => str(a) ?? ""),
    value: str(r.value) ?? "0",
    currency: str(r.currency) ?? "CNY",
    method: named(r.method, VALUATION_METHODS) ?? "",
    valuationDate: str(r.valuationDate) ?? "",
    validUntil: str(r.validUntil) ?? "",
    supersedes: str(r.supersedes),
    uri: str(r.uri) ?? "",
  };
};
const typedData = (v: unknown): TypedData | null => (v ? readTypedData(v) : null);

/** Upload the report file (the gateway keeps it content-addressed, so that a bank can later fetch it). */
export async function uploadDocument(key: string, file: File): Promise<string> {
  const response = await fetch("/v1/documents", {
    method: "POST",
    headers: {
      Authorization: `Bearer ${key}`,
      "Content-Type": "application/octet-stream",
      "Idempotency-Key": crypto.randomUUID(),
    },
    body: file,
  }).catch(() => {
    throw new ApiError(0, "NETWORK", "the gateway did not answer");
  });
  const body = obj(await response.json().catch(() => null));
  if (!response.ok) {
    const e = obj(body.error);
    throw new ApiError(response.status, str(e.code) ?? `HTTP_${response.status}`, str(e.message) ?? "");
  }
  return str(body.documentHash) ?? "";
}

const body = (f: ReportFields): Json => {
  const b: Json = {
    documentHash: f.documentHash,
    assetIds: f.assetIds,
    value: f.value,
    currency: f.currency,
    method: f.method,
    valuationDate: f.valuationDate,
    validUntil: f.validUntil,
  };
  if (f.supersedes) b.supersedes = f.supersedes;
  if (f.uri) b.uri = f.uri;
  return b;
};

/** Every rule is checked now: a refusal comes before anyone signs. */
export async function anchoringTypedData(key: string, f: ReportFields) {
  const o = await call("/valuations/typed-data", { key, method: "POST", body: body(f) });
  return { report: fields(o.report), typedData: typedData(o.typedData)! };
}

export async function anchorSigned(key: string, f: ReportFields, td: TypedData, signature: string) {
  const o = await call("/valuations", {
    key,
    method: "POST",
    body: { report: body(f), signature, nonce: String(td.message.nonce), deadline: String(td.message.deadline) },
  });
  return { documentHash: str(o.documentHash) ?? f.documentHash, proof: proof(o.proof) };
}

/** Queue for the evaluator's next batch: no signature now, one signature later over the batch's root. */
export async function queueForBatch(key: string, f: ReportFields) {
  const o = await call("/valuations", { key, method: "POST", body: { report: body(f), batch: true } });
  return { state: str(o.state) ?? "queued", root: str(o.root) };
}

export async function myReports(key: string): Promise<ListedReport[]> {
  const o = await call("/valuations", { key });
  return arr(o.reports).map((v) => {
    const r = obj(v);
    return {
      documentHash: str(r.documentHash) ?? "",
      stage: str(r.stage) ?? "",
      status: str(r.status),
      verdict: str(r.verdict),
      anchoredAt: str(r.anchoredAt),
      supersededBy: str(r.supersededBy),
      batchRoot: str(r.batchRoot),
      report: fields(r.report),
      proof: proof(r.proof),
    };
  });
}

export async function batchesAwaitingSignature(key: string): Promise<Batch[]> {
  const o = await call("/valuations/batches?state=awaiting-signature", { key });
  return arr(o.batches).map((v) => {
    const b = obj(v);
    return {
      root: str(b.root) ?? "",
      state: str(b.state) ?? "",
      reportCount: num(b.reportCount) ?? 0,
      documentHashes: arr(b.documentHashes).map((h) => str(h) ?? ""),
      sealedAt: str(b.sealedAt),
      typedData: typedData(b.typedData),
    };
  });
}

export async function signBatch(key: string, b: Batch, signature: string) {
  const td = b.typedData!;
  const o = await call(`/valuations/batches/${b.root}/signature`, {
    key,
    method: "POST",
    body: { signature, nonce: String(td.message.nonce), deadline: String(td.message.deadline) },
  });
  return { root: str(o.root) ?? b.root, proof: proof(o.proof) };
}

/** Record a report of an anchored batch in the register, as if anchored singly. */
export async function materialise(key: string, documentHash: string) {
  const o = await call(`/valuations/${documentHash}/materialise`, { key, method: "POST" });
  return proof(o.proof);
}

export async function revocationTypedData(key: string, documentHash: string, reason: string) {
  const o = await call(`/valuations/${documentHash}/revoke/typed-data`, { key, method: "POST", body: { reason } });
  return typedData(o.typedData)!;
}

export async function revoke(key: string, documentHash: string, reason: string, td: TypedData, signature: string) {
  const o = await call(`/valuations/${documentHash}/revoke`, {
    key,
    method: "POST",
    body: { reason, signature, nonce: String(td.message.nonce), deadline: String(td.message.deadline) },
  });
  return proof(o.proof);
}
