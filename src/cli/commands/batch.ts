// generatemanagedprivatekeybatch <chain> <count>: pre-generates wallets through the service's
// resumable batches (it paces CreateKey within the KMS quota), with progress on stderr.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Command } from 'commander';
import type { BatchView } from '../../wallets/contract.js';
import { MAX_BATCH } from '../../wallets/validation.js';
import { about, CliError, EXIT, usageError } from '../errors.js';
import {
  addWalletOptions,
  chainArgument,
  parseCount,
  parseText,
  walletInput,
  type WalletOptions,
} from '../options.js';
import type { CliWalletService } from '../io.js';
import { renderBatch } from '../render.js';
import type { Runtime } from '../runtime.js';

const DEFAULT_POLL_MS = 500;
const MAX_AUTO_RESUMES = 3;

type BatchOptions = WalletOptions & { resume?: string };

export function registerBatchCommand(program: Command, rt: Runtime): void {
  addWalletOptions(program.command('generatemanagedprivatekeybatch'), false)
    .description('pre-generate <count> wallets (one KMS key each); resumable')
    .usage('[options] <chain> <count>  |  --resume <batchId>')
    .argument('[chain]', 'chain id, e.g. BTC, ETH')
    .argument('[count]', `number of wallets, 1 to ${MAX_BATCH}`)
    .option('--resume <batchId>', 'continue an interrupted, paused or failed batch')
    .addHelpText(
      'after',
      '\nKMS allows about 5 CreateKey calls per second, so 1,000 wallets take several minutes. If the run\n' +
        'stops (Ctrl-C, network), continue with --resume <batchId>; the id is printed when the batch starts.\n' +
        'Examples:\n  kms-signer generatemanagedprivatekeybatch ETH 100\n' +
        '  kms-signer generatemanagedprivatekeybatch --resume 6f1c…',
    )
    .action(
      async (
        chainArg: string | undefined,
        countArg: string | undefined,
        _opts: unknown,
        command: Command,
      ) => {
        const opts = rt.options<BatchOptions>(command);
        let batch: BatchView;
        if (opts.resume !== undefined) {
          const batchId = parseText(opts.resume, '--resume', 100);
          const chain = chainArg === undefined ? undefined : chainArgument(chainArg, opts);
          const count = countArg === undefined ? undefined : parseCount(countArg);
          const service = await rt.service(opts);
          batch = await about('batchId', batchId, () => service.getBatch(batchId));
          if (
            (chain !== undefined && chain !== batch.chain) ||
            (count !== undefined && count !== batch.count)
          ) {
            throw usageError(
              '--resume',
              `batch ${batchId} is ${batch.count} ${batch.chain} wallets; leave out <chain> <count> or give the same`,
            );
          }
          if (batch.status !== 'COMPLETED' && service.runBatch === undefined) {
            batch = await about('batchId', batchId, () => service.resumeBatch(batchId));
          }
        } else {
          if (chainArg === undefined || countArg === undefined) {
            throw usageError(chainArg === undefined ? 'chain' : 'count', 'required (or --resume <batchId>)');
          }
          const { userId, chain, asset, network } = walletInput(chainArgument(chainArg, opts), opts);
          const input = { userId, chain, asset, network, count: parseCount(countArg) };
          const service = await rt.service(opts);
          batch = await service.startBatch(input);
        }
        rt.note(
          `kms-signer: batch ${batch.batchId}: ${batch.count} ${batch.chain} ${batch.network} wallets ` +
            `(continue an interrupted run with --resume ${batch.batchId})`,
        );
        batch = await followBatch(rt, await rt.service(opts), batch, opts.resume !== undefined);
        rt.output(opts, batch, () => renderBatch(batch));
        if (batch.status !== 'COMPLETED') {
          throw new CliError(
            EXIT.FAILURE,
            'batch',
            `${batch.batchId} is ${batch.status} after ${batch.created}/${batch.count} wallets` +
              `${batch.error === null ? '' : ` (${batch.error})`}; continue with --resume ${batch.batchId}`,
          );
        }
      },
    );
}

function interrupted(rt: Runtime): boolean {
  return rt.io.signal?.aborted === true;
}

/** Ctrl-C: runCli then closes the service, which pauses the batch after its current wallet. */
function interruption(batch: BatchView): CliError {
  return new CliError(
    EXIT.FAILURE,
    'batch',
    `interrupted at ${batch.created}/${batch.count}; the batch pauses after its current wallet; ` +
      `continue with --resume ${batch.batchId}`,
  );
}

/**
 * Runs the batch to its end with progress. With the service's runBatch (which also takes over a batch
 * whose runner elsewhere stopped), progress comes from polling getBatch meanwhile. Without it, the batch
 * runs in the service's background: poll until it is no longer RUNNING, resuming a PAUSED one a few times.
 * A fresh batch that has already stopped is returned as it is; only --resume runs it again.
 */
async function followBatch(
  rt: Runtime,
  service: CliWalletService,
  initial: BatchView,
  resume: boolean,
): Promise<BatchView> {
  const progress = rt.startProgress(initial.count, `batch ${initial.batchId.slice(0, 8)}`);
  const pollMs = rt.deps.batchPollMs ?? DEFAULT_POLL_MS;
  const poll = async (): Promise<BatchView | undefined> => {
    try {
      const batch = await service.getBatch(initial.batchId);
      progress.update(batch.created);
      return batch;
    } catch {
      return undefined; // progress is best effort; the run itself reports failures
    }
  };
  try {
    progress.update(initial.created);
    if (initial.status === 'COMPLETED' || (!resume && initial.status !== 'RUNNING')) return initial;
    if (service.runBatch !== undefined) {
      const run = service.runBatch(initial.batchId);
      const finished = run.then(
        () => true,
        () => true,
      );
      while (!(await Promise.race([sleep(pollMs).then(() => false), finished]))) {
        if (interrupted(rt)) throw interruption((await poll()) ?? initial);
        await poll();
      }
      const final = await about('batchId', initial.batchId, () => run);
      progress.update(final.created);
      return final;
    }
    let batch = initial;
    for (let resumes = 0; ;) {
      if (batch.status === 'PAUSED') {
        if (resumes >= MAX_AUTO_RESUMES) return batch;
        resumes++;
        batch = await about('batchId', batch.batchId, () => service.resumeBatch(batch.batchId));
      } else if (batch.status === 'RUNNING') {
        if (interrupted(rt)) throw interruption(batch);
        await sleep(pollMs);
        batch = await service.getBatch(batch.batchId);
        progress.update(batch.created);
      } else {
        return batch;
      }
    }
  } finally {
    progress.stop();
  }
}
