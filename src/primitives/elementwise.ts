/**
 * Binary elementwise primitives with NumPy broadcasting (arithmetic,
 * comparisons, logic, bit operations), select_n and convert_element_type.
 * Operands of a binary primitive share one dtype; the numpy layer promotes.
 */
import { upload } from "../backends/api.js";
import "./hooks.js";
import { ShapedArray, shapesEqual, type Shape } from "../core/aval.js";
import { NdArray } from "../core/array.js";
import { allocate, isFloat, isInteger, SHORT_NAME, type DType } from "../core/dtypes.js";
import { DTypeError } from "../core/errors.js";
import { definePrimitive, UndefinedPrimal, type BatchDim, type Primitive } from "../core/primitive.js";
import { allZero, bind1, Zero, type MaybeZero } from "../core/trace.js";
import type { BinaryOpName } from "../kernel/ops.js";
import { alignElementwise } from "./batching.js";
import { broadcastShapes } from "./shapes.js";
import { broadcastTo, reshape } from "./structural.js";
import { reduceSum } from "./reduce.js";
import { NonLinearError } from "../interpreters/transpose.js";
import { log, neg, trunc } from "./unary.js";
import { lowerBinary, lowerConvert, lowerSelectN } from "../ir/stablehlo-elementwise.js";

type Kind = "float" | "int" | "bool";
const kindOf = (d: DType): Kind => (isFloat(d) ? "float" : isInteger(d) ? "int" : "bool");

function checkSameDtype(name: string, avals: ShapedArray[], allowed: Kind[]): void {
  const d = avals[0].dtype;
  for (const a of avals) {
    if (a.dtype !== d) {
      throw new DTypeError(
        `[${name}] operands must have the same dtype: got ${avals.map((x) => x.str()).join(" and ")}, expected equal dtypes. ` +
          `The numpy functions (np.${name === "sub" ? "subtract" : name}) promote for you; with lax, convert first with .astype().`,
      );
    }
  }
  if (!allowed.includes(kindOf(d))) {
    throw new DTypeError(
      `[${name}] unsupported dtype: got ${SHORT_NAME[d]}, expected ${allowed.join(" or ")} operands.`,
    );
  }
}

/** Sums a cotangent over the axes along which an operand of `shape` was broadcast. */
export function unbroadcast(ct: NdArray, shape: Shape): NdArray {
  if (shapesEqual(ct.aval.shape, shape)) return ct;
  const lead = ct.ndim - shape.length;
  const axes: number[] = [];
  for (let i = 0; i < ct.ndim; i++) {
    if (i < lead || (shape[i - lead] === 1 && ct.aval.shape[i] !== 1)) axes.push(i);
  }
  return reshape(reduceSum(ct, axes), shape);
}

function vmapElementwise(prim: Primitive) {
  return (args: NdArray[], dims: BatchDim[], params: Record<string, unknown>): [NdArray, BatchDim] => [
    bind1(prim, alignElementwise(args, dims), params),
    0,
  ];
}

/** A binary primitive: its operation in the op table (kernel/ops.ts) has its name. */
interface BinarySpec {
  name: BinaryOpName;
  kinds: Kind[];
  /** Output dtype when not the operands' (comparisons give bool). */
  outDtype?: DType;
  jvp?: (x: NdArray, y: NdArray, tx: MaybeZero, ty: MaybeZero, out: NdArray) => MaybeZero;
  transpose?: (ct: NdArray, x: NdArray | UndefinedPrimal, y: NdArray | UndefinedPrimal) => (MaybeZero | null)[];
}

function defineBinary(spec: BinarySpec): Primitive {
  // One object for every call: eager dispatch allocates nothing to lower.
  const lowering = { name: "binary", op: spec.name } as const;
  const prim: Primitive = definePrimitive({
    name: spec.name,
    abstractEval([x, y]) {
      checkSameDtype(spec.name, [x, y], spec.kinds);
      const shape = broadcastShapes(spec.name, x.shape, y.shape);
      const dtype = spec.outDtype ?? x.dtype;
      return new ShapedArray(shape, dtype, !spec.outDtype && x.weakType && y.weakType);
    },
    lower: () => lowering,
    jvp: spec.jvp
      ? ([x, y], [tx, ty]) => {
          const out = bind1(prim, [x, y]);
          return [out, fitTangent(spec.jvp!(x, y, tx, ty, out), out)];
        }
      : "zero",
    transpose: spec.transpose ? (ct, [x, y]) => spec.transpose!(ct, x, y) : undefined,
    vmap: (args, dims) => vmapElementwise(prim)(args, dims, {}),
    stablehlo: (c, xs) => lowerBinary(c, spec.name, xs),
  });
  return prim;
}

/** A tangent broadcast to the output's shape (a term may cover only one operand's shape). */
function fitTangent(t: MaybeZero, out: NdArray): MaybeZero {
  if (t instanceof Zero) return new Zero(out.aval);
  return shapesEqual(t.aval.shape, out.aval.shape) ? t : broadcastTo(t, out.aval.shape);
}

/** Sum of tangent terms, any of which may be a symbolic zero. */
function addTangents(a: MaybeZero, b: MaybeZero): MaybeZero {
  if (a instanceof Zero) return b;
  if (b instanceof Zero) return a;
  return add(a, b);
}

const nonLinear = (name: string): NonLinearError =>
  new NonLinearError(
    `[transpose] ${name} of two tangents is not linear: got a tangent on both sides of ${name}, expected at most one. ` +
      `A custom JVP rule must return tangents that are linear in the input tangents.`,
  );

const ct2 = (ct: NdArray, x: NdArray | UndefinedPrimal, y: NdArray | UndefinedPrimal, cx: NdArray, cy: NdArray) => [
  x instanceof UndefinedPrimal ? unbroadcast(cx, x.aval.shape) : null,
  y instanceof UndefinedPrimal ? unbroadcast(cy, y.aval.shape) : null,
];

export const addP = defineBinary({
  name: "add",
  kinds: ["float", "int"],
  jvp: (_x, _y, tx, ty) => addTangents(tx, ty),
  transpose: (ct, x, y) => ct2(ct, x, y, ct, ct),
});

export const subP = defineBinary({
  name: "sub",
  kinds: ["float", "int"],
  jvp: (_x, _y, tx, ty) => addTangents(tx, ty instanceof Zero ? ty : neg(ty)),
  transpose: (ct, x, y) => ct2(ct, x, y, ct, y instanceof UndefinedPrimal ? neg(ct) : ct),
});

export const mulP = defineBinary({
  name: "mul",
  kinds: ["float", "int"],
  jvp: (x, y, tx, ty) => addTangents(tx instanceof Zero ? tx : mul(tx, y), ty instanceof Zero ? ty : mul(x, ty)),
  transpose(ct, x, y) {
    if (x instanceof UndefinedPrimal && y instanceof UndefinedPrimal) throw nonLinear("mul");
    if (x instanceof UndefinedPrimal) return [unbroadcast(mul(ct, y as NdArray), x.aval.shape), null];
    return [null, unbroadcast(mul(x as NdArray, ct), (y as UndefinedPrimal).aval.shape)];
  },
});

export const divP = defineBinary({
  name: "div",
  kinds: ["float", "int"],
  // d(x/y) = dx/y - dy·x/y² = (dx - dy·out)/y
  jvp: (x, y, tx, ty, out) =>
    addTangents(tx instanceof Zero ? tx : div(tx, y), ty instanceof Zero ? ty : neg(div(mul(ty, out), y))),
  transpose(ct, x, y) {
    if (y instanceof UndefinedPrimal) throw nonLinear("div (by a tangent)");
    return [unbroadcast(div(ct, y), (x as UndefinedPrimal).aval.shape), null];
  },
});

export const remP = defineBinary({
  name: "rem",
  kinds: ["float", "int"],
  // rem(x, y) = x - y·trunc(x/y): d = dx - dy·trunc(x/y)
  jvp: (x, y, tx, ty) => addTangents(tx, ty instanceof Zero ? ty : neg(mul(ty, trunc(div(x, y))))),
});

/** d x^y = y·x^(y-1)·dx + log(x)·x^y·dy, with JAX's care at x = 0 and y = 0. */
function powJvp(x: NdArray, y: NdArray, tx: MaybeZero, ty: MaybeZero, out: NdArray): MaybeZero {
  const zero = scalarLike(0, x);
  const one = scalarLike(1, x);
  let tOut: MaybeZero = new Zero(out.aval);
  if (!(tx instanceof Zero)) {
    const jac = selectN(eq(y, zero), [mul(y, pow(x, sub(y, one))), broadcastTo(zero, out.aval.shape)]);
    tOut = addTangents(tOut, mul(tx, jac));
  }
  if (!(ty instanceof Zero)) {
    const safeX = selectN(eq(x, zero), [x, broadcastTo(one, x.aval.shape)]);
    const jac = selectN(eq(x, zero), [mul(log(safeX), out), broadcastTo(zero, out.aval.shape)]);
    tOut = addTangents(tOut, mul(ty, jac));
  }
  return tOut;
}

export const powP = defineBinary({ name: "pow", kinds: ["float", "int"], jvp: powJvp });

/** max/min: the derivative goes to the chosen operand, split in half at ties (as JAX). */
function chooserJvp(pick: (x: NdArray, y: NdArray) => NdArray) {
  return (x: NdArray, y: NdArray, tx: MaybeZero, ty: MaybeZero, out: NdArray): MaybeZero => {
    const half = scalarLike(0.5, out);
    const wx = selectN(eq(x, y), [convert(pick(x, y), out.dtype), broadcastTo(half, out.aval.shape)]);
    const wy = sub(scalarLike(1, out), wx);
    return addTangents(tx instanceof Zero ? tx : mul(tx, wx), ty instanceof Zero ? ty : mul(ty, wy));
  };
}

export const maxP = defineBinary({
  name: "max",
  kinds: ["float", "int", "bool"],
  jvp: chooserJvp((x, y) => gt(x, y)),
});
export const minP = defineBinary({
  name: "min",
  kinds: ["float", "int", "bool"],
  jvp: chooserJvp((x, y) => lt(x, y)),
});

/** d atan2(x, y) = (y·dx - x·dy) / (x² + y²) */
export const atan2P = defineBinary({
  name: "atan2",
  kinds: ["float"],
  jvp: (x, y, tx, ty) => {
    const denom = add(mul(x, x), mul(y, y));
    return addTangents(
      tx instanceof Zero ? tx : div(mul(tx, y), denom),
      ty instanceof Zero ? ty : neg(div(mul(ty, x), denom)),
    );
  },
});

const cmp = (name: BinaryOpName) => defineBinary({ name, kinds: ["float", "int", "bool"], outDtype: "bool" });
export const eqP = cmp("eq");
export const neP = cmp("ne");
export const ltP = cmp("lt");
export const leP = cmp("le");
export const gtP = cmp("gt");
export const geP = cmp("ge");

export const andP = defineBinary({ name: "and", kinds: ["bool", "int"] });
export const orP = defineBinary({ name: "or", kinds: ["bool", "int"] });
export const xorP = defineBinary({ name: "xor", kinds: ["bool", "int"] });
export const shiftLeftP = defineBinary({
  name: "shift_left",
  kinds: ["int"],
});
export const shiftRightLogicalP = defineBinary({
  name: "shift_right_logical",
  kinds: ["int"],
});
export const shiftRightArithmeticP = defineBinary({
  name: "shift_right_arithmetic",
  kinds: ["int"],
});

// Binary function wrappers (operands already share a dtype).
const b2 = (p: Primitive) => (x: NdArray, y: NdArray) => bind1(p, [x, y]);
export const add = b2(addP);
export const sub = b2(subP);
export const mul = b2(mulP);
export const div = b2(divP);
export const rem = b2(remP);
export const pow = b2(powP);
export const max = b2(maxP);
export const min = b2(minP);
export const atan2 = b2(atan2P);
export const eq = b2(eqP);
export const ne = b2(neP);
export const lt = b2(ltP);
export const le = b2(leP);
export const gt = b2(gtP);
export const ge = b2(geP);
export const and = b2(andP);
export const or = b2(orP);
export const xor = b2(xorP);
export const shiftLeft = b2(shiftLeftP);
export const shiftRightLogical = b2(shiftRightLogicalP);
export const shiftRightArithmetic = b2(shiftRightArithmeticP);

/** A weak scalar of `like`'s dtype (for constants inside rules). */
export function scalarLike(v: number, like: NdArray | ShapedArray): NdArray {
  const dtype = like instanceof NdArray ? like.dtype : like.dtype;
  const data = allocate(dtype, 1);
  data[0] = v;
  return upload(new ShapedArray([], dtype, true), data);
}

const SELECT = { name: "select" } as const;
const CONVERT = { name: "convert" } as const;

// --- select_n ------------------------------------------------------------------

/** select_n(pred, *cases): cases[pred] elementwise; pred is bool (two cases) or int32. */
export const selectNP: Primitive = definePrimitive({
  name: "select_n",
  abstractEval([pred, ...cases]) {
    if (pred.dtype !== "bool" && pred.dtype !== "int32") {
      throw new DTypeError(
        `[select_n] the predicate must be bool or int32: got ${pred.str()}, expected a boolean array (np.where(cond, x, y)).`,
      );
    }
    checkSameDtype("select_n", cases, ["float", "int", "bool"]);
    const shape = broadcastShapes("select_n", pred.shape, ...cases.map((c) => c.shape));
    return new ShapedArray(
      shape,
      cases[0].dtype,
      cases.every((c) => c.weakType),
    );
  },
  lower: () => SELECT,
  jvp([pred, ...cases], [, ...tangents]) {
    const out = selectN(pred, cases);
    if (allZero(tangents)) return [out, new Zero(out.aval)];
    const ts = tangents.map((t, i) => (t instanceof Zero ? zerosOf(cases[i]) : t));
    return [out, selectN(pred, ts)];
  },
  transpose(ct, [pred, ...cases]) {
    const zero = zerosOf(ct);
    const out: (NdArray | null)[] = [null];
    cases.forEach((c, i) => {
      if (!(c instanceof UndefinedPrimal)) return out.push(null);
      const picks = cases.map((_, j) => (j === i ? ct : zero));
      out.push(unbroadcast(selectN(pred as NdArray, picks), c.aval.shape));
    });
    return out;
  },
  vmap: (args, dims) => vmapElementwise(selectNP)(args, dims, {}),
  stablehlo: (c, xs) => lowerSelectN(c, xs),
});

function zerosOf(x: NdArray): NdArray {
  return broadcastTo(scalarLike(0, x), x.aval.shape);
}

export function selectN(pred: NdArray, cases: NdArray[]): NdArray {
  return bind1(selectNP, [pred, ...cases]);
}

// --- convert_element_type --------------------------------------------------------

interface ConvertParams {
  newDtype: DType;
  weakType: boolean;
}

export const convertP: Primitive = definePrimitive<ConvertParams>({
  name: "convert_element_type",
  abstractEval: ([x], { newDtype, weakType }) => new ShapedArray(x.shape, newDtype, weakType),
  lower: () => CONVERT,
  jvp([x], [t], p) {
    const out = bind1(convertP as Primitive, [x], p as never);
    if (!isFloat(p.newDtype) || !isFloat(x.dtype) || t instanceof Zero) return [out, new Zero(out.aval)];
    return [out, bind1(convertP as Primitive, [t], p as never)];
  },
  transpose: (ct, [x]) => [convertTo(ct, (x as UndefinedPrimal).aval.dtype, (x as UndefinedPrimal).aval.weakType)],
  vmap: ([x], [d], p) => [bind1(convertP as Primitive, [x], p as never), d],
  printParams: ({ newDtype, weakType }) => ({ new_dtype: newDtype, sharding: null, weak_type: weakType }),
  stablehlo: (c, [x], { newDtype }) => lowerConvert(c, x, newDtype),
});

function convertTo(x: NdArray, dtype: DType, weakType: boolean): NdArray {
  if (x.dtype === dtype && x.weakType === weakType) return x;
  return bind1(convertP as Primitive, [x], { newDtype: dtype, weakType });
}

/** Converts to `dtype` (a strong type). */
export function convert(x: NdArray, dtype: DType, weakType = false): NdArray {
  return convertTo(x, dtype, weakType);
}
