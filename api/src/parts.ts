/**
 * What the gateway is built from: its configuration, logger, chain handles, file store and the organisations it
 * serves. Routers receive these parts; they import this module, never server.ts.
 */
import type { Config } from "./config/env";
import type { Logger } from "./logger";
import type { Registry } from "./chain/registry";
import type { DocumentStore } from "./documents/store";
import type { RecordStore } from "./store/records";
import type { OrganisationDirectory } from "./organisations";
import type { DemoKey } from "./routes/web/demo";
import type { GatewayIndex } from "./indexer/gatewayIndex";

export interface GatewayParts {
  config: Pick<Config, "MAX_JSON_BYTES" | "MAX_DOCUMENT_BYTES" | "RATE_LIMIT_PER_MINUTE"> &
    Partial<Pick<Config, "IDEMPOTENCY_LEASE_MS" | "ORG_RATE_LIMIT_PER_MINUTE">>;
  logger: Logger;
  registry: Registry;
  /** Uploaded documents (files, content-addressed). */
  store: DocumentStore;
  /**
   * The gateway's own records (drafts, idempotency, batching, prepared transactions, links, pool index): in the
   * database, shared by every gateway on it. Parts built without it keep them in `store`'s folder (one process only).
   */
  records: RecordStore;
  organisations: OrganisationDirectory;
  /** Only on the embedded demo chain of `npm start`: its test stablecoin, which the keyless faucet mints. */
  demo?: { stablecoin: string };
  /** Only on the embedded demo chain (never with RPC_URL): the demo keys for the web app's sign-in picker. */
  demoKeys?: DemoKey[];
  /** The read model (indexer/gatewayIndex.ts); without it every read asks the chain. */
  index?: GatewayIndex;
}

/** Parts as callers give them: without `records`, the records live beside the documents (store/records.ts). */
export type AppParts = Omit<GatewayParts, "records"> & { records?: RecordStore };
