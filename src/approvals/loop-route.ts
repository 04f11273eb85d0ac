// The endpoint the signing loop calls — ours or tatum-kms's with --externalUrlMethod POST:
//   GET|POST /four-eye/{pendingId}   (externalUrl = https://<host>/four-eye)
// 200 only when the transaction (as presented, for POST) has its quorum and no rejection; 403 when an
// operator rejected it; 423 while it awaits approval (the loop asks again next pass); 404 for an id never
// presented (GET); 401 for any request without a valid HMAC signature (four-eye-signature.ts).
import type { Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { pendingTransactionSchema } from '../tatum/client.js';
import { FOUR_EYE_AWAITING_STATUS } from '../tatum/four-eye.js';
import {
  FOUR_EYE_SIGNATURE_HEADER,
  FOUR_EYE_TIMESTAMP_HEADER,
  verifyFourEyeRequest,
} from '../tatum/four-eye-signature.js';
import type { PendingTransaction } from '../tatum/types.js';
import { clientOf } from './client-info.js';
import { FOUR_EYE_PATH } from './paths.js';
import type { ApprovalsService } from './service.js';
import type { PendingDoc } from './store.js';

const MAX_BODY_BYTES = 512 * 1024;
const PENDING_ID = /^[0-9a-f]{24}$/;

export function registerLoopRoute(app: Hono, service: ApprovalsService): void {
  app.use(
    `${FOUR_EYE_PATH}/*`,
    bodyLimit({ maxSize: MAX_BODY_BYTES, onError: (c) => c.json({ error: 'body too large' }, 413) }),
  );
  app.on(['GET', 'POST'], `${FOUR_EYE_PATH}/:id`, async (c) => {
    const body = c.req.method === 'POST' ? await c.req.text() : '';
    const refused = verifyFourEyeRequest(
      service.config.loopSecret,
      { method: c.req.method, path: c.req.path, body },
      {
        timestamp: c.req.header(FOUR_EYE_TIMESTAMP_HEADER),
        signature: c.req.header(FOUR_EYE_SIGNATURE_HEADER),
      },
    );
    const id = c.req.param('id');
    const client = clientOf(c);
    if (refused !== null) {
      await service.audit.record({ actor: 'anonymous', action: 'loop-refused', detail: refused, ...client });
      return c.json({ error: 'unauthenticated' }, 401);
    }
    if (!PENDING_ID.test(id)) return c.json({ error: 'unknown pending transaction' }, 404);

    let doc: PendingDoc | null;
    if (c.req.method === 'POST') {
      const pending = await parsePending(body);
      if (typeof pending === 'string') return c.json({ error: pending }, 400);
      if (pending.id !== id) return c.json({ error: 'body id differs from the path id' }, 400);
      const presented = await service.present(pending);
      doc = presented.doc;
      if (presented.change !== 'same') {
        await service.audit.record({
          actor: 'loop',
          action: presented.change === 'new' ? 'registered' : 'content-changed',
          pendingId: id,
          contentHash: doc.contentHash,
          detail: `${doc.chain}, revision ${doc.revision}`,
          ...client,
        });
      }
    } else {
      doc = await service.store.get(id);
      if (!doc) return c.json({ error: 'unknown pending transaction' }, 404);
    }
    return answer(c, service, doc, client);
  });
}

async function answer(
  c: Context,
  service: ApprovalsService,
  doc: PendingDoc,
  client: ReturnType<typeof clientOf>,
): Promise<Response> {
  const state = await service.state(doc);
  if (state.decision === 'approved') {
    await service.audit.record({
      actor: 'loop',
      action: 'released',
      pendingId: doc._id,
      contentHash: doc.contentHash,
      detail: `approved by ${state.approvedBy.join(', ')}`,
      ...client,
    });
    return c.json({ decision: 'approved', approvedBy: state.approvedBy }, 200);
  }
  if (state.decision === 'rejected') return c.json({ decision: 'rejected' }, 403);
  return c.json(
    { decision: 'awaiting', approvals: state.approvedBy.length, quorum: state.quorum },
    FOUR_EYE_AWAITING_STATUS,
  );
}

async function parsePending(body: string): Promise<PendingTransaction | string> {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return 'body is not JSON';
  }
  const parsed = await pendingTransactionSchema.safeParseAsync(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return `${issue?.path.join('.') ?? 'body'}: ${issue?.message ?? 'invalid'}`;
  }
  return parsed.data;
}
