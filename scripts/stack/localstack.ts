// LocalStack 4.13.1 (KMS + Secrets Manager) in host mode: `python -m localstack.runtime.main` from
// .venv-localstack, no Docker. Every variable below matters; see docs test-stack.md §1.4 and §8.
import path from 'node:path';
import { freePort } from './ports.js';
import { serviceDir, startNodeService, type ServiceContext, type StartedService } from './service.js';
import { repoRoot, tools } from './tools.js';

const REQUIRED = ['kms', 'secretsmanager'] as const;

// sitecustomize.py in this folder backports Python 3.12's uuid5(bytes) so that KMS custom key
// material (the `_custom_key_material_` tag) and ImportKeyMaterial work on Python 3.11.
const PY_SHIM_DIR = path.join(repoRoot, 'scripts', 'stack', 'localstack-py');
const venvDir = path.dirname(path.dirname(tools.localstackPython));

async function healthy(endpoint: string): Promise<boolean> {
  const response = await fetch(`${endpoint}/_localstack/health`, { signal: AbortSignal.timeout(2_000) });
  if (!response.ok) throw new Error(`health: HTTP ${response.status}`);
  const body = (await response.json()) as { services?: Record<string, string> };
  const states = REQUIRED.map((name) => body.services?.[name]);
  if (states.every((s) => s === 'available' || s === 'running')) return true;
  throw new Error(`health: ${REQUIRED.map((name, i) => `${name}=${states[i] ?? 'missing'}`).join(', ')}`);
}

export async function startLocalStack(ctx: ServiceContext): Promise<StartedService<string>> {
  const port = await freePort();
  const hostPort = `127.0.0.1:${port}`;
  const endpoint = `http://${hostPort}`;
  const dir = serviceDir(ctx, 'localstack');
  const proc = await startNodeService(ctx, {
    name: 'localstack',
    command: tools.localstackPython,
    args: ['-m', 'localstack.runtime.main'],
    // A stable cwd: `python -m` puts it on sys.path, and plux keys its entry-point cache on sys.path
    // (incl. directory mtimes). A per-run cwd would write a new cache file on every start.
    cwd: venvDir,
    env: {
      // The machines have /.dockerenv: without this LocalStack believes it is in a container, listens
      // on 0.0.0.0 and uses /var/lib/localstack etc.
      OVERRIDE_IN_DOCKER: '0',
      FILESYSTEM_ROOT: path.join(dir, 'fs'),
      // No DNS server on :53 and, crucially, no rewrite of /etc/resolv.conf.
      DNS_ADDRESS: '0',
      GATEWAY_LISTEN: hostPort,
      // The default twisted gateway ignores the host part of GATEWAY_LISTEN and binds 0.0.0.0
      // (runtime/server/twisted.py uses TCP4ServerEndpoint without an interface); hypercorn binds
      // exactly 127.0.0.1:<port> and still answers plain HTTP.
      GATEWAY_SERVER: 'hypercorn',
      LOCALSTACK_HOST: hostPort,
      SERVICES: REQUIRED.join(','),
      EAGER_SERVICE_LOADING: '1',
      PERSISTENCE: '0',
      DISABLE_EVENTS: '1',
      SKIP_SSL_CERT_DOWNLOAD: '1',
      SKIP_INFRA_DOWNLOADS: '1',
      DEBUG: process.env.STACK_DEBUG === '1' ? '1' : '0',
      AWS_EC2_METADATA_DISABLED: 'true',
      PYTHONPATH: PY_SHIM_DIR,
      PYTHONDONTWRITEBYTECODE: '1', // no __pycache__ next to the shim in scripts/ (site-packages is precompiled)
      XDG_CACHE_HOME: path.join(venvDir, '.cache'), // plux cache lives and dies with the venv, not in ~/.cache
    },
    ready: () => healthy(endpoint),
    timeoutMs: 120_000,
    intervalMs: 250,
  });
  return { endpoint, stop: () => proc.stop(10_000) };
}
