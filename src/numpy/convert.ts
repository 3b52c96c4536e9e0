/**
 * Turning JS values into arrays, and JAX's type promotion for operands.
 * A JS number is a weakly typed scalar; nested JS arrays are strongly typed
 * (float by default, bool when every element is a boolean).
 */
import { ShapedArray, shapeStr } from "../core/aval.js";
import { NdArray, type ArrayLike as ArrayInput } from "../core/array.js";
import { allocate, defaultFloat, isFloat, resultType, type DType, type TypeKey } from "../core/dtypes.js";
import { ShapeError, ArgumentTypeError } from "../core/errors.js";
import { convert } from "../primitives/elementwise.js";

export { ArgumentTypeError };

function nestedShape(x: unknown, op: string): number[] {
  const shape: number[] = [];
  let cur: unknown = x;
  while (Array.isArray(cur)) {
    shape.push(cur.length);
    cur = cur[0];
  }
  const check = (v: unknown, dim: number): void => {
    if (dim === shape.length) {
      if (Array.isArray(v)) {
        throw new ShapeError(
          `[${op}] nested JS arrays must be rectangular: got a ragged array (a row of length ${v.length} where a number was expected), ` +
            `expected every entry at one depth to be a number or every entry to be an array, shape ${shapeStr(shape)}.`,
        );
      }
      if (typeof v !== "number" && typeof v !== "boolean") {
        throw new ArgumentTypeError(
          `[${op}] array elements must be numbers or booleans: got ${describe(v)}, expected a number.`,
        );
      }
      return;
    }
    if (!Array.isArray(v) || v.length !== shape[dim]) {
      throw new ShapeError(
        `[${op}] nested JS arrays must be rectangular: got a ragged array (a row of length ${Array.isArray(v) ? v.length : "none"} ` +
          `where ${shape[dim]} was expected), expected every row at one depth to have the same length, shape ${shapeStr(shape)}.`,
      );
    }
    for (const c of v) check(c, dim + 1);
  };
  check(x, 0);
  return shape;
}

export function describe(v: unknown): string {
  if (v === null) return "null";
  if (typeof v === "object") return (v as object).constructor?.name ?? "object";
  return `${typeof v} ${String(v)}`;
}

/** `jnp.asarray`: an array for any array-like; `dtype` converts. */
export function asArray(x: ArrayInput | unknown, dtype?: DType, op = "asarray"): NdArray {
  let out: NdArray;
  if (x instanceof NdArray) out = x;
  // A JS number given a float dtype is stored in it directly (not rounded through float32 first).
  else if (typeof x === "number")
    out = dtype !== undefined && isFloat(dtype) ? fromValues([x], [], dtype) : weakScalar(x, false);
  else if (typeof x === "boolean") out = fromValues([x ? 1 : 0], [], "bool");
  else if (Array.isArray(x)) {
    const shape = nestedShape(x, op);
    const flat = (x as unknown[]).flat(Infinity) as (number | boolean)[];
    const allBool = flat.length > 0 && flat.every((v) => typeof v === "boolean");
    out = fromValues(flat.map(Number), shape, dtype ?? (allBool ? "bool" : defaultFloat()));
  } else if (ArrayBuffer.isView(x) && !(x instanceof DataView)) {
    out = fromTyped(x);
  } else {
    throw new ArgumentTypeError(
      `[${op}] cannot make an array from ${describe(x)}: expected an Array, a number, a boolean or nested JS arrays of numbers.`,
    );
  }
  return dtype === undefined || out.dtype === dtype ? out : convert(out, dtype);
}

function fromTyped(t: unknown): NdArray {
  const d: DType =
    t instanceof Float64Array
      ? "float64"
      : t instanceof Int32Array
        ? "int32"
        : t instanceof Uint32Array
          ? "uint32"
          : t instanceof Uint8Array
            ? "bool"
            : "float32";
  const src = t as ArrayLike<number>;
  return fromValues(Array.from(src), [src.length], d);
}

export function fromValues(values: ArrayLike<number>, shape: readonly number[], dtype: DType, weak = false): NdArray {
  const data = allocate(dtype, values.length);
  // Bools are stored as 0/1 (any non-zero number, NaN included, is true, as in NumPy).
  if (dtype === "bool") for (let i = 0; i < values.length; i++) data[i] = values[i] !== 0 ? 1 : 0;
  else for (let i = 0; i < values.length; i++) data[i] = values[i];
  return new NdArray(new ShapedArray(shape, dtype, weak), data);
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
