/**
 * Implicit differentiation of a fixed point, from JAX's "Custom derivative
 * rules" documentation, ported line by line: a solver written with whileLoop
 * (which reverse mode cannot differentiate), wrapped in a customVjp whose
 * backward rule solves the adjoint fixed-point equation instead.
 * Run: npx tsx examples/fixed-point.ts
 */
import { customVjp, grad, lax, numpy as np, vjp, type Array } from "../src/index.js";
import { show } from "./format.js";

type Update<A> = (a: A, x: Array) => Array;

//   @partial(jax.custom_vjp, nondiff_argnums=(0,))
//   def fixed_point(f, a, x_guess):
//     def cond_fun(carry):
//       x_prev, x = carry
//       return jnp.abs(x_prev - x) > 1e-6
//     def body_fun(carry):
//       _, x = carry
//       return x, f(a, x)
//     _, x_star = while_loop(cond_fun, body_fun, (x_guess, f(a, x_guess)))
//     return x_star
const fixedPoint = customVjp(
  <A>(f: Update<A>, a: A, xGuess: Array | number): Array => {
    const x0 = np.asArray(xGuess);
    const condFun = ([xPrev, x]: Array[]) => np.greater(np.abs(np.subtract(xPrev, x)), 1e-6);
    const bodyFun = ([, x]: Array[]) => [x, f(a, x)];
    const [, xStar] = lax.whileLoop(condFun, bodyFun, [x0, f(a, x0)]);
    return xStar;
  },
  { nondiffArgnums: [0] },
);

//   def fixed_point_fwd(f, a, x_init):
//     x_star = fixed_point(f, a, x_init)
//     return x_star, (a, x_star)
//
//   def fixed_point_rev(f, res, x_star_bar):
//     a, x_star = res
//     _, vjp_a = vjp(lambda a: f(a, x_star), a)
//     a_bar, = vjp_a(fixed_point(partial(rev_iter, f), (a, x_star, x_star_bar), x_star_bar))
//     return a_bar, jnp.zeros_like(x_star)
//
//   def rev_iter(f, packed, u):
//     a, x_star, x_star_bar = packed
//     _, vjp_x = vjp(lambda x: f(a, x), x_star)
//     return x_star_bar + vjp_x(u)[0]
fixedPoint.defvjp(
  (f, a, xInit) => {
    const xStar = fixedPoint(f, a, xInit);
    return [xStar, [a, xStar]];
  },
  (f: Update<unknown>, [a, xStar]: [unknown, Array], xStarBar: Array) => {
    const [, vjpA] = vjp((a2: unknown) => f(a2, xStar), a);
    const revIter = ([a2, x2, bar]: [unknown, Array, Array], u: Array) => {
      const [, vjpX] = vjp((x: Array) => f(a2, x), x2);
      return np.add(bar, vjpX(u)[0]);
    };
    const [aBar] = vjpA(fixedPoint(revIter as Update<unknown>, [a, xStar, xStarBar], xStarBar));
    return [aBar, np.zerosLike(xStar)];
  },
);

//   def newton_sqrt(a):
//     update = lambda a, x: 0.5 * (x + a / x)
//     return fixed_point(update, a, a)
function newtonSqrt(a: Array | number): Array {
  const update = (a2: Array, x: Array) => np.multiply(0.5, np.add(x, np.divide(a2, x)));
  return fixedPoint(update as Update<unknown>, np.asArray(a), a);
}

export function main(): void {
  console.log("Newton's square root of 2 as a fixed point, differentiated implicitly:");
  console.log(`  newton_sqrt(2)             = ${show(newtonSqrt(2.0))}   (JAX: 1.4142135)`);
  console.log(`  grad(newton_sqrt)(2)       = ${show(grad(newtonSqrt)(2.0))}   (JAX: 0.35355338)`);
  console.log(`  grad(grad(newton_sqrt))(2) = ${show(grad(grad(newtonSqrt))(2.0))}   (JAX: -0.088388346)`);
}

if (import.meta.url === `file://${process.argv[1]}`) main();
