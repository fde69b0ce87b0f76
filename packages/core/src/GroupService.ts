/**
 * A resource group as a service of its own (`Tags.Tags`, `Agents.Agents`, ...): what a program depends on, and
 * what a test replaces, one group at a time. Each group module builds its `layer` and `stub` with these.
 *
 * @since 0.1.0
 */
import * as Chunk from "effect/Chunk"
import type * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import * as DixaClient from "./DixaClient.js"
import * as Endpoint from "./Endpoint.js"
import type * as Group from "./Group.js"
import type { Page } from "./Model.js"

/** The group's service, bound to the `DixaClient` in context. */
export const layer = <I, G extends Group.Any>(
  tag: Context.Tag<I, DixaClient.GroupClient<G>>,
  group: G
): Layer.Layer<I, never, DixaClient.DixaClient> =>
  Layer.effect(tag, Effect.map(DixaClient.DixaClient, (client) => DixaClient.bindGroup(client, group)))

/** Some of a group's methods, for a test. */
export type Stubs<G extends Group.Any> = Partial<DixaClient.GroupClient<G>>

/**
 * The group's service answering from `stubs`. An operation without a stub dies with a message naming it, so a test
 * that reaches further than it meant to says where. A paginated operation's `xxxAll` without a stub of its own
 * pages through the stubbed `xxx`.
 */
export const stub = <I, G extends Group.Any>(
  tag: Context.Tag<I, DixaClient.GroupClient<G>>,
  group: G,
  stubs: Stubs<G>
): Layer.Layer<I> => Layer.succeed(tag, stubClient(group, stubs))

type AnyMethod = (input?: object, options?: DixaClient.CallOptions) => Effect.Effect<unknown, unknown>
type AnyStreamMethod = (input?: object, options?: DixaClient.CallOptions) => Stream.Stream<unknown, unknown>

/** The group's methods from `stubs`, with the missing ones dying by name. */
export const stubClient = <G extends Group.Any>(group: G, stubs: Stubs<G>): DixaClient.GroupClient<G> => {
  const given = stubs as Readonly<Record<string, AnyMethod | AnyStreamMethod | undefined>>
  const methods: Record<string, AnyMethod | AnyStreamMethod> = {}
  for (const [name, endpoint] of Object.entries(group.endpoints)) {
    const method = (given[name] as AnyMethod | undefined) ??
      (() => Effect.dieMessage(`${endpoint.id} is not stubbed: give the stub a ${name} to call it in this test`))
    methods[name] = method
    if (!Endpoint.isPaginated(endpoint)) continue
    methods[`${name}All`] = (given[`${name}All`] as AnyStreamMethod | undefined) ??
      (given[name] === undefined
        ? () =>
          Stream.dieMessage(
            `${endpoint.id} is not stubbed: give the stub a ${name} (or ${name}All) to call ${name}All in this test`
          )
        : (input?: object, options?: DixaClient.CallOptions) => pages(method, input ?? {}, options))
  }
  return methods as DixaClient.GroupClient<G>
}

/** Every item of a stubbed paginated method, following its `nextPageKey`s. */
const pages = (method: AnyMethod, input: object, options: DixaClient.CallOptions | undefined) =>
  Stream.paginateChunkEffect(
    input,
    (current) =>
      Effect.map(method(current, options) as Effect.Effect<Page<unknown>, unknown>, (page) =>
        [
          Chunk.fromIterable(page.data),
          Option.map(page.nextPageKey, (pageKey) => ({ ...current, pageKey }))
        ] as const)
  )
