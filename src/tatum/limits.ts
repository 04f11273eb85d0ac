// Tatum's cap on signature ids per chain, shared by the signing loop (which counts its wallets before
// listing them) and the HTTP client (which refuses a longer list on its own), so both say the same thing.

/** Tatum's limit of signature ids per chain and API key (tatum-protocol.md §6); the reference daemon refuses more. */
export const MAX_SIGNATURE_IDS_PER_CHAIN = 25_000;

/** Why a chain with `count` signature ids is not fetched. */
export function tooManySignatureIds(chain: string, count: number): string {
  return (
    `refusing to fetch pending ${chain} transactions for ${count} signature ids: Tatum allows at most ` +
    `${MAX_SIGNATURE_IDS_PER_CHAIN} per chain and API key; remove wallets of this chain (disable or delete them)`
  );
}

/**
 * The largest serializedTransaction the loop accepts (characters). Our choice: a bitcore payload of a few
 * hundred inputs is well under 200 kB, an Ed25519 message is at most 4,096 bytes (the KMS limit); 5 MB
 * payloads were parsed and signed before this cap.
 */
export const MAX_PENDING_PAYLOAD_CHARS = 256 * 1024;
