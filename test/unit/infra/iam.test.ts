// Pins every IAM statement and condition of the wallet API and signer roles.
import { describe, expect, it } from 'vitest';
import { API_KEY_ACTIONS, WALLET_TAG_KEYS } from '../../../infra/iam.js';
import { APP_TAG, KEY_ARN, statementsOf, synthStack } from './harness.js';

const KEY_TYPE = {
  'kms:KeySpec': ['ECC_SECG_P256K1', 'ECC_NIST_EDWARDS25519'],
  'kms:KeyUsage': 'SIGN_VERIFY',
};
const OWN_KEY = { StringEquals: { 'aws:ResourceTag/Application': APP_TAG, ...KEY_TYPE } };

const { stack, template } = synthStack();
const secretRef = (id: string) => ({
  Ref: stack.getLogicalId(stack.node.findChild(id).node.defaultChild as never),
});

const LOG_WRITE: unknown = expect.objectContaining({
  Effect: 'Allow',
  Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
});
const DENY_LOCKOUT_BYPASS = {
  Sid: 'DenyPolicyLockoutBypass',
  Effect: 'Deny',
  Action: ['kms:CreateKey', 'kms:PutKeyPolicy'],
  Resource: '*',
  Condition: { Bool: { 'kms:BypassPolicyLockoutSafetyCheck': 'true' } },
};
const TAG_KEYS = ['Application', 'WalletId', 'Chain', 'Network', 'Asset', 'UserId', 'KeyIndex'];

describe('wallet API role', () => {
  const statements = statementsOf(stack, template, stack.apiFunction.role!);

  it('has exactly these statements, in this order', () => {
    expect(WALLET_TAG_KEYS).toEqual(TAG_KEYS);
    expect(statements).toEqual([
      {
        Sid: 'CreateWalletKeys',
        Effect: 'Allow',
        Action: 'kms:CreateKey',
        Resource: '*',
        Condition: {
          StringEquals: { ...KEY_TYPE, 'kms:KeyOrigin': 'AWS_KMS' },
          Bool: { 'kms:MultiRegion': 'false' },
          Null: { 'aws:TagKeys': 'true' },
        },
      },
      {
        Sid: 'CreateWalletKeysForImport',
        Effect: 'Allow',
        Action: 'kms:CreateKey',
        Resource: '*',
        Condition: {
          StringEquals: { ...KEY_TYPE, 'kms:KeyOrigin': 'EXTERNAL' },
          Bool: { 'kms:MultiRegion': 'false' },
          Null: { 'aws:TagKeys': 'true' },
        },
      },
      {
        Sid: 'DenyRetaggingForeignKeys',
        Effect: 'Deny',
        Action: 'kms:TagResource',
        Resource: '*',
        Condition: {
          Null: { 'aws:ResourceTag/Application': 'false' },
          StringNotEquals: { 'aws:ResourceTag/Application': APP_TAG },
        },
      },
      {
        Sid: 'ManageOwnKeys',
        Effect: 'Allow',
        Action: [
          'kms:CancelKeyDeletion',
          'kms:DescribeKey',
          'kms:DisableKey',
          'kms:EnableKey',
          'kms:GetParametersForImport',
          'kms:GetPublicKey',
          'kms:ImportKeyMaterial',
          'kms:ListResourceTags',
        ],
        Resource: KEY_ARN,
        Condition: OWN_KEY,
      },
      {
        Sid: 'ScheduleDeletionOfOwnKeys',
        Effect: 'Allow',
        Action: 'kms:ScheduleKeyDeletion',
        Resource: KEY_ARN,
        Condition: {
          ...OWN_KEY,
          NumericGreaterThanEquals: { 'kms:ScheduleKeyDeletionPendingWindowInDays': 7 },
        },
      },
      { Sid: 'ListKeysForReconcile', Effect: 'Allow', Action: 'kms:ListKeys', Resource: '*' },
      { ...DENY_LOCKOUT_BYPASS, Action: 'kms:PutKeyPolicy' },
      {
        Sid: 'ReadOwnSecrets',
        Effect: 'Allow',
        Action: 'secretsmanager:GetSecretValue',
        Resource: secretRef('MongoDbUri'),
      },
      LOG_WRITE,
    ]);
  });

  it('covers every KMS command the wallet code sends, and nothing for signing', () => {
    const actions = statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
    for (const a of [...API_KEY_ACTIONS, 'kms:CreateKey', 'kms:ListKeys', 'kms:ScheduleKeyDeletion']) {
      expect(actions).toContain(a);
    }
    expect(actions).not.toContain('kms:Sign');
    expect(actions).not.toContain('kms:UntagResource');
    expect(actions).not.toContain('kms:PutKeyPolicy'.replace('Put', 'Get'));
  });
});

describe('signer role', () => {
  it("may only Sign with each key spec's one mode and read public keys and tags of tagged keys", () => {
    expect(statementsOf(stack, template, stack.signerFunction.role!)).toEqual([
      {
        Sid: 'SignDigestsWithOwnSecp256k1Keys',
        Effect: 'Allow',
        Action: 'kms:Sign',
        Resource: KEY_ARN,
        Condition: {
          StringEquals: {
            'aws:ResourceTag/Application': APP_TAG,
            'kms:KeySpec': 'ECC_SECG_P256K1',
            'kms:KeyUsage': 'SIGN_VERIFY',
            'kms:MessageType': 'DIGEST',
            'kms:SigningAlgorithm': 'ECDSA_SHA_256',
          },
        },
      },
      {
        Sid: 'SignMessagesWithOwnEd25519Keys',
        Effect: 'Allow',
        Action: 'kms:Sign',
        Resource: KEY_ARN,
        Condition: {
          StringEquals: {
            'aws:ResourceTag/Application': APP_TAG,
            'kms:KeySpec': 'ECC_NIST_EDWARDS25519',
            'kms:KeyUsage': 'SIGN_VERIFY',
            'kms:MessageType': 'RAW',
            'kms:SigningAlgorithm': 'ED25519_SHA_512',
          },
        },
      },
      {
        Sid: 'ReadPublicKeysOfOwnKeys',
        Effect: 'Allow',
        Action: 'kms:GetPublicKey',
        Resource: KEY_ARN,
        Condition: OWN_KEY,
      },
      {
        Sid: 'ReadTagsOfOwnKeys',
        Effect: 'Allow',
        Action: 'kms:ListResourceTags',
        Resource: KEY_ARN,
        Condition: OWN_KEY,
      },
      DENY_LOCKOUT_BYPASS,
      {
        Sid: 'ReadOwnSecrets',
        Effect: 'Allow',
        Action: 'secretsmanager:GetSecretValue',
        Resource: [secretRef('MongoDbUri'), secretRef('TatumApiKey')],
      },
      LOG_WRITE,
      expect.objectContaining({ Effect: 'Allow', Action: 'sqs:SendMessage' }),
    ]);
  });

  it('pins kms:MultiRegion to the multiRegionKeys setting for generated keys only', () => {
    const mr = synthStack({ 'kms-signer:multiRegionKeys': 'true' });
    const sts = statementsOf(mr.stack, mr.template, mr.stack.apiFunction.role!);
    const bySid = (sid: string) => sts.find((x) => x.Sid === sid)?.Condition?.Bool;
    expect(bySid('CreateWalletKeys')).toEqual({ 'kms:MultiRegion': 'true' });
    expect(bySid('CreateWalletKeysForImport')).toEqual({ 'kms:MultiRegion': 'false' });
  });

  it('names the API role as the key owner in the API function environment (src/kms/key-ownership.ts)', () => {
    const env = template.findResources('AWS::Lambda::Function');
    const api = Object.entries(env).find(([id]) => id.startsWith('ApiFunction'))?.[1] as {
      Properties: { Environment: { Variables: Record<string, unknown> }; Role: unknown };
    };
    expect(api.Properties.Environment.Variables.KMS_KEY_OWNER_ROLE_ARN).toEqual(api.Properties.Role);
  });

  it('follows the appTag context', () => {
    const other = synthStack({ 'kms-signer:appTag': 'my-signer' });
    const sts = statementsOf(other.stack, other.template, other.stack.signerFunction.role!);
    expect(sts[0]?.Condition?.StringEquals?.['aws:ResourceTag/Application']).toBe('my-signer');
  });
});
