/**
 * Unary elementwise primitives. Each row: the derivative, as a function of the
 * input `x` and the output `y`; the values are the op table's operation of the
 * same name (kernel/ops.ts). Names are JAX's lax primitive names.
 */
import { ShapedArray } from "../core/aval.js";
import { NdArray } from "../core/array.js";
import { isFloat, SHORT_NAME } from "../core/dtypes.js";
import { DTypeError } from "../core/errors.js";
import { definePrimitive, type Primitive } from "../core/primitive.js";
import { bind1, Zero } from "../core/trace.js";
import type { UnaryOpName } from "../kernel/ops.js";
import { lowerUnary } from "../ir/stablehlo-elementwise.js";
import { add, convert, div, ge, mul, scalarLike, sub } from "./elementwise.js";

type Deriv = (x: NdArray, y: NdArray) => NdArray;

interface UnarySpec {
  name: UnaryOpName;
  /** dy/dx; "zero" for piecewise-constant functions; omitted for bool results (no tangent space). */
  deriv?: Deriv | "zero";
  /** Linear functions transpose to themselves (neg). */
  selfTranspose?: boolean;
  /** Accepts integer operands too (neg, abs, sign, not). */
  ints?: boolean;
  /** Accepts bool operands (not). */
  bools?: boolean;
  /** The output is bool (is_finite). */
  boolOut?: boolean;
}

function defineUnary(spec: UnarySpec): Primitive {
  // One object for every call: eager dispatch allocates nothing to lower.
  const lowering = { name: "unary", op: spec.name } as const;
  const prim: Primitive = definePrimitive({
    name: spec.name,
    abstractEval([x]) {
      const ok = isFloat(x.dtype) || (spec.ints && x.dtype !== "bool") || (spec.bools === true && x.dtype === "bool");
      if (!ok) {
        throw new DTypeError(
          `[${spec.name}] unsupported dtype: got ${SHORT_NAME[x.dtype]}, expected a floating-point operand. ` +
            `The numpy functions convert integers to float for you; with lax, use .astype("float32").`,
        );
      }
      return spec.boolOut ? new ShapedArray(x.shape, "bool") : x;
    },
    lower: () => lowering,
    jvp:
      spec.deriv === undefined
        ? "zero"
        : ([x], [t]) => {
            const y = bind1(prim, [x]);
            if (spec.deriv === "zero" || t instanceof Zero) return [y, new Zero(y.aval)];
            return [y, mul(t, (spec.deriv as Deriv)(x, y))];
          },
    transpose: spec.selfTranspose ? (ct) => [bind1(prim, [ct])] : undefined,
    vmap: ([x], [d]) => [bind1(prim, [x]), d],
    stablehlo: (c, [x]) => lowerUnary(c, spec.name, x),
  });
  return prim;
}

const c = scalarLike;
const u = (p: Primitive) => (x: NdArray) => bind1(p, [x]);

export const negP = defineUnary({
  name: "neg",
  ints: true,
  deriv: (x) => c(-1, x),
  selfTranspose: true,
});
export const neg = u(negP);

export const sinP = defineUnary({ name: "sin", deriv: (x) => cos(x) });
export const cosP = defineUnary({ name: "cos", deriv: (x) => neg(sin(x)) });
// d tan = 1 + tan²
export const tanP = defineUnary({ name: "tan", deriv: (_x, y) => add(c(1, y), mul(y, y)) });
// d asin = 1/√(1-x²), d acos = -1/√(1-x²), d atan = 1/(1+x²)
export const asinP = defineUnary({ name: "asin", deriv: (x) => rsqrt(sub(c(1, x), mul(x, x))) });
export const acosP = defineUnary({ name: "acos", deriv: (x) => neg(rsqrt(sub(c(1, x), mul(x, x)))) });
export const atanP = defineUnary({ name: "atan", deriv: (x) => div(c(1, x), add(c(1, x), mul(x, x))) });
export const sinhP = defineUnary({ name: "sinh", deriv: (x) => cosh(x) });
export const coshP = defineUnary({ name: "cosh", deriv: (x) => sinh(x) });
// d tanh = (1 + tanh)(1 - tanh), JAX's form (accurate where tanh → ±1)
export const tanhP = defineUnary({
  name: "tanh",
  deriv: (_x, y) => mul(add(c(1, y), y), sub(c(1, y), y)),
});
// d asinh = 1/√(x²+1), d acosh = 1/√(x²-1), d atanh = 1/(1-x²)
export const asinhP = defineUnary({ name: "asinh", deriv: (x) => rsqrt(add(mul(x, x), c(1, x))) });
export const acoshP = defineUnary({ name: "acosh", deriv: (x) => rsqrt(sub(mul(x, x), c(1, x))) });
// JAX's form: 1/(1+x) · 1/(1-x), so each factor is exact and ±1 give ∞
export const atanhP = defineUnary({
  name: "atanh",
  deriv: (x) => div(div(c(1, x), add(c(1, x), x)), sub(c(1, x), x)),
});

// d exp = exp, d exp2 = exp2·ln 2, d log = 1/x, d log1p = 1/(1+x), d expm1 = expm1 + 1
export const expP = defineUnary({ name: "exp", deriv: (_x, y) => y });
export const exp2P = defineUnary({ name: "exp2", deriv: (_x, y) => mul(y, c(Math.LN2, y)) });
export const logP = defineUnary({ name: "log", deriv: (x) => div(c(1, x), x) });
export const log1pP = defineUnary({ name: "log1p", deriv: (x) => div(c(1, x), add(c(1, x), x)) });
export const expm1P = defineUnary({ name: "expm1", deriv: (_x, y) => add(y, c(1, y)) });

// d √x = 1/(2√x), d x^(-1/2) = -x^(-1/2)/(2x), d ∛x = 1/(3∛x²): JAX's forms, so x = 0 gives ∞ (not NaN)
export const sqrtP = defineUnary({ name: "sqrt", deriv: (_x, y) => div(c(0.5, y), y) });
export const rsqrtP = defineUnary({
  name: "rsqrt",
  deriv: (x, y) => mul(c(-0.5, y), div(y, x)),
});
export const cbrtP = defineUnary({ name: "cbrt", deriv: (_x, y) => div(c(1 / 3, y), mul(y, y)) });

// d |x| = 1 for x ≥ 0 (0 included, as JAX: select(x >= 0, g, -g)), -1 below; sign, floor, ceil,
// round have zero derivative (JAX's defjvp_zero).
export const absP = defineUnary({
  name: "abs",
  ints: true,
  deriv: (x) => sub(mul(c(2, x), convert(ge(x, c(0, x)), x.dtype)), c(1, x)),
});
export const signP = defineUnary({ name: "sign", ints: true, deriv: "zero" });
export const floorP = defineUnary({ name: "floor", deriv: "zero" });
export const ceilP = defineUnary({ name: "ceil", deriv: "zero" });
/** Rounds half away from zero (JAX's `lax.round` default); np.round rounds half to even. */
export const roundP = defineUnary({ name: "round", deriv: "zero" });
/** Rounds half to even, as `jnp.round`. */
export const roundEvenP = defineUnary({
  name: "round_even",
  deriv: "zero",
});
export const truncP = defineUnary({ name: "trunc", deriv: "zero" });

// d erf = 2/√π·e^(-x²), d erfc = -d erf, d erf⁻¹ = √π/2·e^(y²)
const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);
export const erfP = defineUnary({
  name: "erf",
  deriv: (x) => mul(c(TWO_OVER_SQRT_PI, x), exp(neg(mul(x, x)))),
});
export const erfcP = defineUnary({
  name: "erfc",
  deriv: (x) => mul(c(-TWO_OVER_SQRT_PI, x), exp(neg(mul(x, x)))),
});
export const erfInvP = defineUnary({
  name: "erf_inv",
  deriv: (_x, y) => mul(c(Math.sqrt(Math.PI) / 2, y), exp(mul(y, y))),
});
// d lgamma = digamma, d digamma = polygamma(1, ·)
export const lgammaP = defineUnary({ name: "lgamma", deriv: (x) => digamma(x) });
export const digammaP = defineUnary({ name: "digamma", deriv: (x) => polygamma(1, x) });
// d logistic = y(1 - y)
export const logisticP = defineUnary({
  name: "logistic",
  deriv: (_x, y) => mul(y, sub(c(1, y), y)),
});

export const isFiniteP = defineUnary({ name: "is_finite", boolOut: true });
export const notP = defineUnary({ name: "not", ints: true, bools: true });

// --- polygamma(n, x): n is a static parameter ---------------------------------

interface PolygammaParams {
  n: number;
}
export const polygammaP: Primitive = definePrimitive<PolygammaParams>({
  name: "polygamma",
  abstractEval: ([x]) => x,
  lower: (_avals, { n }) => ({ name: "polygamma", n }),
  // d ψ⁽ⁿ⁾ = ψ⁽ⁿ⁺¹⁾
  jvp: ([x], [t], { n }) => [polygamma(n, x), mul(t as NdArray, polygamma(n + 1, x))],
  vmap: ([x], [d], p) => [bind1(polygammaP as Primitive, [x], p as never), d],
  stablehlo: (c, [x], { n }) =>
    c.generic("chlo.polygamma", [c.full(n, c.inAvals[0]), x], [c.inAvals[0], c.inAvals[0]], c.outAvals, "")[0],
});

export function polygamma(n: number, x: NdArray): NdArray {
  return n === 0 ? digamma(x) : bind1(polygammaP as Primitive, [x], { n });
}

export const sin = u(sinP);
export const cos = u(cosP);
export const tan = u(tanP);
export const asin = u(asinP);
export const acos = u(acosP);
export const atan = u(atanP);
export const sinh = u(sinhP);
export const cosh = u(coshP);
export const tanh = u(tanhP);
export const asinh = u(asinhP);
export const acosh = u(acoshP);
export const atanh = u(atanhP);
export const exp = u(expP);
export const exp2 = u(exp2P);
export const log = u(logP);
export const log1p = u(log1pP);
export const expm1 = u(expm1P);
export const sqrt = u(sqrtP);
export const rsqrt = u(rsqrtP);
export const cbrt = u(cbrtP);
export const abs = u(absP);
export const sign = u(signP);
export const floor = u(floorP);
export const ceil = u(ceilP);
export const round = u(roundP);
export const roundEven = u(roundEvenP);
export const trunc = u(truncP);
export const erf = u(erfP);
export const erfc = u(erfcP);
export const erfInv = u(erfInvP);
export const lgamma = u(lgammaP);
export const digamma = u(digammaP);
export const logistic = u(logisticP);
export const isFinite = u(isFiniteP);
export const not = u(notP);
