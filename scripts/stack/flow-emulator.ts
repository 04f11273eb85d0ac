// The Flow emulator (onflow/flow-emulator v1.22.0, built from its Go module by the installer) for FLOW
// tests: every server on 127.0.0.1 (gRPC, REST, admin, debugger ports picked free), in-memory state (no
// --persist), a block per transaction, the core contracts (FungibleToken 0xee82856bf20e2aa6, FlowToken
// 0x0ae53cb6e3f42a79) deployed at genesis, no VM bridge. Its service account 0xf8d6e0586b0a20c7 holds
// FLOW_EMULATOR_SERVICE_KEY (ECDSA_P256, SHA3_256): in tests it plays the account Tatum proposes and pays
// with, and creates wallet accounts.
import { freePort } from './ports.js';
import { startNodeService, type ServiceContext, type StartedService } from './service.js';
import { tools } from './tools.js';

/** Test-only service account key of the emulator (P-256 scalar, hex); never a real account's key. */
export const FLOW_EMULATOR_SERVICE_KEY = 'c47db4af6ed21b3a1b6e4ac1ee8e0a5e9f1d2c3b4a5968778695a4b3c2d1e0f1';
export const FLOW_EMULATOR_SERVICE_ADDRESS = '0xf8d6e0586b0a20c7';

async function restServes(url: string): Promise<boolean> {
  const response = await fetch(`${url}/v1/blocks?height=sealed`, { signal: AbortSignal.timeout(2_000) });
  if (response.ok) return true;
  throw new Error(`GET /v1/blocks?height=sealed: HTTP ${response.status}`);
}

/** Starts the emulator and waits until its REST API serves the latest sealed block. */
export async function startFlowEmulator(ctx: ServiceContext): Promise<StartedService<string>> {
  const [grpc, rest, admin, debug] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const url = `http://127.0.0.1:${rest}`;
  const proc = await startNodeService(ctx, {
    name: 'flow-emulator',
    command: tools.flowEmulator,
    args: [
      'start',
      '--host',
      '127.0.0.1',
      '--port',
      String(grpc),
      '--rest-port',
      String(rest),
      '--admin-port',
      String(admin),
      '--debugger-port',
      String(debug),
      '--service-priv-key',
      FLOW_EMULATOR_SERVICE_KEY,
      '--service-sig-algo',
      'ECDSA_P256',
      '--service-hash-algo',
      'SHA3_256',
      '--setup-vm-bridge=false',
      '--scheduled-transactions=false',
    ],
    ready: () => restServes(url),
    timeoutMs: 90_000,
    intervalMs: 250,
  });
  return { endpoint: url, stop: () => proc.stop() };
}
