// replicatekeys: copies this application's multi-Region primary wallet keys into a recovery Region
// (src/kms/replicate.ts), paced below the ReplicateKey quota. Runs with the operator's credentials in the
// primary Region (AWS_REGION); the runtime roles are never granted kms:ReplicateKey.
import type { Command } from 'commander';
import { createKmsClient } from '../../kms/client.js';
import {
  REPLICATE_KEY_QUOTA_PER_SECOND,
  replicateKeys,
  type ReplicationOutcome,
} from '../../kms/replicate.js';
import { loadCliConfig } from '../config-summary.js';
import { CliError, EXIT, usageError } from '../errors.js';
import { refuseScope } from '../options.js';
import type { Runtime } from '../runtime.js';

interface ReplicateOptions {
  toRegion: string;
  rate: string;
  dryRun?: boolean;
}

const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;

export function registerReplicateCommand(program: Command, rt: Runtime): void {
  program
    .command('replicatekeys')
    .description('replicate multi-Region wallet keys into a recovery Region (same key ids, same addresses)')
    .requiredOption('--to-region <region>', 'the recovery Region, e.g. eu-west-1')
    .option('--rate <n>', `ReplicateKey requests per second (quota ${REPLICATE_KEY_QUOTA_PER_SECOND})`, '4')
    .option('--dry-run', 'only report what would be replicated')
    .addHelpText(
      'after',
      '\nOnly keys created with KMS_MULTI_REGION_KEYS=true are multi-Region; older keys are reported as\n' +
        'single-region and stay where they are. Each replica is billed as a key ($1/month).',
    )
    .action(async (_opts: unknown, command: Command) => {
      const opts = rt.options<ReplicateOptions>(command);
      refuseScope(opts, 'replicatekeys');
      if (!REGION.test(opts.toRegion))
        throw usageError('--to-region', 'must be an AWS Region such as eu-west-1');
      const rate = Number(opts.rate);
      if (!Number.isFinite(rate) || rate <= 0 || rate > REPLICATE_KEY_QUOTA_PER_SECOND) {
        throw usageError('--rate', `must be a number in (0, ${REPLICATE_KEY_QUOTA_PER_SECOND}]`);
      }
      const config = loadCliConfig(rt.io.env, opts.envFile === undefined ? {} : { envFile: opts.envFile });
      if (opts.toRegion === config.aws.region) {
        throw usageError('--to-region', `is the primary Region (AWS_REGION=${config.aws.region})`);
      }
      const kms = createKmsClient({
        region: config.aws.region,
        ...(config.aws.endpoint !== undefined ? { endpoint: config.aws.endpoint } : {}),
      });
      const counts: Partial<Record<ReplicationOutcome, number>> = {};
      try {
        for await (const result of replicateKeys({
          kms,
          application: config.application,
          replicaRegion: opts.toRegion,
          ratePerSecond: rate,
          ...(opts.dryRun ? { dryRun: true } : {}),
          ...(rt.io.signal ? { signal: rt.io.signal } : {}),
        })) {
          counts[result.outcome] = (counts[result.outcome] ?? 0) + 1;
          if (opts.json) rt.print(JSON.stringify(result));
          else if (result.outcome !== 'already-replicated')
            rt.note(`${result.keyId}: ${result.outcome}${result.error ? ` (${result.error})` : ''}`);
        }
      } finally {
        kms.destroy();
      }
      const summary = Object.entries(counts)
        .map(([outcome, n]) => `${n} ${outcome}`)
        .join(', ');
      rt.note(
        `kms-signer: ${opts.dryRun ? 'dry run: ' : ''}${summary || 'no keys tagged Application=' + config.application} → ${opts.toRegion}`,
      );
      if ((counts.failed ?? 0) > 0)
        throw new CliError(EXIT.FAILURE, 'replicatekeys', `${counts.failed} key(s) failed`);
    });
}
