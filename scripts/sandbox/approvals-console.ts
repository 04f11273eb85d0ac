// A minimal HTTP client for the approvals console, as an operator's browser would use it: one session's
// cookies, CSRF tokens and content hashes read from the forms. The demo approves with it; the API tests
// use it where a real browser is not the point.

/** The password the demo and the tests give their operators. */
export const OPERATOR_PASSWORD = 'correct horse battery staple';

/** Value of the hidden input `name` in a page (the first one). */
export function hiddenValue(page: string, name: string): string {
  const match = new RegExp(`name="${name}" value="([^"]*)"`).exec(page);
  if (!match?.[1]) throw new Error(`no ${name} field on the page`);
  return match[1];
}

export class ConsoleClient {
  private cookies = new Map<string, string>();

  /** `fetcher`: another transport than the network (e.g. the Lambda handler in-process). */
  constructor(
    private readonly base: string,
    private readonly fetcher: typeof fetch = fetch,
  ) {}

  async request(
    path: string,
    init: { method?: string; form?: Record<string, string> } = {},
  ): Promise<Response> {
    const response = await this.fetcher(`${this.base}${path}`, {
      method: init.method ?? (init.form ? 'POST' : 'GET'),
      redirect: 'manual',
      headers: {
        cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
        ...(init.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      ...(init.form ? { body: new URLSearchParams(init.form).toString() } : {}),
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const [name, value] = (pair ?? '').split('=');
      if (name && value !== undefined) this.cookies.set(name, value);
    }
    return response;
  }

  /** `code`: the one-time code of an operator who enrolled two-step sign-in. */
  async signIn(username: string, password = OPERATOR_PASSWORD, code = ''): Promise<Response> {
    const page = await (await this.request('/login')).text();
    return this.request('/login', {
      form: { _csrf: hiddenValue(page, '_csrf'), username, password, code },
    });
  }

  /** Starts two-step enrolment as a signed-in operator: the key the page shows (spaces removed) and its form's token. */
  async twoStepEnrolment(): Promise<{ seed: string; csrf: string }> {
    const page = await (await this.request('/two-step')).text();
    const seed = /<code id="two-step-seed">([A-Z2-7 ]+)<\/code>/.exec(page)?.[1];
    if (!seed) throw new Error('no two-step key on the page');
    return { seed: seed.replaceAll(' ', ''), csrf: hiddenValue(page, '_csrf') };
  }

  async confirmTwoStep(csrf: string, code: string): Promise<Response> {
    return this.request('/two-step', { form: { _csrf: csrf, code } });
  }

  /** The detail page's CSRF token and content hash. */
  async voteForm(id: string): Promise<{ csrf: string; contentHash: string }> {
    const page = await (await this.request(`/tx/${id}`)).text();
    return { csrf: hiddenValue(page, '_csrf'), contentHash: hiddenValue(page, 'contentHash') };
  }

  async vote(id: string, decision: 'approve' | 'reject', reason = ''): Promise<Response> {
    const { csrf, contentHash } = await this.voteForm(id);
    return this.request(`/tx/${id}/vote`, { form: { _csrf: csrf, contentHash, decision, reason } });
  }
}
