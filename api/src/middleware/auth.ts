/** API-key authentication (401 when missing or unknown) and role checks (403 for the wrong role). */
import type { NextFunction, Request, Response } from "express";
import { AppError } from "../errors/AppError";
import type { Organisation, OrganisationDirectory, Role } from "../organisations";

declare module "express-serve-static-core" {
  interface Request {
    organisation?: Organisation;
  }
}

/**
 * Runs before any body is read (server.ts): an unknown caller is answered 401 at once, and when the body has not all
 * arrived the connection is closed after the answer, so the rest of it is never received.
 */
export function authenticate(directory: OrganisationDirectory) {
  return (req: Request, res: Response, next: NextFunction) => {
    const refuse = (message: string) => {
      if (!req.complete) res.setHeader("Connection", "close");
      next(AppError.of("UNAUTHENTICATED", message));
    };
    const key = apiKeyOf(req);
    if (!key) return refuse("an API key is required (Authorization: Bearer <key>)");
    const organisation = directory.byApiKey(key);
    if (!organisation) return refuse("unknown API key");
    req.organisation = organisation;
    next();
  };
}

/** The API key a request carries (Authorization: Bearer, or X-Api-Key), if any. */
export function apiKeyOf(req: Request): string | undefined {
  const header = req.header("authorization");
  return header?.startsWith("Bearer ") ? header.slice(7).trim() : req.header("x-api-key");
}

export function requireRole(...roles: Role[]) {
  return (req: Request, _res: Response, next: NextFunction) => {
    const role = req.organisation?.role;
    if (!role || !roles.includes(role)) {
      return next(AppError.of("FORBIDDEN", `this needs the role ${roles.join(" or ")}; your organisation is ${role}`));
    }
    next();
  };
}

/** The authenticated organisation (routes behind `authenticate` only). */
export const organisationOf = (req: Request): Organisation => req.organisation!;
