/**
 * The variance-scaling initializers of `jax.nn.initializers`: fans (with a convolution's
 * receptive field), `varianceScaling`, and the Glorot, LeCun and He specializations.
 */
import type { DType } from "../core/dtypes.js";
import { ArgumentTypeError, ShapeError } from "../core/errors.js";
import { defineOptions, describeValue, either, is, noExtraArgs, orNull, type OptArgs } from "../core/options.js";
import * as np from "../numpy/index.js";
import * as random from "../random/index.js";
import { checkShape } from "../random/args.js";
import { normalizeAxis } from "../primitives/shapes.js";
import { makeInit, prod, renamed, scalar, type AxisSpec, type Initializer } from "./initializers-base.js";

/** The axes of one spec, normalised against the shape. */
function axesOf(op: string, spec: AxisSpec, ndim: number): number[] {
  return (typeof spec === "number" ? [spec] : [...spec]).map((a) => normalizeAxis(op, a, ndim));
}

const axisSpec = either(is.axis, is.axes);

/**
 * No JAX twin exported (JAX's private `_compute_fans`): the fan-in and fan-out of a
 * weights shape. Axes outside inAxis, outAxis and batchAxis form the receptive field
 * (a convolution's spatial axes): fanIn = in·rf, fanOut = out·rf, rf = Πshape / (in·out·batch).
 *
 * @example
 * nn.initializers.computeFans([3, 3, 16, 32]); // [144, 288]
 */
export function computeFans(
  shape: readonly number[],
  inAxis: AxisSpec = -2,
  outAxis: AxisSpec = -1,
  batchAxis: AxisSpec = [],
  ...rest: []
): [number, number] {
  const op = "nn.initializers.computeFans";
  noExtraArgs(op, rest);
  const s = renamed("computeFans", () => checkShape("computeFans", shape));
  if (inAxis === -2 && s.length <= 1) {
    throw new ShapeError(
      `[${op}] can't compute input and output sizes of a ${s.length}-dimensional weights tensor with the default inAxis: ` +
        `got shape [${s.join(", ")}], expected at least 2 dimensions. Pass inAxis explicitly.`,
    );
  }
  if (s.includes(0)) {
    throw new ShapeError(
      `[${op}] a weights shape with a zero dimension has no fans: got [${s.join(", ")}], expected positive sizes.`,
    );
  }
  for (const [name, spec] of [
    ["inAxis", inAxis],
    ["outAxis", outAxis],
    ["batchAxis", batchAxis],
  ] as const) {
    if (!axisSpec.test(spec)) {
      throw new ArgumentTypeError(`[${op}] ${name} must be an axis or a list of axes: got ${describeValue(spec)}.`);
    }
  }
  const size = (spec: AxisSpec): number => prod(axesOf(op, spec, s.length).map((a) => s[a]));
  const inSize = size(inAxis);
  const outSize = size(outAxis);
  const receptiveField = prod(s) / inSize / outSize / size(batchAxis);
  return [inSize * receptiveField, outSize * receptiveField];
}

/** The denominator n of variance = scale / n, per mode. */
export type FanMode = "fanIn" | "fanOut" | "fanAvg" | "fanGeoAvg";
/** The distribution of a variance-scaling initializer. */
export type Distribution = "truncatedNormal" | "normal" | "uniform";
const MODES: Record<string, FanMode> = {
  fanIn: "fanIn",
  fan_in: "fanIn",
  fanOut: "fanOut",
  fan_out: "fanOut",
  fanAvg: "fanAvg",
  fan_avg: "fanAvg",
  fanGeoAvg: "fanGeoAvg",
  fan_geo_avg: "fanGeoAvg",
};
const DISTRIBUTIONS: Record<string, Distribution> = {
  truncatedNormal: "truncatedNormal",
  truncated_normal: "truncatedNormal",
  normal: "normal",
  uniform: "uniform",
};

/** Options of `nn.initializers.varianceScaling` (after scale, mode, distribution). */
export interface VarianceScalingOptions extends FanOptions {
  /** The dtype of the weights. */
  dtype?: DType | null;
}
/** The axes options of the variance-scaling family. */
export interface FanOptions {
  /** The input axis or axes (default -2). */
  inAxis?: AxisSpec;
  /** The output axis or axes (default -1). */
  outAxis?: AxisSpec;
  /** Axes to ignore (default []). */
  batchAxis?: AxisSpec;
  /** The dtype of the weights. */
  dtype?: DType | null;
}
const fanChecks = { inAxis: axisSpec, outAxis: axisSpec, batchAxis: axisSpec, dtype: orNull(is.dtype) };
const fanOrder = ["inAxis", "outAxis", "batchAxis", "dtype"] as const;
const varianceScalingOptions = defineOptions("nn.initializers.varianceScaling", fanChecks, fanOrder);

/** The standard deviation of a standard normal truncated to (-2, 2). */
const TRUNCATED_STDDEV = 0.87962566103423978;

function lookupName<T>(op: string, what: string, table: Record<string, T>, v: unknown): T {
  if (typeof v === "string" && Object.hasOwn(table, v)) return table[v];
  const expected = Object.keys(table)
    .filter((k) => !k.includes("_"))
    .map((k) => JSON.stringify(k))
    .join(", ");
  throw new ArgumentTypeError(
    `[${op}] invalid ${what} for variance scaling initializer: got ${describeValue(v)}, expected one of ${expected} (or JAX's snake_case spelling).`,
  );
}

/**
 * `jax.nn.initializers.variance_scaling(scale, mode, distribution, in_axis=-2, out_axis=-1,
 * batch_axis=(), dtype=None)`: samples with standard deviation √(scale / n), n the fan-in,
 * fan-out, their mean or their geometric mean. Truncated normal draws on (-2, 2) divided by
 * 0.87962566103423978 (that truncation's standard deviation); uniform on [-1, 1)·√(3·variance).
 * Modes and distributions take camelCase (`"fanIn"`, `"truncatedNormal"`) or JAX's spellings.
 *
 * @example
 * const init = nn.initializers.varianceScaling(2, "fanIn", "normal");
 * init(random.key(0), [3, 3, 16, 32]).shape; // [3, 3, 16, 32]
 */
export function varianceScaling(
  scale: number,
  mode: FanMode | "fan_in" | "fan_out" | "fan_avg" | "fan_geo_avg",
  distribution: Distribution | "truncated_normal",
  ...args: OptArgs<[AxisSpec, AxisSpec, AxisSpec, DType | null], VarianceScalingOptions>
): Initializer {
  const op = "nn.initializers.varianceScaling";
  const o = varianceScalingOptions.parse(args);
  if (typeof scale !== "number" || Number.isNaN(scale)) {
    throw new ArgumentTypeError(`[${op}] scale must be a number: got ${describeValue(scale)}.`);
  }
  const m = lookupName(op, "mode", MODES, mode);
  const dist = lookupName(op, "distribution", DISTRIBUTIONS, distribution);
  return varianceScalingOf(op, scale, m, dist, o);
}

function varianceScalingOf(
  op: string,
  scale: number,
  mode: FanMode,
  dist: Distribution,
  o: VarianceScalingOptions,
): Initializer {
  return makeInit(op.slice("nn.initializers.".length), o.dtype, (key, shape, dtype) => {
    const [fanIn, fanOut] = computeFans(shape, o.inAxis ?? -2, o.outAxis ?? -1, o.batchAxis ?? []);
    const denominator =
      mode === "fanIn"
        ? fanIn
        : mode === "fanOut"
          ? fanOut
          : mode === "fanAvg"
            ? (fanIn + fanOut) / 2
            : (fanIn * fanOut) ** 0.5;
    // jnp.array(scale / denominator, dtype): the variance rounded to dtype before the sqrt.
    const variance = scalar(scale / denominator, dtype);
    if (dist === "truncatedNormal") {
      const stddev = np.divide(np.sqrt(variance), scalar(TRUNCATED_STDDEV, dtype));
      return np.multiply(random.truncatedNormal(key, -2, 2, shape, dtype), stddev);
    }
    if (dist === "normal") return np.multiply(random.normal(key, shape, dtype), np.sqrt(variance));
    return np.multiply(random.uniform(key, shape, dtype, -1), np.sqrt(np.multiply(3, variance)));
  });
}

type FanArgs = OptArgs<[AxisSpec, AxisSpec, AxisSpec, DType | null], FanOptions>;
function specialization(name: string, scale: number, mode: FanMode, dist: Distribution) {
  const options = defineOptions(`nn.initializers.${name}`, fanChecks, fanOrder);
  return (...args: FanArgs): Initializer =>
    varianceScalingOf(`nn.initializers.${name}`, scale, mode, dist, options.parse(args));
}

/**
 * `jax.nn.initializers.glorot_uniform(in_axis=-2, out_axis=-1, batch_axis=(), dtype=None)`:
 * varianceScaling(1, "fanAvg", "uniform").
 *
 * @example
 * nn.initializers.glorotUniform()(random.key(0), [64, 32]);
 */
export const glorotUniform = specialization("glorotUniform", 1, "fanAvg", "uniform");
/**
 * `jax.nn.initializers.glorot_normal(in_axis=-2, out_axis=-1, batch_axis=(), dtype=None)`:
 * varianceScaling(1, "fanAvg", "truncatedNormal").
 *
 * @example
 * nn.initializers.glorotNormal()(random.key(0), [64, 32]);
 */
export const glorotNormal = specialization("glorotNormal", 1, "fanAvg", "truncatedNormal");
/**
 * `jax.nn.initializers.lecun_uniform(in_axis=-2, out_axis=-1, batch_axis=(), dtype=None)`:
 * varianceScaling(1, "fanIn", "uniform").
 *
 * @example
 * nn.initializers.lecunUniform()(random.key(0), [64, 32]);
 */
export const lecunUniform = specialization("lecunUniform", 1, "fanIn", "uniform");
/**
 * `jax.nn.initializers.lecun_normal(in_axis=-2, out_axis=-1, batch_axis=(), dtype=None)`:
 * varianceScaling(1, "fanIn", "truncatedNormal").
 *
 * @example
 * nn.initializers.lecunNormal()(random.key(0), [64, 32]);
 */
export const lecunNormal = specialization("lecunNormal", 1, "fanIn", "truncatedNormal");
/**
 * `jax.nn.initializers.he_uniform(in_axis=-2, out_axis=-1, batch_axis=(), dtype=None)`:
 * varianceScaling(2, "fanIn", "uniform").
 *
 * @example
 * nn.initializers.heUniform()(random.key(0), [3, 3, 16, 32]);
 */
export const heUniform = specialization("heUniform", 2, "fanIn", "uniform");
/**
 * `jax.nn.initializers.he_normal(in_axis=-2, out_axis=-1, batch_axis=(), dtype=None)`:
 * varianceScaling(2, "fanIn", "truncatedNormal").
 *
 * @example
 * nn.initializers.heNormal()(random.key(0), [3, 3, 16, 32]);
 */
export const heNormal = specialization("heNormal", 2, "fanIn", "truncatedNormal");
/**
 * `jax.nn.initializers.xavier_uniform`: the same as {@link glorotUniform}.
 *
 * @example
 * nn.initializers.xavierUniform()(random.key(0), [64, 32]);
 */
export const xavierUniform = glorotUniform;
/**
 * `jax.nn.initializers.xavier_normal`: the same as {@link glorotNormal}.
 *
 * @example
 * nn.initializers.xavierNormal()(random.key(0), [64, 32]);
 */
export const xavierNormal = glorotNormal;
/**
 * `jax.nn.initializers.kaiming_uniform`: the same as {@link heUniform}.
 *
 * @example
 * nn.initializers.kaimingUniform()(random.key(0), [64, 32]);
 */
export const kaimingUniform = heUniform;
/**
 * `jax.nn.initializers.kaiming_normal`: the same as {@link heNormal}.
 *
 * @example
 * nn.initializers.kaimingNormal()(random.key(0), [64, 32]);
 */
export const kaimingNormal = heNormal;
