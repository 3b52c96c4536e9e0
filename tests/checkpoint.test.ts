import { describe, expect, it } from "vitest";
import {
  checkpoint,
  checkpointPolicies,
  grad,
  jit,
  jvp,
  makeJaxpr,
  numpy as np,
  printSavedResiduals,
  savedResiduals,
  vmap,
  type Array,
} from "../src/index.js";

// Gradients with and without checkpoint run the same float64 operations in the
// same order (only when they run differs), so they agree to the last bit or two.
const TOL = 1e-14;

const f64 = (x: number[] | number[][]) => np.array(x, "float64");
const close = (a: Array, b: Array, tol = TOL) => {
  const x = globalThis.Array.from(a.dataSync() as ArrayLike<number>);
  const y = globalThis.Array.from(b.dataSync() as ArrayLike<number>);
  expect(x.length).toBe(y.length);
  x.forEach((v, i) => expect(Math.abs(v - y[i])).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(y[i]))));
};

const g = (x: Array) => np.sin(np.sin(np.sin(x)));
const loss = (x: Array) => np.sum(g(x));
const mlp = (w: Array, x: Array) => np.sum(np.tanh(np.matmul(np.tanh(np.matmul(x, w)), w)));
const x3 = f64([0.5, 1.0, 1.5]);

describe("checkpoint", () => {
  it("gives the same values and gradients as the plain function, under every transformation", () => {
    const cg = checkpoint(g);
    const closs = (x: Array) => np.sum(cg(x));
    close(cg(x3), g(x3));
    close(grad(closs)(x3), grad(loss)(x3));
    close(jit(grad(closs))(x3), grad(loss)(x3));
    close(grad(jit(closs))(x3), grad(loss)(x3));
    close(
      vmap(grad(closs))(
        f64([
          [0.5, 1],
          [1.5, 2],
        ]),
      ),
      vmap(grad(loss))(
        f64([
          [0.5, 1],
          [1.5, 2],
        ]),
      ),
    );
    close(jvp(closs, [x3], [f64([1, 2, 3])])[1], jvp(loss, [x3], [f64([1, 2, 3])])[1]);
    // Second order: d²/dx² sin(sin(sin x)) through the recomputation.
    const s = (x: Array) => cg(x);
    close(grad(grad(s))(np.array(0.5, "float64")), grad(grad(g))(np.array(0.5, "float64")));
  });

  it("saves only the inputs by default (nothingSaveable), as jax.checkpoint", () => {
    const plain = savedResiduals(loss, x3);
    expect(plain.map((r) => r.source)).toEqual(["output of cos", "output of cos", "output of cos"]);
    const ck = savedResiduals((x: Array) => np.sum(checkpoint(g)(x)), x3);
    expect(ck).toHaveLength(1);
    expect(ck[0].source).toBe("from the argument 0");
    expect(ck[0].aval.str()).toBe("f64[3]");
    expect(ck[0].bytes).toBe(24);
  });

  it("saves matrix products under dotsSaveable and everything under everythingSaveable", () => {
    const w = f64([
      [0.1, 0.2, 0.3],
      [0.4, 0.5, 0.6],
      [0.7, 0.8, 0.9],
    ]);
    const x = f64([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    const dots = savedResiduals(checkpoint(mlp, { policy: checkpointPolicies.dotsSaveable }), w, x);
    expect(dots.map((r) => r.source).sort()).toEqual([
      "from the argument 0",
      "from the argument 1",
      "output of dot_general",
      "output of dot_general",
    ]);
    const everything = savedResiduals(checkpoint(mlp, { policy: checkpointPolicies.everythingSaveable }), w, x);
    const plain = savedResiduals(mlp, w, x);
    expect(everything.map((r) => r.source).sort()).toEqual(plain.map((r) => r.source).sort());
    const nothing = savedResiduals(checkpoint(mlp), w, x);
    expect(nothing.map((r) => r.source).sort()).toEqual(["from the argument 0", "from the argument 1"]);
    for (const policy of Object.values(checkpointPolicies)) {
      const gw = grad(checkpoint(mlp, { policy }), { argnums: [0, 1] })(w, x);
      const want = grad(mlp, { argnums: [0, 1] })(w, x);
      close(gw[0], want[0]);
      close(gw[1], want[1]);
    }
  });

  it("recomputes inside the backward pass of a jitted gradient, behind an optimization barrier", () => {
    const text = String(makeJaxpr(grad((x: Array) => np.sum(checkpoint(g)(x))))(x3));
    expect(text).toContain("optimization_barrier");
    // sin appears three times forward, and twice in the recomputation: the backward pass needs
    // cos of each level's input, so the last sin is not recomputed (DCE removes it).
    expect(text.match(/= sin /g)).toHaveLength(5);
    expect(String(makeJaxpr(checkpoint(g))(x3))).toMatch(/checkpoint\[\n\s+jaxpr=\{ lambda ; c:f64\[3\]\. let/);
  });

  it("printSavedResiduals prints one line per residual and returns the text", () => {
    const lines: string[] = [];
    const log = console.log;
    console.log = (s: string) => lines.push(s);
    try {
      const text = printSavedResiduals(loss, x3);
      expect(text).toBe("f64[3] 24 bytes output of cos\nf64[3] 24 bytes output of cos\nf64[3] 24 bytes output of cos");
      expect(lines).toEqual([text]);
    } finally {
      console.log = log;
    }
  });
});
