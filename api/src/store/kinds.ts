/** The names of the record kinds the store itself expires (prune.ts), shared with the modules that write them. */
export const IDEMPOTENCY_KIND = "idempotency";
export const PREPARED_KIND = "prepared-transactions";
