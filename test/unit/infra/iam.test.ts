// Pins every IAM statement and condition of the wallet API and signer roles.
import { describe, expect, it } from 'vitest';
import { API_KEY_ACTIONS, WALLET_TAG_KEYS } from '../../../infra/iam.js';
import { APP_TAG, KEY_ARN, statementsOf, synthStack } from './harness.js';

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
        Sid: 'CreateTaggedSecp256k1Keys',
        Effect: 'Allow',
        Action: 'kms:CreateKey',
        Resource: '*',
        Condition: {
          StringEquals: {
            'kms:KeySpec': 'ECC_SECG_P256K1',
            'kms:KeyUsage': 'SIGN_VERIFY',
            'aws:RequestTag/Application': APP_TAG,
          },
          'ForAllValues:StringEquals': { 'aws:TagKeys': TAG_KEYS },
        },
      },
      {
        Sid: 'CreateTaggedEd25519Keys',
        Effect: 'Allow',
        Action: 'kms:CreateKey',
        Resource: '*',
        Condition: {
          StringEquals: {
            'kms:KeySpec': 'ECC_NIST_EDWARDS25519',
            'kms:KeyUsage': 'SIGN_VERIFY',
            'aws:RequestTag/Application': APP_TAG,
          },
          'ForAllValues:StringEquals': { 'aws:TagKeys': TAG_KEYS },
        },
      },
      {
        Sid: 'TagOnCreate',
        Effect: 'Allow',
        Action: 'kms:TagResource',
        Resource: '*',
        Condition: {
          StringEquals: { 'aws:RequestTag/Application': APP_TAG },
          'ForAllValues:StringEquals': { 'aws:TagKeys': TAG_KEYS },
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
        Condition: { StringEquals: { 'aws:ResourceTag/Application': APP_TAG } },
      },
      {
        Sid: 'ScheduleDeletionOfOwnKeys',
        Effect: 'Allow',
        Action: 'kms:ScheduleKeyDeletion',
        Resource: KEY_ARN,
        Condition: {
          StringEquals: { 'aws:ResourceTag/Application': APP_TAG },
          NumericGreaterThanEquals: { 'kms:ScheduleKeyDeletionPendingWindowInDays': 7 },
        },
      },
      { Sid: 'ListKeysForReconcile', Effect: 'Allow', Action: 'kms:ListKeys', Resource: '*' },
      DENY_LOCKOUT_BYPASS,
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
  it('may only Sign digests (ECDSA_SHA_256) on secp256k1 keys, messages (ED25519_SHA_512) on Ed25519 keys, and read public keys of tagged keys', () => {
    expect(statementsOf(stack, template, stack.signerFunction.role!)).toEqual([
      {
        Sid: 'SignDigestsWithOwnKeys',
        Effect: 'Allow',
        Action: 'kms:Sign',
        Resource: KEY_ARN,
        Condition: {
          StringEquals: {
            'aws:ResourceTag/Application': APP_TAG,
            'kms:KeySpec': 'ECC_SECG_P256K1',
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
        Condition: { StringEquals: { 'aws:ResourceTag/Application': APP_TAG } },
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

  it('follows the appTag context', () => {
    const other = synthStack({ 'kms-signer:appTag': 'my-signer' });
    const sts = statementsOf(other.stack, other.template, other.stack.signerFunction.role!);
    expect(sts[0]?.Condition?.StringEquals?.['aws:ResourceTag/Application']).toBe('my-signer');
  });
});
