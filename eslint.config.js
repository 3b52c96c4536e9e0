// @ts-check
import js from "@eslint/js";
import { defineConfig, globalIgnores } from "eslint/config";
import tseslint from "typescript-eslint";

const TS_FILES = ["**/*.ts", "**/*.mts", "**/*.cts"];
const PROJECT_TS = ["src", "tests", "bench", "examples", "scripts"].flatMap((dir) =>
  TS_FILES.map((glob) => `${dir}/${glob}`),
);

const unusedVarsOptions = {
  args: "after-used",
  argsIgnorePattern: "^_",
  varsIgnorePattern: "^_",
  caughtErrorsIgnorePattern: "^_",
  destructuredArrayIgnorePattern: "^_",
  ignoreRestSiblings: true,
};

export default defineConfig([
  globalIgnores(["dist/", "docs/api/", "node_modules/", "coverage/"]),

  // Plain JavaScript anywhere in the repo (this file, scripts, examples written in JS).
  {
    files: ["**/*.js", "**/*.mjs", "**/*.cjs"],
    extends: [js.configs.recommended],
    languageOptions: {
      ecmaVersion: "latest",
      sourceType: "module",
      globals: {
        console: "readonly",
        process: "readonly",
        URL: "readonly",
        WebAssembly: "readonly",
        Atomics: "readonly",
        Int32Array: "readonly",
      },
    },
    rules: {
      "no-unused-vars": ["error", unusedVarsOptions],
    },
  },

  // TypeScript: library sources, tests, benchmarks, examples and root *.config.ts files.
  {
    files: [...PROJECT_TS, "*.ts", "*.mts", "*.cts"],
    extends: [js.configs.recommended, tseslint.configs.recommended],
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", unusedVarsOptions],
    },
  },

  // The published library: no `any` escapes.
  {
    files: TS_FILES.map((glob) => `src/${glob}`),
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
    },
  },

  // Tests, benchmarks and examples may poke at internals with `any`.
  {
    files: ["tests", "bench", "examples"].flatMap((dir) => TS_FILES.map((glob) => `${dir}/${glob}`)),
    rules: {
      "@typescript-eslint/no-explicit-any": "off",
    },
  },
]);
