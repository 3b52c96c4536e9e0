/**
 * `npm start`: lists the examples and runs them, all of them or those named.
 *
 *   npm start                 # every example, in turn
 *   npm start -- classifier   # one (or several) by name
 *   npm start -- --list       # the list only
 */
import * as basics from "./basics.js";
import * as classifier from "./classifier.js";
import * as customVjp from "./custom-vjp.js";
import * as fixedPoint from "./fixed-point.js";

const examples: [string, string, () => unknown][] = [
  ["basics", "grad, jit, vmap, jvp and makeJaxpr on x·sin(x)", basics.main],
  ["custom-vjp", "JAX's custom_vjp and custom_jvp programs, ported line by line", customVjp.main],
  ["fixed-point", "implicit differentiation of a fixed point (customVjp)", fixedPoint.main],
  [
    "classifier",
    "Iris trained with optim and nn.initializers; weights to .npz, loss curve to SVG",
    () => classifier.main(),
  ],
];

const args = process.argv.slice(2);
console.log("Examples (npm start -- <name> runs one; the browser example: npm run build:browser-example):");
for (const [name, what] of examples) console.log(`  ${name.padEnd(12)} ${what}`);
if (!args.includes("--list")) {
  const unknown = args.filter((a) => !examples.some(([name]) => name === a));
  if (unknown.length > 0) throw new Error(`unknown example(s): ${unknown.join(", ")}`);
  for (const [name, , run] of examples) {
    if (args.length > 0 && !args.includes(name)) continue;
    console.log(`\n=== ${name} ${"=".repeat(60 - name.length)}\n`);
    await run();
  }
}
