/**
 * `npm start` as a user runs it, for end-to-end tests: the main job in its own process group with a clean
 * environment, a plain HTTP client for its gateway, and a stop by signal that waits for the exit.
 */
import { join, resolve } from "node:path";
import { RunningProcess } from "./processes";

export const ROOT = resolve(__dirname, "../../..");
const TS_NODE = join(ROOT, "node_modules/.bin/ts-node");
export const START_TIMEOUT = 120_000;

/** The environment of the user's shell, without any of the gateway's own variables. */
export function cleanEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of [
    "HOST",
    "PORT",
    "RPC_URL",
    "CHAIN_PORT",
    "DEPLOYMENT_FILE",
    "DATA_DIR",
    "RELAYER_PRIVATE_KEY",
    "ORGANISATIONS_FILE",
    "LOG_LEVEL",
    "MAX_DOCUMENT_BYTES",
    "MAX_JSON_BYTES",
    "RATE_LIMIT_PER_MINUTE",
    "RPC_TIMEOUT_MS",
    "RECEIPT_TIMEOUT_MS",
    "RELAYER_MAX_IN_FLIGHT",
    "RELAYER_REPLACE_AFTER_MS",
    "RELAYER_MAX_REPLACEMENTS",
  ])
    delete env[name];
  return env;
}

export const startMainJob = (env: NodeJS.ProcessEnv, args: string[] = []) =>
  RunningProcess.start(TS_NODE, ["--transpile-only", "scripts/start.ts", ...args], { ...cleanEnv(), ...env }, ROOT);

/** HTTP against the running gateway, as any client would call it. */
export function client(base: string, apiKey?: string) {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (apiKey) headers.authorization = `Bearer ${apiKey}`;
  const call = async (method: string, path: string, body?: object, extra: Record<string, string> = {}) => {
    const res = await fetch(`${base}/v1${path}`, {
      method,
      headers: { ...headers, ...extra },
      body: body && JSON.stringify(body),
    });
    return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, any> };
  };
  return {
    get: (path: string) => call("GET", path),
    post: (path: string, body: object, extra?: Record<string, string>) => call("POST", path, body, extra),
  };
}

/** A signal (Ctrl-C by default) to the main job alone; resolves with how it exited. */
export async function interrupt(job: RunningProcess, ms = 30_000, signal: NodeJS.Signals = "SIGINT") {
  job.child.kill(signal);
  const timer = new Promise<never>((_, reject) =>
    setTimeout(() => reject(new Error(`still running ${ms} ms after ${signal}:\n${job.output()}`)), ms).unref(),
  );
  return Promise.race([job.exited, timer]);
}

const YEAR = 365 * 86_400;

/** A granted invention patent (the body of POST /v1/assets); the embedded chain's clock is the wall clock. */
export function patent(officialNumber: string, holder: string) {
  const now = Math.floor(Date.now() / 1000);
  return {
    kind: "InventionPatent",
    officialNumber,
    holders: [{ address: holder, shareBps: 10_000 }],
    grantDate: now - 2 * YEAR,
    expiryDate: now + 15 * YEAR,
    feesPaidUntil: now + YEAR,
  };
}

/** The API key `npm start` printed for each demo organisation, by organisation id. */
export function printedKeys(job: RunningProcess): Record<string, string> {
  const keys: Record<string, string> = {};
  for (const m of job.stdout.matchAll(/([a-z-]+)\s+\w+\s+0x[0-9a-fA-F]{40}\s+API key:\s+(ipr_[0-9a-f]{64})/g))
    keys[m[1]] = m[2];
  return keys;
}
