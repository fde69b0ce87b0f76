/**
 * The catalog of the whole API, computed from `Api.groups` on start. `build.mjs` replaces this module
 * in the bundle with one computed at build time whose groups load on demand.
 *
 * @since 0.1.0
 */
import * as Api from "@org/dixa-core/Api"
import * as Catalog from "./Catalog.js"

export const catalog: Catalog.Catalog = Catalog.fromGroups(Api.groups)
