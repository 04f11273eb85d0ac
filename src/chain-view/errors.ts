// Errors of the trusted chain view. An unavailable chain is never a reason to fail or to guess: the job
// waits for the next pass. A node that answers with an error object is a JsonRpcError (e.g. a revert).

/** The node could not be reached, timed out, answered 5xx/429, or answered something invalid. */
export class ChainUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ChainUnavailableError';
  }
}

/** A REST node answered 404: what was asked for does not exist there (yet). */
export class NodeNotFoundError extends ChainUnavailableError {
  constructor(message: string) {
    super(message);
    this.name = 'NodeNotFoundError';
  }
}

/** The node answered the call with a JSON-RPC error object. */
export class JsonRpcError extends Error {
  constructor(
    readonly method: string,
    readonly code: number | undefined,
    message: string,
    readonly data: unknown,
  ) {
    super(`${method}: ${message}${code === undefined ? '' : ` (code ${code})`}`);
    this.name = 'JsonRpcError';
  }
}

/** The call would revert: no transaction to sign. `reason` is the node's revert message. */
export class EvmRevertError extends Error {
  constructor(readonly reason: string) {
    super(`the transaction would revert: ${reason}`);
    this.name = 'EvmRevertError';
  }
}
