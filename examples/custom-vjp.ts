/**
 * JAX's standard custom_vjp programs, ported line by line, with the custom_jvp
 * examples from JAX's "Custom derivative rules" documentation.
 * Run: npx tsx examples/custom-vjp.ts
 */
import { customJvp, customVjp, grad, nn, numpy as np, valueAndGrad, type Array } from "../src/index.js";
import { show } from "./format.js";

// (a) f(x, y) = x·sin(y), with residuals (x, y, sin y, cos y).
//
//   @jax.custom_vjp
//   def f(x, y): return x * jnp.sin(y)
//   def f_fwd(x, y): return f(x, y), (x, y, jnp.sin(y), jnp.cos(y))
//   def f_bwd(res, g):
//     x, y, sin_y, cos_y = res
//     return (g * sin_y, g * x * cos_y)
const f = customVjp((x: Array | number, y: Array | number) => np.multiply(x, np.sin(y)));
f.defvjp(
  (x, y) => [f(x, y), [x, y, np.sin(y), np.cos(y)]],
  ([x, , sinY, cosY]: Array[], g: Array) => [np.multiply(g, sinY), np.multiply(np.multiply(g, x), cosY)],
);
const autoF = (x: Array | number, y: Array | number) => np.multiply(x, np.sin(y));

export function seedA(): void {
  console.log("(a) f(x, y) = x·sin(y); value and gradient of f(x, y)² at x = 2, y = π/2");
  const square = (g: typeof autoF) => (x: Array | number, y: Array | number) => np.power(g(x, y), 2);
  const [value, grads] = valueAndGrad(square(f), { argnums: [0, 1] })(2.0, Math.PI / 2);
  const [autoValue, autoGrads] = valueAndGrad(square(autoF), { argnums: [0, 1] })(2.0, Math.PI / 2);
  console.log(`  custom rule : value ${show(value)}, gradients ${show(grads)}`);
  console.log(`  autodiff    : value ${show(autoValue)}, gradients ${show(autoGrads)}`);
  console.log("  (JAX prints 4.0 and (4.0, -3.496911e-07) for both: cos(π/2) in float32 is -4.371139e-08.)");
}

// (b) The stable log(1 + exp(x)), whose backward rule is ct·sigmoid(x).
//
//   @jax.custom_vjp
//   def log1pexp(x): return jnp.log1p(jnp.exp(x))
//   log1pexp.defvjp(lambda x: (log1pexp(x), x), lambda x, g: (g * jax.nn.sigmoid(x),))
const log1pexp = customVjp((x: Array | number) => np.log1p(np.exp(x)));
log1pexp.defvjp(
  (x) => [log1pexp(x), x],
  (x: Array, g: Array) => [np.multiply(g, nn.sigmoid(x))],
);
const plainLog1pexp = (x: Array | number) => np.log1p(np.exp(x));

export function seedB(): void {
  console.log("(b) d/dx log(1 + exp(x)): the custom rule against plain autodiff");
  for (const x of [1, 35, 100]) {
    console.log(
      `  x = ${String(x).padStart(3)}: stable ${show(grad(log1pexp)(x))}, plain ${show(grad(plainLog1pexp)(x))}`,
    );
  }
  console.log("  The plain gradient at 100 is NaN: exp(100) overflows float32 to inf, and autodiff");
  console.log("  multiplies d log1p(u)/du = 1/(1 + inf) = 0 by du/dx = exp(100) = inf: 0·inf = NaN.");
  console.log("  The rule computes sigmoid(100) = 1 directly. nn.softplus needs no rule (it is written");
  console.log(`  as logaddexp(x, 0)): its gradient at 100 is ${show(grad(nn.softplus)(100))}.`);
}

// Gradient clipping, from JAX's documentation: identity on the way forward,
// the cotangent clipped to [lo, hi] on the way back.
//
//   @partial(jax.custom_vjp, nondiff_argnums=(0, 1))
//   def clip_gradient(lo, hi, x): return x
//   def clip_gradient_fwd(lo, hi, x): return x, None
//   def clip_gradient_bwd(lo, hi, _, g): return (jnp.clip(g, lo, hi),)
const clipGradient = customVjp((_lo: number, _hi: number, x: Array | number) => np.asArray(x), {
  nondiffArgnums: [0, 1],
});
clipGradient.defvjp(
  (_lo, _hi, x) => [np.asArray(x), null],
  (lo: number, hi: number, _res: null, g: Array) => [np.clip(g, lo, hi)],
);

export function clipping(): void {
  console.log("Gradient clipping: d/dx sin(clip_gradient(-0.75, 0.75, x))");
  const t = np.linspace(0, 10, 5);
  const clipped = grad((x: Array) => np.sin(clipGradient(-0.75, 0.75, x)));
  const plain = grad((x: Array) => np.sin(x));
  for (const x of t.tolist() as number[]) {
    console.log(`  x = ${x.toFixed(1).padStart(4)}: clipped ${show(clipped(x)).padEnd(12)} plain ${show(plain(x))}`);
  }
}

// A custom_jvp that fixes a singularity, from JAX's documentation:
// f(x) = x / (1 + √x) has derivative (√x + 2) / (2(√x + 1)²), which is 1 at 0,
// but autodiff meets 1/(2√x) = inf there.
//
//   @jax.custom_jvp
//   def f(x): return x / (1 + jnp.sqrt(x))
//   @f.defjvp
//   def f_jvp(primals, tangents):
//     x, = primals; x_dot, = tangents
//     ans = f(x)
//     ans_dot = ((jnp.sqrt(x) + 2) / (2 * (jnp.sqrt(x) + 1)**2)) * x_dot
//     return ans, ans_dot
const g = customJvp((x: Array | number) => np.divide(x, np.add(1, np.sqrt(x))));
g.defjvp(([x]: Array[], [xDot]: Array[]) => {
  const ans = g(x);
  const ansDot = np.multiply(
    np.divide(np.add(np.sqrt(x), 2), np.multiply(2, np.power(np.add(np.sqrt(x), 1), 2))),
    xDot,
  );
  return [ans, ansDot];
});
const plainG = (x: Array | number) => np.divide(x, np.add(1, np.sqrt(x)));

export function singularity(): void {
  console.log("A custom_jvp fixing a singularity: d/dx x/(1 + √x) at 0");
  console.log(`  custom rule: ${show(grad(g)(0.0))}   plain autodiff: ${show(grad(plainG)(0.0))}`);
}

export function main(): void {
  seedA();
  console.log();
  seedB();
  console.log();
  clipping();
  console.log();
  singularity();
}

if (import.meta.url === `file://${process.argv[1]}`) main();
