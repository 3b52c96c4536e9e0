/** `npm start`: runs every example. */
import * as basics from "./basics.js";
import * as customVjp from "./custom-vjp.js";
import * as fixedPoint from "./fixed-point.js";

const examples: [string, () => void][] = [
  ["basics", basics.main],
  ["custom-vjp", customVjp.main],
  ["fixed-point", fixedPoint.main],
];

for (const [name, run] of examples) {
  console.log(`\n=== ${name} ${"=".repeat(60 - name.length)}\n`);
  run();
}
