// fast-check arbitraries from a tool's JSON input schema: values that fit it, and values that
// deliberately do not (wrong types, missing and extra fields, huge strings, deep nesting, unicode edge
// cases, numbers at and past the limits).
import fc from "fast-check";
import { SIZES } from "./harness.ts";

export type Schema = Record<string, any>;

/** Per-field replacements: a name → the values to use instead of the schema's (e.g. known ids). */
export type Overrides = Record<string, fc.Arbitrary<unknown>>;

/** Fields whose values are waits: kept short so a fuzzed call cannot legitimately take minutes. */
export function waitCap(field: string): number | undefined {
  if (/(^|_)ms$|timeout_ms|_ms_|quiescence/.test(field)) return 300;
  if (/seconds|(^|_)sec$|timeout$/.test(field)) return 1;
  return undefined;
}

export const UNICODE_EDGES = [
  "",
  " ",
  "\u0000",
  "a\u0000b",
  "\uD800",
  "\uDFFF",
  "\uFEFF",
  "\u202Eabc",
  "e\u0301\u0301\u0301",
  "\u{1F9EA}\u{1F469}\u200D\u{1F469}\u200D\u{1F467}",
  "\u00A0\u2028\u2029",
  "\r\n\t",
  "\u001b[31m\u001b]0;title\u0007",
  "../../etc/passwd",
  "%2e%2e%2f",
  "C:\\Windows\\",
  "\u0130\u0131\u00DF",
  "𝕏".repeat(100),
  "null",
  "undefined",
  "__proto__",
  "constructor",
  "0",
  "-1",
  "1e309",
];

const json = fc.jsonValue({ maxDepth: 2 });

function typesOf(s: Schema): string[] {
  if (Array.isArray(s.type)) return s.type;
  if (typeof s.type === "string") return [s.type];
  return [];
}

function numberArb(s: Schema, integer: boolean, field: string): fc.Arbitrary<number> {
  let min =
    typeof s.minimum === "number"
      ? s.minimum
      : typeof s.exclusiveMinimum === "number"
        ? s.exclusiveMinimum + 1
        : -1_000_000;
  let max =
    typeof s.maximum === "number"
      ? s.maximum
      : typeof s.exclusiveMaximum === "number"
        ? s.exclusiveMaximum - 1
        : 1_000_000;
  const cap = waitCap(field);
  if (cap !== undefined) max = Math.max(min, Math.min(max, cap));
  if (min > max) min = max;
  const edges = [min, max, Math.trunc((min + max) / 2)].filter((v) => Number.isFinite(v));
  if (integer) {
    const lo = Math.max(min, -2_147_483_648);
    const hi = Math.min(max, 2_147_483_647);
    return fc.oneof(
      fc.integer({ min: Math.ceil(lo), max: Math.floor(Math.max(lo, hi)) }),
      fc.constantFrom(...edges.map(Math.trunc)),
    );
  }
  return fc.oneof(fc.double({ min, max, noNaN: true, noDefaultInfinity: true }), fc.constantFrom(...edges));
}

function stringArb(s: Schema): fc.Arbitrary<string> {
  if (typeof s.pattern === "string") {
    try {
      return fc.stringMatching(new RegExp(s.pattern)).filter((v) => v.length <= (s.maxLength ?? 10_000));
    } catch {
      // fall through to a plain string
    }
  }
  const minLength = s.minLength ?? 0;
  const maxLength = Math.max(minLength, Math.min(s.maxLength ?? 40, 40));
  return fc.oneof(
    fc.string({ minLength, maxLength }),
    fc.string({ unit: "grapheme", minLength, maxLength }),
    fc
      .constantFrom(...UNICODE_EDGES)
      .filter((v) => v.length >= minLength && v.length <= (s.maxLength ?? 1e9)),
  );
}

/** Values that satisfy `schema` (as far as generation goes); `field` names it for overrides and caps. */
export function valid(
  schema: Schema,
  overrides: Overrides = {},
  field = "",
  depth = 0,
): fc.Arbitrary<unknown> {
  if (field && overrides[field]) return overrides[field]!;
  if (!schema || typeof schema !== "object" || Object.keys(schema).length === 0 || depth > 4) return json;
  if (Array.isArray(schema.enum)) return fc.constantFrom(...schema.enum);
  if ("const" in schema) return fc.constant(schema.const);
  const alts = schema.anyOf ?? schema.oneOf;
  if (Array.isArray(alts)) return fc.oneof(...alts.map((a: Schema) => valid(a, overrides, field, depth + 1)));
  const types = typesOf(schema);
  if (types.length > 1)
    return fc.oneof(...types.map((t) => valid({ ...schema, type: t }, overrides, field, depth)));
  switch (types[0]) {
    case "string":
      return stringArb(schema);
    case "integer":
      return numberArb(schema, true, field);
    case "number":
      return numberArb(schema, false, field);
    case "boolean":
      return fc.boolean();
    case "null":
      return fc.constant(null);
    case "array": {
      const minLength = schema.minItems ?? 0;
      const maxLength = Math.max(minLength, Math.min(schema.maxItems ?? 4, 4));
      return fc.array(valid(schema.items ?? {}, overrides, `${field}[]`, depth + 1), {
        minLength,
        maxLength,
      });
    }
    case "object":
    case undefined: {
      const props: Record<string, Schema> = schema.properties ?? {};
      if (Object.keys(props).length === 0) {
        return schema.additionalProperties === false
          ? fc.constant({})
          : fc.dictionary(fc.string({ maxLength: 8 }), json, { maxKeys: 3 });
      }
      const model: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [k, v] of Object.entries(props)) model[k] = valid(v, overrides, k, depth + 1);
      return fc.record(model, { requiredKeys: (schema.required ?? []).filter((k: string) => k in props) });
    }
    default:
      return json;
  }
}

function deep(depth: number): unknown {
  let v: unknown = "bottom";
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { d: v };
  return v;
}

type Mutation =
  | "wrong-type"
  | "missing-required"
  | "extra-field"
  | "huge-string"
  | "deep-nesting"
  | "unicode"
  | "number-limits"
  | "not-an-object";

const WRONG: unknown[] = [42, -1, 0.5, "string", true, false, null, [], [1, "a"], {}, { nested: { x: 1 } }];

/** Off-schema inputs: a valid value with one deliberate violation (or a plain non-object). */
export function offSchema(schema: Schema, overrides: Overrides = {}): fc.Arbitrary<unknown> {
  const props: Record<string, Schema> = schema.properties ?? {};
  const keys = Object.keys(props);
  const required: string[] = schema.required ?? [];
  const numeric = keys.filter(
    (k) =>
      typesOf(props[k]!).some((t) => t === "integer" || t === "number") ||
      (props[k]!.anyOf ?? []).some((a: Schema) => a.type === "integer" || a.type === "number"),
  );
  const mutation = fc.constantFrom<Mutation>(
    "wrong-type",
    "missing-required",
    "extra-field",
    "huge-string",
    "deep-nesting",
    "unicode",
    "number-limits",
    "not-an-object",
  );
  return fc
    .tuple(
      valid(schema, overrides),
      mutation,
      fc.nat(),
      fc.constantFrom(...WRONG),
      fc.constantFrom(...UNICODE_EDGES),
    )
    .map(([base, m, pick, wrong, uni]) => {
      const v: Record<string, unknown> =
        base && typeof base === "object" && !Array.isArray(base) ? { ...(base as object) } : {};
      const key = keys.length ? keys[pick % keys.length]! : "unexpected";
      switch (m) {
        case "wrong-type":
          v[key] = typeof v[key] === typeof wrong ? String(wrong) + 1 : wrong;
          return v;
        case "missing-required":
          if (required.length) delete v[required[pick % required.length]!];
          else v[`extra_${pick % 97}`] = wrong;
          return v;
        case "extra-field":
          v[["__proto__x", "constructor", `extra_${pick % 97}`, "", "\u0000"][pick % 5]!] = wrong;
          return v;
        case "huge-string":
          v[key] = (pick % 2 ? "x" : "\u{1F9EA}é\u0000").repeat(
            Math.ceil(SIZES.hugeStringBytes / (pick % 2 ? 1 : 4)),
          );
          return v;
        case "deep-nesting":
          v[key] = deep(SIZES.nestingDepth);
          return v;
        case "unicode":
          v[key] = uni;
          return v;
        case "number-limits": {
          const k = numeric.length ? numeric[pick % numeric.length]! : key;
          const s = props[k] ?? {};
          const inner = (s.anyOf ?? []).find((a: Schema) => a.type === "integer" || a.type === "number") ?? s;
          const limits = [
            typeof inner.minimum === "number" ? inner.minimum - 1 : -1,
            typeof inner.maximum === "number" ? inner.maximum + 1 : 2 ** 53,
            Number.MAX_SAFE_INTEGER + 2,
            -Number.MAX_SAFE_INTEGER - 2,
            1e308,
            -1e308,
            Number.MIN_VALUE,
            -0,
            0.5,
            2 ** 31,
            -(2 ** 31) - 1,
          ];
          // At the limit only where the limit is not a long wait (a maximum timeout would be a real wait).
          if (waitCap(k) === undefined) {
            if (typeof inner.maximum === "number") limits.push(inner.maximum);
            if (typeof inner.minimum === "number") limits.push(inner.minimum);
          }
          v[k] = limits[pick % limits.length];
          return v;
        }
        default:
          // "not-an-object": the arguments themselves are of the wrong kind.
          return [null, [], "args", 7, [v]][pick % 5];
      }
    });
}

/** Mostly off-schema, some valid: both must get an answer. */
export function inputs(schema: Schema, overrides: Overrides = {}): fc.Arbitrary<unknown> {
  return fc.oneof(
    { arbitrary: valid(schema, overrides), weight: 2 },
    { arbitrary: offSchema(schema, overrides), weight: 3 },
  );
}
