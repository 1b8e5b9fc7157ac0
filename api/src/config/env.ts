/**
 * The gateway's configuration: the only place that reads process.env. Parsed once at start; every bad variable is
 * reported by name with what is wrong, and the process stops.
 */
import { z } from "zod";

const port = z.coerce.number().int().min(1).max(65_535);
const privateKey = z.string().regex(/^0x[0-9a-fA-F]{64}$/, "must be a 0x-prefixed 32-byte hex private key");

const schema = z.object({
  HOST: z.string().min(1).default("127.0.0.1"),
  PORT: port.default(8080),
  /** An EVM JSON-RPC endpoint; when absent, `npm start` runs an embedded Hardhat chain. */
  RPC_URL: z.url({ protocol: /^https?$/, error: "must be an http(s):// JSON-RPC URL" }).optional(),
  CHAIN_PORT: port.default(8545),
  DEPLOYMENT_FILE: z.string().min(1).default("deployments/localhost.json"),
  /** Where documents (content-addressed) live, and the embedded database (drafts, idempotency records…) without DATABASE_URL. */
  DATA_DIR: z.string().min(1).default("data"),
  /** The read model's PostgreSQL server (several gateways may share it); absent: embedded PGlite under DATA_DIR. */
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/, error: "must be a postgres:// URL" }).optional(),
  /** How long a write's answer waits for the read model to reach its block before reads fall back to the chain. */
  INDEX_WAIT_MS: z.coerce.number().int().min(0).max(600_000).default(5000),
  /** The relayer's key, which sends every transaction. Required with RPC_URL; a demo account otherwise. */
  RELAYER_PRIVATE_KEY: privateKey.optional(),
  /** JSON file of organisations with hashed API keys. Required with RPC_URL. */
  ORGANISATIONS_FILE: z.string().min(1).optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  MAX_DOCUMENT_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(20 * 1024 * 1024),
  MAX_JSON_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(256 * 1024),
  /** Requests a minute from one client address without a (known) API key (middleware/rateLimit.ts). */
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(1200),
  /** Requests a minute of one organisation (by its API key), in each gateway process. Unset: 60,000. */
  ORG_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().optional(),
  /** How long one JSON-RPC call may take before the chain counts as unavailable (503 CHAIN_UNAVAILABLE). */
  RPC_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5000),
  /** How long a write waits for its receipt before it is answered 202 PENDING with its transaction hash. */
  RECEIPT_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(20_000),
  /** How many relayed transactions may wait for their receipts at once; 1 sends one at a time (README "Relayer"). */
  RELAYER_MAX_IN_FLIGHT: z.coerce.number().int().min(1).max(256).default(16),
  /** A relayed transaction without a receipt this long is sent again with higher fees (same nonce); 0: never. */
  RELAYER_REPLACE_AFTER_MS: z.coerce.number().int().min(0).max(3_600_000).default(15_000),
  /** At most this many fee bumps per transaction (each ≥ +12.5 %). */
  RELAYER_MAX_REPLACEMENTS: z.coerce.number().int().min(0).max(20).default(3),
  /**
   * An idempotent request's lease: not renewed for this long, its gateway counts as dead (README "Running N gateways").
   * Unset: 10,000 (middleware/idempotency.ts).
   */
  IDEMPOTENCY_LEASE_MS: z.coerce.number().int().min(500).max(600_000).optional(),
  /** How long an idempotency record is kept after it last changed; a retry after that runs anew (store/prune.ts). */
  IDEMPOTENCY_RETENTION_HOURS: z.coerce
    .number()
    .min(1)
    .max(24 * 90)
    .default(24),
  /** How often each gateway deletes expired idempotency and prepared-transaction records. */
  RECORD_SWEEP_INTERVAL_MS: z.coerce.number().int().min(1000).max(86_400_000).default(600_000),
});

/** With RPC_URL nothing is defaulted: these must be given. Checked on the raw environment, so that they are reported
 * together with any other bad variable (zod skips refinements once a field has failed). */
const REQUIRED_WITH_RPC_URL = ["RELAYER_PRIVATE_KEY", "ORGANISATIONS_FILE"] as const;

export type Config = z.infer<typeof schema>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
  const problems = parsed.success
    ? []
    : parsed.error.issues.map((i) => `${i.path.join(".") || "environment"}: ${i.message}`);
  if (env.RPC_URL !== undefined) {
    for (const name of REQUIRED_WITH_RPC_URL) {
      if (env[name] === undefined) problems.push(`${name}: is required when RPC_URL is set (nothing is defaulted)`);
    }
  }
  if (problems.length > 0 || !parsed.success) throw new ConfigError(problems);
  return parsed.data;
}
