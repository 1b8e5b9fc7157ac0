/**
 * An example for every request body of the OpenAPI document: the route's own example when it gives one, otherwise
 * one composed from the schema — each field's own `example`, else its first enum value, else a plain value of its
 * type. test/api/docs.test.ts checks that every example passes the route's validation, so none can mislead.
 */

type Schema = {
  $ref?: string;
  example?: unknown;
  examples?: unknown[];
  enum?: unknown[];
  const?: unknown;
  type?: string | string[];
  format?: string;
  properties?: Record<string, Schema>;
  items?: Schema;
  minItems?: number;
  minimum?: number;
  exclusiveMinimum?: number;
  pattern?: string;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
};

/** Strings only a pattern describes: hex bytes (a 65-byte signature) and a three-letter currency code. */
const BY_PATTERN: [RegExp, string][] = [
  [/^\^0x\(\[0-9a-fA-F\]\{2\}\)/, `0x${"1b".repeat(65)}`],
  [/^\^\[A-Z\]\{3\}\$$/, "CNY"],
];

/**
 * A body's example: each date or instant later than the one before it, in the order of the fields, so that an end
 * is after its start (valuation date → validity end, start → maturity, due dates → end).
 */
export function bodyExampleOf(schema: Schema, components: Record<string, Schema>): unknown {
  let years = 0;
  const later = (value: unknown): unknown => {
    if (typeof value === "string" && /^\d{4}-\d{2}-\d{2}/.test(value)) {
      const shifted = `${Number(value.slice(0, 4)) + years}${value.slice(4)}`;
      years++;
      return shifted;
    }
    if (Array.isArray(value)) return value.map(later);
    if (value && typeof value === "object") {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, later(v)]));
    }
    return value;
  };
  return later(exampleOf(schema, components));
}

/** A value that fits `schema`; `components` resolves `$ref`s. */
export function exampleOf(schema: Schema, components: Record<string, Schema>, depth = 0): unknown {
  if (depth > 12) return undefined;
  if (schema.$ref) return exampleOf(components[schema.$ref.split("/").pop()!] ?? {}, components, depth + 1);
  if (schema.example !== undefined) return schema.example;
  if (schema.examples?.length) return schema.examples[0];
  if (schema.const !== undefined) return schema.const;
  if (schema.enum?.length) return schema.enum[0];
  const options = schema.anyOf ?? schema.oneOf;
  if (options?.length) {
    const first = options.find((o) => o.type !== "null") ?? options[0];
    return exampleOf(first, components, depth + 1);
  }
  if (schema.allOf?.length) {
    return Object.assign({}, ...schema.allOf.map((s) => exampleOf(s, components, depth + 1) as object));
  }
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== "null") : schema.type;
  switch (type) {
    case "object":
      return Object.fromEntries(
        Object.entries(schema.properties ?? {}).map(([name, s]) => [name, exampleOf(s, components, depth + 1)]),
      );
    case "array":
      return Array.from({ length: Math.max(1, schema.minItems ?? 1) }, () =>
        exampleOf(schema.items ?? {}, components, depth + 1),
      );
    case "integer":
    case "number":
      return schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : 1);
    case "boolean":
      return false;
    case "string":
      if (schema.format === "date") return "2026-06-30";
      if (schema.format === "date-time") return "2026-06-30T08:00:00Z";
      if (schema.format === "binary") return undefined;
      return BY_PATTERN.find(([pattern]) => pattern.test(schema.pattern ?? ""))?.[1] ?? "text";
    default:
      return undefined;
  }
}
