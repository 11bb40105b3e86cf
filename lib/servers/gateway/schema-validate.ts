/**
 * A JSON Schema validator for the subset tool schemas use (draft-07 / 2020-12 keywords: type, enum,
 * const, properties, required, additionalProperties, items/prefixItems, min/max bounds, lengths, pattern,
 * anyOf/oneOf/allOf/not, local $ref). Unknown keywords are ignored, so a schema we cannot read never
 * blocks a call that the downstream would accept. Returns at most `limit` messages with JSON paths.
 */
type Schema = Record<string, unknown> | boolean;

export function validateArgs(schema: unknown, value: unknown, limit = 5): string[] {
  const errors: string[] = [];
  const root = (schema ?? {}) as Schema;
  check(root, value, "$", errors, root, limit, 0);
  return errors.slice(0, limit);
}

function typeOf(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  if (typeof v === "number") return Number.isInteger(v) ? "integer" : "number";
  return typeof v;
}

function matchesType(t: string, v: unknown): boolean {
  const actual = typeOf(v);
  if (t === "number") return actual === "number" || actual === "integer";
  return actual === t;
}

function resolveRef(root: Schema, ref: string): Schema | undefined {
  if (!ref.startsWith("#")) return undefined;
  let node: unknown = root;
  for (const raw of ref.slice(1).split("/").filter(Boolean)) {
    const key = decodeURIComponent(raw).replace(/~1/g, "/").replace(/~0/g, "~");
    if (!node || typeof node !== "object") return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node as Schema | undefined;
}

function deepEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function check(
  schema: Schema,
  v: unknown,
  path: string,
  errors: string[],
  root: Schema,
  limit: number,
  depth: number,
): void {
  if (errors.length >= limit || depth > 64) return;
  if (schema === true) return;
  if (schema === false) {
    errors.push(`${path}: not allowed`);
    return;
  }
  if (!schema || typeof schema !== "object") return;
  const s = schema as Record<string, any>;

  if (typeof s.$ref === "string") {
    const target = resolveRef(root, s.$ref);
    if (target !== undefined) check(target, v, path, errors, root, limit, depth + 1);
  }
  if (s.type !== undefined) {
    const types: string[] = Array.isArray(s.type) ? s.type : [s.type];
    if (!types.some((t) => matchesType(t, v))) {
      errors.push(`${path}: expected ${types.join(" or ")}, got ${typeOf(v)}`);
      return;
    }
  }
  if (Array.isArray(s.enum) && !s.enum.some((e: unknown) => deepEqual(e, v))) {
    errors.push(`${path}: must be one of ${s.enum.map((e: unknown) => JSON.stringify(e)).join(", ")}`);
  }
  if ("const" in s && !deepEqual(s.const, v)) errors.push(`${path}: must equal ${JSON.stringify(s.const)}`);

  if (typeof v === "number") {
    if (typeof s.minimum === "number" && v < s.minimum) errors.push(`${path}: must be >= ${s.minimum}`);
    if (typeof s.maximum === "number" && v > s.maximum) errors.push(`${path}: must be <= ${s.maximum}`);
    if (typeof s.exclusiveMinimum === "number" && v <= s.exclusiveMinimum)
      errors.push(`${path}: must be > ${s.exclusiveMinimum}`);
    if (typeof s.exclusiveMaximum === "number" && v >= s.exclusiveMaximum)
      errors.push(`${path}: must be < ${s.exclusiveMaximum}`);
    if (typeof s.multipleOf === "number" && s.multipleOf > 0 && !Number.isInteger(v / s.multipleOf))
      errors.push(`${path}: must be a multiple of ${s.multipleOf}`);
  }
  if (typeof v === "string") {
    const len = [...v].length;
    if (typeof s.minLength === "number" && len < s.minLength)
      errors.push(`${path}: must be at least ${s.minLength} characters`);
    if (typeof s.maxLength === "number" && len > s.maxLength)
      errors.push(`${path}: must be at most ${s.maxLength} characters`);
    if (typeof s.pattern === "string") {
      try {
        if (!new RegExp(s.pattern, "u").test(v)) errors.push(`${path}: must match ${s.pattern}`);
      } catch {
        // A pattern JavaScript cannot compile is left to the downstream.
      }
    }
  }
  if (Array.isArray(v)) {
    if (typeof s.minItems === "number" && v.length < s.minItems)
      errors.push(`${path}: must have at least ${s.minItems} items`);
    if (typeof s.maxItems === "number" && v.length > s.maxItems)
      errors.push(`${path}: must have at most ${s.maxItems} items`);
    const prefix: Schema[] = Array.isArray(s.prefixItems)
      ? s.prefixItems
      : Array.isArray(s.items)
        ? s.items
        : [];
    v.forEach((item, i) => {
      const sub = i < prefix.length ? prefix[i] : Array.isArray(s.items) ? s.additionalItems : s.items;
      if (sub !== undefined) check(sub as Schema, item, `${path}[${i}]`, errors, root, limit, depth + 1);
    });
    if (s.uniqueItems === true && new Set(v.map((x) => JSON.stringify(x))).size !== v.length)
      errors.push(`${path}: items must be unique`);
  }
  if (v && typeof v === "object" && !Array.isArray(v)) {
    const obj = v as Record<string, unknown>;
    const props = (s.properties ?? {}) as Record<string, Schema>;
    if (Array.isArray(s.required)) {
      for (const key of s.required as string[]) {
        if (!(key in obj) || obj[key] === undefined)
          errors.push(`${path}: missing required property "${key}"`);
      }
    }
    for (const [key, val] of Object.entries(obj)) {
      const sub = `${path}.${key}`;
      if (key in props) check(props[key]!, val, sub, errors, root, limit, depth + 1);
      else if (s.additionalProperties === false) errors.push(`${path}: unknown property "${key}"`);
      else if (s.additionalProperties && typeof s.additionalProperties === "object")
        check(s.additionalProperties as Schema, val, sub, errors, root, limit, depth + 1);
    }
  }
  if (Array.isArray(s.allOf)) for (const sub of s.allOf) check(sub, v, path, errors, root, limit, depth + 1);
  if (Array.isArray(s.anyOf) && !s.anyOf.some((sub: Schema) => validateQuiet(sub, v, root, depth))) {
    errors.push(`${path}: does not match any allowed shape`);
  }
  if (Array.isArray(s.oneOf)) {
    const n = s.oneOf.filter((sub: Schema) => validateQuiet(sub, v, root, depth)).length;
    if (n !== 1) errors.push(`${path}: must match exactly one allowed shape (matched ${n})`);
  }
  if (s.not !== undefined && validateQuiet(s.not, v, root, depth))
    errors.push(`${path}: matches a forbidden shape`);
}

function validateQuiet(schema: Schema, v: unknown, root: Schema, depth: number): boolean {
  const errs: string[] = [];
  check(schema, v, "$", errs, root, 1, depth + 1);
  return errs.length === 0;
}
