// export, report, reconcile: views over all wallets.
import { Option, type Command } from 'commander';
import type { ListWalletsQuery } from '../../wallets/contract.js';
import {
  parseChain,
  parseInteger,
  parseStatus,
  parseText,
  refuseScope,
  selectedNetwork,
} from '../options.js';
import { renderReconcile, renderReport } from '../render.js';
import type { Runtime } from '../runtime.js';
import { PUBLIC_ONLY_NOTE } from './wallet.js';

interface ExportOptions {
  format: 'jsonl' | 'array';
  user?: string;
  status?: string;
}

export function registerInventoryCommands(program: Command, rt: Runtime): void {
  program
    .command('export')
    .description('public data of all wallets as JSON lines or a JSON array')
    .addOption(new Option('--format <format>', 'output format').choices(['jsonl', 'array']).default('jsonl'))
    .option('--user <id>', 'only wallets of this user')
    .option('--status <status>', 'only wallets in this status (ACTIVE, DISABLED, PENDING_DELETION, CREATING)')
    .addHelpText(
      'after',
      '\nFilters: the global --chain <chain> and --testnet / --network <name> (default: every chain and network).\n' +
        `${PUBLIC_ONLY_NOTE}\nExample:\n  kms-signer export --chain ETH --format array > eth-wallets.json`,
    )
    .action(async (_opts: unknown, command: Command) => {
      const opts = rt.options<ExportOptions>(command);
      const network = selectedNetwork(opts);
      const query: Omit<ListWalletsQuery, 'cursor' | 'limit'> = {
        ...(opts.chain === undefined ? {} : { chain: parseChain(opts.chain, '--chain') }),
        ...(network === undefined ? {} : { network }),
        ...(opts.user === undefined ? {} : { userId: parseText(opts.user, '--user', 200) }),
        ...(opts.status === undefined ? {} : { status: parseStatus(opts.status) }),
      };
      const service = await rt.service(opts);
      const out = rt.io.stdout;
      let n = 0;
      if (opts.format === 'array') out.write('[');
      for await (const wallet of service.exportWallets(query)) {
        if (opts.format === 'array') out.write(`${n === 0 ? '\n' : ',\n'}  ${JSON.stringify(wallet)}`);
        else out.write(`${JSON.stringify(wallet)}\n`);
        n++;
      }
      if (opts.format === 'array') out.write(n === 0 ? ']\n' : '\n]\n');
      rt.note(`kms-signer: exported ${n} wallet${n === 1 ? '' : 's'}`);
    });

  program
    .command('report')
    .description('wallet counts and the estimated monthly KMS key cost')
    .action(async (_opts: unknown, command: Command) => {
      const opts = rt.options(command);
      refuseScope(opts, 'report');
      const report = await (await rt.service(opts)).report();
      rt.output(opts, report, () => renderReport(report));
    });

  program
    .command('reconcile')
    .description('compare KMS keys with wallet records and repair (--dry-run: report only)')
    .option('--dry-run', 'only report; change nothing')
    .option('--grace-seconds <seconds>', 'age after which a CREATING record counts as unfinished')
    .action(async (_opts: unknown, command: Command) => {
      const opts = rt.options<{ dryRun?: boolean; graceSeconds?: string }>(command);
      refuseScope(opts, 'reconcile');
      const options = {
        dryRun: opts.dryRun === true,
        ...(opts.graceSeconds === undefined
          ? {}
          : { graceSeconds: parseInteger(opts.graceSeconds, '--grace-seconds', 0, 30 * 86_400) }),
      };
      const report = await (await rt.service(opts)).reconcile(options);
      rt.output(opts, report, () => renderReconcile(report));
    });
}
