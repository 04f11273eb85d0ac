// Developer helper: `npx tsx scripts/stack-up.ts [aws mongo evm btc]` starts the local stand-ins (all
// by default), prints their endpoints as `export VAR=...` lines, and keeps them running until Ctrl-C.
// Paste the exports into another shell and `npx vitest run --project integration` reuses this stack
// instead of starting its own (see the override variables in scripts/stack/index.ts).
import { formatStartupTimes, startStack, type ServiceName } from './stack/index.js';

const SERVICES: readonly ServiceName[] = ['aws', 'mongo', 'evm', 'btc'];

function parseServices(args: string[]): ServiceName[] | undefined {
  if (args.length === 0) return undefined;
  const unknown = args.filter((a) => !(SERVICES as readonly string[]).includes(a));
  if (unknown.length > 0) {
    throw new Error(`unknown service(s) ${unknown.join(', ')}; choose from ${SERVICES.join(', ')}`);
  }
  return args as ServiceName[];
}

const shellQuote = (value: string) => `'${value.replace(/'/g, `'\\''`)}'`;

async function main(): Promise<void> {
  const services = parseServices(process.argv.slice(2));
  process.stderr.write('starting the test stack…\n');
  const stack = await startStack(services ? { services } : {});
  const e = stack.endpoints;
  const exports: [string, string][] = [
    ['AWS_ENDPOINT_URL', e.awsEndpoint],
    ['AWS_ACCESS_KEY_ID', 'test'],
    ['AWS_SECRET_ACCESS_KEY', 'test'],
    ['AWS_REGION', 'us-east-1'],
    ['AWS_EC2_METADATA_DISABLED', 'true'],
    ['MONGODB_URI', e.mongoUri],
    ['EVM_RPC_URL', e.evmRpcUrl],
    ['BTC_RPC_URL', e.btcRpc.url],
    ['BTC_RPC_USER', e.btcRpc.user],
    ['BTC_RPC_PASS', e.btcRpc.pass],
    ['BTC_MINING_WIF', e.btcMiningWif],
  ];
  for (const [name, value] of exports) {
    if (value !== '') process.stdout.write(`export ${name}=${shellQuote(value)}\n`);
  }
  process.stderr.write(`# started: ${formatStartupTimes(stack.startupMs)}\n# Ctrl-C to stop\n`);

  let stopping = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`\n${signal}: stopping…\n`);
    void stack.stop().then(() => {
      process.exit(0);
    });
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
  // Keep the event loop alive (children are unref'd) until a signal arrives.
  setInterval(() => undefined, 1 << 30);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
