/**
 * Turning JS values into arrays, and JAX's type promotion for operands.
 * A JS number is a weakly typed scalar; nested JS arrays are strongly typed
 * (float by default, bool when every element is a boolean, the promoted dtype
 * of their elements when they hold Arrays or typed arrays).
 */
import { upload } from "../backends/api.js";
import { Tracer } from "../core/trace.js";
import { ShapedArray, shapeStr } from "../core/aval.js";
import { NdArray, type ArrayLike as ArrayInput } from "../core/array.js";
import {
  allocate,
  defaultFloat,
  isDType,
  isFloat,
  resultType,
  type DType,
  type TypedArray,
  type TypeKey,
} from "../core/dtypes.js";
import { ShapeError, ArgumentTypeError, DTypeError } from "../core/errors.js";
import { check, defineOptions, describeValue, is, orNull, type OptArgs } from "../core/options.js";
import { convert } from "./elementwise.js";
import { reshape } from "./structural.js";
import { concatenate } from "./slicing.js";

export { ArgumentTypeError };

/** Every JS typed array that becomes an array, as {@link ArrayInput} plus the narrow integer kinds. */
export type TypedArrayInput =
  | Float32Array
  | Float64Array
  | Int32Array
  | Uint32Array
  | Int8Array
  | Int16Array
  | Uint8Array
  | Uint8ClampedArray
  | Uint16Array;

/** Nested JS arrays whose entries may also be Arrays and typed arrays (stacked, as JAX stacks a list of arrays). */
// A recursive array type needs an interface; it adds no members on purpose.
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface NestedArrayObject extends ReadonlyArray<
  number | boolean | NdArray | TypedArrayInput | NestedArrayObject
> {}

/** What `np.array` / `np.asarray` accept: {@link ArrayInput}, every supported typed array, lists of Arrays. */
export type ArrayObject = ArrayInput | TypedArrayInput | NestedArrayObject;

/** The dtype each supported typed array becomes (JAX has no int8/int16/uint8/uint16 here: they widen to int32). */
const TYPED_KINDS: readonly [new (n: number) => ArrayBufferView, DType][] = [
  [Float32Array, "float32"],
  [Float64Array, "float64"],
  [Int32Array, "int32"],
  [Uint32Array, "uint32"],
  [Int8Array, "int32"],
  [Int16Array, "int32"],
  [Uint8Array, "int32"],
  [Uint8ClampedArray, "int32"],
  [Uint16Array, "int32"],
];
const SUPPORTED_TYPED = TYPED_KINDS.map(([c]) => c.name).join(", ");

/** The dtype of a supported typed array, or a typed error naming the supported kinds. */
function typedDType(t: ArrayBufferView, op: string): DType {
  for (const [ctor, d] of TYPED_KINDS) if (t instanceof ctor) return d;
  const name = t.constructor?.name ?? "ArrayBufferView";
  const hint = /^Big/.test(name)
    ? " 64-bit integers have no dtype here: convert first, e.g. Int32Array.from(x, Number) or Float64Array.from(x, Number)."
    : name === "DataView"
      ? " Read the values into a typed array first, e.g. new Float32Array(view.buffer)."
      : "";
  throw new ArgumentTypeError(
    `[${op}] cannot make an array from a ${name}: expected one of ${SUPPORTED_TYPED}.${hint}`,
  );
}

const isTypedView = (v: unknown): v is ArrayBufferView => ArrayBuffer.isView(v);

/** A short description of a JS value for messages (never `undefined undefined`, never a function's source). */
export function describe(v: unknown): string {
  if (v === null) return "null";
  if (v === undefined) return "undefined";
  if (typeof v === "function") return `function ${v.name || "(anonymous)"}`;
  if (typeof v === "bigint") return `bigint ${v}n`;
  if (typeof v === "symbol") return v.toString();
  if (typeof v === "object") return (v as object).constructor?.name ?? "object";
  return `${typeof v} ${String(v)}`;
}

// --- nested JS arrays ---------------------------------------------------------------------------

/** What a walk over a nested JS array found. */
interface Nested {
  shape: number[];
  /** Values in row-major order (bools as 0/1); null when some element is an Array (then `stack` builds it). */
  values: Float64Array | null;
  /** Strong element types met: booleans, typed arrays, Arrays. */
  strong: TypeKey[];
  anyNumber: boolean;
  /** Some JS number is not a whole number (NaN and ±Infinity count as not whole). */
  anyFraction: boolean;
}

const where = (path: number[]): string => (path.length ? ` at ${path.map((i) => `[${i}]`).join("")}` : "");

/** The shape a nested value implies, read down its first elements; checked in full by `fill`. */
function leadingShape(x: unknown): number[] {
  const shape: number[] = [];
  let cur: unknown = x;
  for (;;) {
    if (Array.isArray(cur)) {
      shape.push(cur.length);
      if (cur.length === 0) return shape;
      cur = cur[0];
    } else if (isTypedView(cur) && !(cur instanceof DataView)) {
      shape.push((cur as unknown as ArrayLike<number>).length);
      return shape;
    } else if (cur instanceof NdArray) {
      return [...shape, ...cur.aval.shape];
    } else return shape;
  }
}

function walkNested(x: readonly unknown[], op: string): Nested {
  const shape = leadingShape(x);
  let size = 1;
  for (const d of shape) size *= d;
  const out: Nested = { shape, values: null, strong: [], anyNumber: false, anyFraction: false };
  const values = new Float64Array(size);
  let pos = 0;
  let hasArrays = false;
  // The index of the entry being visited at each depth, read only to name a bad entry's place.
  const idx: number[] = [];
  const ragged = (dim: number, got: string): ShapeError =>
    new ShapeError(
      `[${op}] nested JS arrays must be rectangular, not ragged: got ${got}${where(idx.slice(0, dim))}, expected ` +
        `${dim < shape.length ? `a row of length ${shape[dim]}` : "a number"} there (the first elements give shape ` +
        `${shapeStr(shape)}). Every entry at one depth must have the same shape.`,
    );
  const badElement = (v: unknown, dim: number): ArgumentTypeError =>
    new ArgumentTypeError(
      `[${op}] array elements must be numbers or booleans (or Arrays): got ${describeValue(v)}${where(idx.slice(0, dim))}, expected a number.` +
        hint(v),
    );
  const visit = (v: unknown, dim: number): void => {
    if (v instanceof NdArray) {
      const rest = shape.slice(dim);
      if (v.aval.shape.length !== rest.length || v.aval.shape.some((d, i) => d !== rest[i])) {
        throw ragged(dim, `an Array of shape ${shapeStr(v.aval.shape)}`);
      }
      out.strong.push({ dtype: v.dtype, weak: v.weakType });
      hasArrays = true;
      pos += v.size;
      return;
    }
    if (dim === shape.length) {
      if (typeof v === "number") {
        out.anyNumber = true;
        if (!Number.isInteger(v)) out.anyFraction = true;
        values[pos++] = v;
      } else if (typeof v === "boolean") {
        if (out.strong.length === 0 || out.strong[out.strong.length - 1].dtype !== "bool")
          out.strong.push({ dtype: "bool", weak: false });
        values[pos++] = v ? 1 : 0;
      } else if (Array.isArray(v) || (isTypedView(v) && !(v instanceof DataView))) {
        throw ragged(dim, `a row of length ${(v as unknown[]).length}`);
      } else throw badElement(v, dim);
      return;
    }
    if (Array.isArray(v)) {
      if (v.length !== shape[dim]) throw ragged(dim, `a row of length ${v.length}`);
      for (let i = 0; i < v.length; i++) {
        idx[dim] = i;
        visit(v[i], dim + 1);
      }
      return;
    }
    if (isTypedView(v) && !(v instanceof DataView) && dim === shape.length - 1) {
      const t = v as unknown as ArrayLike<number>;
      if (t.length !== shape[dim]) throw ragged(dim, `a row of length ${t.length}`);
      const d = typedDType(v, op);
      out.strong.push({ dtype: d, weak: false });
      for (let i = 0; i < t.length; i++) values[pos++] = t[i];
      return;
    }
    if (isTypedView(v)) typedDType(v, op);
    if (typeof v === "number" || typeof v === "boolean") throw ragged(dim, describeValue(v));
    if (isTypedView(v)) throw ragged(dim, `a row of length ${(v as unknown as unknown[]).length}`);
    throw badElement(v, dim);
  };
  visit(x, 0);
  if (!hasArrays) out.values = values;
  return out;
}

function hint(v: unknown): string {
  if (typeof v === "bigint") return ` Convert it with Number(${v}n).`;
  if (typeof v === "string" && v.trim() !== "" && !Number.isNaN(Number(v)))
    return ` Convert it with Number(${JSON.stringify(v)}).`;
  if (v === null) return " (null is not a value: JAX's None is not a valid element either.)";
  return "";
}

/**
 * The dtype of a nested JS array, as JAX's `lattice_result_type` over its elements:
 * JS numbers are weak floats, except that whole numbers meeting only integer and bool
 * Arrays or typed arrays are weak ints (as in {@link promoteOperands}); an empty list is the default float.
 */
function nestedDType(n: Nested): DType {
  const keys = [...n.strong];
  if (n.anyNumber) {
    const intContext =
      !n.anyFraction &&
      keys.some((k) => k.dtype === "int32" || k.dtype === "uint32") &&
      keys.every((k) => !isFloat(k.dtype));
    keys.push(intContext ? { dtype: "int32", weak: true } : { dtype: defaultFloat(), weak: true });
  }
  if (keys.length === 0) return defaultFloat();
  return resultType(keys).dtype;
}

const INT_RANGE: Partial<Record<DType, [number, number]>> = {
  int32: [-2147483648, 2147483647],
  uint32: [0, 4294967295],
};

/**
 * JS numbers stored as `dtype`: floats round, bools are `x != 0` (NaN is true, as in NumPy),
 * integers truncate toward zero; NaN, ±Infinity and values outside the integer range are a
 * DTypeError (NumPy refuses them too) rather than a silently wrapped value.
 */
function storeNumbers(values: ArrayLike<number>, dtype: DType, op: string): TypedArray {
  const data = allocate(dtype, values.length);
  const range = INT_RANGE[dtype];
  if (dtype === "bool") for (let i = 0; i < values.length; i++) data[i] = values[i] !== 0 ? 1 : 0;
  else if (range) {
    for (let i = 0; i < values.length; i++) {
      const v = Math.trunc(values[i]);
      if (!(v >= range[0] && v <= range[1])) {
        throw new DTypeError(
          `[${op}] cannot convert ${values[i]} to ${dtype}: expected a finite number in [${range[0]}, ${range[1]}]. ` +
            `Use a float dtype, or clip the values first.`,
        );
      }
      data[i] = v;
    }
  } else if (values instanceof Float64Array || values instanceof Float32Array) data.set(values);
  else for (let i = 0; i < values.length; i++) data[i] = values[i];
  return data;
}

/** A nested JS array that holds Arrays: each row made an array, given a leading axis, and concatenated. */
function stack(v: unknown, dtype: DType, op: string): NdArray {
  if (v instanceof NdArray) return v.dtype === dtype && !v.weakType ? v : convert(v, dtype);
  if (!Array.isArray(v)) return toArray(v, dtype, op);
  if (v.length === 0) return fromValues([], [0], dtype);
  const rows = v.map((r) => {
    const a = stack(r, dtype, op);
    return reshape(a, [1, ...a.aval.shape]);
  });
  return concatenate(rows, 0);
}

// --- the conversion -----------------------------------------------------------------------------

/** Any supported value as an array; `dtype` converts (JS numbers checked as {@link storeNumbers} says). */
function toArray(x: unknown, dtype: DType | undefined, op: string): NdArray {
  if (x instanceof NdArray) return dtype === undefined || x.dtype === dtype ? x : convert(x, dtype);
  if (typeof x === "number") {
    if (dtype === undefined) return weakScalar(x, false);
    return upload(new ShapedArray([], dtype), storeNumbers([x], dtype, op));
  }
  if (typeof x === "boolean") {
    const out = fromValues([x ? 1 : 0], [], "bool");
    return dtype === undefined || dtype === "bool" ? out : convert(out, dtype);
  }
  if (Array.isArray(x)) {
    const n = walkNested(x, op);
    const d = dtype ?? nestedDType(n);
    if (n.values === null) return stack(x, d, op);
    return upload(new ShapedArray(n.shape, d), storeNumbers(n.values, d, op));
  }
  if (isTypedView(x)) {
    const out = fromTyped(x, op);
    return dtype === undefined || out.dtype === dtype ? out : convert(out, dtype);
  }
  throw new ArgumentTypeError(
    `[${op}] cannot make an array from ${describeValue(x)}: expected an Array, a number, a boolean, a typed array ` +
      `or nested JS arrays of numbers.${objectHint(x)}`,
  );
}

function objectHint(x: unknown): string {
  if (typeof x === "string" && x.trim() !== "" && !Number.isNaN(Number(x)))
    return ` Convert it with Number(${JSON.stringify(x)}).`;
  if (typeof x === "bigint") return ` Convert it with Number(${x}n).`;
  if (x instanceof ArrayBuffer) return " Wrap the buffer in a typed array first, e.g. new Float32Array(buffer).";
  if (typeof x === "object" && x !== null && typeof (x as Iterable<unknown>)[Symbol.iterator] === "function")
    return " Make a JS array of it first, e.g. Array.from(x).";
  return "";
}

function fromTyped(t: ArrayBufferView, op: string): NdArray {
  const d = typedDType(t, op);
  const src = t as unknown as ArrayLike<number>;
  const data = allocate(d, src.length);
  data.set(src);
  return upload(new ShapedArray([src.length], d), data);
}

// --- np.asarray -------------------------------------------------------------------------------

/** JAX's `order`: only "K" (or null) is implemented, by JAX and here. */
export const orderCheck = check<"K">('"K" or null (JAX implements only order="K")', (v) => v === "K" || v === null);

/** Options of `np.asarray` (JAX: dtype, order; copy is keyword-only). */
export interface AsarrayOptions {
  /** The dtype of the result; null or absent: inferred from the input. */
  dtype?: DType | null;
  /** JAX's memory order: only "K" (or null). */
  order?: "K" | null;
  /**
   * true: always a new array; false or null: the input itself when it already is an array of that dtype.
   * (Arrays are immutable, so this only matters for identity and `dispose()`.)
   */
  copy?: boolean | null;
}
/** `np.asarray`'s optional parameters: positional (dtype, order) or a trailing {@link AsarrayOptions}. */
export type AsarrayArgs = OptArgs<[DType | null, ("K" | null)?], AsarrayOptions>;

const asarrayOptions = defineOptions("asarray", { dtype: orNull(is.dtype), order: orderCheck, copy: orNull(is.bool) }, [
  "dtype",
  "order",
]);

/** A new NdArray object with its own copy of the values (tracers are returned as they are). */
export function copyArray(a: NdArray): NdArray {
  if (a instanceof Tracer) return a;
  return upload(a.aval, a.dataSync());
}

/**
 * `jnp.asarray(a, dtype=None, order=None, *, copy=None)`: an array for anything array-like.
 * A JS number stays weakly typed; `dtype` converts.
 *
 * @example
 * np.asarray([1, 2, 3], "int32");        // int32[3]
 * np.asarray(x, { dtype: "float32" });
 */
export function asarray(a: ArrayObject, ...args: AsarrayArgs): NdArray {
  const o = asarrayOptions.parse(args);
  const out = toArray(a, o.dtype ?? undefined, "asarray");
  return o.copy === true && out === a ? copyArray(out) : out;
}

/**
 * `jnp.asarray`, camelCased (the same function as {@link asarray}).
 *
 * @example
 * np.asArray([[1, 2], [3, 4]], { dtype: "int32" });
 */
export function asArray(a: ArrayObject, ...args: AsarrayArgs): NdArray;
/** @internal The library's own conversion: `op` names the public function in messages. */
export function asArray(x: ArrayInput | unknown, dtype?: DType, op?: string): NdArray;
export function asArray(x: unknown, ...args: unknown[]): NdArray {
  const [dtype, op] = args;
  // The library's calls are (x), (x, dtype) and (x, undefined, op); anything else is a user's call.
  const internal =
    args.length <= 2 &&
    (dtype === undefined || isDType(dtype)) &&
    (op === undefined || (typeof op === "string" && op !== "K"));
  if (!internal) return asarray(x as ArrayObject, ...(args as AsarrayArgs));
  return toArray(x, dtype as DType | undefined, (op as string | undefined) ?? "asarray");
}

// --- values and promotion -----------------------------------------------------------------------

export function fromValues(values: ArrayLike<number>, shape: readonly number[], dtype: DType, weak = false): NdArray {
  const data = allocate(dtype, values.length);
  // Bools are stored as 0/1 (any non-zero number, NaN included, is true, as in NumPy).
  if (dtype === "bool") for (let i = 0; i < values.length; i++) data[i] = values[i] !== 0 ? 1 : 0;
  else for (let i = 0; i < values.length; i++) data[i] = values[i];
  return upload(new ShapedArray(shape, dtype, weak), data);
}

/** A JS number as a weak scalar: an int32 one when `asInt` and the number is whole. */
export function weakScalar(v: number, asInt: boolean): NdArray {
  const dtype: DType = asInt && Number.isInteger(v) ? "int32" : defaultFloat();
  return fromValues([v], [], dtype, true);
}

/**
 * Operands of an elementwise function, promoted to a common dtype as JAX does.
 * A JS whole number meeting only integer/bool arrays is a weak int (so
 * `idx.add(1)` stays integer); otherwise a JS number is a weak float.
 */
export function promoteOperands(op: string, xs: (ArrayInput | unknown)[]): NdArray[] {
  const arrays = xs
    .filter((x): x is NdArray => x instanceof NdArray || (Array.isArray(x) && true))
    .map((x) => asArray(x, undefined, op));
  const intContext = arrays.length > 0 && arrays.every((a) => !isFloat(a.dtype));
  const operands = xs.map((x) => (typeof x === "number" ? weakScalar(x, intContext) : asArray(x, undefined, op)));
  const target = resultType(operands.map((a): TypeKey => ({ dtype: a.dtype, weak: a.weakType })));
  // A weak operand of the right dtype stays as it is: the primitive's output is weak only if all inputs are.
  // A JS number meeting a float64 array is made in float64 directly, so it is not rounded to float32 first.
  return operands.map((a, i) => {
    if (a.dtype === target.dtype) return a;
    const x = xs[i];
    return typeof x === "number" && isFloat(target.dtype)
      ? fromValues([x], [], target.dtype, target.weak)
      : convert(a, target.dtype, target.weak);
  });
}

/** Operands promoted, then to a float dtype (for sin, divide, ...): ints become the default float. */
export function promoteToFloat(op: string, xs: (ArrayInput | unknown)[]): NdArray[] {
  const promoted = promoteOperands(op, xs);
  const d = promoted[0].dtype;
  if (isFloat(d)) return promoted;
  return promoted.map((a) => convert(a, defaultFloat(), a.weakType));
}
