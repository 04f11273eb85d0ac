// Wallet status changes as key administration jobs (wallets/operations.ts): disable, enable, schedule and
// cancel deletion answer 202 at once with the operation and its URL (Location, links.self); the caller
// polls it until COMPLETED or FAILED. A second change of the same wallet while one is unfinished is a 409.
import type { Hono } from 'hono';
import * as z from 'zod';
import { addRoute, defineRoute } from '../route.js';
import type { WalletOperationAction, WalletService } from '../../wallets/contract.js';
import { DeleteWalletBody, OperationParams, SignatureIdParams, WalletOperationSchema } from '../schemas.js';
import type { ApiEnv } from '../types.js';
import { validationProblem } from '../validation.js';
import { operationJson, operationPath } from '../views.js';
import { jsonBody, jsonResponse, v1Problems } from './common.js';
import { aboutWallet } from './wallets.js';

const tags = ['wallets'];

const accepted = {
  ...jsonResponse(
    WalletOperationSchema,
    'Accepted; poll links.self (also in Location) until COMPLETED or FAILED',
  ),
  headers: z.object({ Location: z.string().meta({ description: 'URL of the operation' }) }),
};

const stateChange = (
  action: Exclude<WalletOperationAction, 'delete'>,
  summary: string,
  operationId: string,
) =>
  defineRoute({
    method: 'post',
    path: `/v1/wallets/{signatureId}/${action}`,
    operationId,
    summary,
    tags,
    request: { params: SignatureIdParams },
    responses: { 202: accepted, ...v1Problems(400, 404, 409) },
  });

const ROUTES = [
  ['disable', stateChange('disable', 'Disable the wallet (its KMS keys refuse to sign)', 'disableWallet')],
  ['enable', stateChange('enable', 'Enable a disabled wallet', 'enableWallet')],
  [
    'cancel-deletion',
    stateChange(
      'cancel-deletion',
      'Cancel a scheduled deletion (the keys are enabled again; the wallet is ACTIVE)',
      'cancelWalletDeletion',
    ),
  ],
] as const;

const deleteWallet = defineRoute({
  method: 'delete',
  path: '/v1/wallets/{signatureId}',
  operationId: 'deleteWallet',
  summary: 'Schedule deletion of every KMS key of the wallet (7–30 days, default 30)',
  tags,
  request: {
    params: SignatureIdParams,
    body: jsonBody(DeleteWalletBody, 'Explicit confirmation: `confirm` must repeat the signatureId'),
  },
  responses: { 202: accepted, ...v1Problems(400, 404, 409, 413, 415) },
});

const getOperation = defineRoute({
  method: 'get',
  path: '/v1/wallets/{signatureId}/operations/{operationId}',
  operationId: 'getWalletOperation',
  summary: 'Progress of a wallet status change',
  tags,
  request: { params: OperationParams },
  responses: { 200: jsonResponse(WalletOperationSchema, 'The operation'), ...v1Problems(400, 404) },
});

export function registerOperationRoutes(app: Hono<ApiEnv>, service: WalletService): void {
  for (const [action, route] of ROUTES) {
    addRoute(app, route, async (c) => {
      const { signatureId } = c.req.valid('param');
      const operation = await aboutWallet(() => service.startWalletOperation(signatureId, action));
      c.header('Location', operationPath(operation.signatureId, operation.operationId));
      return c.json(operationJson(operation), 202);
    });
  }

  addRoute(app, deleteWallet, async (c) => {
    const { signatureId } = c.req.valid('param');
    const { confirm, pendingWindowDays } = c.req.valid('json');
    if (confirm !== signatureId) {
      throw validationProblem([
        { field: 'confirm', in: 'body', reason: 'must repeat the signatureId of the path exactly' },
      ]);
    }
    const options = pendingWindowDays === undefined ? {} : { pendingWindowDays };
    const operation = await aboutWallet(() => service.startWalletOperation(signatureId, 'delete', options));
    c.header('Location', operationPath(operation.signatureId, operation.operationId));
    return c.json(operationJson(operation), 202);
  });

  addRoute(app, getOperation, async (c) => {
    const { signatureId, operationId } = c.req.valid('param');
    const operation = await aboutWallet(() => service.getWalletOperation(signatureId, operationId));
    return c.json(operationJson(operation), 200);
  });
}
