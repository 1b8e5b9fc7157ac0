/**
 * Request rate limits, counted per process in memory (N gateways allow N times as much; README "Running N
 * gateways"). A request with a known API key is limited by its organisation — a bank's users behind one address
 * share nothing with another bank's — at ORG_RATE_LIMIT_PER_MINUTE (default 60,000 a minute, far above what one
 * bank's lookups and writes make). A request without one (no key, an unknown key) is limited by its client address at
 * RATE_LIMIT_PER_MINUTE, counting everything the address sent, keyed or not. A keyed request is refused by its
 * address only when the address's requests without a key alone are over that limit (it is abusing the open routes).
 */
import type { NextFunction, Request, RequestHandler, Response } from "express";
import { ipKeyGenerator, rateLimit } from "express-rate-limit";
import { AppError } from "../errors/AppError";
import type { OrganisationDirectory } from "../organisations";
import { apiKeyOf } from "./auth";

/** The organisations' default: 1,000 requests a second, sustained over a minute. */
export const DEFAULT_ORG_RATE_LIMIT_PER_MINUTE = 60_000;
const WINDOW_MS = 60_000;

export function rateLimits(
  organisations: OrganisationDirectory,
  limits: { perAddress: number; perOrganisation?: number },
): RequestHandler[] {
  const organisationOf = (req: Request) => {
    const key = apiKeyOf(req);
    return key ? organisations.byApiKey(key) : undefined;
  };
  const refuse = (_req: Request, _res: Response, next: NextFunction) =>
    next(AppError.of("RATE_LIMITED", "too many requests; slow down"));
  const addressKey = (req: Request) => ipKeyGenerator(req.ip ?? "");
  const common = { windowMs: WINDOW_MS, standardHeaders: "draft-8", legacyHeaders: false, handler: refuse } as const;

  /** Everything from the address; refuses only requests without an organisation. */
  const everything = rateLimit({
    ...common,
    limit: limits.perAddress,
    keyGenerator: addressKey,
    handler: (req, res, next) => (organisationOf(req) ? next() : refuse(req, res, next)),
  });
  /** The address's requests without an organisation. */
  const perAddress = rateLimit({
    ...common,
    limit: limits.perAddress,
    identifier: "address",
    keyGenerator: addressKey,
    skip: (req) => organisationOf(req) !== undefined,
  });
  const perOrganisation = rateLimit({
    ...common,
    limit: limits.perOrganisation ?? DEFAULT_ORG_RATE_LIMIT_PER_MINUTE,
    identifier: "organisation",
    keyGenerator: (req) => `org:${organisationOf(req)!.id}`,
    skip: (req) => organisationOf(req) === undefined,
  });
  /** A keyed request from an address whose requests without a key are over the limit is refused too. */
  const addressBlocked = async (req: Request, res: Response, next: NextFunction) => {
    if (organisationOf(req) === undefined) return next();
    const used = await perAddress.getKey(addressKey(req));
    if (!used || used.totalHits <= limits.perAddress) return next();
    res.setHeader(
      "Retry-After",
      String(Math.max(1, Math.ceil(((used.resetTime?.getTime() ?? 0) - Date.now()) / 1000))),
    );
    refuse(req, res, next);
  };
  return [perAddress, everything, addressBlocked, perOrganisation];
}
