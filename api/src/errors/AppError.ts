/**
 * Every error a client sees: `{ error: { code, message, field?, details? } }` with a code from a closed catalogue:
 * the gateway's own codes below (one line each, with their HTTP status) and the contracts' refusals of
 * contractErrorTable.ts (always 422). `AppError` accepts no other code, at compile time and at run time. Codes never
 * change meaning and are never renamed (test/api/errorCatalogue.test.ts pins them).
 */
import { CONTRACT_ERRORS, CONTRACT_ERROR_STATUS, type ContractErrorCode } from "./contractErrorTable";

export const HTTP_ERROR_CODES = {
  VALIDATION_FAILED: 400,
  TRANSACTION_NOT_SIGNED: 400,
  CHAIN_ID_MISMATCH: 400,
  TRANSACTION_TARGET_NOT_ALLOWED: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  IDEMPOTENCY_KEY_REUSED: 409,
  IDEMPOTENCY_IN_PROGRESS: 409,
  DRAFT_ALREADY_SUBMITTED: 409,
  TRANSACTION_NONCE_INVALID: 409,
  SIGNATURE_ALREADY_GIVEN: 409,
  TRANSACTION_NOT_PREPARED: 403,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  CONSENT_MISSING: 422,
  REPORT_ALREADY_BATCHED: 422,
  TRANSACTION_REVERTED: 422,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  CHAIN_UNAVAILABLE: 503,
  DEPLOYMENT_MISSING: 503,
  INDEX_BEHIND: 503, // a read only the read model answers, while it lags behind a write (or is not open): retry
  STORAGE_UNAVAILABLE: 503, // the disk refused a durable write (full, quota, read-only, I/O error): nothing kept; retry
} as const;

export type HttpErrorCode = keyof typeof HTTP_ERROR_CODES;
/** The closed catalogue: the gateway's codes and the contracts' refusals. */
export type ErrorCode = HttpErrorCode | ContractErrorCode;

const CONTRACT_CODES: ReadonlySet<string> = new Set(Object.values(CONTRACT_ERRORS).map(([code]) => code));

/** Every catalogued code with its HTTP status. */
export function errorCatalogue(): Record<ErrorCode, number> {
  const all: Record<string, number> = {};
  for (const code of CONTRACT_CODES) all[code] = CONTRACT_ERROR_STATUS;
  return Object.assign(all, HTTP_ERROR_CODES) as Record<ErrorCode, number>;
}

/** The HTTP status of a catalogued code; throws for a code that is not in the catalogue. */
export function statusOf(code: string): number {
  if (Object.hasOwn(HTTP_ERROR_CODES, code)) return HTTP_ERROR_CODES[code as HttpErrorCode];
  if (CONTRACT_CODES.has(code)) return CONTRACT_ERROR_STATUS;
  throw new Error(`error code ${code} is not in the catalogue (api/src/errors/AppError.ts)`);
}

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly status: number,
    message: string,
    readonly field?: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    const catalogued = statusOf(code);
    if (catalogued !== status) throw new Error(`error code ${code} is answered ${catalogued}, not ${status}`);
  }

  static of(code: ErrorCode, message: string, field?: string, details?: Record<string, unknown>): AppError {
    return new AppError(code, statusOf(code), message, field, details);
  }
}
