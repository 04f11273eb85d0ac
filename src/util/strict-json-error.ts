// The refusal of strict-json.ts and the strict UTF-8 decoding, in a module of their own:
// strict-json-on-demand.ts uses them too without loading momoa.

/** The path of a refusal that concerns the whole text. */
export const WHOLE_TEXT = '(body)';

const fatalUtf8 = new TextDecoder('utf-8', { fatal: true });

/** UTF-8 bytes to text; throws StrictJsonError on any invalid sequence (a BOM is dropped). */
export function decodeUtf8Strict(bytes: Uint8Array): string {
  try {
    return fatalUtf8.decode(bytes);
  } catch {
    throw new StrictJsonError(WHOLE_TEXT, 'is not valid UTF-8');
  }
}

/** Why a JSON text was refused; `path` names where (e.g. `outputs[1].address`, `(body)` for the whole). */
export class StrictJsonError extends Error {
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`${path}: ${reason}`);
    this.name = 'StrictJsonError';
  }
}
