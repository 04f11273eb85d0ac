// jobs: the signing loop's jobs by state, for operators — what is still SIGNED (being settled), what was
// broadcast and how deep it is, what FAILED and why, and broadcasts the chain stopped showing.
import { Option, type Command } from 'commander';
import { SigningJobsView } from '../../tatum/jobs-view.js';
import { JOB_STATES, type JobState } from '../../tatum/jobs.js';
import { parseChain, parseInteger } from '../options.js';
import { usageError } from '../errors.js';
import { table } from '../render.js';
import type { Runtime } from '../runtime.js';

interface JobsOptions {
  state?: JobState;
  limit: string;
}

export function registerJobsCommand(program: Command, rt: Runtime): void {
  program
    .command('jobs')
    .description("the signing loop's jobs, newest first (--state to pick one state)")
    .addOption(new Option('--state <state>', 'only jobs in this state').choices(JOB_STATES))
    .option('--limit <n>', 'at most this many jobs', '50')
    .addHelpText(
      'after',
      '\nFilter by chain with the global --chain. Example:\n  kms-signer jobs --state SIGNED --json',
    )
    .action(async (_opts: unknown, command: Command) => {
      const opts = rt.options<JobsOptions>(command);
      const limit = parseInteger(opts.limit, '--limit', 1, 1000);
      const chain = opts.chain === undefined ? undefined : parseChain(opts.chain, '--chain');
      const { db } = await rt.openContext(opts);
      if (db === undefined) throw usageError('jobs', 'this configuration has no database');
      const jobs = await new SigningJobsView(db).list({
        ...(opts.state === undefined ? {} : { state: opts.state }),
        ...(chain === undefined ? {} : { chain }),
        limit,
      });
      rt.output(opts, jobs, () =>
        jobs.length === 0
          ? ['no jobs']
          : jobs.flatMap((job) => [
              ...table([
                ['id', job.id],
                [
                  'state',
                  `${job.state}${job.unseenSince ? ` (not on the chain since ${job.unseenSince})` : ''}`,
                ],
                ['chain', `${job.chain} ${job.network}`],
                ['txId', job.txId ?? '-'],
                ['confirmations', job.confirmations === undefined ? '-' : String(job.confirmations)],
                ['updated', job.updatedAt],
                ...(job.error === null ? [] : ([['error', job.error]] as [string, string][])),
              ]),
              '',
            ]),
      );
    });
}
