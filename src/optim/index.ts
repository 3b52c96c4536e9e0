/**
 * `cotangent.optim`: optax (`optax.*`) in camelCase. Gradient transformations
 * (`init`/`update` pairs over pytrees), the optimizers chained from them, schedules,
 * wrappers, `applyUpdates` and `optim.losses`.
 */
export {
  chain,
  identity,
  type GradientTransformation,
  type Schedule,
  type ScalarOrSchedule,
  type Params,
  type Updates,
  type OptState,
  type EmptyState,
} from "./transform.js";
export {
  scale,
  scaleBySchedule,
  scaleByLearningRate,
  addDecayedWeights,
  traceTransform,
  type CountState,
  type TraceState,
  type TraceOptions,
  type ScaleByLearningRateOptions,
  type AddDecayedWeightsOptions,
  type Mask,
} from "./scale.js";
export {
  scaleByAdam,
  scaleByRms,
  scaleByStddev,
  scaleByRss,
  scaleByLion,
  scaleByTrustRatio,
  type ScaleByAdamState,
  type ScaleByAdamOptions,
  type ScaleByRmsState,
  type ScaleByRmsOptions,
  type ScaleByRssState,
  type ScaleByRssOptions,
  type ScaleByLionState,
  type ScaleByLionOptions,
  type ScaleByTrustRatioOptions,
} from "./moments.js";
export { clip, clipByGlobalNorm } from "./clipping.js";
export {
  sgd,
  adam,
  adamw,
  rmsprop,
  adagrad,
  lamb,
  lion,
  type SgdOptions,
  type AdamOptions,
  type AdamwOptions,
  type RmspropOptions,
  type AdagradOptions,
  type LambOptions,
  type LionOptions,
} from "./alias.js";
export {
  constantSchedule,
  polynomialSchedule,
  linearSchedule,
  exponentialDecay,
  cosineDecaySchedule,
  warmupCosineDecaySchedule,
  joinSchedules,
  type PolynomialScheduleOptions,
  type ExponentialDecayOptions,
  type CosineDecayOptions,
  type WarmupCosineDecayConfig,
  type WarmupCosineDecayOptions,
} from "./schedules.js";
export {
  applyIfFinite,
  multiSteps,
  skipNotFinite,
  type ApplyIfFiniteState,
  type MultiSteps,
  type MultiStepsState,
  type MultiStepsOptions,
  type ShouldSkipUpdateFunction,
} from "./wrappers.js";
export { applyUpdates } from "./update.js";
export * as losses from "./losses.js";
