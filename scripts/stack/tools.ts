// Where the stand-in binaries live, and one clear error when some are missing. Checked before anything
// is spawned, so a fresh checkout gets "run the installer" instead of a spawn ENOENT stack trace.
import { accessSync, constants, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export type ServiceName = 'aws' | 'mongo' | 'evm' | 'btc';
/** Tools the installer provides: the stack's services, thor solo and the Flow emulator (started by the VET / FLOW tests themselves). */
export type ToolName = ServiceName | 'vet' | 'flow';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export const tools = {
  localstackPython: path.join(repoRoot, '.venv-localstack', 'bin', 'python'),
  ferretdb: path.join(repoRoot, '.tools', 'bin', 'ferretdb'),
  btcd: path.join(repoRoot, '.tools', 'bin', 'btcd'),
  thor: path.join(repoRoot, '.tools', 'bin', 'thor'),
  flowEmulator: path.join(repoRoot, '.tools', 'bin', 'flow-emulator'),
  anvil: path.join(repoRoot, 'node_modules', '@foundry-rs', 'anvil-linux-amd64', 'bin', 'anvil'),
} as const;

// The installer copies the pip constraints into the venv; a venv built without them has cbor2 6 /
// pyOpenSSL 26 and LocalStack 4.13.1 cannot start (see scripts/localstack-constraints.txt).
const localstackConstraints = {
  wanted: path.join(repoRoot, 'scripts', 'localstack-constraints.txt'),
  installed: path.join(repoRoot, '.venv-localstack', 'constraints.txt'),
};

const INSTALL_HINT =
  'Install the local stand-ins with `npm run stack:install` (same as `bash scripts/install-test-stack.sh`; needs python3 and go), ' +
  'or point the tests at services that are already running with AWS_ENDPOINT_URL, MONGODB_URI, EVM_RPC_URL or BTC_RPC_URL.';

export class StackToolMissingError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(
      `kms-signer test stack is not installed:\n${problems.map((p) => `  - ${p}`).join('\n')}\n${INSTALL_HINT}`,
    );
    this.name = 'StackToolMissingError';
  }
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function readOrEmpty(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

function problemsFor(service: ToolName): string[] {
  const rel = (p: string) => path.relative(repoRoot, p);
  switch (service) {
    case 'aws':
      if (!isExecutable(tools.localstackPython)) {
        return [`LocalStack: ${rel(tools.localstackPython)} is missing (localstack-core 4.13.1 venv)`];
      }
      if (readOrEmpty(localstackConstraints.installed) !== readOrEmpty(localstackConstraints.wanted)) {
        return [
          `LocalStack: .venv-localstack was not installed with the current ${rel(localstackConstraints.wanted)} ` +
            '(unpinned dependencies stop LocalStack 4.13.1 from starting); re-run the installer',
        ];
      }
      return [];
    case 'mongo':
      return isExecutable(tools.ferretdb) ? [] : [`FerretDB: ${rel(tools.ferretdb)} is missing`];
    case 'btc':
      return isExecutable(tools.btcd) ? [] : [`btcd: ${rel(tools.btcd)} is missing`];
    case 'vet':
      return isExecutable(tools.thor) ? [] : [`thor (VeChainThor solo): ${rel(tools.thor)} is missing`];
    case 'flow':
      return isExecutable(tools.flowEmulator) ? [] : [`Flow emulator: ${rel(tools.flowEmulator)} is missing`];
    case 'evm':
      return isExecutable(tools.anvil)
        ? []
        : [
            `anvil: ${rel(tools.anvil)} is missing (devDependency @foundry-rs/anvil-linux-amd64; run \`npm ci\`)`,
          ];
  }
}

/** Throws one StackToolMissingError listing every missing tool for the given services. */
export function assertToolsInstalled(services: Iterable<ToolName>): void {
  const problems = [...services].flatMap(problemsFor);
  if (problems.length > 0) throw new StackToolMissingError(problems);
}
