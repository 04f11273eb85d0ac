// /v1/wallets: create (idempotent with Idempotency-Key), read, list, derive an index key (status
// changes are in operations.ts). Each handler validates through its route's schemas (a 400
// before the service is called) and maps the service's view to JSON.
import type { Hono } from 'hono';
import * as z from 'zod';
import { addRoute, defineRoute } from '../route.js';
import { WalletError, type WalletService } from '../../wallets/contract.js';
import type { ApiEnv } from '../types.js';
import {
  AddressParams,
  CreateWalletBody,
  FlowAccountBody,
  IdempotencyHeaders,
  ListWalletsQuery,
  SignatureIdParams,
  WalletKeySchema,
  WalletPageSchema,
  WalletSchema,
} from '../schemas.js';
import { walletJson, walletKeyJson, walletPageJson, walletPath } from '../views.js';
import { jsonBody, jsonResponse, v1Problems } from './common.js';

const tags = ['wallets'];

const createWallet = defineRoute({
  method: 'post',
  path: '/v1/wallets',
  operationId: 'createWallet',
  summary: 'Create a wallet (one new KMS key)',
  tags,
  request: {
    headers: IdempotencyHeaders,
    body: jsonBody(CreateWalletBody, 'The wallet to create'),
  },
  responses: {
    201: {
      ...jsonResponse(WalletSchema, 'Created; also the answer to a retry with the same Idempotency-Key'),
      headers: z.object({
        Location: z.string().meta({ description: 'URL of the wallet' }),
        'Idempotent-Replayed': z
          .literal('true')
          .optional()
          .meta({ description: 'Present when this is the stored answer to an earlier request' }),
      }),
    },
    ...v1Problems(400, 413, 415, 422),
  },
});

const listWallets = defineRoute({
  method: 'get',
  path: '/v1/wallets',
  operationId: 'listWallets',
  summary: 'List wallets, newest first, a page at a time',
  tags,
  request: { query: ListWalletsQuery },
  responses: {
    200: jsonResponse(WalletPageSchema, 'One page; pass nextCursor as cursor for the next one'),
    ...v1Problems(400),
  },
});

const getWallet = defineRoute({
  method: 'get',
  path: '/v1/wallets/{signatureId}',
  operationId: 'getWallet',
  summary: 'Get a wallet',
  tags,
  request: { params: SignatureIdParams },
  responses: { 200: jsonResponse(WalletSchema, 'The wallet'), ...v1Problems(400, 404) },
});

const getAddress = defineRoute({
  method: 'get',
  path: '/v1/wallets/{signatureId}/addresses/{index}',
  operationId: 'getWalletAddress',
  summary: 'Key and address at an index (the KMS key is created on first use)',
  tags,
  request: { params: AddressParams },
  responses: {
    200: jsonResponse(WalletKeySchema, 'The key at that index'),
    ...v1Problems(400, 404, 409),
  },
});

const registerFlowAccount = defineRoute({
  method: 'put',
  path: '/v1/wallets/{signatureId}/flow-account',
  operationId: 'registerFlowAccount',
  summary: 'FLOW: register the chain account holding the wallet key (checked on a Flow node first)',
  tags,
  request: {
    params: SignatureIdParams,
    body: jsonBody(FlowAccountBody, 'The account and key index (the account is created by someone else)'),
  },
  responses: {
    200: jsonResponse(WalletSchema, 'The wallet, registered (also when it already was, identically)'),
    ...v1Problems(400, 404, 409, 413, 415),
  },
});

/**
 * The service's "no such wallet" names no field (the CLI adds its own); here the signatureId of the path
 * is the input at fault, so the 404 problem names it.
 */
export async function aboutWallet<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    if (error instanceof WalletError && error.code === 'NOT_FOUND' && error.field === undefined) {
      throw new WalletError('NOT_FOUND', error.message, 'signatureId');
    }
    throw error;
  }
}

export function registerWalletRoutes(app: Hono<ApiEnv>, service: WalletService): void {
  addRoute(app, createWallet, async (c) => {
    const body = c.req.valid('json');
    const idempotencyKey = c.req.valid('header')['Idempotency-Key'];
    const { wallet, created } = await service.createWallet(body, idempotencyKey);
    c.header('Location', walletPath(wallet.signatureId));
    if (!created) c.header('Idempotent-Replayed', 'true');
    return c.json(walletJson(wallet), 201);
  });

  addRoute(app, listWallets, async (c) => {
    const page = await service.listWallets(c.req.valid('query'));
    return c.json(walletPageJson(page), 200);
  });

  addRoute(app, getWallet, async (c) => {
    const wallet = await aboutWallet(() => service.getWallet(c.req.valid('param').signatureId));
    return c.json(walletJson(wallet), 200);
  });

  addRoute(app, registerFlowAccount, async (c) => {
    const { signatureId } = c.req.valid('param');
    const register = service.registerFlowAccount?.bind(service);
    if (register === undefined)
      throw new WalletError('UNAVAILABLE', 'FLOW registration is not available here');
    const wallet = await aboutWallet(() => register(signatureId, c.req.valid('json')));
    return c.json(walletJson(wallet), 200);
  });

  addRoute(app, getAddress, async (c) => {
    const { signatureId, index } = c.req.valid('param');
    const key = await aboutWallet(() => service.getAddress(signatureId, index));
    return c.json(walletKeyJson(signatureId, key), 200);
  });
}
