/**
 * The one error writer: `{ error: { code, message, field?, details? } }`. Never a stack trace to the client; an
 * unexpected error is logged with its stack and answered 500 INTERNAL.
 */
import type { NextFunction, Request, Response } from "express";
import "pino-http";
import { AppError } from "../errors/AppError";
import { assetIdsIn, chainErrorToAppError, withAssetNames } from "../errors/contractErrors";
import { TransactionPending } from "../chain/relayer";
import { isStorageFailure } from "../documents/durableFile";

/** How long a client is asked to wait before retrying a write the disk refused. */
export const STORAGE_RETRY_AFTER_SECONDS = 60;

/** "invention patent ZL202110012345.6" for an asset id, or undefined when it cannot be told quickly. */
export type AssetNamer = (assetId: string) => Promise<string | undefined>;

interface HttpError {
  status?: number;
  type?: string;
}

function toAppError(error: unknown): AppError | undefined {
  if (error instanceof AppError) return error;
  const http = error as HttpError;
  if (http?.type === "entity.too.large") return AppError.of("PAYLOAD_TOO_LARGE", "the request body is too large");
  if (http?.type === "entity.parse.failed")
    return AppError.of("VALIDATION_FAILED", "the body is not valid JSON", "body");
  if (http?.type === "charset.unsupported" || http?.type === "encoding.unsupported") {
    return AppError.of("UNSUPPORTED_MEDIA_TYPE", "unsupported body encoding");
  }
  if (isStorageFailure(error)) {
    const code = (error as NodeJS.ErrnoException).code;
    return AppError.of(
      "STORAGE_UNAVAILABLE",
      `the gateway's disk refused the write (${code}): nothing was kept; try again later`,
    );
  }
  const fromChain = chainErrorToAppError(error);
  if (fromChain) return fromChain;
  // Any other client error Express or its body parser raised (an undecodable path, a corrupt compressed body…).
  if (typeof http?.status === "number" && http.status >= 400 && http.status < 500) {
    return AppError.of("VALIDATION_FAILED", "the request could not be read");
  }
  return undefined;
}

/** The error writer; with `nameAsset`, a contract refusal names its asset by kind and official number. */
export function errorHandlerWith(nameAsset?: AssetNamer) {
  return async (error: unknown, req: Request, res: Response, next: NextFunction) => {
    let appError = toAppError(error);
    const ids = appError && nameAsset ? assetIdsIn(appError) : [];
    if (ids.length > 0) {
      const names = await Promise.all(ids.map((id) => nameAsset!(id).catch(() => undefined)));
      const known = new Map(ids.flatMap((id, i) => (names[i] ? [[id, names[i]] as [string, string]] : [])));
      appError = withAssetNames(appError!, known);
    }
    write(appError ?? error, req, res, next);
  };
}

export function errorHandler(error: unknown, req: Request, res: Response, next: NextFunction) {
  write(error, req, res, next);
}

function write(error: unknown, req: Request, res: Response, _next: NextFunction) {
  // Not an error: the write was sent and is not confirmed yet (README "Pending writes").
  if (error instanceof TransactionPending) {
    res.status(202).json(error.answer());
    return;
  }
  const appError = toAppError(error);
  if (!appError) {
    req.log?.error({ err: error }, "unexpected error");
    res.status(500).json({ error: { code: "INTERNAL", message: "an unexpected error occurred" } });
    return;
  }
  if (appError.status >= 500) req.log?.warn({ err: error, code: appError.code }, "request failed");
  if (appError.code === "STORAGE_UNAVAILABLE") res.setHeader("Retry-After", String(STORAGE_RETRY_AFTER_SECONDS));
  res.status(appError.status).json({
    error: {
      code: appError.code,
      message: appError.message,
      ...(appError.field ? { field: appError.field } : {}),
      ...(appError.details ? { details: appError.details } : {}),
    },
  });
}

export function notFound(req: Request, _res: Response, next: NextFunction) {
  next(AppError.of("NOT_FOUND", `no route ${req.method} ${req.path}`));
}
