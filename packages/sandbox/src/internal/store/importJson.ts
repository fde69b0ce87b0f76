/**
 * Before the store was SQLite, a state file held the whole state as JSON. Such a file found where the store is
 * expected is imported in place: a SQLite file is built beside it from its state, the JSON is kept under a new
 * name (`state.json` becomes `state.old.json`), and the SQLite file is renamed over the original, so a process
 * opening it sees either the JSON or the finished store. A lock file lets only one process import at a time;
 * the others wait for it and then open the store it built.
 */
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Fs from "node:fs"
import * as Path from "node:path"
import * as State from "../state.js"
import { StoreError } from "./error.js"

/** Builds a new SQLite store at `into` holding `state`, and closes it. */
export type Build = (state: State.State, into: string) => Effect.Effect<void, StoreError>

/** How long a process waits for another one's import before giving up. */
const waitMillis = 30_000

/** Whether the file starts like JSON text (a SQLite file starts with "SQLite format 3"). */
const holdsJson = (file: string): boolean => {
  let fd: number
  try {
    fd = Fs.openSync(file, "r")
  } catch {
    return false
  }
  try {
    const head = Buffer.alloc(64)
    const read = Fs.readSync(fd, head, 0, head.length, 0)
    return head.subarray(0, read).toString("utf8").trimStart().startsWith("{")
  } finally {
    Fs.closeSync(fd)
  }
}

/** Takes the lock (a file holding our pid); false while another process holds it (a dead one's is removed). */
const tryLock = (lock: string): boolean => {
  try {
    Fs.writeFileSync(lock, String(process.pid), { flag: "wx" })
    return true
  } catch {
    // Held: by a live process, or by one that died while importing.
  }
  let holder: number
  try {
    holder = Number(Fs.readFileSync(lock, "utf8"))
  } catch {
    return false
  }
  if (Number.isInteger(holder) && holder > 0 && !isAlive(holder)) Fs.rmSync(lock, { force: true })
  return false
}

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as { code?: unknown }).code === "EPERM"
  }
}

/** `dir/name.old.json`, or `dir/name.old-2.json` and so on when taken. */
const backupName = (file: string): string => {
  const base = Path.join(Path.dirname(file), Path.basename(file, Path.extname(file)))
  for (let n = 1;; n++) {
    const candidate = `${base}.old${n === 1 ? "" : `-${n}`}.json`
    if (!Fs.existsSync(candidate)) return candidate
  }
}

const parse = (file: string): Effect.Effect<State.State, StoreError> =>
  Effect.gen(function*() {
    const text = yield* Effect.try({
      try: () => Fs.readFileSync(file, "utf8"),
      catch: (cause) => new StoreError({ message: `cannot read the state file ${file}`, cause })
    })
    const parsed = yield* Effect.try({
      try: () => JSON.parse(text) as unknown,
      catch: (cause) => new StoreError({ message: `the state file ${file} is neither a SQLite store nor JSON`, cause })
    })
    if (!State.isState(parsed)) {
      return yield* new StoreError({ message: `the state file ${file} does not hold a sandbox state` })
    }
    return parsed
  })

/** The import itself, under the lock: the file may have been imported by another process meanwhile. */
const importLocked = (file: string, build: Build) =>
  Effect.gen(function*() {
    if (!holdsJson(file)) return
    const state = yield* parse(file)
    const temp = `${file}.${process.pid}.importing`
    yield* build(state, temp).pipe(Effect.tapError(() => Effect.sync(() => Fs.rmSync(temp, { force: true }))))
    const backup = backupName(file)
    yield* Effect.try({
      try: () => {
        Fs.linkSync(file, backup)
        Fs.renameSync(temp, file)
      },
      catch: (cause) => new StoreError({ message: `cannot put the imported state file in place of ${file}`, cause })
    })
    yield* Console.error(
      `dixa-sandbox: imported the older JSON state in ${file} into SQLite (the JSON is kept as ${backup})`
    )
  })

/** Imports the file when it holds a JSON state; does nothing when it is missing or not JSON. */
export const ifJson = (file: string, build: Build): Effect.Effect<void, StoreError> =>
  Effect.gen(function*() {
    const lock = `${file}.importing.lock`
    const deadline = Date.now() + waitMillis
    while (holdsJson(file)) {
      if (tryLock(lock)) {
        yield* Effect.ensuring(importLocked(file, build), Effect.sync(() => Fs.rmSync(lock, { force: true })))
      } else if (Date.now() > deadline) {
        return yield* new StoreError({ message: `another process has been importing ${file} for too long (${lock})` })
      } else {
        yield* Effect.sleep("50 millis")
      }
    }
  })
