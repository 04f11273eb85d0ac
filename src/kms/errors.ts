// Errors raised by the KMS vault. Every message names what was wrong (the field or the key) and why,
// and never carries secrets: key ids and ARNs are identifiers, not credentials.

export class KmsSignerError extends Error {
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A caller passed something unusable; nothing was sent to KMS. */
export class InvalidInputError extends KmsSignerError {
  constructor(
    readonly field: string,
    reason: string,
  ) {
    super('INVALID_INPUT', `${field}: ${reason}`);
  }
}

export type KeyUnusableReason =
  'not-found' | 'disabled' | 'invalid-state' | 'wrong-key-usage' | 'access-denied' | 'wrong-key-spec';

const REASON_TEXT: Record<KeyUnusableReason, string> = {
  'not-found': 'does not exist (or is not visible to this account and region)',
  disabled: 'is disabled',
  'invalid-state': 'is not in a usable state (pending deletion, pending import or unavailable)',
  'wrong-key-usage': 'cannot be used for this operation (wrong key usage or signing algorithm)',
  'access-denied': 'access was denied by IAM or the key policy',
  'wrong-key-spec': 'has the wrong key spec or key usage for this wallet',
};

/** KMS refused the key for a reason that will not heal by retrying. */
export class KmsKeyUnusableError extends KmsSignerError {
  constructor(
    readonly keyId: string,
    readonly reason: KeyUnusableReason,
    detail?: string,
    options?: { cause?: unknown },
  ) {
    super(
      `KMS_KEY_${reason.toUpperCase().replace(/-/g, '_')}`,
      `KMS key ${keyId} ${REASON_TEXT[reason]}${detail ? `: ${detail}` : ''}`,
      options,
    );
  }
}

/** Retries were exhausted or the deadline passed while KMS kept failing transiently. */
export class KmsUnavailableError extends KmsSignerError {
  constructor(
    readonly operation: string,
    readonly keyId: string | undefined,
    readonly attempts: number,
    readonly elapsedMs: number,
    cause: unknown,
  ) {
    super(
      'KMS_UNAVAILABLE',
      `KMS ${operation}${keyId ? ` on key ${keyId}` : ''} failed after ${attempts} attempt(s) in ${elapsedMs} ms: ${describeError(cause)}`,
      { cause },
    );
  }
}

/** Unavailable because the attempts timed out (KMS or the network path to it hangs): same code, its own class. */
export class KmsTimeoutError extends KmsUnavailableError {}

/** KMS answered with bytes we cannot trust (bad DER, wrong curve, point off the curve). */
export class MalformedKmsResponseError extends KmsSignerError {
  constructor(
    readonly keyId: string,
    what: string,
  ) {
    super('KMS_MALFORMED_RESPONSE', `KMS key ${keyId}: ${what}`);
  }
}

/** The signature KMS produced does not verify against the wallet's stored public key. */
export class SignatureVerificationError extends KmsSignerError {
  constructor(
    readonly keyId: string,
    detail: string,
  ) {
    super('SIGNATURE_NOT_VERIFIED', `KMS key ${keyId}: refusing signature, ${detail}`);
  }
}

export function describeError(error: unknown): string {
  if (error instanceof Error)
    return error.name && error.name !== 'Error' ? `${error.name}: ${error.message}` : error.message;
  return String(error);
}
