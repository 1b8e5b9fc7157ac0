/**
 * Migration 12 (the reads' series): a pool's immutables — its calendar's start, its receivables and its tranches
 * (token, name, symbol, face) — which the pool's constructor fixes and no event carries. The follower reads them once,
 * with the pool's first event, and files them under that event's block in the undo log (a reorg below it removes
 * them); a rebuild from events keeps them, as it keeps the tracked addresses.
 */
import type { Migration } from "../migrations";

export const READS_POOL_IMMUTABLES: Migration = {
  version: 12,
  name: "reads_12: pools' immutables",
  statements: [
    `create table pool_immutables (
      pool text primary key,
      start_date int8 not null,
      receivables jsonb not null,
      tranches jsonb not null,
      read_block int8 not null
    )`,
  ],
};
