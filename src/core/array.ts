/**
 * `Array`: an n-dimensional array. Concrete arrays hold a row-major typed array;
 * tracers (subclasses) stand for arrays inside transformations and hold none.
 * Storage is ordinary garbage-collected memory: nothing needs disposing.
 */
import { ShapedArray, type Shape } from "./aval.js";
import type { DType, TypedArray } from "./dtypes.js";
import { ConcretizationError } from "./errors.js";
import { formatArray } from "./format.js";
import type * as Methods from "../numpy/methods.js";

/**
 * The numpy functions behind the methods. They are installed by the numpy
 * layer when it loads (a static import here would be circular).
 */
let ops: typeof Methods;

/** @internal */
export function installArrayMethods(methods: typeof Methods): void {
  ops = methods;
}

/** What the library accepts wherever an array is expected. */
export type ArrayLike =
  NdArray | number | boolean | NestedNumbers | Float32Array | Float64Array | Int32Array | Uint32Array | Uint8Array;
// A recursive array type needs an interface; it adds no members on purpose.
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface NestedNumbers extends ReadonlyArray<number | boolean | NestedNumbers> {}

/** An index for `get` / `at`: a number, `null` (new axis), `"..."`, a slice, or an integer array. */
export type Index = number | null | "..." | Slice | NdArray | NestedNumbers;

/** `np.slice(start, stop, step)`: Python's `start:stop:step`. */
export class Slice {
  constructor(
    readonly start: number | null = null,
    readonly stop: number | null = null,
    readonly step: number | null = null,
  ) {}
}

export class NdArray {
  /** @internal */ readonly _aval: ShapedArray;
  /** @internal Row-major values; null for tracers. */
  readonly _data: TypedArray | null;

  /** @internal Arrays are made by `np.array` and friends, not with `new`. */
  constructor(aval: ShapedArray, data: TypedArray | null) {
    this._aval = aval;
    this._data = data;
  }

  /** @internal The abstract value: shape, dtype, weak type. */
  get aval(): ShapedArray {
    return this._aval;
  }
  get shape(): number[] {
    return this.aval.shape.slice();
  }
  get dtype(): DType {
    return this.aval.dtype;
  }
  get ndim(): number {
    return this.aval.shape.length;
  }
  get size(): number {
    return this.aval.size;
  }
  /** True for arrays made from JS numbers, which take the dtype of what they meet. */
  get weakType(): boolean {
    return this.aval.weakType;
  }

  /** @internal The concrete array behind this value, or a ConcretizationError naming `op`. */
  concrete(_op: string): NdArray {
    return this;
  }

  /** A typed-array copy of the values, in row-major order. */
  dataSync(): TypedArray {
    const c = this.concrete("dataSync()");
    return c._data!.slice() as TypedArray;
  }

  /** The values, as a Promise (the form that GPU backends need). */
  data(): Promise<TypedArray> {
    return Promise.resolve(this.dataSync());
  }

  /** The value of a one-element array as a JS number (booleans for bool arrays). */
  item(): number | boolean {
    const c = this.concrete("item()");
    if (c.size !== 1) {
      throw new ConcretizationError(
        `[item()] only one-element arrays convert to a JS value: got shape ${c.aval.str()}, expected one element. Index it first, e.g. x.get(0).item().`,
      );
    }
    const v = c._data![0];
    return c.dtype === "bool" ? v !== 0 : v;
  }

  /** Nested JS arrays of the values (numbers, or booleans for bool arrays). */
  tolist(): unknown {
    const c = this.concrete("tolist()");
    const data = c._data!;
    const asValue = (i: number): number | boolean => (c.dtype === "bool" ? data[i] !== 0 : data[i]);
    const shape = c.aval.shape;
    const build = (dim: number, offset: number, stride: number): unknown => {
      if (dim === shape.length) return asValue(offset);
      const inner = stride / shape[dim];
      const out: unknown[] = [];
      for (let i = 0; i < shape[dim]; i++) out.push(build(dim + 1, offset + i * inner, inner));
      return out;
    };
    return build(0, 0, c.size);
  }

  /** JAX's text form, e.g. `Array([1., 2.], dtype=float32)`. */
  toString(): string {
    const c = this.concrete("toString()");
    return formatArray(c.aval, c._data!);
  }

  /** `Number(x)`, `x > 0`, `` `${x}` ``: scalars convert; tracers without a value throw. */
  [Symbol.toPrimitive](hint: string): number | string | boolean {
    const op = hint === "string" ? "`${x}`" : hint === "number" ? "Number(x)" : "x (used as a JS value)";
    const c = this.concrete(op);
    if (hint === "string") return c.toString();
    if (c.size !== 1) {
      throw new ConcretizationError(
        `[${op}] only one-element arrays convert to a JS number: got ${c.aval.str()}, expected one element. Reduce it first (np.sum, np.all) or index it.`,
      );
    }
    const v = c._data![0];
    return c.dtype === "bool" ? v !== 0 : v;
  }

  // --- arithmetic (numpy functions, as methods) ---
  add(other: ArrayLike): NdArray {
    return ops.add(this, other);
  }
  sub(other: ArrayLike): NdArray {
    return ops.subtract(this, other);
  }
  mul(other: ArrayLike): NdArray {
    return ops.multiply(this, other);
  }
  div(other: ArrayLike): NdArray {
    return ops.divide(this, other);
  }
  pow(other: ArrayLike): NdArray {
    return ops.power(this, other);
  }
  neg(): NdArray {
    return ops.negative(this);
  }
  matmul(other: ArrayLike): NdArray {
    return ops.matmul(this, other);
  }
  /** `x.sum(...)`: {@link numpy.sum} with this array first. */
  sum(...args: Methods.SumArgs): NdArray {
    return ops.sum(this, ...args);
  }
  /** `x.mean(...)`: {@link numpy.mean} with this array first. */
  mean(...args: Methods.MeanArgs): NdArray {
    return ops.mean(this, ...args);
  }
  /** `x.max(...)`: {@link numpy.max} with this array first. */
  max(...args: Methods.ExtremeArgs): NdArray {
    return ops.max(this, ...args);
  }
  /** `x.min(...)`: {@link numpy.min} with this array first. */
  min(...args: Methods.ExtremeArgs): NdArray {
    return ops.min(this, ...args);
  }
  reshape(...shape: (number | Shape)[]): NdArray {
    const s = shape.length === 1 && typeof shape[0] !== "number" ? (shape[0] as Shape) : (shape as number[]);
    return ops.reshape(this, s);
  }
  transpose(axes?: Shape): NdArray {
    return ops.transpose(this, axes);
  }
  /** The transpose (reversed axes), as `x.T`. */
  get T(): NdArray {
    return ops.transpose(this);
  }
  astype(dtype: DType): NdArray {
    return ops.astype(this, dtype);
  }
  /** NumPy indexing, `x[i, 1:3, None, ...]`: `x.get(i, np.slice(1, 3), null, "...")`. */
  get(...index: Index[]): NdArray {
    return ops.getItem(this, index);
  }
  /** Functional updates, `x.at[idx].set(v)`: `x.at(idx).set(v)`. */
  at(...index: Index[]): Methods.AtUpdater {
    return ops.atUpdater(this, index);
  }
}
