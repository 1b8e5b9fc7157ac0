/**
 * Valuation reports between the API's form and the register's: conversions, the EIP-712 typed data an evaluator
 * signs with its own wallet (the gateway never holds its key), and what the register says of a report.
 */
import { randomBytes } from "node:crypto";
import { ZeroHash, hexlify, toUtf8Bytes, toUtf8String, type TypedDataField } from "ethers";
import type { Registry } from "../../chain/registry";
import { historyOf, inApiForm } from "../../chain/events";
import type { DocumentStore } from "../../documents/store";
import { AppError } from "../../errors/AppError";
import { dateOf, isoOf } from "../../openapi/schemas";
import { VALUATION_VERDICTS } from "../../../../definitions/enumNames";
import type { ValuationReport } from "../../../../definitions/valuationTypedData";
import { domainOf } from "../../../../definitions/domains";
import { chainNow, jsonSafe, type TypedData } from "../drafts/signatureDraft";
import { REPORT_STATUSES, VALUATION_METHODS, type ContractReport, type ReportFields, type ReportView } from "./schema";

/** How long a typed-data answer can be signed and relayed; fetch fresh typed data after that. */
export const SIGNATURE_WINDOW_SECONDS = 24n * 3600n;

/** A report as the register takes it, with the calling evaluator's address. */
export function toOnChain(fields: ReportFields, evaluator: string): ValuationReport {
  return {
    documentHash: fields.documentHash,
    evaluator,
    assetIds: fields.assetIds,
    value: fields.value,
    currency: hexlify(toUtf8Bytes(fields.currency)),
    method: VALUATION_METHODS.indexOf(fields.method),
    valuationDate: fields.valuationDate,
    validUntil: fields.validUntil,
    supersedes: fields.supersedes ?? ZeroHash,
    uri: fields.uri ?? "",
  };
}

/** A report as the API shows it (also how the typed-data step hands it back for anchoring). */
export function toView(report: ValuationReport): ReportView {
  return {
    documentHash: report.documentHash.toLowerCase(),
    evaluator: report.evaluator,
    assetIds: report.assetIds.map((id) => id.toLowerCase()),
    value: report.value.toString(),
    currency: toUtf8String(report.currency),
    method: VALUATION_METHODS[Number(report.method)],
    valuationDate: dateOf(report.valuationDate),
    validUntil: dateOf(report.validUntil),
    supersedes: report.supersedes === ZeroHash ? null : report.supersedes.toLowerCase(),
    uri: report.uri,
  };
}

/** A report exactly as the ABI takes it (every integer a decimal string but the uint8 method). */
export const toContractForm = (report: ValuationReport): ContractReport => ({
  documentHash: report.documentHash.toLowerCase(),
  evaluator: report.evaluator,
  assetIds: report.assetIds.map((id) => id.toLowerCase()),
  value: report.value.toString(),
  currency: report.currency.toLowerCase(),
  method: Number(report.method),
  valuationDate: report.valuationDate.toString(),
  validUntil: report.validUntil.toString(),
  supersedes: report.supersedes.toLowerCase(),
  uri: report.uri,
});

/** A report as JSON records keep it (bigints as decimal strings), and back. */
export type StoredReport = Omit<ValuationReport, "value" | "valuationDate" | "validUntil"> & {
  value: string;
  valuationDate: string;
  validUntil: string;
};
export const toStored = (r: ValuationReport): StoredReport => ({
  ...r,
  value: r.value.toString(),
  valuationDate: r.valuationDate.toString(),
  validUntil: r.validUntil.toString(),
});
export const fromStored = (r: StoredReport): ValuationReport => ({
  ...r,
  value: BigInt(r.value),
  valuationDate: BigInt(r.valuationDate),
  validUntil: BigInt(r.validUntil),
});

/** The report file must be in the store, so that a bank can later fetch exactly what the loan relied on. */
export function requireDocument(store: DocumentStore, documentHash: string, field: string) {
  if (!store.getDocument(documentHash)) {
    throw AppError.of(
      "NOT_FOUND",
      `no document ${documentHash} in the store: upload the report file with POST /v1/documents first`,
      field,
    );
  }
}

/** The calling evaluator may only act for itself. */
export function requireOwnReport(evaluator: string, organisationAddress: string) {
  if (evaluator.toLowerCase() !== organisationAddress.toLowerCase()) {
    throw AppError.of("FORBIDDEN", `this report is ${evaluator}'s; your organisation is ${organisationAddress}`);
  }
}

/**
 * Everything the register checks when the evaluator anchors the report (licence, sensible fields, not anchored yet,
 * valuation date not in the future, a valid supersession), run as a call from the evaluator's address: a refusal
 * is a 422 before anyone signs or queues anything.
 */
export async function precheckAnchoring(registry: Registry, report: ValuationReport) {
  await registry.valuationRegistry.connect(registry.provider).anchor.staticCall(report, { from: report.evaluator });
}

/**
 * Typed data for `signer` with a fresh unordered nonce (random: the register keeps a bitmap per signer, so any
 * unused number will do) and a deadline counted on the chain's clock.
 */
export async function typedDataFor(
  registry: Registry,
  types: Record<string, TypedDataField[]>,
  fields: Record<string, unknown>,
  signer: string,
): Promise<TypedData> {
  const deadline = (await chainNow(registry)) + SIGNATURE_WINDOW_SECONDS;
  const nonce = BigInt(`0x${randomBytes(16).toString("hex")}`);
  const d = registry.deployment;
  const domain = domainOf("valuationRegistry", BigInt(d.chainId), d.contracts.valuationRegistry);
  return {
    domain: { ...domain, chainId: d.chainId } as TypedData["domain"],
    types,
    primaryType: Object.keys(types)[0],
    message: jsonSafe({ ...fields, signer, nonce, deadline }) as Record<string, unknown>,
  };
}

/** What the register says of a report now, or undefined when it never recorded it. */
export async function readReport(registry: Registry, documentHash: string) {
  const v = registry.valuationRegistry;
  const [record, batchRoot, supersededBy] = await v.reportOf(documentHash);
  if (record.status === 0n) return undefined;
  const [anchoredLog] = await v.queryFilter(v.filters.ReportAnchored(documentHash));
  const e = anchoredLog.args.report;
  const report: ValuationReport = {
    documentHash: e.documentHash,
    evaluator: e.evaluator,
    assetIds: [...e.assetIds],
    value: e.value,
    currency: e.currency,
    method: Number(e.method),
    valuationDate: e.valuationDate,
    validUntil: e.validUntil,
    supersedes: e.supersedes,
    uri: e.uri,
  };
  const [verdict, history] = await Promise.all([
    v.verdictFor(documentHash, report.assetIds),
    historyOf(v, "ValuationRegistry", [
      v.filters.ReportAnchored(documentHash),
      v.filters.ReportRevoked(documentHash),
      v.filters.ReportSuperseded(documentHash),
      v.filters.ReportSuperseded(undefined, documentHash),
    ]),
  ]);
  return {
    documentHash,
    source: "register" as const,
    anchored: true as const,
    evaluator: record.evaluator,
    status: REPORT_STATUSES[Number(record.status)],
    verdict: VALUATION_VERDICTS[Number(verdict)],
    validUntil: dateOf(record.validUntil),
    anchoredAt: isoOf(record.anchoredAt),
    batchRoot: batchRoot === ZeroHash ? null : batchRoot,
    supersededBy: supersededBy === ZeroHash ? null : supersededBy,
    report: toView(report),
    proof: { transactionHash: anchoredLog.transactionHash, blockNumber: anchoredLog.blockNumber },
    history: history.map(inApiForm),
  };
}
