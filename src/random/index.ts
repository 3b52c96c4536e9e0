/**
 * `cotangent.random`: JAX's `jax.random`, bit for bit. Keys are JAX's legacy
 * threefry2x32 keys, uint32 arrays of shape [2]; `key(seed)` returns that raw
 * form too (JAX's `key` returns a typed scalar key). Draws follow JAX's default
 * `jax_threefry_partitionable=True` counter layout.
 *
 * @example
 * const key = random.key(0);
 * const [k1, k2] = [random.split(key).get(0), random.split(key).get(1)];
 * random.uniform(k1, [3], { minval: -1, maxval: 1 });
 */
export { PRNGKey, key, keyData, split, foldIn } from "./keys.js";
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
export { randint, bernoulli, categorical, type RandintOptions, type BernoulliOptions, type CategoricalOptions } from "./discrete.js";
export { permutation, choice, type PermutationOptions, type ChoiceOptions } from "./shuffle.js";
