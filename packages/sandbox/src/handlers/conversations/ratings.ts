/**
 * Ratings: offering a CSAT, NPS or thumbs rating to the end user, their answer, and listing both. A
 * rating is about an agent: the one named, else the assignee, else the last agent who wrote, else the token's user.
 */
import type { Conversations } from "@org/dixa-core"
import * as Effect from "effect/Effect"
import { badRequest, type Context, iso } from "../../internal/handler.js"
import type { Conversation, Rating, State } from "../../internal/state.js"
import { activityUser } from "../../internal/state/activity.js"
import { assignmentOf, extrasOf } from "../../internal/state/conversations.js"
import { findOrFail, type Handlers, isAgent, log, millis } from "./common.js"

const ratingRanges: Record<string, readonly [number, number]> = {
  Csat: [1, 5],
  Nps: [0, 10],
  ThumbsUpOrDown: [0, 1]
}

/** The agent a rating is about by default: the assignee, else the last agent who wrote, else the token's user. */
const agentOfConversation = (state: State, conversation: Conversation): string =>
  assignmentOf(conversation.data)?.agentId ??
    [...conversation.messages].reverse().find((m) => isAgent(state, m.authorId))?.authorId ?? state.apiUserId

const ratingView = (conversation: Conversation) => (rating: Rating) => {
  const language = "language" in conversation.data ? conversation.data.language : undefined
  return {
    id: rating.id,
    ...(rating.result === undefined ? {} : { ratingScore: rating.result.value }),
    ratingType: rating.ratingType,
    ...(rating.comment === undefined ? {} : { ratingComment: rating.comment }),
    conversationChannel: conversation.data.channel,
    agentId: rating.agentId,
    userId: rating.userId,
    ratingStatus: rating.status,
    ...(language === undefined ? {} : { language }),
    timestamps: {
      created_at: rating.offeredAt,
      offered_at: rating.offeredAt,
      modified_at: rating.submittedAt ?? rating.offeredAt,
      ...(rating.submittedAt === undefined ? {} : { rated_at: rating.submittedAt })
    }
  }
}

const listRatings = (input: { readonly conversationId: number }, ctx: Context) =>
  Effect.map(findOrFail(ctx.state, input.conversationId), (c) => (c.extras?.ratings ?? []).map(ratingView(c)))

const offer = (ctx: Context, conversation: Conversation, body: Conversations.CreateRatingOfferInput) =>
  Effect.gen(function*() {
    const { agentId, offeredAt, ratingType, userId } = body
    if (ratingRanges[ratingType] === undefined) {
      return yield* badRequest(`body.ratingType: expected one of ${Object.keys(ratingRanges).join(", ")}`)
    }
    const agent = agentId ?? agentOfConversation(ctx.state, conversation)
    const rating: Rating = {
      id: ctx.rng.uuid(),
      userId: userId ?? conversation.data.requesterId,
      agentId: agent,
      ratingType,
      offeredAt: iso(offeredAt === undefined ? ctx.now : millis(offeredAt)),
      status: "Offered"
    }
    extrasOf(conversation).ratings.push(rating)
    log(ctx, conversation, "ConversationRatingOffered", agent, {
      agent: activityUser(ctx.state, agent),
      user: activityUser(ctx.state, rating.userId)
    })
    return { id: rating.id, userId: rating.userId, agentId: rating.agentId, ratingType, offeredAt: rating.offeredAt }
  })

/** The offered rating an answer is for, and its score, or why the answer cannot be taken: out of its range. */
const checkAnswer = (conversation: Conversation, ratingId: string, result: Conversations.SubmittedRatingResult) =>
  Effect.gen(function*() {
    const rating = conversation.extras?.ratings.find((r) => r.id === ratingId)
    if (rating === undefined) {
      return yield* badRequest(`ratingId: ${ratingId} is not a rating offered on this conversation`)
    }
    const range = ratingRanges[result._type]
    const value = (result as { readonly value: number }).value
    if (range === undefined) return yield* badRequest("body.ratingResult._type: expected Csat, Nps or ThumbsUpOrDown")
    if (value < range[0] || value > range[1]) {
      return yield* badRequest(`body.ratingResult.value: a ${result._type} score is from ${range[0]} to ${range[1]}`)
    }
    return { rating, value }
  })

const submit = (ctx: Context, conversationId: number, ratingId: string, body: Conversations.CreateRatingResultInput) =>
  Effect.gen(function*() {
    // The spec gives this operation no 404: unknown conversations and offers are bad requests.
    const conversation = ctx.state.conversations.find((c) => c.data.id === conversationId)
    if (conversation === undefined) return yield* badRequest(`conversation ${conversationId} does not exist`)
    const { comment, ratingResult, submittedAt, userId } = body
    const { rating, value } = yield* checkAnswer(conversation, ratingId, ratingResult)
    // A second answer replaces the first.
    rating.status = "Rated"
    rating.result = { _type: ratingResult._type, value }
    rating.submittedAt = iso(submittedAt === undefined ? ctx.now : millis(submittedAt))
    rating.submittedBy = userId ?? rating.userId
    if (comment !== undefined) rating.comment = comment
    log(ctx, conversation, "ConversationRated", rating.submittedBy, {
      agent: activityUser(ctx.state, rating.agentId),
      score: value,
      ...(comment === undefined ? {} : { message: comment })
    })
    return {
      ratingId: rating.id,
      userId: rating.submittedBy,
      ratingResult: rating.result,
      ...(comment === undefined ? {} : { comment }),
      submittedAt: rating.submittedAt
    }
  })

export const handlers: Handlers<"listRatings" | "listRatingsLegacy" | "offerRating" | "submitRating"> = {
  listRatings,

  listRatingsLegacy: listRatings,

  offerRating: (input, ctx) =>
    Effect.flatMap(findOrFail(ctx.state, input.conversationId), (c) => offer(ctx, c, input.body)),

  submitRating: (input, ctx) => submit(ctx, input.conversationId, input.ratingId, input.body)
}
