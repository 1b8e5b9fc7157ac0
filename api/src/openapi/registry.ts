/**
 * One definition per route: the zod schemas validate the request, type the handler and describe the route in the
 * OpenAPI 3.1 document served at /v1/openapi.json, so the three can never disagree.
 */
import { OpenAPIRegistry, OpenApiGeneratorV31, extendZodWithOpenApi } from "@asteasolutions/zod-to-openapi";
import type { NextFunction, Request, RequestHandler, Response, Router } from "express";
import { z } from "zod";
import { HTTP_ERROR_CODES } from "../errors/AppError";
import { requireRole } from "../middleware/auth";
import { validate } from "../middleware/validate";
import { recoveredWriteOf } from "../middleware/recoveredWrite";
import type { Sent } from "../chain/relayer";
import { bodyExampleOf, exampleOf } from "./examples";
import type { Role } from "../organisations";

extendZodWithOpenApi(z);

export const errorSchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: "PLEDGOR_NOT_HOLDER" }),
      message: z.string(),
      field: z.string().optional(),
      details: z.record(z.string(), z.unknown()).optional(),
    }),
  })
  .openapi("Error");

/** A write whose transaction was sent but not confirmed within RECEIPT_TIMEOUT_MS (README "Pending writes"). */
export const pendingWriteSchema = z
  .object({
    status: z.literal("PENDING"),
    transactionHash: z.string(),
    message: z.string(),
  })
  .openapi("PendingWrite", {
    description:
      "The transaction was sent and may still execute: GET /v1/transactions/{transactionHash} tells its outcome.",
  });

export interface RouteSpec<B extends z.ZodType, P extends z.ZodType, Q extends z.ZodType, R extends z.ZodType> {
  method: "get" | "post";
  /** Express-style path below /v1, e.g. "/assets/:assetId". */
  path: string;
  tag: string;
  summary: string;
  description?: string;
  /** Who may call it; omitted = any authenticated organisation. */
  roles?: Role[];
  /**
   * Served without an API key (the routes of a party that has none): no security requirement in OpenAPI. Such a
   * route's router is one of `publicFeatures` (mounted before `authenticate`), and the route reads its own body in
   * `before`, with a small limit (keyed routes have theirs read only once the caller is known: middleware/body.ts).
   */
  keyless?: boolean;
  body?: B;
  params?: P;
  query?: Q;
  response: R;
  status?: number;
  /** Extra middleware before validation (e.g. a raw body parser for documents). */
  before?: RequestHandler[];
  /** Request body media type when not JSON (documents). */
  bodyMediaType?: string;
  /** Response media type when not JSON. */
  responseMediaType?: string;
  /** An example request body, when the one composed from the fields' own examples would not pass validation. */
  example?: unknown;
}

type Input<B, P, Q> = { body: B; params: P; query: Q; req: Request; res: Response };
type Handler<B, P, Q, R> = (input: Input<B, P, Q>) => Promise<R>;

/**
 * A write's answer from its mined transaction (`sent`, the last one it sent; `earlier`, those before it, oldest first):
 * the route's handler answers with it, and so does an idempotent retry whose first attempt died after its transaction
 * was mined (middleware/idempotency.ts) — the same body either way, without running the handler again.
 */
export type Answer<B, P, Q, R> = (sent: Sent, input: Input<B, P, Q>, earlier: Sent[]) => Promise<R>;

export class ApiDefinition {
  readonly registry = new OpenAPIRegistry();
  /** Each route's JSON body schema by "METHOD /v1/path" (for the test that every documented example validates). */
  readonly bodies = new Map<string, z.ZodType>();
  /** The writes that answer a recovered retry from their receipt ("METHOD /v1/path"), for the test that all do. */
  readonly answered = new Set<string>();

  constructor() {
    this.registry.registerComponent("securitySchemes", "apiKey", { type: "http", scheme: "bearer" });
  }

  route<B extends z.ZodType, P extends z.ZodType, Q extends z.ZodType, R extends z.ZodType>(
    router: Router,
    spec: RouteSpec<B, P, Q, R>,
    handler: Handler<z.infer<B>, z.infer<P>, z.infer<Q>, z.infer<R>>,
    answer?: Answer<z.infer<B>, z.infer<P>, z.infer<Q>, z.infer<R>>,
  ) {
    const status = spec.status ?? 200;
    const path = `/v1${spec.path.replace(/:([A-Za-z]+)/g, "{$1}")}`;
    if (spec.body && !spec.bodyMediaType) this.bodies.set(`${spec.method.toUpperCase()} ${path}`, spec.body);
    if (answer) this.answered.add(`${spec.method.toUpperCase()} ${path}`);
    this.registry.registerPath({
      method: spec.method,
      path,
      tags: [spec.tag],
      summary: spec.summary,
      description: [spec.description, spec.roles ? `Roles: ${spec.roles.join(", ")}.` : undefined]
        .filter(Boolean)
        .join("\n\n"),
      security: spec.keyless ? [] : [{ apiKey: [] }],
      ...(spec.roles ? { "x-roles": spec.roles } : {}),
      request: {
        ...(spec.params ? { params: spec.params as unknown as z.ZodObject } : {}),
        ...(spec.query ? { query: spec.query as unknown as z.ZodObject } : {}),
        ...(spec.body
          ? {
              body: {
                content: {
                  [spec.bodyMediaType ?? "application/json"]: {
                    schema: spec.body,
                    ...(spec.example !== undefined ? { example: spec.example } : {}),
                  },
                },
              },
            }
          : {}),
      },
      responses: {
        [status]: {
          description: "success",
          content: { [spec.responseMediaType ?? "application/json"]: { schema: spec.response } },
        },
        ...(spec.method === "post"
          ? {
              202: {
                description:
                  "a write that sends a transaction through the gateway: sent, but not confirmed within the " +
                  "receipt timeout",
                content: { "application/json": { schema: pendingWriteSchema } },
              },
            }
          : {}),
        default: { description: "error", content: { "application/json": { schema: errorSchema } } },
      },
    });
    const guards = spec.roles ? [requireRole(...spec.roles)] : [];
    const schemas = { params: spec.params, query: spec.query, body: spec.bodyMediaType ? undefined : spec.body };
    router[spec.method](
      spec.path,
      ...guards,
      ...(spec.before ?? []),
      validate(schemas),
      async (req: Request, res: Response, next: NextFunction) => {
        try {
          const valid = req.valid ?? {};
          const input = {
            body: (valid.body ?? req.body) as z.infer<B>,
            params: valid.params as z.infer<P>,
            query: valid.query as z.infer<Q>,
            req,
            res,
          };
          // A retry of a write whose first attempt died after its transaction was mined: answered from the receipt
          // (a route without an answer of its own — none that sends a transaction — with the transaction's status).
          const recovered = recoveredWriteOf(req);
          const result = recovered
            ? answer
              ? await answer(recovered.sent, input, recovered.earlier)
              : recovered.outcome
            : await handler(input);
          if (!res.headersSent) res.status(status).json(result);
        } catch (error) {
          next(error);
        }
      },
    );
  }

  document(serverUrl?: string) {
    const document = new OpenApiGeneratorV31(this.registry.definitions).generateDocument({
      openapi: "3.1.0",
      info: {
        title: "IP Pledge Registry gateway",
        version: "1",
        description:
          "Paperless IP pledge registration, valuation anchoring and licence-fee securitisation over an EVM chain. " +
          `Errors are { error: { code, message, field? } }; codes: ${Object.keys(HTTP_ERROR_CODES).join(", ")}, ` +
          "and 422 with the contract's refusal in UPPER_SNAKE_CASE (the SPEC reason codes for pledge rules).",
      },
      servers: serverUrl ? [{ url: serverUrl }] : [],
    });
    withBodyExamples(document);
    return document;
  }
}

/** Every request body gets an example: the route's own, else one composed from its schema (examples.ts). */
function withBodyExamples(document: ReturnType<OpenApiGeneratorV31["generateDocument"]>) {
  const components = (document.components?.schemas ?? {}) as Record<string, Parameters<typeof exampleOf>[0]>;
  for (const item of Object.values(document.paths ?? {})) {
    for (const operation of [item?.get, item?.post, item?.put, item?.patch]) {
      const content = (operation?.requestBody as { content?: Record<string, { schema?: object; example?: unknown }> })
        ?.content;
      for (const [mediaType, media] of Object.entries(content ?? {})) {
        if (media.example !== undefined) continue;
        media.example =
          mediaType === "application/json"
            ? bodyExampleOf((media.schema ?? {}) as Parameters<typeof exampleOf>[0], components)
            : "(the file's bytes)";
      }
    }
  }
}
