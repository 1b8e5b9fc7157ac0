/**
 * Every error a client sees: `{ error: { code, message, field? } }` with a stable code. Codes never change meaning
 * and are never renamed. Contract refusals carry the custom error's name in UPPER_SNAKE_CASE — for the registration
 * rules these are exactly the SPEC reason codes (PledgorNotHolder → PLEDGOR_NOT_HOLDER).
 */
export const HTTP_ERROR_CODES = {
  VALIDATION_FAILED: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  IDEMPOTENCY_KEY_REUSED: 409,
  IDEMPOTENCY_IN_PROGRESS: 409,
  DRAFT_ALREADY_SUBMITTED: 409,
  SIGNATURE_ALREADY_GIVEN: 409,
  TRANSACTION_NOT_PREPARED: 403,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  CHAIN_UNAVAILABLE: 503,
} as const;

export type HttpErrorCode = keyof typeof HTTP_ERROR_CODES;

export class AppError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly field?: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }

  static of(code: HttpErrorCode, message: string, field?: string): AppError {
    return new AppError(code, HTTP_ERROR_CODES[code], message, field);
  }
}
