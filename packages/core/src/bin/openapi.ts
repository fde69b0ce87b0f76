/**
 * Prints the OpenAPI document derived from the API definition, as JSON, on stdout.
 *
 * @since 0.1.0
 */
import * as OpenApi from "../OpenApi.js"

process.stdout.write(JSON.stringify(OpenApi.make(), null, 2) + "\n")
