/**
 * Migration 11 (the reads' own series, "reads_", numbered apart from the gateway's other stores so that both series
 * merge): the time of the index's head block, so that what depends on the chain's clock — an asset's standing, a
 * valuation's verdict — is judged from the index at the block it is current to, without asking the chain.
 */
import type { Migration } from "../migrations";

export const READS_HEAD_TIME: Migration = {
  version: 11,
  name: "reads_11: the head block's time",
  statements: [`alter table indexer_state add column head_time int8`],
};
