// parseStrictJson (strict-json.ts) for async callers, with momoa loaded on first need: the one-pass scan
// settles most texts with JSON.parse alone, and only a text it cannot settle (a repeated or escaped
// member name, a surrogate escape, deep nesting, or not JSON at all) imports strict-json.ts and its
// momoa parse (≈ 28 kB minified, a chunk of its own in the Lambda bundles, infra/bundling.ts). So the
// Tatum client's payload check and the API's body check keep momoa out of the Lambdas' init code
// (issue 16). Same answers and refusals as parseStrictJson
// (test/unit/util/strict-json-on-demand.test.ts).
import { decodeUtf8Strict } from './strict-json-error.js';
import { parseIfProvablyUnambiguous } from './unambiguous-json-scan.js';

export { StrictJsonError } from './strict-json-error.js';

/** parseStrictJson's value or StrictJsonError; momoa is imported only for a text the scan cannot settle. */
export async function parseStrictJsonOnDemand(text: string): Promise<unknown> {
  const settled = parseIfProvablyUnambiguous(text);
  if (settled) return settled.value;
  const { parseStrictJsonWithMomoa } = await import('./strict-json.js');
  return parseStrictJsonWithMomoa(text);
}

/** decodeUtf8Strict then parseStrictJsonOnDemand: for raw request bytes. */
export function parseStrictJsonBytesOnDemand(bytes: Uint8Array): Promise<unknown> {
  return parseStrictJsonOnDemand(decodeUtf8Strict(bytes));
}
