/**
 * JAX's calling convention in TypeScript, in one place: required parameters are
 * positional; optional ones are positional in JAX's order or, camelCased, in a
 * trailing plain object. Every exported function declares its optional
 * parameters once with {@link defineOptions}; the parser checks the keys and the
 * values, so a misspelt key or a wrong type is an {@link OptionError} naming the
 * parameter, what was given and what is allowed, never a silently ignored option.
 */
import { DTYPES, isDType, type DType } from "./dtypes.js";
import { NdArray, type ArrayLike } from "./array.js";
import { ArgumentTypeError } from "./errors.js";

/**
 * An option that is unknown, given twice, or of the wrong type; the message names the valid
 * ones. JAX raises `TypeError` for an unknown keyword (No JAX twin class).
 *
 * @example
 * np.sum(np.ones([2]), { axes: 0 } as never); // throws OptionError: [sum] unknown option "axes": expected one of axis, dtype, ...
 */
export class OptionError extends ArgumentTypeError {}

/** A value check: `test` says whether a value is allowed; `expected` says in words what is. */
export interface Check<T> {
  readonly expected: string;
  test(v: unknown): boolean;
  /** Phantom field carrying the checked type. */
  readonly __type?: T;
}

/** The type a check accepts. */
export type Checked<C> = C extends Check<infer T> ? T : never;

/** A check from a description and a predicate. */
export function check<T>(expected: string, test: (v: unknown) => boolean): Check<T> {
  return { expected, test };
}

const isInt = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v);

/** The checks shared by every library; a library adds its own with {@link check}. */
export const is = {
  any: check<unknown>("any value", () => true),
  bool: check<boolean>("a boolean", (v) => typeof v === "boolean"),
  /** A finite or infinite number, not NaN. */
  number: check<number>("a number", (v) => typeof v === "number" && !Number.isNaN(v)),
  /** Any JS number, NaN included (fill values, bounds that may be ±inf or NaN). */
  numberOrNaN: check<number>("a number", (v) => typeof v === "number"),
  int: check<number>("an integer", isInt),
  nonNegativeInt: check<number>("a non-negative integer", (v) => isInt(v) && v >= 0),
  positiveInt: check<number>("a positive integer", (v) => isInt(v) && v > 0),
  string: check<string>("a string", (v) => typeof v === "string"),
  func: check<(...args: never[]) => unknown>("a function", (v) => typeof v === "function"),
  dtype: check<DType>(`a dtype (${DTYPES.map((d) => JSON.stringify(d)).join(", ")})`, isDType),
  /** One axis. */
  axis: check<number>("an integer axis", isInt),
  /** One axis or a list of them. */
  axes: check<number | readonly number[]>(
    "an integer axis or an array of integer axes",
    (v) => isInt(v) || (Array.isArray(v) && v.every(isInt)),
  ),
  /** A shape: a non-negative integer or an array of them. */
  shape: check<number | readonly number[]>(
    "a shape (a non-negative integer or an array of non-negative integers)",
    (v) => (isInt(v) && v >= 0) || (Array.isArray(v) && v.every((d) => isInt(d) && d >= 0)),
  ),
  /** An array or anything that becomes one (a number, a boolean, nested JS arrays, a typed array). */
  arrayLike: check<ArrayLike>(
    "an Array, a number, a boolean or nested JS arrays of numbers",
    (v) =>
      v instanceof NdArray ||
      typeof v === "number" ||
      typeof v === "boolean" ||
      Array.isArray(v) ||
      (ArrayBuffer.isView(v) && !(v instanceof DataView)),
  ),
  /** JAX's `out=`: only `None` is accepted there, so only null here. */
  none: check<null>("null (cotangent, like JAX, has no out= arrays)", (v) => v === null),
};

/** The check that also accepts null (JAX's `None`, meaning "the default" or "no axis"). */
export function orNull<T>(c: Check<T>): Check<T | null> {
  return check(`${c.expected} or null`, (v) => v === null || c.test(v));
}

/** One of the given literal values. */
export function oneOf<const T extends readonly (string | number | boolean)[]>(...values: T): Check<T[number]> {
  return check(`one of ${values.map((v) => JSON.stringify(v)).join(", ")}`, (v) => values.includes(v as T[number]));
}

/** Either of two checks. */
export function either<A, B>(a: Check<A>, b: Check<B>): Check<A | B> {
  return check(`${a.expected} or ${b.expected}`, (v) => a.test(v) || b.test(v));
}

/** The parsed options: each declared key is present only when given (and not undefined). */
export type OptionValues<S extends Record<string, Check<unknown>>> = { [K in keyof S]?: Checked<S[K]> };

/**
 * The optional arguments of a function in both forms. `P` is the tuple of
 * optional parameters in JAX's order, `O` the options object: any prefix of
 * `P`, optionally followed by an object holding the rest.
 */
export type OptArgs<P extends readonly unknown[], O> = Prefix<Required<P>> | [...Prefix<Required<P>>, O];
type Prefix<T extends readonly unknown[]> = T extends readonly [infer H, ...infer R]
  ? [] | [H | undefined, ...Prefix<R>]
  : [];

/** A plain object (`{...}` or `Object.create(null)`), the only thing taken as an options object. */
export function isPlainObject(x: unknown): x is Record<string, unknown> {
  if (typeof x !== "object" || x === null || Array.isArray(x)) return false;
  const proto = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
}

/** What a declaration says, kept for the table-driven tests over every export. */
export interface OptionSpec {
  readonly op: string;
  readonly positional: readonly string[];
  readonly keys: readonly string[];
  readonly checks: Readonly<Record<string, Check<unknown>>>;
}

/** Every declaration made so far, by operation name. */
export const optionRegistry = new Map<string, OptionSpec>();

export interface DefineOptionsConfig {
  /**
   * The last positional argument may itself be a plain object that is data (a pytree):
   * such a trailing object is taken as options only when all of its keys are options.
   */
  trailingMayBeData?: boolean;
}

/** A parser for one function's optional parameters. */
export interface OptionParser<S extends Record<string, Check<unknown>>> {
  readonly spec: OptionSpec;
  /** Merges positional optional arguments with a trailing options object, checking both. */
  parse(args: readonly unknown[]): OptionValues<S>;
  /** Checks an options object alone (for keyword-only functions). */
  parseObject(o: unknown): OptionValues<S>;
}

/**
 * Declares a function's optional parameters. `positional` lists those JAX
 * lets be positional, in JAX's order; the others are keyword-only.
 *
 * @example
 * const sumOptions = defineOptions("sum", { axis: orNull(is.axes), keepdims: is.bool }, ["axis", "keepdims"]);
 * sumOptions.parse([1, { keepdims: true }]); // { axis: 1, keepdims: true }
 */
export function defineOptions<S extends Record<string, Check<unknown>>>(
  op: string,
  checks: S,
  positional: readonly (keyof S & string)[],
  config: DefineOptionsConfig = {},
): OptionParser<S> {
  const keys = Object.keys(checks);
  const spec: OptionSpec = { op, positional, keys, checks };
  optionRegistry.set(op, spec);
  const parseObject = (o: unknown): OptionValues<S> => {
    if (o === undefined) return {};
    if (!isPlainObject(o)) {
      throw new OptionError(
        `[${op}] options must be a plain object: got ${describeValue(o)}, expected { ${keys.join(", ")} }.`,
      );
    }
    const out: Record<string, unknown> = {};
    takeObject(spec, o, out);
    return out as OptionValues<S>;
  };
  const parse = (given: readonly unknown[]): OptionValues<S> => {
    const out: Record<string, unknown> = {};
    // Trailing undefineds are absent arguments (`f(x, undefined)`, or a method forwarding its parameters).
    let end = given.length;
    while (end > 0 && given[end - 1] === undefined) end--;
    const args = end === given.length ? given : given.slice(0, end);
    let positionalArgs = args;
    const last = args[args.length - 1];
    if (isPlainObject(last) && (!config.trailingMayBeData || Object.keys(last).every((k) => keys.includes(k)))) {
      positionalArgs = args.slice(0, -1);
    }
    if (positionalArgs.length > positional.length) {
      throw new OptionError(
        `[${op}] too many arguments: got ${positionalArgs.length} optional positional argument(s), expected at most ` +
          `${positional.length}${positional.length ? ` (${positional.join(", ")})` : ""}. ` +
          (keys.length ? `Pass options in a trailing object: { ${keys.join(", ")} }.` : `${op} takes no options.`),
      );
    }
    positionalArgs.forEach((v, i) => {
      if (v !== undefined) out[positional[i]] = checkValue(spec, positional[i], v);
    });
    if (positionalArgs !== args) takeObject(spec, last as Record<string, unknown>, out);
    return out as OptionValues<S>;
  };
  return { spec, parse, parseObject };
}

/**
 * For a function without optional parameters: any argument past the required
 * ones is an error (JS would drop it silently). `rest` is what a `...rest`
 * parameter collected; trailing undefineds are allowed.
 *
 * @example
 * export function ravel(x: ArrayLike, ...rest: []): NdArray { noExtraArgs("ravel", rest); ... }
 */
export function noExtraArgs(op: string, rest: readonly unknown[]): void {
  const extra = rest.filter((v) => v !== undefined);
  if (extra.length === 0) return;
  const first = extra[0];
  if (isPlainObject(first) && Object.keys(first).length > 0) {
    throw new OptionError(`[${op}] unknown option "${Object.keys(first)[0]}": ${op} takes no options.`);
  }
  throw new OptionError(
    `[${op}] too many arguments: got ${extra.length} more than ${op} takes (the first is ${describeValue(first)}). ` +
      `${op} takes no optional arguments.`,
  );
}

function takeObject(spec: OptionSpec, o: Record<string, unknown>, out: Record<string, unknown>): void {
  for (const key of Object.keys(o)) {
    if (!Object.hasOwn(spec.checks, key)) throw unknownOption(spec, key);
    if (o[key] === undefined) continue;
    if (Object.hasOwn(out, key)) {
      throw new OptionError(
        `[${spec.op}] option "${key}" given twice: once positionally and once in the options object. Give it once.`,
      );
    }
    out[key] = checkValue(spec, key, o[key]);
  }
}

function checkValue(spec: OptionSpec, key: string, v: unknown): unknown {
  const c = spec.checks[key];
  if (!c.test(v)) {
    throw new OptionError(`[${spec.op}] option "${key}" must be ${c.expected}: got ${describeValue(v)}.`);
  }
  return v;
}

function unknownOption(spec: OptionSpec, key: string): OptionError {
  const close = spec.keys.find((k) => k.toLowerCase() === key.toLowerCase() || snakeToCamel(key) === k);
  const hint = close ? ` Did you mean "${close}"?` : "";
  const valid = spec.keys.length ? `expected one of ${spec.keys.join(", ")}` : `${spec.op} takes no options`;
  return new OptionError(`[${spec.op}] unknown option "${key}": ${valid}.${hint}`);
}

const snakeToCamel = (s: string): string => s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/** A short description of any JS value for error messages: `string "a"`, `object {"m":3}`, `Map`. */
export function describeValue(v: unknown): string {
  if (v === null) return "null";
  if (v === undefined) return "undefined";
  if (typeof v === "string") return `string ${JSON.stringify(v)}`;
  if (typeof v === "bigint") return `bigint ${v}n`;
  if (typeof v === "function") return `function ${v.name || "(anonymous)"}`;
  if (typeof v !== "object") return `${typeof v} ${String(v)}`;
  if (Array.isArray(v)) return `array ${safeJson(v)}`;
  if (isPlainObject(v)) return `object ${safeJson(v)}`;
  const shaped = v as { constructor?: { name?: string }; aval?: { str?: () => string } };
  if (typeof shaped.aval?.str === "function") return `Array ${shaped.aval.str()}`;
  return shaped.constructor?.name ?? "object";
}

function safeJson(v: unknown): string {
  try {
    const s = JSON.stringify(v, (_k, x: unknown) =>
      typeof x === "bigint" ? `${x}n` : typeof x === "number" && !Number.isFinite(x) ? String(x) : x,
    );
    return s.length > 80 ? `${s.slice(0, 77)}...` : s;
  } catch {
    return "(unprintable)";
  }
}

/** Re-exported for the libraries' convenience. */
export type { DType };
