/** Structured logs: one JSON line per event (pino). */
import pino, { type Logger } from "pino";

export function createLogger(level: string): Logger {
  return pino({ level, base: { service: "ip-pledge-gateway" }, timestamp: pino.stdTimeFunctions.isoTime });
}

export type { Logger };
