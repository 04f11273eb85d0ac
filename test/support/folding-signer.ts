// A DigestSigner over the real vault that counts how many KMS signatures came back with a high S and
// were folded to low S, so a test can show the folding path was exercised.
import type { KmsSignature, KmsVault } from '../../src/kms/vault.js';
import type { DigestSigner } from '../../src/signer/types.js';

export interface FoldCountingSigner extends DigestSigner {
  readonly folded: number;
}

export function foldCountingSigner(vault: KmsVault): FoldCountingSigner {
  let folded = 0;
  return {
    get folded() {
      return folded;
    },
    async signDigest(keyId, digest, publicKey): Promise<KmsSignature> {
      const signature = await vault.signDigest(keyId, digest, publicKey);
      if (signature.normalized) folded += 1;
      return signature;
    },
  };
}
