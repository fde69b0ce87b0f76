/**
 * `@org/dixa-core`: the Dixa API (beta) as typed Effect services.
 *
 * @since 0.1.0
 */
export * as Api from "./Api.js"
export * as DixaClient from "./DixaClient.js"
export * as DixaError from "./DixaError.js"
export * as Endpoint from "./Endpoint.js"
export * as Group from "./Group.js"
export * as Model from "./Model.js"
export * as OpenApi from "./OpenApi.js"
export * as RateLimit from "./RateLimit.js"
export * as Retry from "./Retry.js"
export * as Router from "./Router.js"
export * as Wire from "./Wire.js"
export * as Organization from "./api/Organization.js"
