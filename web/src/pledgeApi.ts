/**
 * The bank's and the parties' pledge routes (applications, signing links, the pledge and its later steps), read
 * defensively like api.ts: screens see the plain types below, never the wire format.
 */
import { PLEDGE_STATUSES } from "../../definitions/enumNames";
import { REASON_CODES } from "../../definitions/reasons";
import { wire, type Proof, type RuleFailure, type When } from "./api";
import { readTypedData, type TypedData } from "./signing/wireTypedData";

const { call, obj, arr, str, num, bool, named, proof, ruleFailure } = wire;
type Json = Record<string, unknown>;

export interface SigningRequest {
  address: string;
  role: string;
  signed: boolean;
  typedData: TypedData;
}

const typedData = readTypedData;
const request = (v: unknown): SigningRequest => {
  const o = obj(v);
  return {
    address: str(o.address) ?? "",
    role: str(o.role) ?? "",
    signed: bool(o.signed),
    typedData: typedData(o.typedData),
  };
};
const failures = (v: unknown): RuleFailure[] => arr(v).map(ruleFailure);

// ───────────── assets ─────────────

export interface AssetInfo {
  assetId: string;
  kind: string;
  officialNumber: string;
  status: string | null;
  standing: string | null;
  invalidationPending: boolean;
  freeze: string | null;
  expiryDate: When | null;
  feesPaidUntil: When | null;
  holders: { address: string; shareBps: number }[];
}
const asset = (o: Json): AssetInfo => ({
  assetId: str(o.assetId) ?? "",
  kind: str(o.kind) ?? "",
  officialNumber: str(o.officialNumber) ?? "",
  status: str(o.status),
  standing: str(o.standing),
  invalidationPending: bool(o.invalidationPending),
  freeze: str(o.freeze),
  expiryDate: str(o.expiryDate),
  feesPaidUntil: str(o.feesPaidUntil),
  holders: arr(o.holders).map((h) => ({ address: str(obj(h).address) ?? "", shareBps: num(obj(h).shareBps) ?? 0 })),
});

/** An asset with its holders and standing, by kind and official number; null when the register has none. */
export async function assetByNumber(key: string, kind: string, officialNumber: string): Promise<AssetInfo | null> {
  try {
    const q = `kind=${encodeURIComponent(kind)}&officialNumber=${encodeURIComponent(officialNumber)}`;
    return asset(await call(`/assets?${q}`, { key }));
  } catch (error) {
    if ((error as { status?: number }).status === 404) return null;
    throw error;
  }
}

export async function assetById(key: string, assetId: string): Promise<AssetInfo> {
  return asset(await call(`/assets/${encodeURIComponent(assetId)}`, { key }));
}

export interface RiskScheme {
  key: string;
  name: string;
  active: boolean;
  parties: { name: string; shareBps: number; perLoanCap: string }[];
  bankShareBps: number;
}
export async function riskSchemes(key: string): Promise<RiskScheme[]> {
  const o = await call("/risk-schemes", { key });
  return arr(o.schemes).map((s) => ({
    key: str(obj(s).key) ?? "",
    name: str(obj(s).name) ?? "",
    active: bool(obj(s).active),
    parties: arr(obj(s).parties).map((p) => ({
      name: str(obj(p).name) ?? "",
      shareBps: num(obj(p).shareBps) ?? 0,
      perLoanCap: str(obj(p).perLoanCap) ?? "0",
    })),
    bankShareBps: num(obj(s).bankShareBps) ?? 10_000,
  }));
}

// ───────────── applications ─────────────

export interface ApplicationInput {
  assets: string[];
  pledgors: string[];
  debtor: string;
  /** integer string in fen */
  principal: string;
  currency: string;
  startDate: string;
  maturityDate: string;
  contractHash: string;
  valuationReportId: string;
  riskScheme?: string;
  forfeitureClause: boolean;
  invalidationAcknowledged: boolean;
}

/** The terms as the gateway shows them (a draft's, or a pledge's: it has no forfeiture clause, false here). */
export interface Terms {
  assets: string[];
  pledgors: string[];
  pledgee: string;
  debtor: string;
  principal: string;
  currency: string;
  startDate: When | null;
  maturityDate: When | null;
  contractHash: string;
  valuationReportId: string;
  riskScheme: string | null;
  forfeitureClause: boolean;
  invalidationAcknowledged: boolean;
}
export const readTerms = (t: Json): Terms => ({
  assets: arr(t.assets).map((x) => str(x) ?? ""),
  pledgors: arr(t.pledgors).map((x) => str(x) ?? ""),
  pledgee: str(t.pledgee) ?? "",
  debtor: str(t.debtor) ?? "",
  principal: str(t.principal) ?? "0",
  currency: str(t.currency) ?? "CNY",
  startDate: str(t.startDate),
  maturityDate: str(t.maturityDate),
  contractHash: str(t.contractHash) ?? "",
  valuationReportId: str(t.valuationReportId) ?? "",
  riskScheme: str(t.riskScheme),
  forfeitureClause: bool(t.forfeitureClause),
  invalidationAcknowledged: bool(t.invalidationAcknowledged),
});

export interface Draft {
  draftId: string;
  terms: Terms;
  signers: SigningRequest[];
  preflight: RuleFailure[];
  pledgeId: string | null;
}
const draft = (o: Json): Draft => ({
  draftId: str(o.draftId) ?? "",
  terms: readTerms(obj(o.terms)),
  signers: arr(o.signers).map(request),
  preflight: failures(o.preflight),
  pledgeId: str(o.pledgeId),
});

export async function createApplication(key: string, body: ApplicationInput): Promise<Draft> {
  return draft(await call("/pledges/applications", { key, method: "POST", body }));
}
export async function getDraft(key: string, draftId: string): Promise<Draft> {
  return draft(await call(`/pledges/applications/${encodeURIComponent(draftId)}`, { key }));
}
export async function addSignature(key: string, draftId: string, signer: string, signature: string): Promise<Draft> {
  const path = `/pledges/applications/${encodeURIComponent(draftId)}/signatures`;
  return draft(await call(path, { key, method: "POST", body: { signer, signature } }));
}

export interface WriteResult {
  pledgeId: string;
  status: string | null;
  proof: Proof | null;
  lossSharing: LossSharing | null;
  disposal: Disposal | null;
}
const writeResult = (o: Json): WriteResult => ({
  pledgeId: str(o.pledgeId) ?? "",
  status: named(o.status, PLEDGE_STATUSES),
  proof: proof(o.proof),
  lossSharing: o.lossSharing ? lossSharing(obj(o.lossSharing)) : null,
  disposal: o.disposal ? disposal(obj(o.disposal)) : null,
});

export async function submitDraft(key: string, draftId: string): Promise<WriteResult> {
  const path = `/pledges/applications/${encodeURIComponent(draftId)}/submit`;
  return writeResult(await call(path, { key, method: "POST" }));
}

// ───────────── signing links ─────────────

export async function signingLink(key: string, draftId: string, signer: string): Promise<string> {
  const path = `/pledges/applications/${encodeURIComponent(draftId)}/signing-links`;
  const o = await call(path, { key, method: "POST", body: { signer } });
  return `${location.origin}${str(o.path) ?? ""}`;
}

export interface LinkView {
  draftId: string;
  request: SigningRequest;
  pledgee: { address: string; name: string | null };
  assets: { assetId: string; kind: string | null; officialNumber: string | null }[];
  pledgeId: string | null;
}
const linkView = (o: Json): LinkView => ({
  draftId: str(o.draftId) ?? "",
  request: request(o.request),
  pledgee: { address: str(obj(o.pledgee).address) ?? "", name: str(obj(o.pledgee).name) },
  assets: arr(o.assets).map((a) => ({
    assetId: str(obj(a).assetId) ?? "",
    kind: str(obj(a).kind),
    officialNumber: str(obj(a).officialNumber),
  })),
  pledgeId: str(o.pledgeId),
});

/** No API key: the link's token is the authority. */
export async function openLink(token: string): Promise<LinkView> {
  return linkView(await call(`/signing-links/${encodeURIComponent(token)}`));
}
export async function signViaLink(token: string, signature: string): Promise<LinkView> {
  const path = `/signing-links/${encodeURIComponent(token)}/signature`;
  return linkView(await call(path, { method: "POST", body: { signature } }));
}

// ───────────── the pledge ─────────────

export interface LossSharing {
  scheme: string | null;
  loss: string;
  bankShare: string;
  parties: { name: string; share: string }[];
}
const lossSharing = (o: Json): LossSharing => ({
  scheme: str(o.scheme),
  loss: str(o.loss) ?? "0",
  bankShare: str(o.bankShare) ?? "0",
  parties: arr(o.parties).map((p) => ({ name: str(obj(p).name) ?? "", share: str(obj(p).share) ?? "0" })),
});
export interface Disposal {
  method: string | null;
  disposedAt: When | null;
  transferee: string | null;
  proceeds: string;
  loss: string;
}
const disposal = (o: Json): Disposal => ({
  method: str(o.method),
  disposedAt: str(o.disposedAt),
  transferee: str(o.transferee),
  proceeds: str(o.proceeds) ?? "0",
  loss: str(o.loss) ?? "0",
});

export interface PledgeEvent {
  event: string;
  blockNumber: number | null;
  transactionHash: string | null;
  args: Json;
}
export interface Pledge extends Terms {
  pledgeId: string;
  status: string | null;
  registrationNumber: string | null;
  submittedAt: When | null;
  registeredAt: When | null;
  closedAt: When | null;
  disposal: Disposal | null;
  lossSharing: LossSharing | null;
  history: PledgeEvent[];
  proof: { application: Proof | null; registration: Proof | null; latest: Proof | null };
  /** The office's refusal, when refused: the reason code (null for a free-text reason) and its note. */
  refusal: { reason: string | null; note: string } | null;
}

export async function getPledge(key: string, pledgeId: string): Promise<Pledge> {
  const o = await call(`/pledges/${encodeURIComponent(pledgeId)}`, { key });
  const history = arr(o.history).map((e) => {
    const h = obj(e);
    return {
      event: str(h.event) ?? "",
      blockNumber: num(h.blockNumber),
      transactionHash: str(h.transactionHash),
      args: obj(h.args),
    };
  });
  const refused = history.find((h) => h.event === "PledgeRefused");
  const reason = refused ? named(refused.args.reason, REASON_CODES) : null;
  const p = obj(o.proof);
  return {
    ...readTerms(o),
    pledgeId: str(o.pledgeId) ?? pledgeId,
    status: named(o.status, PLEDGE_STATUSES),
    registrationNumber: str(o.registrationNumber),
    submittedAt: str(o.submittedAt),
    registeredAt: str(o.registeredAt),
    closedAt: str(o.closedAt),
    disposal: o.disposal ? disposal(obj(o.disposal)) : null,
    lossSharing: o.lossSharing ? lossSharing(obj(o.lossSharing)) : null,
    history,
    proof: { application: proof(p.application), registration: proof(p.registration), latest: proof(p.latest) },
    refusal: refused
      ? { reason: reason && reason !== "None" ? reason : null, note: str(refused.args.note) ?? "" }
      : null,
  };
}

export type PledgeAction = "release" | "default" | "disposal";

/** Step one of a later step: the typed data each signer signs. */
export async function actionRequests(key: string, pledgeId: string, action: PledgeAction, fields: Json) {
  const o = await call(`/pledges/${encodeURIComponent(pledgeId)}/${action}/typed-data`, {
    key,
    method: "POST",
    body: fields,
  });
  return arr(o.signers).map(request);
}

/** Step two: the signatures (each with the nonce and deadline its typed data named), relayed. */
export async function performAction(
  key: string,
  pledgeId: string,
  action: PledgeAction,
  fields: Json,
  signed: { request: SigningRequest; signature: string }[],
): Promise<WriteResult> {
  const signatures = signed.map(({ request: r, signature }) => ({
    signer: r.address,
    signature,
    nonce: str(r.typedData.message.nonce),
    deadline: str(r.typedData.message.deadline),
  }));
  const o = await call(`/pledges/${encodeURIComponent(pledgeId)}/${action}`, {
    key,
    method: "POST",
    body: { ...fields, signatures },
  });
  return writeResult(o);
}
