// The trusted read-only view of VeChainThor through a node's REST API (thor's own API, e.g. thor solo on
// :8669 or a VeChain public node): the genesis block (checked once against the registry's genesis id),
// the best block (its id's first 8 bytes are a transaction's blockRef: tatum-protocol.md §4.14, thorify
// reads GET /blocks/best), and the execution gas of a clause (POST /accounts/*, thor's call simulation).
import * as z from 'zod';
import { redact } from '../config/index.js';
import type { RpcEndpoint } from './endpoint.js';
import { ChainUnavailableError } from './errors.js';

const blockSchema = z.object({ id: z.string().regex(/^0x[0-9a-f]{64}$/), number: z.number().int() });
const callSchema = z.array(
  z.object({ gasUsed: z.number().int().nonnegative(), reverted: z.boolean(), vmError: z.string() }),
);

export interface VetClause {
  to: string;
  value: bigint;
  data: string;
}

export class VetChainView {
  private genesisChecked: Promise<void> | undefined;

  constructor(
    private readonly endpoint: () => Promise<RpcEndpoint>,
    private readonly genesisId: string,
    private readonly label: string,
    private readonly timeoutMs = 10_000,
  ) {}

  /** GET /blocks/0 must be the registry's genesis block; asked once per process (again after a failure). */
  checkGenesis(): Promise<void> {
    this.genesisChecked ??= this.request('GET', '/blocks/0', undefined, blockSchema).then((block) => {
      if (block.id !== this.genesisId) {
        throw new ChainUnavailableError(`${this.label}: genesis ${block.id}, expected ${this.genesisId}`);
      }
    });
    this.genesisChecked.catch(() => {
      this.genesisChecked = undefined;
    });
    return this.genesisChecked;
  }

  /** The first 8 bytes of the best block's id. */
  async bestBlockRef(): Promise<string> {
    return (await this.request('GET', '/blocks/best', undefined, blockSchema)).id.slice(0, 18);
  }

  /** Execution gas of one clause sent by `caller` (intrinsic gas not included); reverted calls say why. */
  async executionGas(caller: string, clause: VetClause): Promise<{ gasUsed: number; revert?: string }> {
    const body = { clauses: [{ ...clause, value: `0x${clause.value.toString(16)}` }], caller };
    const [result] = await this.request('POST', '/accounts/*', body, callSchema);
    if (result === undefined) throw new ChainUnavailableError(`${this.label}: empty call result`);
    return result.reverted
      ? { gasUsed: result.gasUsed, revert: result.vmError }
      : { gasUsed: result.gasUsed };
  }

  private async request<T>(method: string, path: string, body: unknown, schema: z.ZodType<T>): Promise<T> {
    const endpoint = await this.endpoint();
    const scrub = (text: string) => redact(text, endpoint.secrets);
    const what = `${this.label} ${method} ${path}`;
    let response: Response;
    try {
      response = await fetch(`${endpoint.url.replace(/\/+$/, '')}${path}`, {
        method,
        headers: { 'content-type': 'application/json', ...endpoint.headers },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch {
      throw new ChainUnavailableError(scrub(`${what}: unreachable or timed out`));
    }
    if (!response.ok) throw new ChainUnavailableError(scrub(`${what}: HTTP ${response.status}`));
    const parsed = schema.safeParse(await response.json().catch(() => undefined));
    if (!parsed.success) throw new ChainUnavailableError(scrub(`${what}: unexpected answer`));
    return parsed.data;
  }
}
