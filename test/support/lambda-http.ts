// A `fetch` that hands each request to a Lambda handler as API Gateway HTTP API (payload format 2.0)
// would: lower-case headers (duplicates joined by commas), the Cookie header moved into `cookies`, rawPath
// and rawQueryString, requestContext.http with the caller's sourceIp, text bodies as they are; and turns
// the handler's result (statusCode, headers, cookies → set-cookie) back into a Response. Shape from
// docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html.
import type { ApiLambdaEvent, ApiLambdaResult } from '../../src/api/lambda.js';

type Handler = (event: ApiLambdaEvent) => Promise<ApiLambdaResult>;

export interface LambdaFetchOptions {
  /** requestContext.http.sourceIp: the address API Gateway saw. */
  sourceIp: string;
  /** The route that matched (`GET /{proxy+}` …); default `$default`. */
  routeKey?: (method: string, path: string) => string;
}

/** The v2 event for one request. */
export async function httpApiEvent(request: Request, sourceIp: string, routeKey = '$default') {
  const url = new URL(request.url);
  const headers: Record<string, string> = {};
  request.headers.forEach((value, name) => {
    if (name !== 'cookie') headers[name] = value;
  });
  const cookie = request.headers.get('cookie');
  const cookies = cookie ? cookie.split(/;\s*/).filter((c) => c !== '') : undefined;
  const body = request.method === 'GET' || request.method === 'HEAD' ? '' : await request.text();
  const now = new Date();
  return {
    version: '2.0',
    routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.replace(/^\?/, ''),
    ...(cookies ? { cookies } : {}),
    headers: { ...headers, host: url.host },
    ...(url.search ? { queryStringParameters: Object.fromEntries(url.searchParams) } : {}),
    requestContext: {
      accountId: '123456789012',
      apiId: 'approvals',
      domainName: url.host,
      domainPrefix: url.host.split('.')[0] ?? url.host,
      http: {
        method: request.method,
        path: url.pathname,
        protocol: 'HTTP/1.1',
        sourceIp,
        userAgent: request.headers.get('user-agent') ?? '',
      },
      requestId: crypto.randomUUID(),
      routeKey,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    ...(body !== '' ? { body, isBase64Encoded: false } : { isBase64Encoded: false }),
  } as unknown as ApiLambdaEvent;
}

export function lambdaFetch(handler: Handler, options: LambdaFetchOptions): typeof fetch {
  return async (input, init) => {
    const request = new Request(input, init);
    const route = options.routeKey?.(request.method, new URL(request.url).pathname) ?? '$default';
    const result = await handler(await httpApiEvent(request, options.sourceIp, route));
    const headers = new Headers(result.headers ?? {});
    for (const cookie of result.cookies ?? []) headers.append('set-cookie', cookie);
    const body = result.isBase64Encoded ? Buffer.from(result.body, 'base64') : result.body;
    // Responses with these statuses carry no body (Fetch standard "null body status").
    const nullBody = [101, 204, 205, 304].includes(result.statusCode);
    return new Response(nullBody ? null : body, { status: result.statusCode, headers });
  };
}
