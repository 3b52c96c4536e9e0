/**
 * `lax` convolutions: convGeneralDilated, conv, convTranspose, as JAX's lax/convolution.py
 * (reduceWindow is in reduce-window.ts).
 */
import type { ArrayLike, NdArray } from "../core/array.js";
import { shapeStr } from "../core/aval.js";
import type { DType } from "../core/dtypes.js";
import { ArgumentTypeError, ShapeError } from "../core/errors.js";
import { check, defineOptions, describeValue, either, is, oneOf, orNull, type OptArgs } from "../core/options.js";
import { asArray } from "../primitives/as-array.js";
import { convGeneralDilated as convPrim, dilateDim } from "../primitives/conv.js";
import { convert } from "../primitives/elementwise.js";
import { rev } from "../primitives/slicing.js";
import { transpose } from "../primitives/structural.js";
import { range } from "../primitives/shapes.js";
import { explicitPads, padtypeToPads, positiveInts } from "./window-args.js";

/** Padding of a convolution or window: a mode, or one [low, high] pair per spatial axis. */
export type ConvPadding = "SAME" | "SAME_LOWER" | "VALID" | readonly (readonly [number, number])[];
/** `dimension_numbers`: [lhs, rhs, out] layouts as strings ("NCHW", "OIHW", "NCHW") or axis lists. */
export type ConvDimensionNumbers =
  readonly [string, string, string] | readonly [readonly number[], readonly number[], readonly number[]];
type PrecisionName = "DEFAULT" | "HIGH" | "HIGHEST";
type Precision = PrecisionName | readonly [PrecisionName, PrecisionName] | null;

const isInt = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v);
const isIntList = (v: unknown): v is number[] => Array.isArray(v) && v.every(isInt);
const precisionName = oneOf("DEFAULT", "HIGH", "HIGHEST");
const precisionCheck = orNull(
  either(
    precisionName,
    check<readonly [PrecisionName, PrecisionName]>(
      "a pair of them",
      (v) => Array.isArray(v) && v.length === 2 && v.every((p) => precisionName.test(p)),
    ),
  ),
);
const positiveList = check<readonly number[]>(
  "an array of positive integers",
  (v) => isIntList(v) && v.every((n) => n > 0),
);
const dnCheck = check<ConvDimensionNumbers>(
  'three layout strings (e.g. ["NCHW", "OIHW", "NCHW"]) or three arrays of axes',
  (v) => Array.isArray(v) && v.length === 3 && (v.every((s) => typeof s === "string") || v.every((s) => isIntList(s))),
);

/** JAX's conv_general_permutations: layout strings to axis lists (spatial axes in rhs's order). */
function specsFromStrings(op: string, dn: readonly string[], ndim: number): [number[], number[], number[]] {
  const pairs = [
    ["N", "C"],
    ["O", "I"],
    ["N", "C"],
  ];
  dn.forEach((s, i) => {
    const [a, b] = pairs[i];
    if (s.length !== ndim) {
      throw new ShapeError(`[${op}] dimension_numbers[${i}] must have length equal to the ndim ${ndim}: got "${s}".`);
    }
    if (s.split(a).length !== 2 || s.split(b).length !== 2 || new Set(s).size !== s.length) {
      throw new ArgumentTypeError(
        `[${op}] dimension_numbers[${i}] must contain the characters '${a}' and '${b}' exactly once and no duplicates: got "${s}".`,
      );
    }
  });
  const spatial = (s: string, [a, b]: string[]) =>
    [...s]
      .filter((c) => c !== a && c !== b)
      .sort()
      .join("");
  if (spatial(dn[0], pairs[0]) !== spatial(dn[1], pairs[1]) || spatial(dn[1], pairs[1]) !== spatial(dn[2], pairs[2])) {
    throw new ArgumentTypeError(
      `[${op}] dimension_numbers elements must each have the same set of spatial characters: got ${describeValue(dn)}.`,
    );
  }
  const rhs = dn[1];
  return dn.map((s, i) => {
    const [a, b] = pairs[i];
    let sp = range(s.length).filter((k) => s[k] !== a && s[k] !== b);
    if (i !== 1) sp = sp.sort((x, y) => rhs.indexOf(s[x]) - rhs.indexOf(s[y]));
    return [s.indexOf(a), s.indexOf(b), ...sp];
  }) as [number[], number[], number[]];
}

/** `dimension_numbers` as [lhsSpec, rhsSpec, outSpec] axis lists. */
function dimensionSpecs(op: string, dn: unknown, ndim: number): [number[], number[], number[]] {
  if (dn === null || dn === undefined) return [range(ndim), range(ndim), range(ndim)];
  if (!dnCheck.test(dn)) {
    throw new ArgumentTypeError(`[${op}] dimension_numbers must be ${dnCheck.expected}: got ${describeValue(dn)}.`);
  }
  const v = dn as readonly unknown[];
  if (typeof v[0] === "string") return specsFromStrings(op, v as string[], ndim);
  const specs = (v as number[][]).map((s) => [...s]);
  for (const s of specs) {
    if (s.length !== ndim || [...s].sort((a, b) => a - b).some((a, i) => a !== i)) {
      throw new ShapeError(
        `[${op}] each of dimension_numbers must be a permutation of the ${ndim} axes: got ${shapeStr(s)}.`,
      );
    }
  }
  return specs as [number[], number[], number[]];
}

function convOperands(op: string, lhs: unknown, rhs: unknown, preferred: DType | null | undefined): [NdArray, NdArray] {
  let l = asArray(lhs, undefined, op);
  let r = asArray(rhs, undefined, op);
  if (l.ndim !== r.ndim || l.ndim < 2) {
    throw new ShapeError(
      `[${op}] lhs and rhs must have the same number of dimensions (at least 2): got ${l.aval.str()} and ${r.aval.str()}.`,
    );
  }
  if (preferred) {
    l = convert(l, preferred);
    r = convert(r, preferred);
  }
  return [l, r];
}

/** Options of `lax.convGeneralDilated`. */
export interface ConvGeneralDilatedOptions {
  /** Dilation of lhs per spatial axis (a transposed convolution); null: ones. */
  lhsDilation?: readonly number[] | null;
  /** Dilation of rhs per spatial axis (atrous convolution); null: ones. */
  rhsDilation?: readonly number[] | null;
  /** Layouts; null: ("NC...", "OI...", "NC..."). */
  dimensionNumbers?: ConvDimensionNumbers | null;
  /** Input features split into this many groups, each convolved with its share of the output features (depthwise: the feature count). */
  featureGroupCount?: number;
  /** The batch split into this many groups, each convolved with its share of the output features (a kernel's gradient). */
  batchGroupCount?: number;
  /** Accepted for JAX compatibility: cotangent computes at the dtype's full precision. */
  precision?: Precision;
  /** The dtype to compute in and return (operands are converted to it). */
  preferredElementType?: DType | null;
}
const convGeneralOptions = defineOptions(
  "lax.convGeneralDilated",
  {
    lhsDilation: orNull(positiveList),
    rhsDilation: orNull(positiveList),
    dimensionNumbers: orNull(dnCheck),
    featureGroupCount: is.positiveInt,
    batchGroupCount: is.positiveInt,
    precision: precisionCheck,
    preferredElementType: orNull(is.dtype),
  },
  [
    "lhsDilation",
    "rhsDilation",
    "dimensionNumbers",
    "featureGroupCount",
    "batchGroupCount",
    "precision",
    "preferredElementType",
  ],
);

type ConvGeneralArgs = OptArgs<
  [
    (readonly number[] | null)?,
    (readonly number[] | null)?,
    (ConvDimensionNumbers | null)?,
    number?,
    number?,
    Precision?,
    (DType | null)?,
  ],
  ConvGeneralDilatedOptions
>;

/**
 * `lax.conv_general_dilated(lhs, rhs, window_strides, padding, lhs_dilation=None, rhs_dilation=None,
 * dimension_numbers=None, feature_group_count=1, batch_group_count=1, precision=None, preferred_element_type=None)`:
 * the general N-d convolution (a cross-correlation, as in XLA). Window strides, dilations and explicit padding
 * follow the spatial axes in rhs's layout order.
 * @example
 * // x: [batch, channels, h, w], k: [out channels, in channels, kh, kw]
 * lax.convGeneralDilated(x, k, [1, 1], "SAME")
 * lax.convGeneralDilated(x, k, [2, 2], [[1, 1], [1, 1]], { dimensionNumbers: ["NHWC", "HWIO", "NHWC"] })
 */
export function convGeneralDilated(
  lhs: ArrayLike,
  rhs: ArrayLike,
  windowStrides: readonly number[],
  padding: ConvPadding,
  ...args: ConvGeneralArgs
): NdArray {
  const op = "lax.convGeneralDilated";
  const o = convGeneralOptions.parse(args);
  const [l, r] = convOperands(op, lhs, rhs, o.preferredElementType);
  const sp = l.ndim - 2;
  const [lhsSpec, rhsSpec, outSpec] = dimensionSpecs(op, o.dimensionNumbers, l.ndim);
  const strides = positiveInts(op, windowStrides, sp, "window_strides");
  const lhsDilation = o.lhsDilation
    ? positiveInts(op, o.lhsDilation, sp, "lhs_dilation")
    : new Array<number>(sp).fill(1);
  const rhsDilation = o.rhsDilation
    ? positiveInts(op, o.rhsDilation, sp, "rhs_dilation")
    : new Array<number>(sp).fill(1);
  if (typeof padding === "string" && lhsDilation.some((d) => d !== 1)) {
    throw new ArgumentTypeError(
      `[${op}] String padding is not implemented for transposed convolution using this op: got padding "${padding}" ` +
        `with lhs_dilation ${shapeStr(lhsDilation)}. Please either exactly specify the required padding or use lax.convTranspose.`,
    );
  }
  const kernel = rhsSpec.slice(2).map((a, d) => dilateDim(r.aval.shape[a], rhsDilation[d]));
  const pads = padtypeToPads(
    op,
    lhsSpec.slice(2).map((a) => l.aval.shape[a]),
    kernel,
    strides,
    padding,
  );
  return convPrim(l, r, {
    windowStrides: strides,
    padding: pads,
    lhsDilation,
    rhsDilation,
    lhsSpec,
    rhsSpec,
    outSpec,
    featureGroupCount: o.featureGroupCount ?? 1,
    batchGroupCount: o.batchGroupCount ?? 1,
  });
}

/** Options of `lax.conv`. */
export interface ConvOptions {
  /** Accepted for JAX compatibility: cotangent computes at the dtype's full precision. */
  precision?: Precision;
  /** The dtype to compute in and return (operands are converted to it). */
  preferredElementType?: DType | null;
}
const convOptions = defineOptions("lax.conv", { precision: precisionCheck, preferredElementType: orNull(is.dtype) }, [
  "precision",
  "preferredElementType",
]);

/**
 * `lax.conv(lhs, rhs, window_strides, padding, precision=None, preferred_element_type=None)`:
 * convolution in the layouts NC... (lhs, out) and OI... (rhs).
 * @example lax.conv(x, k, [1, 1], "VALID") // x: [n, c, h, w], k: [o, c, kh, kw]
 */
export function conv(
  lhs: ArrayLike,
  rhs: ArrayLike,
  windowStrides: readonly number[],
  padding: ConvPadding,
  ...args: OptArgs<[Precision?, (DType | null)?], ConvOptions>
): NdArray {
  const o = convOptions.parse(args);
  return convGeneralDilated(lhs, rhs, windowStrides, padding, {
    precision: o.precision ?? null,
    preferredElementType: o.preferredElementType ?? null,
  });
}

/** JAX's _conv_transpose_padding: the padding of the fractionally strided convolution. */
function convTransposePadding(
  k: number,
  s: number,
  padding: "SAME" | "VALID" | readonly [number, number],
): [number, number] {
  let len: number;
  let a: number;
  if (padding === "SAME") {
    len = k + s - 2;
    a = s > k - 1 ? k - 1 : Math.ceil(len / 2);
  } else if (padding === "VALID") {
    len = k + s - 2 + Math.max(k - s, 0);
    a = k - 1;
  } else {
    a = k - padding[0] - 1;
    len = a + (k - padding[1] - 1);
  }
  return [a, len - a];
}

/** Options of `lax.convTranspose`. */
export interface ConvTransposeOptions {
  /** Dilation of the kernel per spatial axis; null: ones. */
  rhsDilation?: readonly number[] | null;
  /** Layouts; null: TensorFlow's ("NHWC", "HWIO", "NHWC") for the rank. */
  dimensionNumbers?: ConvDimensionNumbers | null;
  /** Flip the kernel's spatial axes and swap its I and O axes (Keras's Conv2DTranspose). */
  transposeKernel?: boolean;
  /** Accepted for JAX compatibility: cotangent computes at the dtype's full precision. */
  precision?: Precision;
  /** The dtype to compute in and return (operands are converted to it). */
  preferredElementType?: DType | null;
  /** Pairs are the forward convolution's padding (as strings always are), as PyTorch. */
  useConsistentPadding?: boolean;
}
const convTransposeOptions = defineOptions(
  "lax.convTranspose",
  {
    rhsDilation: orNull(positiveList),
    dimensionNumbers: orNull(dnCheck),
    transposeKernel: is.bool,
    precision: precisionCheck,
    preferredElementType: orNull(is.dtype),
    useConsistentPadding: is.bool,
  },
  ["rhsDilation", "dimensionNumbers", "transposeKernel", "precision", "preferredElementType", "useConsistentPadding"],
);

const DEFAULT_TRANSPOSE_DN: Record<number, [string, string, string]> = {
  2: ["NC", "IO", "NC"],
  3: ["NHC", "HIO", "NHC"],
  4: ["NHWC", "HWIO", "NHWC"],
  5: ["NHWDC", "HWDIO", "NHWDC"],
};

/**
 * `lax.conv_transpose(lhs, rhs, strides, padding, rhs_dilation=None, dimension_numbers=None,
 * transpose_kernel=False, precision=None, preferred_element_type=None, use_consistent_padding=False)`:
 * the fractionally strided ("deconvolution") N-d convolution; layouts default to TensorFlow's.
 * @example lax.convTranspose(x, k, [2, 2], "SAME") // x: [n, h, w, c], k: [kh, kw, c, o] → [n, 2h, 2w, o]
 */
export function convTranspose(
  lhs: ArrayLike,
  rhs: ArrayLike,
  strides: readonly number[],
  padding: ConvPadding,
  ...args: OptArgs<
    [(readonly number[] | null)?, (ConvDimensionNumbers | null)?, boolean?, Precision?, (DType | null)?, boolean?],
    ConvTransposeOptions
  >
): NdArray {
  const op = "lax.convTranspose";
  const o = convTransposeOptions.parse(args);
  const [l, r0] = convOperands(op, lhs, rhs, o.preferredElementType);
  let r = r0;
  const nd = l.ndim;
  const sp = nd - 2;
  let dn = o.dimensionNumbers;
  if (dn === null || dn === undefined) {
    if (!(nd in DEFAULT_TRANSPOSE_DN)) {
      throw new ShapeError(
        `[${op}] No 4+ dimensional dimension_number defaults: got operands of rank ${nd}. Give dimensionNumbers.`,
      );
    }
    dn = DEFAULT_TRANSPOSE_DN[nd];
  }
  const specs = dimensionSpecs(op, dn, nd);
  const rhsSpec = specs[1];
  const s = positiveInts(op, strides, sp, "strides");
  const rhsDilation = o.rhsDilation
    ? positiveInts(op, o.rhsDilation, sp, "rhs_dilation")
    : new Array<number>(sp).fill(1);
  const k = rhsSpec.slice(2).map((a, d) => dilateDim(r.aval.shape[a], rhsDilation[d]));
  let pads: [number, number][];
  if (padding === "SAME" || padding === "VALID") {
    pads = k.map((kd, d) => convTransposePadding(kd, s[d], padding));
  } else {
    const given = explicitPads(op, padding, sp);
    pads = o.useConsistentPadding ? k.map((kd, d) => convTransposePadding(kd, s[d], given[d])) : given;
  }
  if (o.transposeKernel) {
    // Flip the spatial axes and swap the input and output feature axes.
    r = rev(r, rhsSpec.slice(2));
    const perm = range(nd);
    perm[rhsSpec[0]] = rhsSpec[1];
    perm[rhsSpec[1]] = rhsSpec[0];
    r = transpose(r, perm);
  }
  return convGeneralDilated(l, r, new Array<number>(sp).fill(1), pads, {
    lhsDilation: s,
    rhsDilation,
    dimensionNumbers: specs,
  });
}
