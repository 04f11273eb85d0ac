// parseStrictJson (strict-json.ts) for async callers, with momoa loaded on first need: the one-pass scan
// settles most texts with JSON.parse alone, and only a text it cannot settle (a repeated or escaped
// member name, a surrogate escape, deep nesting, or not JSON at all) imports strict-json.ts and its
// momoa parse (≈ 28 kB minified, a chunk of its own in the Lambda bundles, infra/bundling.ts). So the
// Tatum client's payload check keeps momoa out of the signer's init code (issue 16); the API's
// synchronous body check uses strict-json.ts directly. Same answers and refusals as parseStrictJson
// (test/unit/util/strict-json-on-demand.test.ts).
import { parseIfProvablyUnambiguous } from './unambiguous-json-scan.js';

export { StrictJsonError } from './strict-json-error.js';

/** parseStrictJson's value or StrictJsonError; momoa is imported only for a text the scan cannot settle. */
export async function parseStrictJsonOnDemand(text: string): Promise<unknown> {
  const settled = parseIfProvablyUnambiguous(text);
  if (settled) return settled.value;
  const { parseStrictJsonWithMomoa } = await import('./strict-json.js');
  return parseStrictJsonWithMomoa(text);
}
