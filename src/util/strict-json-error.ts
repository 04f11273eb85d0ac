// The refusal of strict-json.ts, in a module of its own: strict-json-on-demand.ts throws it too without
// loading momoa.

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
