/**
 * The transformations on a small example: grad, jit, vmap, jvp and makeJaxpr.
 * Run: npx tsx examples/basics.ts
 */
import { grad, hessian, jit, jvp, makeJaxpr, numpy as np, vmap, type Array } from "../src/index.js";

export function main(): void {
  const f = (x: Array | number) => np.multiply(x, np.sin(x));
  console.log("f(x) = x·sin(x)");
  console.log(`  f(1)            = ${f(1)}`);
  console.log(`  grad(f)(1)      = ${grad(f)(1)}   (sin 1 + cos 1 = ${(Math.sin(1) + Math.cos(1)).toFixed(7)})`);
  console.log(`  grad(grad(f))(1) = ${grad(grad(f))(1)}`);
  console.log(`  jit(grad(f))(1) = ${jit(grad(f))(1)}`);
  console.log(`  vmap(grad(f))([0, 1, 2]) = ${vmap(grad(f))(np.array([0, 1, 2]))}`);
  const [y, dy] = jvp(f, [1.0], [1.0]);
  console.log(`  jvp(f, [1], [1]) = [${y}, ${dy}]`);
  console.log(`  makeJaxpr(f)(1) = ${makeJaxpr(f)(1)}`);
  const loss = (w: Array) =>
    np.sum(
      np.square(
        np.tanh(
          np.matmul(
            np.array([
              [1, 2],
              [3, 4],
            ]),
            w,
          ),
        ),
      ),
    );
  console.log(`  hessian of a small loss at w = [0.1, -0.2]:\n${hessian(loss)(np.array([0.1, -0.2]))}`);
}

if (import.meta.url === `file://${process.argv[1]}`) main();
