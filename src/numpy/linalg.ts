/** Products: matmul, dot, tensordot, einsum, outer, inner, vdot; diagonal, trace; linalg.norm. */
import { shapeStr } from "../core/aval.js";
import type { NdArray, ArrayLike } from "../core/array.js";
import { isFloat, isInteger, itemsize, type DType } from "../core/dtypes.js";
import { ArgumentTypeError, AxisError, DTypeError, ShapeError } from "../core/errors.js";
import {
  check,
  defineOptions,
  describeValue,
  either,
  is,
  isPlainObject,
  oneOf,
  orNull,
  type OptArgs,
} from "../core/options.js";
import { dotGeneral } from "../primitives/dot.js";
import * as st from "../primitives/structural.js";
import * as ew from "../primitives/elementwise.js";
import * as un from "../primitives/unary.js";
import * as red from "../primitives/reduce.js";
import { bind1 } from "../core/trace.js";
import { svd as svdPrim } from "../primitives/linalg-spectral.js";
import { broadcastShapes, normalizeAxes, normalizeAxis, range } from "../primitives/shapes.js";
import { asArray, promoteOperands, promoteToFloat } from "../primitives/as-array.js";

// --- precision and preferred element type ----------------------------------------------

/** A precision name of JAX's `lax.Precision`. */
export type PrecisionName = "default" | "high" | "highest";
/**
 * JAX's `precision`: null (the default), one name for both operands, or a pair.
 * cotangent computes float32 products in float32 and float64 in float64 whatever
 * the precision, so every value gives the same (highest) result.
 */
export type Precision = PrecisionName | null | readonly [PrecisionName | null, PrecisionName | null];

const PRECISIONS = ["default", "high", "highest"] as const;
const precisionName = oneOf(...PRECISIONS);
const precisionCheck = orNull(
  either(
    precisionName,
    check<readonly [PrecisionName | null, PrecisionName | null]>(
      "a pair of them",
      (v) => Array.isArray(v) && v.length === 2 && v.every((p) => p === null || precisionName.test(p)),
    ),
  ),
);

/** Keyword-only options of `np.matmul`, `np.dot`, `np.inner`, `np.vdot`, `np.tensordot`, `np.einsum`. */
export interface DotOptions {
  /** JAX's `precision` (null, "default", "high", "highest" or a pair); accepted, every value computes exactly. */
  precision?: Precision;
  /** The dtype of the result (JAX's `preferred_element_type`): the products accumulate in it. */
  preferredElementType?: DType | null;
}
const dotChecks = { precision: precisionCheck, preferredElementType: orNull(is.dtype) };
const matmulOptions = defineOptions("matmul", dotChecks, []);
const dotOptions = defineOptions("dot", dotChecks, []);
const innerOptions = defineOptions("inner", dotChecks, []);
const vdotOptions = defineOptions("vdot", dotChecks, []);

/**
 * The operands and how to finish for a `preferred_element_type`, with JAX's checks
 * (lax's `_validate_preferred_element_type`): floats stay floats, signed integers
 * stay signed, and the result is never narrower than the operands.
 */
function preferred(
  op: string,
  a: NdArray,
  b: NdArray,
  pref: DType | null | undefined,
): [NdArray, NdArray, (r: NdArray) => NdArray] {
  if (pref === null || pref === undefined) return [a, b, (r) => r];
  const d = a.dtype;
  const incompatible = (isFloat(d) && !isFloat(pref)) || (isInteger(d) && !isInteger(pref) && !isFloat(pref));
  if (incompatible) {
    throw new DTypeError(
      `[${op}] input type is incompatible with preferredElementType: got ${d} operands and preferredElementType ${pref}, ` +
        `expected one of the compatible combinations (integral, integral), (integral, floating), (floating, floating).`,
    );
  }
  if (d === "int32" && pref === "uint32") {
    throw new DTypeError(
      `[${op}] preferredElementType must have the same signedness as the original type: got ${d} operands and ${pref}.`,
    );
  }
  if (itemsize(pref) < itemsize(d)) {
    throw new DTypeError(
      `[${op}] preferredElementType must not be narrower than the original type: got ${pref} for ${d} operands.`,
    );
  }
  // Accumulate in the preferred type: convert the operands first when it is a float (exact for ints and wider floats).
  const up = (x: NdArray) => (isFloat(pref) && x.dtype !== pref ? ew.convert(x, pref) : x);
  const done = (r: NdArray) => (r.dtype === pref && !r.weakType ? r : ew.convert(r, pref, false));
  return [up(a), up(b), done];
}

function matmulShapeError(a: NdArray, b: NdArray): ShapeError {
  return new ShapeError(
    `[matmul] contracting dimensions do not match: got ${a.aval.str()} @ ${b.aval.str()}, expected the last axis of the first ` +
      `(${a.aval.shape[a.ndim - 1]}) to equal the ${b.ndim === 1 ? "only" : "second-to-last"} axis of the second (${b.aval.shape[Math.max(0, b.ndim - 2)]}).`,
  );
}

/**
 * `jnp.matmul(a, b, *, precision, preferred_element_type)` (`a @ b`): 1-D operands
 * are promoted to matrices; leading axes broadcast.
 *
 * @example
 * np.matmul(np.ones([2, 3]), np.ones([3, 4]));                 // shape [2, 4]
 * np.matmul(a, b, { preferredElementType: "float64" });        // accumulated and returned in float64
 */
export function matmul(x: ArrayLike, y: ArrayLike, ...args: [] | [DotOptions]): NdArray {
  const o = matmulOptions.parse(args);
  const [a0, b0] = promoteOperands("matmul", [x, y]);
  const [pa, pb, finish] = preferred("matmul", a0, b0, o.preferredElementType);
  let a = pa;
  let b = pb;
  if (a.ndim === 0 || b.ndim === 0)
    throw new ShapeError(
      `[matmul] operands must have at least one axis: got ${a.aval.str()} and ${b.aval.str()}. Use np.multiply for scalars.`,
    );
  const aVec = a.ndim === 1;
  const bVec = b.ndim === 1;
  if (aVec) a = st.reshape(a, [1, a.size]);
  if (bVec) b = st.reshape(b, [b.size, 1]);
  const [m, k] = a.aval.shape.slice(-2);
  const [k2, n] = b.aval.shape.slice(-2);
  if (k !== k2) throw matmulShapeError(aVec ? st.reshape(a, [k]) : a, bVec ? st.reshape(b, [k2]) : b);
  let out: NdArray;
  if (b.ndim === 2) {
    // [..., m, k] · [k, n]: contract without batch axes, result already [..., m, n].
    out = dotGeneral(a, b, { contracting: [[a.ndim - 1], [0]], batch: [[], []] });
  } else if (a.ndim === 2) {
    // [m, k] · [..., k, n] → [m, ..., n] → move m before the last axis.
    const r = dotGeneral(a, b, { contracting: [[1], [b.ndim - 2]], batch: [[], []] });
    const nb = b.ndim - 2;
    out = st.transpose(r, [...range(nb).map((i) => i + 1), 0, nb + 1]);
  } else {
    const batch = broadcastShapes("matmul", a.aval.shape.slice(0, -2), b.aval.shape.slice(0, -2));
    const ab = st.broadcastTo(a, [...batch, m, k]);
    const bb = st.broadcastTo(b, [...batch, k, n]);
    const bd = range(batch.length);
    out = dotGeneral(ab, bb, { contracting: [[batch.length + 1], [batch.length]], batch: [bd, bd] });
  }
  if (aVec) out = st.reshape(out, [...out.aval.shape.slice(0, -2), n]);
  if (bVec) out = st.reshape(out, out.aval.shape.slice(0, -1));
  return finish(out);
}

/**
 * `jnp.dot(a, b, *, precision, preferred_element_type)`: scalars multiply; N-D·1-D and
 * N-D·M-D contract a's last axis with b's second-to-last (its only axis when 1-D).
 *
 * @example
 * np.dot(np.array([1, 2]), np.array([3, 4])); // 11
 * np.dot(np.eye(2), np.array([5, 6])); // [5, 6]
 */
export function dot(x: ArrayLike, y: ArrayLike, ...args: [] | [DotOptions]): NdArray {
  const o = dotOptions.parse(args);
  const [a0, b0] = promoteOperands("dot", [x, y]);
  const [a, b, finish] = preferred("dot", a0, b0, o.preferredElementType);
  if (a.ndim === 0 || b.ndim === 0) return finish(ew.mul(a, b));
  const bAxis = b.ndim === 1 ? 0 : b.ndim - 2;
  if (a.aval.shape[a.ndim - 1] !== b.aval.shape[bAxis]) {
    throw new ShapeError(
      `[dot] shapes ${shapeStr(a.aval.shape)} and ${shapeStr(b.aval.shape)} are not aligned: expected the last axis of the first to equal axis ${bAxis} of the second.`,
    );
  }
  return finish(dotGeneral(a, b, { contracting: [[a.ndim - 1], [bAxis]], batch: [[], []] }));
}

/** `tensordot`'s axes: N (the last N axes of a with the first N of b) or a pair [axesA, axesB]. */
export type TensordotAxes = number | readonly [number | readonly number[], number | readonly number[]];
/** Options of `np.tensordot` (JAX: `tensordot(a, b, axes=2, *, precision, preferred_element_type)`). */
export interface TensordotOptions extends DotOptions {
  /** N, or a pair [axesA, axesB] of axes (or axis lists) to contract. Default 2. */
  axes?: TensordotAxes;
}
const intOrInts = (v: unknown) => Number.isInteger(v) || (Array.isArray(v) && v.every((i) => Number.isInteger(i)));
const tensordotOptions = defineOptions(
  "tensordot",
  {
    axes: either(
      is.nonNegativeInt,
      check<readonly [number | readonly number[], number | readonly number[]]>(
        "a pair [axesA, axesB] of integer axes or axis lists",
        (v) => Array.isArray(v) && v.length === 2 && v.every(intOrInts),
      ),
    ),
    ...dotChecks,
  },
  ["axes"],
);

/**
 * `jnp.tensordot(a, b, axes=2)`: axes is N (last N of a with first N of b) or [axesA, axesB].
 *
 * @example
 * np.tensordot(a, b, 1);                 // a @ b for matrices
 * np.tensordot(a, b, { axes: [[1], [0]] });
 */
export function tensordot(x: ArrayLike, y: ArrayLike, ...args: OptArgs<[TensordotAxes], TensordotOptions>): NdArray {
  const o = tensordotOptions.parse(args);
  const [a0, b0] = promoteOperands("tensordot", [x, y]);
  const [a, b, finish] = preferred("tensordot", a0, b0, o.preferredElementType);
  const axes = o.axes ?? 2;
  let ax: number[];
  let bx: number[];
  if (typeof axes === "number") {
    if (axes > Math.min(a.ndim, b.ndim)) {
      throw new ShapeError(
        `[tensordot] number of tensordot axes (axes=${axes}) exceeds input ranks: got ${a.aval.str()} and ${b.aval.str()}, expected at most ${Math.min(a.ndim, b.ndim)}.`,
      );
    }
    ax = range(axes).map((i) => a.ndim - axes + i);
    bx = range(axes);
  } else {
    ax = typeof axes[0] === "number" ? [axes[0]] : [...axes[0]];
    bx = typeof axes[1] === "number" ? [axes[1]] : [...axes[1]];
  }
  if (ax.length !== bx.length) {
    throw new ShapeError(
      `[tensordot] tensordot requires axes lists to have equal length: got ${shapeStr(ax)} and ${shapeStr(bx)}.`,
    );
  }
  ax = normalizeAxes("tensordot", ax, a.ndim);
  bx = normalizeAxes("tensordot", bx, b.ndim);
  if (ax.some((i, k) => a.aval.shape[i] !== b.aval.shape[bx[k]])) {
    throw new ShapeError(
      `[tensordot] shape mismatch: got ${a.aval.str()} and ${b.aval.str()} contracting axes ${shapeStr(ax)} and ${shapeStr(bx)}, expected paired axes of equal size.`,
    );
  }
  return finish(dotGeneral(a, b, { contracting: [ax, bx], batch: [[], []] }));
}

/** Options of `np.outer` (JAX: `outer(a, b, out=None)`). */
export interface OuterOptions {
  /** JAX's `out`: must be null. */
  out?: null;
}
const outerOptions = defineOptions("outer", { out: is.none }, ["out"]);

/**
 * `jnp.outer(a, b)`: a (flattened) times b (flattened), as a matrix.
 *
 * @example
 * np.outer(np.array([1, 2]), np.array([1, 10])); // [[1, 10], [2, 20]]
 */
export function outer(x: ArrayLike, y: ArrayLike, ...args: OptArgs<[null], OuterOptions>): NdArray {
  outerOptions.parse(args);
  const [a, b] = promoteOperands("outer", [x, y]);
  return ew.mul(st.reshape(a, [a.size, 1]), st.reshape(b, [1, b.size]));
}

/**
 * `jnp.inner(a, b, *, precision, preferred_element_type)`: contracts the last axes.
 *
 * @example
 * np.inner(np.array([1, 2]), np.array([3, 4])); // 11
 */
export function inner(x: ArrayLike, y: ArrayLike, ...args: [] | [DotOptions]): NdArray {
  const o = innerOptions.parse(args);
  const [a0, b0] = promoteOperands("inner", [x, y]);
  const [a, b, finish] = preferred("inner", a0, b0, o.preferredElementType);
  if (a.ndim === 0 || b.ndim === 0) return finish(ew.mul(a, b));
  if (a.aval.shape[a.ndim - 1] !== b.aval.shape[b.ndim - 1]) {
    throw new ShapeError(`[inner] the last axes must have the same size: got ${a.aval.str()} and ${b.aval.str()}.`);
  }
  return finish(dotGeneral(a, b, { contracting: [[a.ndim - 1], [b.ndim - 1]], batch: [[], []] }));
}

/**
 * `jnp.vdot(a, b, *, precision, preferred_element_type)`: the dot product of the flattened arrays.
 *
 * @example
 * np.vdot(np.array([[1, 2], [3, 4]]), np.array([[1, 1], [1, 1]])); // 10
 */
export function vdot(x: ArrayLike, y: ArrayLike, ...args: [] | [DotOptions]): NdArray {
  const o = vdotOptions.parse(args);
  const [a0, b0] = promoteOperands("vdot", [x, y]);
  const [a, b, finish] = preferred("vdot", a0, b0, o.preferredElementType);
  if (a.size !== b.size) {
    throw new ShapeError(
      `[vdot] the arrays must have the same number of elements: got ${a.aval.str()} and ${b.aval.str()}.`,
    );
  }
  return finish(
    dotGeneral(st.reshape(a, [a.size]), st.reshape(b, [b.size]), { contracting: [[0], [0]], batch: [[], []] }),
  );
}

// --- einsum --------------------------------------------------------------------------

/** Keyword-only options of `np.einsum` (JAX: out, optimize, precision, preferred_element_type). */
export interface EinsumOptions extends DotOptions {
  /** JAX's `out`: must be null. */
  out?: null;
  /** The contraction-order strategy (JAX's `optimize`); cotangent contracts left to right whatever is given. */
  optimize?:
    boolean | "auto" | "greedy" | "optimal" | "dp" | "branch-all" | "branch-2" | "branch-1" | readonly unknown[];
}
const einsumOptions = defineOptions(
  "einsum",
  {
    out: is.none,
    optimize: either(
      either(is.bool, oneOf("auto", "greedy", "optimal", "dp", "branch-all", "branch-2", "branch-1")),
      check<readonly unknown[]>("an einsum path (an array)", (v) => Array.isArray(v)),
    ),
    ...dotChecks,
  },
  [],
);

function einsumError(msg: string): ShapeError {
  return new ShapeError(`[einsum] ${msg}`);
}

/**
 * `jnp.einsum("ij,jk->ik", a, b)`: Einstein summation. Operands are arrays; a
 * trailing plain object holds the options (`{ precision, preferredElementType, optimize, out }`).
 * Supports implicit and explicit outputs, `...` (broadcast axes) and repeated
 * indices within an operand (diagonals, traces).
 *
 * Operands are contracted left to right with dot_general: indices shared with
 * later operands or the output are kept as batch axes, the rest are contracted;
 * indices used only once are summed first.
 *
 * @example
 * np.einsum("ij,jk->ik", a, b);
 * np.einsum("ii", m);                          // trace
 * np.einsum("...ij,...jk", a, b, { preferredElementType: "float64" });
 */
export function einsum(subscripts: string, ...operands: (ArrayLike | EinsumOptions)[]): NdArray {
  let given = operands;
  let opts: EinsumOptions = {};
  if (given.length > 0 && isPlainObject(given[given.length - 1])) {
    opts = einsumOptions.parseObject(given[given.length - 1]);
    given = given.slice(0, -1);
  }
  if (typeof subscripts !== "string") {
    throw new ArgumentTypeError(
      `[einsum] subscripts must be a string: got ${describeValue(subscripts)}, expected e.g. "ij,jk->ik".`,
    );
  }
  if (given.length === 0) throw einsumError(`no operands: expected at least one array after the subscripts.`);
  given.forEach((g, i) => {
    if (!is.arrayLike.test(g)) {
      throw new ArgumentTypeError(
        `[einsum] operand ${i} must be an array: got ${describeValue(g)}, expected ${is.arrayLike.expected}.`,
      );
    }
  });
  const spec = subscripts.replace(/\s/g, "");
  const arrows = spec.split("->").length - 1;
  if (arrows > 1) throw einsumError(`subscripts "${subscripts}" have more than one "->": expected at most one.`);
  const [lhs, rhsGiven] = spec.split("->") as [string, string | undefined];
  const bad = spec
    .replace(/->/g, "")
    .replace(/\.\.\./g, "")
    .match(/[^a-zA-Z,]/);
  if (bad) {
    throw einsumError(
      `invalid character "${bad[0]}" in subscripts "${subscripts}": expected letters, ",", "->" and "...".`,
    );
  }
  if (rhsGiven !== undefined && rhsGiven.includes(",")) {
    throw einsumError(`the output subscripts "${rhsGiven}" name one result: expected no ",".`);
  }
  const inputs = lhs.split(",");
  if (inputs.length !== given.length) {
    throw einsumError(
      `${given.length > inputs.length ? "too many arguments: " : ""}the subscripts "${subscripts}" name ${inputs.length} ` +
        `operand(s): got ${given.length}, expected ${inputs.length}. Options go in a trailing plain object.`,
    );
  }
  const promoted = promoteOperands("einsum", given as ArrayLike[]);
  // preferredElementType: checked against the promoted dtype; floats accumulate in it.
  const [up, , finish] = preferred("einsum", promoted[0], promoted[0], opts.preferredElementType);
  const arrays = promoted.map((a) => (a.dtype === up.dtype ? a : ew.convert(a, up.dtype)));

  // "..." becomes upper-case letters (right-aligned, as broadcasting aligns axes).
  const used = new Set(spec.replace(/[^a-zA-Z]/g, ""));
  const free = [..."ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"].filter((c) => !used.has(c));
  let ellRank = 0;
  const letters = inputs.map((s, i) => {
    const parts = s.split("...");
    if (parts.length > 2) throw einsumError(`operand ${i} subscripts "${s}" have more than one "...".`);
    const named = parts.join("").length;
    if (parts.length === 1) {
      if (named !== arrays[i].ndim) {
        throw einsumError(
          `subscripts "${s}" do not fit operand ${i} of shape ${shapeStr(arrays[i].aval.shape)}: expected ${arrays[i].ndim} letters.`,
        );
      }
      return s;
    }
    const r = arrays[i].ndim - named;
    if (r < 0) {
      throw einsumError(
        `subscripts "${s}" name more axes than operand ${i} of shape ${shapeStr(arrays[i].aval.shape)} has.`,
      );
    }
    ellRank = Math.max(ellRank, r);
    return parts[0] + "\u0000".repeat(r) + parts[1];
  });
  if (ellRank > free.length) throw einsumError(`too many axes under "...": got ${ellRank}.`);
  const ellLetters = free.slice(0, ellRank);
  // Ellipsis axes: right-aligned letters; an axis of size 1 broadcasts against the others (summed away when others differ).
  const ellSize = new Map<string, number>();
  const expanded = letters.map((s, i) => {
    const r = [...s].filter((c) => c === "\u0000").length;
    let j = 0;
    return [...s]
      .map((c) => {
        if (c !== "\u0000") return c;
        const letter = ellLetters[ellRank - r + j++];
        const n = arrays[i].aval.shape[s.indexOf("\u0000") + j - 1];
        if (n !== 1) {
          const prev = ellSize.get(letter);
          if (prev !== undefined && prev !== n)
            throw einsumError(`operands do not broadcast under "...": sizes ${prev} and ${n}.`);
          ellSize.set(letter, n);
        }
        return letter;
      })
      .join("");
  });
  // Squeeze size-1 ellipsis axes where another operand has the full size.
  const squeezed = expanded.map((s, i) => {
    const drop = [...s]
      .map((c, j) => (ellLetters.includes(c) && arrays[i].aval.shape[j] === 1 && ellSize.has(c) ? j : -1))
      .filter((j) => j >= 0);
    if (drop.length === 0) return s;
    arrays[i] = st.reshape(
      arrays[i],
      arrays[i].aval.shape.filter((_, j) => !drop.includes(j)),
    );
    return [...s].filter((_, j) => !drop.includes(j)).join("");
  });

  const counts = new Map<string, number>();
  for (const s of expanded) for (const c of s) counts.set(c, (counts.get(c) ?? 0) + 1);
  let output: string;
  if (rhsGiven === undefined) {
    output =
      ellLetters.join("") +
      [...counts.keys()]
        .filter((c) => counts.get(c) === 1 && !ellLetters.includes(c))
        .sort()
        .join("");
  } else {
    const parts = rhsGiven.split("...");
    if (parts.length > 2) throw einsumError(`the output subscripts "${rhsGiven}" have more than one "...".`);
    if (parts.length === 1 && ellRank > 0 && [...ellSize.values()].some((n) => n !== 1)) {
      throw einsumError(`output subscripts "${rhsGiven}" drop the "..." axes: expected "..." in the output too.`);
    }
    output = parts.length === 2 ? parts[0] + ellLetters.join("") + parts[1] : rhsGiven;
    const seen = new Set<string>();
    for (const c of output) {
      if (seen.has(c)) throw einsumError(`output subscript "${c}" appears more than once in "${rhsGiven}".`);
      seen.add(c);
      if (!counts.has(c)) {
        throw einsumError(`output subscript "${c}" does not appear in the input subscripts "${lhs}".`);
      }
    }
  }
  const sizes = new Map<string, number>();
  squeezed.forEach((s, i) =>
    [...s].forEach((c, j) => {
      const n = arrays[i].aval.shape[j];
      if (sizes.has(c) && sizes.get(c) !== n)
        throw einsumError(`index "${c}" has sizes ${sizes.get(c)} and ${n}: expected one size.`);
      sizes.set(c, n);
    }),
  );
  // Repeated indices within one operand: take the diagonal (a trace when the index is then summed).
  const subs = squeezed.map((s, i) => {
    let str = s;
    for (;;) {
      const c = [...str].find((ch, j) => str.indexOf(ch) !== j);
      if (c === undefined) return str;
      const j1 = str.indexOf(c);
      const j2 = str.indexOf(c, j1 + 1);
      arrays[i] = diagonalImpl("einsum", arrays[i], 0, j1, j2);
      str = [...str].filter((_, j) => j !== j1 && j !== j2).join("") + c;
    }
  });
  const outputSet = new Set(output);
  const total = new Map<string, number>();
  for (const s of subs) for (const c of s) total.set(c, (total.get(c) ?? 0) + 1);
  // Sum out indices that appear in one operand only and not in the output.
  let terms = arrays.map((a, i) => {
    const s = subs[i];
    const lone = [...s].map((c, j) => (total.get(c) === 1 && !outputSet.has(c) ? j : -1)).filter((j) => j >= 0);
    return { a: lone.length ? red.reduceSum(a, lone) : a, s: [...s].filter((_, j) => !lone.includes(j)).join("") };
  });
  while (terms.length > 1) {
    const [x, y] = terms;
    const rest = terms.slice(2);
    const later = new Set([...output, ...rest.flatMap((t) => [...t.s])]);
    const shared = [...x.s].filter((c) => y.s.includes(c));
    const batch = shared.filter((c) => later.has(c));
    const contract = shared.filter((c) => !later.has(c));
    const out = dotGeneral(x.a, y.a, {
      contracting: [contract.map((c) => x.s.indexOf(c)), contract.map((c) => y.s.indexOf(c))],
      batch: [batch.map((c) => x.s.indexOf(c)), batch.map((c) => y.s.indexOf(c))],
    });
    const s = [
      ...batch,
      ...[...x.s].filter((c) => !shared.includes(c)),
      ...[...y.s].filter((c) => !shared.includes(c)),
    ].join("");
    terms = [{ a: out, s }, ...rest];
  }
  const { a, s } = terms[0];
  const extra = [...s].map((c, j) => (outputSet.has(c) ? -1 : j)).filter((j) => j >= 0);
  const summed = extra.length ? red.reduceSum(a, extra) : a;
  const kept = [...s].filter((c) => outputSet.has(c));
  // An ellipsis axis of size 1 everywhere was kept; one squeezed everywhere cannot happen (it had a full size).
  return finish(
    st.transpose(
      summed,
      [...output].map((c) => kept.indexOf(c)),
    ),
  );
}

// --- norm -------------------------------------------------------------------------------

/** A norm order: a number (±Infinity included), "fro" / "f" (Frobenius) or "nuc" (nuclear). */
export type NormOrd = number | "fro" | "f" | "nuc";
/** Options of `np.linalg.norm` (JAX: `norm(x, ord=None, axis=None, keepdims=False)`). */
export interface NormOptions {
  /** The order: vectors any p (±Infinity, 0 included); matrices "fro", "nuc", 1, -1, 2, -2, ±Infinity. Default: 2 / Frobenius. */
  ord?: NormOrd | null;
  /** One axis (a vector norm), two axes (a matrix norm), or null (all axes). */
  axis?: number | readonly [number, number] | null;
  /** Keep the reduced axes as length-1 axes. */
  keepdims?: boolean;
}
const normOptions = defineOptions(
  "linalg.norm",
  {
    ord: orNull(either(is.number, oneOf("fro", "f", "nuc"))),
    axis: orNull(
      either(
        is.axis,
        check<readonly [number, number]>(
          "an array of one or two integer axes",
          (v) => Array.isArray(v) && (v.length === 1 || v.length === 2) && v.every((i) => Number.isInteger(i)),
        ),
      ),
    ),
    keepdims: is.bool,
  },
  ["ord", "axis", "keepdims"],
);

/**
 * `jnp.linalg.norm(x, ord=None, axis=None, keepdims=False)`: vector p-norms (any p,
 * ±∞ and 0 included) and matrix norms ("fro", 1, -1, ±∞, and from the singular
 * values 2, -2 and "nuc").
 *
 * @example
 * np.linalg.norm(v);                 // 2-norm of the flattened array
 * np.linalg.norm(m, Infinity);       // max row sum
 * np.linalg.norm(m, { axis: 1, keepdims: true });
 */
export function norm(
  x: ArrayLike,
  ...args: OptArgs<[NormOrd | null, number | readonly [number, number] | null, boolean], NormOptions>
): NdArray {
  const o = normOptions.parse(args);
  const [a] = promoteToFloat("linalg.norm", [x]);
  const ord = o.ord ?? null;
  const keepdims = o.keepdims ?? false;
  let axes: number[];
  if (o.axis === null || o.axis === undefined) {
    if (ord === null) {
      const all = range(a.ndim);
      return keep(a, all, keepdims, un.sqrt(red.reduceSum(ew.mul(a, a), all)));
    }
    axes = range(a.ndim);
  } else {
    axes = normalizeAxes("linalg.norm", typeof o.axis === "number" ? [o.axis] : [...o.axis], a.ndim);
  }
  const absA = un.abs(a);
  if (axes.length === 1) {
    const ax = axes[0];
    const n = a.aval.shape[ax];
    if (ord === null || ord === 2) return keep(a, axes, keepdims, un.sqrt(red.reduceSum(ew.mul(a, a), axes)));
    if (typeof ord === "string") {
      throw new ArgumentTypeError(
        `[linalg.norm] invalid order '${ord}' for vector norm: expected a number (Infinity, -Infinity and 0 included).`,
      );
    }
    if (ord === Infinity || ord === -Infinity) {
      if (n === 0) {
        throw new ShapeError(
          `[linalg.norm] zero-size array to reduction operation ${ord > 0 ? "max" : "min"} which has no identity: got ${a.aval.str()} with axis ${ax} of size 0.`,
        );
      }
      return keep(a, axes, keepdims, bind1(ord > 0 ? red.reduceMaxP : red.reduceMinP, [absA], { axes }));
    }
    if (ord === 0)
      return keep(a, axes, keepdims, red.reduceSum(ew.convert(ew.ne(a, ew.scalarLike(0, a)), a.dtype), axes));
    if (ord === 1) return keep(a, axes, keepdims, red.reduceSum(absA, axes));
    const p = ew.scalarLike(ord, a);
    return keep(a, axes, keepdims, ew.pow(red.reduceSum(ew.pow(absA, p), axes), ew.div(ew.scalarLike(1, a), p)));
  }
  if (axes.length !== 2) {
    throw new AxisError(
      `[linalg.norm] improper number of axes for norm: got ${axes.length} axes of ${a.aval.str()}, expected one axis (a vector norm) ` +
        `or two axes (a matrix norm). Pass axis, or ord null for the 2-norm of the flattened array.`,
    );
  }
  const [row, col] = axes;
  if (ord === null || ord === "fro" || ord === "f") {
    return keep(a, axes, keepdims, un.sqrt(red.reduceSum(ew.mul(a, a), axes)));
  }
  if (ord === 1 || ord === -1 || ord === Infinity || ord === -Infinity) {
    // 1: max over columns of the column sums (sum over rows); ∞: max over rows of the row sums.
    const [sumAxis, extAxis] = ord === 1 || ord === -1 ? [row, col] : [col, row];
    const sums = red.reduceSum(absA, [sumAxis]);
    const e = extAxis > sumAxis ? extAxis - 1 : extAxis;
    const isMax = ord === 1 || ord === Infinity;
    if (sums.aval.shape[e] === 0 && !isMax) {
      throw new ShapeError(
        `[linalg.norm] zero-size array to reduction operation min which has no identity: got ${a.aval.str()}.`,
      );
    }
    const r = bind1(isMax ? red.reduceMaxP : red.reduceMinP, [sums], { axes: [e] });
    // JAX's amax(..., initial=0): an empty matrix has norm 0.
    return keep(a, axes, keepdims, isMax ? ew.max(r, ew.scalarLike(0, r)) : r);
  }
  if (ord === 2 || ord === -2 || ord === "nuc") {
    // The singular values of the matrices over (row, col): max (2), min (-2) or their sum (nuc).
    const rest = range(a.ndim).filter((d) => d !== row && d !== col);
    const s = svdPrim(st.transpose(a, [...rest, row, col]), false, false)[0];
    const last = [s.ndim - 1];
    if (ord === "nuc") return keep(a, axes, keepdims, red.reduceSum(s, last));
    if (s.aval.shape[s.ndim - 1] === 0) {
      throw new ShapeError(
        `[linalg.norm] zero-size array to reduction operation ${ord === 2 ? "max" : "min"} which has no identity: got ${a.aval.str()}.`,
      );
    }
    return keep(a, axes, keepdims, bind1(ord === 2 ? red.reduceMaxP : red.reduceMinP, [s], { axes: last }));
  }
  throw new ArgumentTypeError(
    `[linalg.norm] invalid order '${String(ord)}' for matrix norm: expected null, "fro", "nuc", 1, -1, 2, -2, Infinity or -Infinity.`,
  );
}

/** The reduced result with the reduced axes put back as length-1 axes when keepdims. */
function keep(a: NdArray, axes: number[], keepdims: boolean, y: NdArray): NdArray {
  if (!keepdims) return y;
  return st.reshape(
    y,
    a.aval.shape.map((n, i) => (axes.includes(i) ? 1 : n)),
  );
}

// --- diagonal and trace ---------------------------------------------------------------------

/** Options of `np.diagonal` (JAX: `diagonal(a, offset=0, axis1=0, axis2=1)`). */
export interface DiagonalOptions {
  /** Which diagonal: 0 the main one, > 0 above it, < 0 below it. */
  offset?: number;
  /** The first axis of the 2-D planes (default 0). */
  axis1?: number;
  /** The second axis of the 2-D planes (default 1). */
  axis2?: number;
}
const diagonalChecks = { offset: is.int, axis1: is.axis, axis2: is.axis };
const diagonalOptions = defineOptions("diagonal", diagonalChecks, ["offset", "axis1", "axis2"]);

function diagonalImpl(op: string, a: NdArray, offset: number, axis1: number, axis2: number): NdArray {
  if (a.ndim < 2) throw new ShapeError(`[${op}] the array must have at least two axes: got ${a.aval.str()}.`);
  const i1 = normalizeAxis(op, axis1, a.ndim);
  const i2 = normalizeAxis(op, axis2, a.ndim);
  if (i1 === i2) {
    throw new AxisError(`[${op}] axis1 and axis2 must not be equal: got ${axis1} and ${axis2} for ${a.aval.str()}.`);
  }
  const rest = range(a.ndim).filter((d) => d !== i1 && d !== i2);
  const moved = st.transpose(a, [...rest, i1, i2]);
  const rows = a.aval.shape[i1];
  const cols = a.aval.shape[i2];
  const n = Math.max(0, Math.min(rows - Math.max(0, -offset), cols - Math.max(0, offset)));
  const r = Array.from({ length: n }, (_, i) => i + Math.max(0, -offset));
  const c = Array.from({ length: n }, (_, i) => i + Math.max(0, offset));
  return moved.get("...", r, c);
}

/**
 * `jnp.diagonal(a, offset=0, axis1=0, axis2=1)`: the entries a[..., i, i + offset] over the
 * two axes, which are removed; the diagonal becomes the last axis.
 *
 * @example
 * np.diagonal(m, { offset: 1 });   // the superdiagonal
 */
export function diagonal(x: ArrayLike, ...args: OptArgs<[number, number, number], DiagonalOptions>): NdArray {
  const o = diagonalOptions.parse(args);
  const [a] = promoteOperands("diagonal", [x]);
  return diagonalImpl("diagonal", a, o.offset ?? 0, o.axis1 ?? 0, o.axis2 ?? 1);
}

/** Options of `np.trace` (JAX: `trace(a, offset=0, axis1=0, axis2=1, dtype=None, out=None)`). */
export interface TraceOptions extends DiagonalOptions {
  /** The dtype to sum in and return (default: the input's; bools sum as int32). */
  dtype?: DType | null;
  /** JAX's `out`: must be null. */
  out?: null;
}
const traceOptions = defineOptions("trace", { ...diagonalChecks, dtype: orNull(is.dtype), out: is.none }, [
  "offset",
  "axis1",
  "axis2",
  "dtype",
  "out",
]);

/**
 * `jnp.trace(a, offset, axis1, axis2, dtype)`: the sum of the diagonal.
 *
 * @example
 * np.trace(np.array([[1, 2], [3, 4]])); // 5
 * np.trace(np.array([[1, 2], [3, 4]]), 1); // 2: the diagonal above the main one
 */
export function trace(
  x: ArrayLike,
  ...args: OptArgs<[number, number, number, DType | null, null], TraceOptions>
): NdArray {
  const o = traceOptions.parse(args);
  const a = asArray(x, undefined, "trace");
  let d = diagonalImpl("trace", a, o.offset ?? 0, o.axis1 ?? 0, o.axis2 ?? 1);
  const dtype = o.dtype ?? (d.dtype === "bool" ? "int32" : null);
  if (dtype !== null && d.dtype !== dtype) d = ew.convert(d, dtype);
  return red.reduceSum(d, [d.ndim - 1]);
}
