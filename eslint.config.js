// Lint for every workspace package (each runs `eslint <its folders>` from its own directory; this file is found
// by walking up). Formatting is one rule, `@effect/dprint`, set to the house style; the rest is ESLint's and
// typescript-eslint's recommended set plus three type-aware promise rules, with the exceptions below, each for a
// stated reason.
import * as effectEslint from "@effect/eslint-plugin"
import js from "@eslint/js"
import { defineConfig } from "eslint/config"
import globals from "globals"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import tseslint from "typescript-eslint"

export default defineConfig(
  {
    ignores: ["**/dist/**", "**/node_modules/**", "**/.turbo/**", "**/coverage/**"]
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  effectEslint.configs.dprint,
  {
    rules: {
      "@effect/dprint": ["error", {
        config: {
          indentWidth: 2,
          lineWidth: 120,
          semiColons: "asi",
          quoteStyle: "alwaysDouble",
          quoteProps: "asNeeded",
          trailingCommas: "never",
          operatorPosition: "maintain",
          "arrowFunction.useParentheses": "force"
        }
      }],
      // `Effect.gen(function*() { return x })` has no `yield` when a step needs none; that is idiomatic.
      "require-yield": "off",
      // A schema and its type share a name (`const Agent = Schema.Struct(...)`, `type Agent = ...`); TypeScript
      // itself reports real redeclarations, so the JavaScript rule only gives false alarms.
      "no-redeclare": "off",
      // In type-level code `{}` is the empty record: `{} extends Input<E>` asks whether every field is optional,
      // `Fields = {}` means no fields. Empty interfaces are still reported.
      "@typescript-eslint/no-empty-object-type": ["error", { allowObjectTypes: "always" }],
      // A leading underscore marks a binding kept on purpose (a destructured field left out, a required
      // parameter not used).
      "@typescript-eslint/no-unused-vars": ["error", {
        argsIgnorePattern: "^_",
        varsIgnorePattern: "^_",
        caughtErrorsIgnorePattern: "^_",
        destructuredArrayIgnorePattern: "^_",
        ignoreRestSiblings: true
      }]
    }
  },
  {
    // Library and app code imports Effect modules by path (`effect/Effect`), never through a barrel; the
    // platform-node barrel also throws at load time (it pulls peers we do not install).
    files: ["**/*.ts"],
    rules: {
      "@effect/no-import-from-barrel-package": ["error", {
        packageNames: ["effect", "@effect/platform", "@effect/platform-node", "@effect/cli"]
      }],
      "no-restricted-imports": ["error", {
        paths: [{
          name: "@effect/platform-node",
          message: "Import a subpath, e.g. @effect/platform-node/NodeHttpServer."
        }]
      }]
    }
  },
  {
    // A few type-aware rules for the promise mistakes the type checker lets through (a promise nobody awaits,
    // an `await` on a non-promise, an async callback where a void one is expected). They roughly double lint
    // time. The full type-checked set is not on: in core alone it reports ~145 places, nearly all `no-unsafe-*`
    // on values typed `any` on purpose (parsed spec JSON, schemas of any type).
    files: ["**/*.ts"],
    languageOptions: {
      parserOptions: {
        projectService: {
          // Each package's vitest.config.ts is outside its tsconfig's `include`, and so are the root's files.
          allowDefaultProject: [
            "*.ts",
            "packages/*/vitest.config.ts",
            "apps/*/vitest.config.ts",
            "tests/*/vitest.config.ts"
          ],
          defaultProject: "tsconfig.base.json"
        },
        tsconfigRootDir: path.dirname(fileURLToPath(import.meta.url))
      }
    },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/await-thenable": "error",
      "@typescript-eslint/no-misused-promises": "error"
    }
  },
  {
    // Tests build loose fixtures (raw wire JSON, deliberately invalid inputs) where `any` is the honest type.
    files: ["**/test/**/*.ts"],
    rules: {
      "@typescript-eslint/no-explicit-any": "off"
    }
  },
  {
    // Plain Node scripts (build and measurement helpers).
    files: ["**/*.mjs", "**/*.js", "**/*.cjs"],
    languageOptions: { globals: globals.node }
  }
)
