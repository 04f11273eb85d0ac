// The one libsecp256k1 instance (Bitcoin Core's library compiled to WebAssembly, shipped by libauth) used
// for public-key parsing, recovery and verification. Instantiated here rather than imported as libauth's
// ready-made `secp256k1`, whose module also sets up four hash WebAssembly modules we never use
// (≈ 100 kB of bundle and 15–25 ms of cold start).
import { instantiateSecp256k1 } from '@bitauth/libauth';

export const libsecp256k1 = await instantiateSecp256k1();
