/**
 * Structured logs: one JSON line per event (pino). Credentials never reach a line: the request headers that carry
 * them (Authorization, X-Api-Key, Cookie) and the response's Set-Cookie are replaced by "[redacted]" here, at the
 * logger, whatever logs them. Signatures and addresses are public by nature and stay.
 */
import pino, { type DestinationStream, type Logger } from "pino";

export const REDACTED_PATHS = [
  "req.headers.authorization",
  'req.headers["x-api-key"]',
  "req.headers.cookie",
  'res.headers["set-cookie"]',
];

/** @param destination where the lines go (stdout by default; tests capture them) */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: "ip-pledge-gateway" },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACTED_PATHS, censor: "[redacted]" },
    },
    destination,
  );
}

export type { Logger };
