/**
 * Validation against the route's zod schemas. The parsed input is stored on the request; handlers read it from
 * there and never parse again. A failure is 400 VALIDATION_FAILED naming the first bad field.
 */
import type { NextFunction, Request, Response } from "express";
import type { z } from "zod";
import { AppError } from "../errors/AppError";

export interface RequestSchemas {
  body?: z.ZodType;
  params?: z.ZodType;
  query?: z.ZodType;
}

declare module "express-serve-static-core" {
  interface Request {
    valid?: { body?: unknown; params?: unknown; query?: unknown };
  }
}

export function validate(schemas: RequestSchemas) {
  return (req: Request, _res: Response, next: NextFunction) => {
    const valid: NonNullable<Request["valid"]> = {};
    for (const part of ["params", "query", "body"] as const) {
      const schema = schemas[part];
      if (!schema) continue;
      const parsed = schema.safeParse(req[part] ?? {});
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const field = [part === "body" ? undefined : part, ...issue.path.map(String)].filter(Boolean).join(".");
        return next(AppError.of("VALIDATION_FAILED", `${field || part}: ${issue.message}`, field || part));
      }
      valid[part] = parsed.data;
    }
    req.valid = valid;
    next();
  };
}

/** The validated input of a request, typed by the route's schemas. */
export function input<B = unknown, P = unknown, Q = unknown>(req: Request) {
  return req.valid as { body: B; params: P; query: Q };
}
