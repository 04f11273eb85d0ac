// The KMS key specs a wallet key can have, and the signing algorithm and message type each is used with.
// A dependency-free module so that the chain registry can name a chain's key spec without loading KMS.
//
// AWS KMS API reference (Sign, SigningAlgorithmSpec; Ed25519 keys since 2025-11-07): ECDSA_SHA_256 with
// MessageType=DIGEST signs our own 32-byte digest; ED25519_SHA_512 is pure Ed25519 (RFC 8032) over the
// message itself and requires MessageType=RAW. ED25519_PH_SHA_512 (Ed25519ph, MessageType=DIGEST) makes a
// different signature that no chain accepts and is never used.
export const SECP256K1_KEY_SPEC = 'ECC_SECG_P256K1';
export const ED25519_KEY_SPEC = 'ECC_NIST_EDWARDS25519';

export const WALLET_KEY_SPECS = [SECP256K1_KEY_SPEC, ED25519_KEY_SPEC] as const;
export type WalletKeySpec = (typeof WALLET_KEY_SPECS)[number];

/** The only (SigningAlgorithm, MessageType) pair the service uses with each key spec; IAM enforces it. */
export const SIGNING_MODES = {
  [SECP256K1_KEY_SPEC]: { algorithm: 'ECDSA_SHA_256', messageType: 'DIGEST' },
  [ED25519_KEY_SPEC]: { algorithm: 'ED25519_SHA_512', messageType: 'RAW' },
} as const satisfies Record<WalletKeySpec, { algorithm: string; messageType: string }>;

/** Sign accepts messages of up to 4,096 bytes (API reference, Sign: Message). */
export const MAX_SIGN_MESSAGE_BYTES = 4096;
