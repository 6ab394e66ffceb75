// ESLint: the recommended rules for JavaScript, TypeScript and Svelte 5, and the folder rule
// that keeps the UI's shape: a domain imports only itself, `src/lib` and packages.
import js from "@eslint/js";
import svelte from "eslint-plugin-svelte";
import globals from "globals";
import ts from "typescript-eslint";
import svelteConfig from "./svelte.config.js";

export default ts.config(
  js.configs.recommended,
  ...ts.configs.recommended,
  ...svelte.configs.recommended,
  { languageOptions: { globals: { ...globals.browser, ...globals.node } } },
  {
    files: ["**/*.svelte", "**/*.svelte.ts"],
    languageOptions: {
      parserOptions: { projectService: true, extraFileExtensions: [".svelte"], parser: ts.parser, svelteConfig },
    },
  },
  {
    // A domain folder owns its components and logic; screens compose domains. Another domain, a
    // screen or the app is out of a domain's reach.
    files: ["src/domains/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              regex: "^\\.\\./[^.]",
              message: "A domain imports only itself, src/lib and packages: not another domain.",
            },
            {
              regex: "^\\.\\./\\.\\./(?!lib/)",
              message: "A domain imports only itself, src/lib and packages: not a screen or the app.",
            },
          ],
        },
      ],
    },
  },
  { ignores: ["dist/", "node_modules/", "src/lib/bindings/"] },
);
