// The secp256k1 signature every signer receives from the vault: shared vocabulary of src/kms and src/signer.
export interface KmsSignature {
  r: bigint;
  /** Always in the low half of the curve order. */
  s: bigint;
  recoveryId: 0 | 1;
  /** Canonical DER of (r, low s), without any sighash byte. */
  der: Uint8Array;
  /** 64-byte r ‖ s. */
  compact: Uint8Array;
  /** True when KMS returned a high S that we folded. */
  normalized: boolean;
}
