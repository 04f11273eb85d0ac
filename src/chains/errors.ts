/** Base class of every error thrown by src/chains, so callers can catch them as a group. */
export class ChainsError extends Error {
  override name = 'ChainsError';
}

export class UnsupportedChainError extends ChainsError {
  override name = 'UnsupportedChainError';
  constructor(
    readonly chain: string,
    reason: string,
  ) {
    super(`Unsupported chain ${JSON.stringify(chain)}: ${reason}`);
  }
}

export class UnsupportedNetworkError extends ChainsError {
  override name = 'UnsupportedNetworkError';
  constructor(
    readonly chain: string,
    readonly network: string,
    supported: readonly string[],
  ) {
    super(
      `Unsupported network ${JSON.stringify(network)} for chain ${chain}: supported networks are ${supported.join(', ')}`,
    );
  }
}

export class UnsupportedAddressFormatError extends ChainsError {
  override name = 'UnsupportedAddressFormatError';
  constructor(
    readonly chain: string,
    readonly format: string,
    supported: readonly string[],
  ) {
    super(
      `Unsupported address format ${JSON.stringify(format)} for chain ${chain}: supported formats are ${supported.join(', ')}`,
    );
  }
}

export class InvalidAddressError extends ChainsError {
  override name = 'InvalidAddressError';
  constructor(
    readonly chain: string,
    readonly network: string,
    readonly address: string,
    readonly reason: string,
  ) {
    super(`Invalid address for ${chain} ${network}: ${reason}`);
  }
}
