// Minimal typings for the parts of asn1.js we use (the package ships none).
declare module 'asn1.js' {
  import type BN from 'bn.js';

  interface Node {
    seq(): Node;
    obj(...children: Node[]): Node;
    key(name: string): Node;
    int(): Node;
    objid(values?: Record<string, string>): Node;
    bitstr(): Node;
    any(): Node;
    optional(): Node;
  }
  export interface Entity<T> {
    decode(data: Buffer, encoding: 'der'): T;
    encode(data: T, encoding: 'der'): Buffer;
  }
  export function define<T>(name: string, body: (this: Node) => void): Entity<T>;
  export const bignum: typeof BN;
  const asn1: { define: typeof define; bignum: typeof BN };
  export default asn1;
}
