// The README's demo: on local stand-ins (LocalStack KMS), create a KMS-backed wallet key, show its
// addresses on every supported chain, then sign a digest through KMS and verify the signature with
// libsecp256k1 (tiny-secp256k1), which is not our code.
import { randomUUID } from 'node:crypto';
import { sha256 } from '@noble/hashes/sha2.js';
import * as tiny from 'tiny-secp256k1';
import { deriveAddresses, listChains, listNetworks, loadAllAddressCode } from '../src/chains/index.js';
import { createKmsClient } from '../src/kms/client.js';
import { KmsVault } from '../src/kms/vault.js';
import { startStack } from './stack/index.js';

// Every chain family's address code (src/chains/addresses/codecs.ts loads them on first use).
await loadAllAddressCode();

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

async function main(): Promise<void> {
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
  console.log('Starting LocalStack KMS on 127.0.0.1 …');
  const stack = await startStack({ services: ['aws'] });
  try {
    const client = createKmsClient({
      region: 'us-east-1',
      endpoint: stack.endpoints.awsEndpoint,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    const vault = new KmsVault({ client });

    const walletId = randomUUID();
    const { keyId, arn } = await vault.createKey({ walletId, chain: 'BTC' });
    const publicKey = await vault.getPublicKey(keyId);
    console.log(`\nWallet ${walletId}\n  KMS key  ${arn}\n  pubkey   ${hex(publicKey.compressed)}`);
    console.log(`  tags     ${JSON.stringify(await vault.listTags(keyId))}`);

    console.log('\nAddresses derived from the public key alone:');
    for (const chain of listChains()) {
      for (const network of listNetworks(chain.id)) {
        for (const { format, address } of deriveAddresses(chain.id, network, publicKey.compressed)) {
          console.log(`  ${chain.id.padEnd(8)} ${network.padEnd(8)} ${format.padEnd(12)} ${address}`);
        }
      }
    }

    const digest = sha256(new TextEncoder().encode(`kms-signer demo ${walletId}`));
    const signature = await vault.signDigest(keyId, digest, publicKey);
    const verified = tiny.verify(digest, publicKey.compressed, signature.compact, true);
    const recovered = tiny.recover(digest, signature.compact, signature.recoveryId, true);
    console.log(`\nSigned digest ${hex(digest)} through KMS (MessageType=DIGEST)`);
    console.log(`  DER (low-S)      ${hex(signature.der)}`);
    console.log(
      `  recovery id      ${signature.recoveryId}${signature.normalized ? ' (KMS returned high S; folded)' : ''}`,
    );
    console.log(
      `  libsecp256k1     verify=${verified} recover=${recovered ? hex(recovered) === hex(publicKey.compressed) : false}`,
    );
    if (!verified) process.exitCode = 1;
  } finally {
    await stack.stop();
  }
}

await main();
