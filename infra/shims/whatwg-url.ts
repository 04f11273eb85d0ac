// Bundle-time stand-in for the whatwg-url package (infra/bundling.ts NODE_BUILTIN_ALIASES): Node's own
// WHATWG URL classes, which implement the same standard.
export const URL = globalThis.URL;
export const URLSearchParams = globalThis.URLSearchParams;
// node-fetch 2 (reached through @onflow/sdk's cross-fetch) imports the package's default export.
export default { URL, URLSearchParams };
