/**
 * Registers TensorFlow.js's gradient rules in Node.
 *
 * `import "@tensorflow/tfjs-core/dist/register_all_gradients"` does not load under Node ESM: that file belongs to the
 * ESM build, whose `gradients/Prod_grad.js` imports `../base`, which does `export … from "./gradients"`, a directory
 * import Node refuses (ERR_UNSUPPORTED_DIR_IMPORT). The CommonJS bundle that `@tensorflow/tfjs-core` resolves to in
 * Node (`tf-core.node.js`) registers no gradients at all. So this imports every other `dist/gradients/*_grad.js`
 * module and registers its config on the CommonJS engine (tfjs keeps its kernel and gradient registries in a global,
 * so both builds share them). Only `Prod`'s gradient is missing, which no workload uses.
 */
import * as tf from "@tensorflow/tfjs-core";
import { readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const UNLOADABLE = new Set(["Prod_grad.js"]);

/** Registers the gradient configs; returns how many. */
export async function registerTfjsGradients(): Promise<number> {
  const dir = join(dirname(createRequire(import.meta.url).resolve("@tensorflow/tfjs-core")), "gradients");
  let count = 0;
  for (const file of readdirSync(dir)) {
    if (!file.endsWith("_grad.js") || UNLOADABLE.has(file)) continue;
    const module = (await import(`@tensorflow/tfjs-core/dist/gradients/${file}`)) as Record<string, unknown>;
    for (const [name, config] of Object.entries(module)) {
      if (name.endsWith("GradConfig")) {
        tf.registerGradient(config as tf.GradConfig);
        count++;
      }
    }
  }
  return count;
}
