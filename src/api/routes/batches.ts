// /v1/wallets/batch: start pre-generating `count` wallets (202 + a link to poll) and read progress.
import type { Hono } from 'hono';
import * as z from 'zod';
import { addRoute, defineRoute } from '../route.js';
import type { WalletService } from '../../wallets/contract.js';
import { BatchBody, BatchParams, BatchSchema } from '../schemas.js';
import type { ApiEnv } from '../types.js';
import { batchJson, batchPath } from '../views.js';
import { jsonBody, jsonResponse, v1Problems } from './common.js';

const tags = ['batches'];

const startBatch = defineRoute({
  method: 'post',
  path: '/v1/wallets/batch',
  operationId: 'startWalletBatch',
  summary: 'Start creating `count` wallets in the background',
  tags,
  request: { body: jsonBody(BatchBody, 'What to create') },
  responses: {
    202: {
      ...jsonResponse(BatchSchema, 'Accepted; poll links.self (also in Location) for progress'),
      headers: z.object({ Location: z.string().meta({ description: 'URL of the batch' }) }),
    },
    ...v1Problems(400, 413, 415, 429),
  },
});

const getBatch = defineRoute({
  method: 'get',
  path: '/v1/wallets/batch/{batchId}',
  operationId: 'getWalletBatch',
  summary: 'Progress of a batch',
  tags,
  request: { params: BatchParams },
  responses: { 200: jsonResponse(BatchSchema, 'The batch'), ...v1Problems(400, 404) },
});

export function registerBatchRoutes(app: Hono<ApiEnv>, service: WalletService): void {
  addRoute(app, startBatch, async (c) => {
    // The caller's identity (key digest prefix or IAM ARN) is what the cap on queued keys counts by.
    const batch = await service.startBatch({ ...c.req.valid('json'), requestedBy: c.get('principal') });
    c.header('Location', batchPath(batch.batchId));
    return c.json(batchJson(batch), 202);
  });

  addRoute(app, getBatch, async (c) => {
    const batch = await service.getBatch(c.req.valid('param').batchId);
    return c.json(batchJson(batch), 200);
  });
}
