/**
 * `@org/dixa-gateway`: the HTTP gateway that holds the Dixa key and one rate budget for many internal callers.
 */
export * as Caller from "./Caller.js"
export * as CallerKeys from "./CallerKeys.js"
export * as FairBudget from "./FairBudget.js"
export * as Gateway from "./Gateway.js"
export * as GatewayConfig from "./GatewayConfig.js"
export * as Metrics from "./Metrics.js"
export * as NodeGateway from "./NodeGateway.js"
export * as Options from "./Options.js"
export * as ResponseCache from "./ResponseCache.js"
