// The EVM fee cap: refused before any KMS call when gas limit × (max) fee per gas exceeds the cap.
import { describe, expect, it } from 'vitest';
import { listChains } from '../../../../src/chains/index.js';
import { DEFAULT_MAX_FEE_WEI, signEvmTransaction } from '../../../../src/signer/evm/index.js';
import { SigningRefusedError } from '../../../../src/signer/types.js';
import { EIP1559_FEES, evmRequest, recordingSigner, tatumPayload } from './fixtures.js';

const GWEI = 10n ** 9n;

async function refusal(promise: Promise<unknown>): Promise<SigningRefusedError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SigningRefusedError);
  return error as SigningRefusedError;
}

describe('EVM fee cap', () => {
  it('has a default for every EVM chain in the registry', () => {
    const evmChains = listChains()
      .filter((chain) => chain.family === 'evm')
      .map((chain) => chain.id);
    expect(evmChains.length).toBeGreaterThan(3);
    for (const chain of evmChains) expect(DEFAULT_MAX_FEE_WEI[chain], chain).toBeGreaterThan(0n);
  });

  it('signs a fee exactly at the ETH cap and refuses one wei per gas above it, naming the field', async () => {
    const cap = DEFAULT_MAX_FEE_WEI.ETH ?? 0n;
    const gas = 100_000n;
    const atCap = recordingSigner();
    await signEvmTransaction(
      evmRequest(atCap, tatumPayload({ gas: String(gas), gasPrice: String(cap / gas) })),
    );
    expect(atCap.calls).toHaveLength(1);

    const above = recordingSigner();
    const error = await refusal(
      signEvmTransaction(
        evmRequest(above, tatumPayload({ gas: String(gas), gasPrice: String(cap / gas + 1n) })),
      ),
    );
    expect(error.code).toBe('FEE_TOO_HIGH');
    expect(error.field).toBe('gasPrice');
    expect(error.message).toContain(`${gas * (cap / gas + 1n)} wei`);
    expect(above.calls).toHaveLength(0);
  });

  it('caps type-2 transactions on maxFeePerGas (the worst case), not the priority fee', async () => {
    const signer = recordingSigner();
    const error = await refusal(
      signEvmTransaction(
        evmRequest(
          signer,
          tatumPayload({
            gasPrice: undefined,
            gas: '21000',
            maxFeePerGas: String(3_000n * GWEI),
            maxPriorityFeePerGas: EIP1559_FEES.maxPriorityFeePerGas,
          }),
        ),
      ),
    );
    expect(error.code).toBe('FEE_TOO_HIGH');
    expect(error.field).toBe('maxFeePerGas');
    expect(signer.calls).toHaveLength(0);
  });

  it('options.maxFeeWei replaces the default in both directions', async () => {
    const tight = recordingSigner();
    const error = await refusal(
      signEvmTransaction({
        ...evmRequest(tight, tatumPayload()),
        options: { maxFeeWei: 21_000n * 20n * GWEI - 1n },
      }),
    );
    expect(error.code).toBe('FEE_TOO_HIGH');
    expect(error.message).toContain('options.maxFeeWei');
    expect(tight.calls).toHaveLength(0);

    const loose = recordingSigner();
    const gasPrice = String(10_000n * GWEI); // 0.21 ETH for a transfer: above the default, allowed here
    await signEvmTransaction({
      ...evmRequest(loose, tatumPayload({ gasPrice })),
      options: { maxFeeWei: '1000000000000000000' },
    });
    expect(loose.calls).toHaveLength(1);
  });

  it.each([-1, 1.5, '1e18', '-5', '', ' 1', {}, null])(
    'refuses options.maxFeeWei %j before signing',
    async (maxFeeWei) => {
      const signer = recordingSigner();
      const error = await refusal(
        signEvmTransaction({
          ...evmRequest(signer, tatumPayload()),
          options: { maxFeeWei: maxFeeWei as never },
        }),
      );
      expect(error.code).toBe('INVALID_REQUEST');
      expect(error.field).toBe('options.maxFeeWei');
      expect(signer.calls).toHaveLength(0);
    },
  );
});
