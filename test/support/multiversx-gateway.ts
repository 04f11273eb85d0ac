// The two MultiversX gateway routes the loop reads (mx-chain-proxy-go's REST API, answers wrapped as
// {data, error, code: "successful"}): GET /network/config and GET /address/{bech32}/nonce. No MultiversX
// node or chain simulator installs here (mx-chain-simulator-go is not served by the Go module proxy), so
// the account nonces are what the test sets; every signature is verified by @multiversx/sdk-core in the
// sandbox instead.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeMultiversXGateway {
  url: string;
  /** Account nonces by bech32 address (0 when absent). */
  nonces: Map<string, number>;
  chainId: string;
  /** Answer every request with HTTP 503 while true. */
  down: boolean;
  paths: string[];
  close(): Promise<void>;
}

export async function startMultiversXGateway(chainId = 'D'): Promise<FakeMultiversXGateway> {
  const gateway: FakeMultiversXGateway = {
    url: '',
    nonces: new Map(),
    chainId,
    down: false,
    paths: [],
    close: () => Promise.resolve(),
  };
  const server = http.createServer((req, res) => {
    const path = req.url ?? '/';
    gateway.paths.push(path);
    const nonceMatch = /^\/address\/(erd1[0-9a-z]+)\/nonce$/.exec(path);
    let data: unknown;
    if (path === '/network/config')
      data = { config: { erd_chain_id: gateway.chainId, erd_min_transaction_version: 1 } };
    else if (nonceMatch?.[1] !== undefined) data = { nonce: gateway.nonces.get(nonceMatch[1]) ?? 0 };
    if (gateway.down || data === undefined) {
      res.writeHead(gateway.down ? 503 : 404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ data, error: '', code: 'successful' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  gateway.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  gateway.close = () =>
    new Promise((resolve) => {
      server.close(() => {
        resolve();
      });
    });
  return gateway;
}
