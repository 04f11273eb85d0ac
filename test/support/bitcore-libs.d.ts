// The parts of bitpay's bitcore-lib-ltc / -doge / -cash (v11, untyped CommonJS) the signer tests use as
// INDEPENDENT builders and verifiers of Tatum payloads. Test-only; src never imports them.
declare namespace BitcoreTest {
  interface Script {
    chunks: { buf?: Buffer; opcodenum: number }[];
    toHex(): string;
    toBuffer(): Buffer;
    toString(): string;
  }
  interface ScriptStatic {
    new (from?: string | Buffer): Script;
    fromHex(hex: string): Script;
    Interpreter: InterpreterStatic;
  }
  interface Interpreter {
    errstr: string;
    /** LTC/DOGE: (…, witness, satoshis); BCH: (…, satoshisBN). */
    verify(
      scriptSig: Script,
      scriptPubkey: Script,
      tx: Transaction,
      nin: number,
      flags: number,
      witnessOrSatoshisBN?: Buffer[] | BN,
      satoshis?: number,
    ): boolean;
  }
  interface InterpreterStatic {
    new (): Interpreter;
    [flag: `SCRIPT_${string}`]: number;
  }
  interface BN {
    toString(base?: number): string;
  }
  interface BNStatic {
    new (value: number | string): BN;
  }
  interface Input {
    prevTxId: Buffer;
    outputIndex: number;
    script: Script;
    getWitnesses?(): Buffer[];
  }
  interface Output {
    satoshis: number;
    script: Script;
  }
  interface OutputStatic {
    new (data: { script: Script | string; satoshis: number }): Output;
  }
  interface UtxoData {
    txId: string;
    outputIndex: number;
    satoshis: number;
    script: string;
  }
  interface Transaction {
    readonly id: string;
    readonly hash: string;
    inputs: Input[];
    outputs: Output[];
    from(utxos: UtxoData | UtxoData[]): this;
    addOutput(output: Output): this;
    change(address: Address | string): this;
    fee(satoshis: number): this;
    toObject(): Record<string, unknown>;
    uncheckedSerialize(): string;
  }
  interface TransactionStatic {
    new (serialized?: string | object): Transaction;
    Output: OutputStatic;
    Sighash: {
      sighash(
        tx: Transaction,
        sighashType: number,
        inputNumber: number,
        subscript: Script,
        satoshisBN?: BN,
        flags?: number,
      ): Buffer;
    };
  }
  interface Address {
    toString(): string;
  }
  interface AddressStatic {
    fromScript(script: Script, network: string): Address;
  }
  interface Lib {
    Script: ScriptStatic;
    Transaction: TransactionStatic;
    Address: AddressStatic;
    crypto: {
      BN: BNStatic;
      Signature: { fromTxFormat(buf: Buffer): { nhashtype: number; hasLowS(): boolean } };
    };
  }
}

declare module 'bitcore-lib-ltc' {
  const lib: BitcoreTest.Lib;
  export default lib;
}
declare module 'bitcore-lib-doge' {
  const lib: BitcoreTest.Lib;
  export default lib;
}
declare module 'bitcore-lib-cash' {
  const lib: BitcoreTest.Lib;
  export default lib;
}
