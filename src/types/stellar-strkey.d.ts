// stellar-base's StrKey module on its own (lib/strkey.js, 10 kB bundled) instead of the package index
// (270 kB, the whole XDR codec), for the wallet API's and signer's init code (src/chains/addresses/stellar.ts).
// The package publishes its types for the index only; this is the same class.
declare module '@stellar/stellar-base/lib/strkey.js' {
  export { StrKey } from '@stellar/stellar-base';
}
