/**
 * Migration 21 (the gateway records' own series, "records_", numbered apart from the reads' so that the series merge):
 * - the open drafts of a party found by index, not by reading every draft: by who drafted it (`createdBy`) and by
 *   the addresses of its signers (lowercased, so that any spelling of an address finds it);
 * - records by kind and age, for the sweep that expires idempotency and prepared-transaction records (records.ts).
 */
import type { Migration } from "../migrations";

/** A draft's signers' addresses as the signer index holds them: `[{"address": "0x…lowercase", …}]`. */
export const SIGNERS_LOWERCASE = `lower((value->'signers')::text)::jsonb`;

export const RECORDS_BY_PARTY_AND_AGE: Migration = {
  version: 21,
  name: "records_21: open drafts by party, records by age",
  statements: [
    `create index gateway_records_by_creator on gateway_records (scope, kind, (value->>'createdBy'))`,
    `create index gateway_records_by_signer on gateway_records using gin ((${SIGNERS_LOWERCASE}) jsonb_path_ops)`,
    `create index gateway_records_by_age on gateway_records (kind, updated_at)`,
  ],
};
