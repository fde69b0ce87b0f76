/**
 * The `dixa` executable: parses the command line, runs it, and turns every failure into one line on
 * stderr and an exit code (see README). Nothing here prints a stack trace or a secret.
 *
 * @since 0.1.0
 */
import * as HelpDoc from "@effect/cli/HelpDoc"
import * as ValidationError from "@effect/cli/ValidationError"
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import * as NodePath from "@effect/platform-node/NodePath"
import * as NodeTerminal from "@effect/platform-node/NodeTerminal"
import * as Cause from "effect/Cause"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import { catalog as apiCatalog } from "./ApiCatalog.js"
import * as Cli from "./Cli.js"
import * as Failure from "./Failure.js"
import { explainExport, withWorkflows } from "./Workflows.js"

const version = "0.1.0"

/** The API's actions, and the workflows (`analytics prepare-metric`, ...) beside them. */
const catalog = withWorkflows(apiCatalog)

/** A client for the parsed global options; the HTTP stack is loaded only now. */
const connect: Cli.Connect = (target, observe) =>
  Effect.gen(function*() {
    const [DixaClient, FetchHttpClient] = yield* Effect.promise(() =>
      Promise.all([import("@org/dixa-core/DixaClient"), import("@effect/platform/FetchHttpClient")])
    )
    let baseUrl = target.baseUrl
    const apiKey = Option.getOrElse(target.apiKey, () => Redacted.make("sandbox"))
    if (target.sandbox) {
      const { startEmbedded } = yield* Effect.promise(() => import("./SandboxCommand.js"))
      baseUrl = (yield* startEmbedded).url
    }
    return yield* DixaClient.make({ apiKey, baseUrl, observe }).pipe(Effect.provide(FetchHttpClient.layer))
  })

// eslint-disable-next-line no-control-regex
const ansi = /\u001b\[[0-9;]*m/g

const plain = (doc: HelpDoc.HelpDoc): string => HelpDoc.toAnsiText(doc).replace(ansi, "")

/** A machine-readable output (json, ndjson, yaml) asks for JSON errors, even when parsing failed. */
const wantsJsonErrors = (argv: ReadonlyArray<string>): boolean => Failure.wantsJson(argv)

/**
 * @effect/cli prints its own parse errors; we print them once, our way. Help goes to stdout, without
 * colours when stdout is not a terminal.
 */
const quietErrors = Effect.map(Effect.console, (console): Console.Console => ({
  ...console,
  log: (...args) =>
    process.stdout.isTTY
      ? console.log(...args)
      : console.log(...args.map((a) => (typeof a === "string" ? a.replace(ansi, "") : a))),
  error: () => Effect.void,
  unsafe: { ...console.unsafe, error: () => {} }
}))

const environment = Layer.mergeAll(NodeFileSystem.layer, NodePath.layer, NodeTerminal.layer)

/** Runs the command line and resolves to the exit code. */
export const main = (argv: ReadonlyArray<string>): Promise<number> => {
  const program = Effect.flatMap(
    quietErrors,
    (console) => Cli.run(argv, catalog, connect, version).pipe(Effect.withConsole(console))
  ).pipe(Effect.provide(environment))
  return Effect.runPromiseExit(program as Effect.Effect<void, unknown>).then(async (exit) => {
    if (Exit.isSuccess(exit)) return Failure.ExitCode.Ok
    const DixaError = await import("@org/dixa-core/DixaError")
    const failure = Cause.failureOption(exit.cause)
    let error: unknown
    if (Option.isSome(failure)) {
      error = failure.value
      if (ValidationError.isValidationError(failure.value)) {
        const text = plain(failure.value.error).trim()
        const clearer = text.startsWith("Invalid subcommand")
          ? explainExport(argv, catalog) ?? Cli.explainUnknown(argv, catalog)
          : undefined
        error = { _tag: "ValidationError", message: clearer ?? (text === "" ? "invalid command line" : text) }
      }
    } else if (Cause.isInterruptedOnly(exit.cause)) {
      error = { _tag: "Interrupted", message: "interrupted" }
    } else {
      const defect = Cause.squash(exit.cause)
      error = { _tag: "Defect", message: defect instanceof Error ? defect.message : String(defect) }
    }
    const report = Failure.report(error, DixaError.describe)
    process.stderr.write(Failure.render(report, wantsJsonErrors(argv)) + "\n")
    return report.exitCode
  })
}

// A reader that stops early (`dixa agents list --all | head`) is not an error.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(Failure.ExitCode.Ok)
  throw error
})

void main(process.argv).then((code) => {
  process.exitCode = code
})
