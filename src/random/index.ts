/**
 * `cotangent.random`: JAX's `jax.random`. Keys are JAX's legacy threefry2x32
 * keys, uint32 arrays of shape [2]; `key(seed)` returns that raw form too (JAX's
 * `key` returns a typed scalar key). Draws follow the counter layout of JAX's
 * default `jax_threefry_partitionable=True`.
 *
 * Bit for bit with JAX on CPU (float32): keys, split, foldIn, bits, uniform
 * with minval 0 or a power-of-two range, normal, randint, bernoulli,
 * permutation, choice without p. Elsewhere the algorithm is JAX's but a float kernel may
 * round differently by an ulp or so: uniform's u·(max - min) + min, which
 * XLA fuses into an FMA; log in exponential, gumbel and categorical; erf in
 * truncatedNormal; the cumulative sum in choice with p; float64 erf_inv.
 * There are no 64-bit integers: bits and randint stay 32-bit under enableX64.
 *
 * @example
 * const keys = random.split(random.key(0));
 * random.uniform(keys.get(0), [3], { minval: -1, maxval: 1 });
 * random.normal(keys.get(1), [2, 2]);
 */
export {
  PRNGKey,
  key,
  keyData,
  split,
  foldIn,
  type Seed,
  type PRNGKeyOptions,
  type KeyOptions,
  type SplitOptions,
} from "./keys.js";
export { bits, type BitsOptions } from "./bits.js";
export {
  uniform,
  normal,
  truncatedNormal,
  exponential,
  gumbel,
  type UniformOptions,
  type SampleOptions,
  type GumbelOptions,
  type TruncatedNormalOptions,
} from "./continuous.js";
export {
  randint,
  bernoulli,
  categorical,
  type RandintOptions,
  type BernoulliOptions,
  type CategoricalOptions,
} from "./discrete.js";
export { permutation, choice, type PermutationOptions, type ChoiceOptions } from "./shuffle.js";
export {
  gamma,
  beta,
  dirichlet,
  poisson,
  type GammaOptions,
  type DirichletOptions,
  type PoissonOptions,
} from "./samplers.js";
