/** `vmap` with JAX's inAxes / outAxes (numbers, null, negative axes, pytree prefixes). */
import { NdArray } from "../core/array.js";
import { TransformError } from "../core/errors.js";
import type { BatchDim } from "../core/primitive.js";
import { broadcastPrefix, flatten, unflatten, type TreeDef } from "../tree/tree.js";
import { check, defineOptions, isPlainObject, orNull, is, type OptArgs } from "../core/options.js";
import { callUser, checkCallable, leafToArray } from "./args.js";
import { vmapFlat } from "../interpreters/batch.js";
import type { Args, Tangent } from "./types.js";

/** A batch axis per leaf, as a pytree prefix: an integer, null (not batched), or arrays / objects of them. */
export type AxisSpec = number | null | undefined | readonly AxisSpec[] | { readonly [key: string]: AxisSpec };

/** The options of vmap (JAX's names, camelCased). */
export interface VmapOptions {
  /**
   * Batch axis of each argument: an integer, null (not batched), or an array with one
   * entry per positional argument, each a pytree prefix of that argument. Default 0.
   */
  inAxes?: AxisSpec;
  /** Where the batch axis goes in each output (null: the output must not be batched). Default 0. */
  outAxes?: AxisSpec;
  /** JAX's name for the mapped axis, used by collectives; cotangent has no collectives, so it has no effect. */
  axisName?: string | null;
  /** The batch size, needed when no argument is batched. */
  axisSize?: number | null;
  /** JAX's sharding hint for the mapped axis; cotangent runs on one device, so it has no effect. */
  spmdAxisName?: string | readonly string[] | null;
}

/** The optional arguments of vmap: `(inAxes, outAxes, axisName, axisSize, spmdAxisName)` or a trailing object. */
export type VmapArgs = OptArgs<
  [
    inAxes?: AxisSpec,
    outAxes?: AxisSpec,
    axisName?: string | null,
    axisSize?: number | null,
    spmdAxisName?: string | readonly string[] | null,
  ],
  VmapOptions
>;

/** A pytree prefix of axes: integers or null at the leaves (undefined counts as null), arrays and plain objects inside. */
function isAxisTree(v: unknown, depth = 0): boolean {
  if (v === null || v === undefined) return true;
  if (typeof v === "number") return Number.isInteger(v);
  if (depth > 64) return false;
  if (Array.isArray(v)) return v.every((x) => isAxisTree(x, depth + 1));
  if (isPlainObject(v)) return Object.values(v).every((x) => isAxisTree(x, depth + 1));
  return false;
}

const vmapOptions = defineOptions(
  "vmap",
  {
    // JAX: in_axes is an int, None, or a tuple with one entry per positional argument.
    inAxes: check<AxisSpec>(
      "an integer, null, or an array with one entry per positional argument (integers, null, or pytrees of them)",
      (v) => v === null || (typeof v === "number" && Number.isInteger(v)) || (Array.isArray(v) && isAxisTree(v)),
    ),
    outAxes: check<AxisSpec>("an integer, null, or a pytree of them (a prefix of the output)", (v) => isAxisTree(v)),
    axisName: orNull(is.string),
    axisSize: orNull(is.nonNegativeInt),
    spmdAxisName: orNull(
      check<string | readonly string[]>(
        "a string or an array of strings",
        (v) => typeof v === "string" || (Array.isArray(v) && v.every((s) => typeof s === "string")),
      ),
    ),
  },
  ["inAxes", "outAxes", "axisName", "axisSize", "spmdAxisName"],
);

const isAxisLeaf = (x: unknown): boolean => x === null || x === undefined || typeof x === "number";

function checkAxisValue(x: unknown, what: string): void {
  if (x !== null && x !== undefined && !Number.isInteger(x)) {
    throw new TransformError(`[vmap] ${what} must be integers or null: got ${JSON.stringify(x)}.`);
  }
}

/** Per-leaf batch axes for the arguments (validated and made non-negative). */
function inDims(inAxes: AxisSpec, args: unknown[], leaves: unknown[]): BatchDim[] {
  if (Array.isArray(inAxes) && inAxes.length !== args.length) {
    throw new TransformError(
      `[vmap] inAxes must be a number, null, or an array with one entry per positional argument: got ${inAxes.length} entries ` +
        `for ${args.length} arguments.`,
    );
  }
  const perLeaf = broadcastPrefix(inAxes, args, "vmap", isAxisLeaf) as BatchDim[];
  return perLeaf.map((d, i) => {
    checkAxisValue(d, "inAxes");
    if (d === null || d === undefined) return null;
    const x = leaves[i] as NdArray;
    if (!(x instanceof NdArray) || d < -x.ndim || d >= x.ndim) {
      const rank = x instanceof NdArray ? x.ndim : 0;
      throw new TransformError(
        `[vmap] vmap was requested to map its argument along axis ${d}, which implies that its rank should be at least ` +
          `${d < 0 ? -d : d + 1}, but is only ${rank} (its shape is (${x instanceof NdArray ? x.shape.join(", ") : ""})).`,
      );
    }
    return d < 0 ? d + x.ndim : d;
  });
}

function axisSizeOf(dims: BatchDim[], leaves: NdArray[], given: number | null | undefined): number {
  const sizes = new Map<number, string>();
  dims.forEach((d, i) => {
    if (d === null) return;
    const n = leaves[i].aval.shape[d];
    if (!sizes.has(n)) sizes.set(n, `axis ${d} of argument leaf ${i} of type ${leaves[i].aval.str()}`);
  });
  if (given !== undefined && given !== null) sizes.set(given, sizes.get(given) ?? "axisSize");
  if (sizes.size === 0) {
    throw new TransformError(
      `[vmap] vmap must have at least one non-null value in inAxes: got no batched argument. Pass axisSize to batch a function of no batched inputs.`,
    );
  }
  if (sizes.size > 1) {
    const lines = [...sizes].map(([n, where]) => `  * one axis had size ${n}: ${where}`).join(";\n");
    throw new TransformError(`[vmap] vmap got inconsistent sizes for array axes to be mapped:\n${lines}`);
  }
  return [...sizes.keys()][0];
}

/**
 * `jax.vmap(fun, in_axes=0, out_axes=0, axis_name=None, axis_size=None, spmd_axis_name=None)`.
 * Options positionally in JAX's order (`vmap(f, [0, null])`) or in a trailing object.
 * @example
 * vmap((x: Array, y: Array) => np.dot(x, y), [0, null])(batchOfVectors, w);
 * vmap((x: Array, y: Array) => np.dot(x, y), { inAxes: [0, null], outAxes: 0 })(batchOfVectors, w);
 */
export function vmap<A extends unknown[], R>(
  f: (...args: A) => R,
  ...options: VmapArgs
): (...args: Args<A>) => Tangent<R> {
  checkCallable("vmap", f);
  const o = vmapOptions.parse(options);
  const inAxes = o.inAxes === undefined ? 0 : o.inAxes;
  const outAxes = o.outAxes === undefined ? 0 : o.outAxes;
  return ((...args: unknown[]) => {
    const [rawLeaves, argTree] = flatten(args);
    const asArrays = rawLeaves.map((l) =>
      typeof l === "number" || typeof l === "boolean" ? leafToArray(l, "vmap", "argument") : l,
    );
    const dims0 = inDims(inAxes, args, asArrays);
    // Unbatched leaves may be anything (functions, strings); batched ones must be arrays.
    const leaves = asArrays.map((l, i) => (dims0[i] === null ? l : leafToArray(l, "vmap", `argument leaf ${i}`)));
    const size = axisSizeOf(dims0, leaves as NdArray[], o.axisSize);
    let outTree: TreeDef | null = null;
    const flatF = (xs: NdArray[]): NdArray[] => {
      const out = callUser("vmap", f, unflatten(argTree, xs) as unknown[]);
      const [ls, def] = flatten(out);
      outTree = def;
      return ls.map((l, i) => leafToArray(l, "vmap", `output leaf ${i}`));
    };
    let outDimsList: BatchDim[] = [];
    const wrapped = (xs: NdArray[]): NdArray[] => {
      const outs = flatF(xs);
      const outSpec = broadcastPrefix(outAxes, unflatten(outTree!, outs), "vmap", (x) => isAxisLeaf(x)) as BatchDim[];
      outDimsList = outSpec.map((d, i) => {
        checkAxisValue(d, "outAxes");
        if (d === null || d === undefined) return null;
        const nd = outs[i].ndim + 1;
        if (d < -nd || d >= nd)
          throw new TransformError(
            `[vmap] outAxes ${d} is out of bounds for an output of rank ${nd} (with its batch axis).`,
          );
        return d < 0 ? d + nd : d;
      });
      return outs;
    };
    // Output axes are known only after tracing: resolve them inside, then move.
    const [outs, batched] = vmapFlat(wrapped, leaves as NdArray[], dims0, size, 0);
    const final = outs.map((o, i) => {
      const d = outDimsList[i];
      if (d === null) {
        if (batched[i])
          throw new TransformError(
            `[vmap] vmap has mapped output but outAxes is null for output leaf ${i}: expected an output that does not depend on the batched inputs, or a numeric outAxes.`,
          );
        return reshapeDrop(o);
      }
      return d === 0 ? o : moveFirstTo(o, d);
    });
    return unflatten(outTree!, final);
  }) as (...args: Args<A>) => Tangent<R>;
}

import { moveAxis } from "../primitives/batching.js";
import { sliceAxis } from "../primitives/slicing.js";
import { reshape } from "../primitives/structural.js";
function moveFirstTo(x: NdArray, d: number): NdArray {
  return moveAxis(x, 0, d);
}
/** An unbatched output was broadcast along axis 0: take one copy. */
function reshapeDrop(x: NdArray): NdArray {
  return reshape(sliceAxis(x, 0, 0, 1), x.aval.shape.slice(1));
}
