// The Tatum client as the loop tests use it: pointed at the sandbox, its dev broadcast paths, no retries.
import type { TatumSandbox } from '../../scripts/sandbox/tatum-sandbox.js';
import { createTatumClient } from '../../src/tatum/client.js';
import type { TatumKmsApi } from '../../src/tatum/types.js';

export function sandboxApi(sandbox: TatumSandbox): TatumKmsApi {
  return createTatumClient({
    baseUrl: sandbox.url,
    apiKey: sandbox.apiKey,
    clientVersion: 'test',
    broadcastPaths: sandbox.broadcastPaths,
    retries: 0,
  });
}
