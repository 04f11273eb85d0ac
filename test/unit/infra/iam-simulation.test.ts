// The IAM request table: every runtime role of every variant (dev, prod, ECS, multi-Region keys) asked
// the requests it must be allowed and the ones it must not, evaluated by an offline IAM simulator on the
// synthesised policies. A policy change that opens a hole fails here. Rows marked "regression" are the
// holes found in review (issue 13): untagged keys claimable by TagResource, stages sharing one tag,
// kms:MultiRegion free on CreateKey, kms:KeySpec not pinned on Sign.
import { describe, expect, it } from 'vitest';
import { defaultAppTag } from '../../../infra/config.js';
import { synthStack } from './harness.js';
import { walletKeyPolicy } from '../../../src/kms/key-ownership.js';
import { PRINCIPAL, identityPolicyOf, keyArn, simulate, type Decision, type KmsRequest } from './simulate.js';

const SECP = 'ECC_SECG_P256K1';
const ED25519 = 'ECC_NIST_EDWARDS25519';

interface KeyFacts {
  app?: string;
  spec?: string;
  usage?: string;
  multiRegion?: boolean;
  origin?: 'AWS_KMS' | 'EXTERNAL';
}

/** The request context KMS supplies for an existing key (resource condition keys). */
function existingKey(k: KeyFacts): Record<string, string> {
  return {
    ...(k.app !== undefined ? { 'aws:ResourceTag/Application': k.app } : {}),
    'kms:KeySpec': k.spec ?? SECP,
    'kms:KeyUsage': k.usage ?? 'SIGN_VERIFY',
    'kms:MultiRegion': String(k.multiRegion ?? false),
    'kms:KeyOrigin': k.origin ?? 'AWS_KMS',
  };
}

function walletTags(app: string, extra: Record<string, string> = {}): Record<string, string | string[]> {
  const tags: Record<string, string> = { Application: app, WalletId: 'w-1', Chain: 'ETH', ...extra };
  return {
    ...Object.fromEntries(Object.entries(tags).map(([k, v]) => [`aws:RequestTag/${k}`, v])),
    'aws:TagKeys': Object.keys(tags),
  };
}

/** CreateKey as src/kms/vault.ts sends it: no tags, the ownership key policy, the lockout check bypassed. */
function createKey(k: KeyFacts = {}, extra: Record<string, string | string[]> = {}): KmsRequest {
  return {
    action: 'kms:CreateKey',
    resource: '*',
    context: {
      'kms:KeySpec': k.spec ?? SECP,
      'kms:KeyUsage': k.usage ?? 'SIGN_VERIFY',
      'kms:MultiRegion': String(k.multiRegion ?? false),
      'kms:KeyOrigin': k.origin ?? 'AWS_KMS',
      'kms:BypassPolicyLockoutSafetyCheck': 'true',
      ...extra,
    },
  };
}

/** A key of ours right after CreateKey: our key type, no tags yet, the ownership key policy. */
function newOwnKey(
  app: string,
  k: KeyFacts,
  action: string,
  extra: Record<string, string | string[]>,
): KmsRequest {
  return {
    ...onKey(action, k, extra),
    keyPolicy: walletKeyPolicy({ ownerRoleArn: PRINCIPAL, application: app }),
  };
}

const onKey = (action: string, k: KeyFacts, extra: Record<string, string | string[]> = {}): KmsRequest => ({
  action,
  resource: keyArn('1234abcd-12ab-34cd-56ef-1234567890ab'),
  context: { ...existingKey(k), ...extra },
});

interface Row {
  name: string;
  request: KmsRequest;
  expect: Decision;
  regression?: string;
}

/** The one signing mode of each key spec (src/kms/key-specs.ts SIGNING_MODES). */
const ECDSA_DIGEST = { 'kms:MessageType': 'DIGEST', 'kms:SigningAlgorithm': 'ECDSA_SHA_256' };
const ED25519_RAW = { 'kms:MessageType': 'RAW', 'kms:SigningAlgorithm': 'ED25519_SHA_512' };

const ALLOW: Decision = 'Allowed';
const IMPLICIT: Decision = 'ImplicitlyDenied';
const EXPLICIT: Decision = 'ExplicitlyDenied';

/** The API role's table for a stage whose tag is `app`; `other` is another stage's tag. */
function apiRows(app: string, other: string, multiRegion: boolean): Row[] {
  const own: KeyFacts = { app, multiRegion };
  const fresh: KeyFacts = { multiRegion };
  const claim = 'untagged keys were claimable with TagResource';
  return [
    {
      name: 'CreateKey: secp256k1 signing key, no tags, ownership key policy, lockout check bypassed',
      request: createKey({ multiRegion }),
      expect: ALLOW,
    },
    {
      name: 'TagResource: our new secp256k1 key with its wallet tags (its key policy names the role)',
      request: newOwnKey(app, fresh, 'kms:TagResource', walletTags(app)),
      expect: ALLOW,
    },
    {
      name: 'TagResource: our new Ed25519 key with its wallet tags',
      request: newOwnKey(app, { ...fresh, spec: ED25519 }, 'kms:TagResource', walletTags(app)),
      expect: ALLOW,
    },
    {
      name: 'TagResource: our new key with every tag key we write',
      request: newOwnKey(
        app,
        fresh,
        'kms:TagResource',
        walletTags(app, { Network: 'mainnet', Asset: 'ETH', UserId: 'u-1', KeyIndex: '0' }),
      ),
      expect: ALLOW,
    },
    {
      name: "TagResource: our new key with another stage's Application tag",
      request: newOwnKey(app, fresh, 'kms:TagResource', walletTags(other)),
      expect: IMPLICIT,
      regression: 'stages shared one Application tag',
    },
    {
      name: 'TagResource: our new key with a tag key we never write',
      request: newOwnKey(app, fresh, 'kms:TagResource', {
        ...walletTags(app),
        'aws:TagKeys': ['Application', 'Owner'],
      }),
      expect: IMPLICIT,
    },
    {
      name: 'TagResource: our key a second time (tags only once, at creation)',
      request: newOwnKey(app, own, 'kms:TagResource', walletTags(app, { WalletId: 'w-2' })),
      expect: IMPLICIT,
    },
    {
      name: 'ScheduleKeyDeletion: withdraw our new key that could not be tagged, 7 days',
      request: newOwnKey(app, fresh, 'kms:ScheduleKeyDeletion', {
        'kms:ScheduleKeyDeletionPendingWindowInDays': '7',
      }),
      expect: ALLOW,
    },
    {
      name: 'ScheduleKeyDeletion: an untagged key of someone else, 7 days',
      request: onKey('kms:ScheduleKeyDeletion', fresh, { 'kms:ScheduleKeyDeletionPendingWindowInDays': '7' }),
      expect: IMPLICIT,
      regression: claim,
    },
    {
      name: 'CreateKey: with tags (tag-on-create needs TagResource in IAM on every key: the hole)',
      request: createKey({ multiRegion }, walletTags(app)),
      expect: IMPLICIT,
      regression: claim,
    },
    {
      name: 'CreateKey: Ed25519 signing key',
      request: createKey({ spec: ED25519, multiRegion }),
      expect: ALLOW,
    },
    {
      name: 'CreateKey: Ed25519 EXTERNAL (import), single-Region',
      request: createKey({ spec: ED25519, origin: 'EXTERNAL' }),
      expect: ALLOW,
    },
    {
      name: 'CreateKey: ECC_NIST_P256 (a signing key type no chain of ours uses)',
      request: createKey({ spec: 'ECC_NIST_P256', multiRegion }),
      expect: IMPLICIT,
    },
    {
      name: 'CreateKey: EXTERNAL (import), single-Region',
      request: createKey({ origin: 'EXTERNAL' }),
      expect: ALLOW,
    },
    {
      name: 'CreateKey: EXTERNAL as multi-Region (material cannot reach replicas)',
      request: createKey({ origin: 'EXTERNAL', multiRegion: true }),
      expect: IMPLICIT,
    },
    {
      name: `CreateKey: multi-Region ${!multiRegion}, against the stage setting`,
      request: createKey({ multiRegion: !multiRegion }),
      expect: IMPLICIT,
      regression: 'kms:MultiRegion was free on CreateKey',
    },
    {
      name: 'CreateKey: RSA_2048',
      request: createKey({ spec: 'RSA_2048', multiRegion }),
      expect: IMPLICIT,
    },
    {
      name: 'CreateKey: ENCRYPT_DECRYPT usage',
      request: createKey({ usage: 'ENCRYPT_DECRYPT', multiRegion }),
      expect: IMPLICIT,
    },
    {
      name: 'PutKeyPolicy: own key, lockout check bypassed',
      request: onKey('kms:PutKeyPolicy', own, { 'kms:BypassPolicyLockoutSafetyCheck': 'true' }),
      expect: EXPLICIT,
    },
    {
      name: 'TagResource: claim an untagged symmetric key of someone else',
      request: onKey(
        'kms:TagResource',
        { spec: 'SYMMETRIC_DEFAULT', usage: 'ENCRYPT_DECRYPT' },
        walletTags(app),
      ),
      expect: IMPLICIT,
      regression: claim,
    },
    {
      name: 'TagResource: claim an untagged ECC_NIST_P256 signing key of someone else',
      request: onKey('kms:TagResource', { spec: 'ECC_NIST_P256' }, walletTags(app)),
      expect: IMPLICIT,
      regression: claim,
    },
    {
      name: `TagResource: claim an untagged secp256k1 key with multi-Region ${!multiRegion}`,
      request: onKey('kms:TagResource', { multiRegion: !multiRegion }, walletTags(app)),
      expect: IMPLICIT,
      regression: claim,
    },
    {
      // Until issue 13 closed it, IAM could not tell this key from one being created.
      name: 'TagResource: claim an untagged secp256k1 signing key of our exact type (foreign key policy)',
      request: onKey('kms:TagResource', fresh, walletTags(app)),
      expect: IMPLICIT,
      regression: claim,
    },
    {
      name: 'TagResource: claim an untagged Ed25519 signing key of our exact type (foreign key policy)',
      request: onKey('kms:TagResource', { spec: ED25519, multiRegion }, walletTags(app)),
      expect: IMPLICIT,
      regression: claim,
    },
    {
      name: "TagResource: retag another application's key",
      request: onKey('kms:TagResource', { app: 'payroll' }, walletTags(app)),
      expect: EXPLICIT,
    },
    {
      name: "TagResource: retag another stage's key",
      request: onKey('kms:TagResource', { app: other }, walletTags(app)),
      expect: EXPLICIT,
      regression: 'stages shared one Application tag',
    },
    { name: 'DisableKey: own key', request: onKey('kms:DisableKey', own), expect: ALLOW },
    { name: 'GetPublicKey: own key', request: onKey('kms:GetPublicKey', own), expect: ALLOW },
    { name: 'DescribeKey: own key', request: onKey('kms:DescribeKey', own), expect: ALLOW },
    {
      name: 'DisableKey: own Ed25519 key',
      request: onKey('kms:DisableKey', { ...own, spec: ED25519 }),
      expect: ALLOW,
    },
    {
      name: 'GetPublicKey: own Ed25519 key',
      request: onKey('kms:GetPublicKey', { ...own, spec: ED25519 }),
      expect: ALLOW,
    },
    {
      name: 'Sign: own Ed25519 key (the API never signs)',
      request: onKey('kms:Sign', { ...own, spec: ED25519 }, ED25519_RAW),
      expect: IMPLICIT,
    },
    {
      name: "DisableKey: another stage's key",
      request: onKey('kms:DisableKey', { app: other }),
      expect: IMPLICIT,
      regression: 'stages shared one Application tag',
    },
    { name: 'DisableKey: untagged key', request: onKey('kms:DisableKey', {}), expect: IMPLICIT },
    {
      name: 'DisableKey: our tag on a key of another type',
      request: onKey('kms:DisableKey', { app, spec: 'RSA_2048' }),
      expect: IMPLICIT,
    },
    {
      name: 'ScheduleKeyDeletion: own key, 7 days',
      request: onKey('kms:ScheduleKeyDeletion', own, { 'kms:ScheduleKeyDeletionPendingWindowInDays': '7' }),
      expect: ALLOW,
    },
    {
      name: "ScheduleKeyDeletion: another stage's key",
      request: onKey(
        'kms:ScheduleKeyDeletion',
        { app: other },
        { 'kms:ScheduleKeyDeletionPendingWindowInDays': '30' },
      ),
      expect: IMPLICIT,
      regression: 'stages shared one Application tag',
    },
    {
      name: 'UntagResource: own key',
      request: onKey('kms:UntagResource', own, { 'aws:TagKeys': ['Application'] }),
      expect: IMPLICIT,
    },
    {
      name: 'Sign: own key (the API never signs)',
      request: onKey('kms:Sign', own, {
        'kms:MessageType': 'DIGEST',
        'kms:SigningAlgorithm': 'ECDSA_SHA_256',
      }),
      expect: IMPLICIT,
    },
    { name: 'PutKeyPolicy: own key', request: onKey('kms:PutKeyPolicy', own), expect: IMPLICIT },
    {
      name: 'ReplicateKey: own key (operators replicate, not the API)',
      request: onKey('kms:ReplicateKey', own, { 'kms:ReplicaRegion': 'us-west-2' }),
      expect: IMPLICIT,
    },
    { name: 'ListKeys', request: { action: 'kms:ListKeys', resource: '*', context: {} }, expect: ALLOW },
  ];
}

/** The signer's table (Lambda signer role and ECS task role alike). */
function signerRows(app: string, other: string, multiRegion: boolean): Row[] {
  const own: KeyFacts = { app, multiRegion };
  const digest = ECDSA_DIGEST;
  return [
    { name: 'Sign: digest of own key', request: onKey('kms:Sign', own, digest), expect: ALLOW },
    {
      name: 'Sign: own imported key',
      request: onKey('kms:Sign', { app, origin: 'EXTERNAL' }, digest),
      expect: ALLOW,
    },
    {
      name: 'Sign: a RAW message',
      request: onKey('kms:Sign', own, { ...digest, 'kms:MessageType': 'RAW' }),
      expect: IMPLICIT,
    },
    {
      name: "Sign: another stage's key",
      request: onKey('kms:Sign', { app: other }, digest),
      expect: IMPLICIT,
      regression: 'stages shared one Application tag',
    },
    { name: 'Sign: an untagged secp256k1 key', request: onKey('kms:Sign', {}, digest), expect: IMPLICIT },
    {
      name: 'Sign: our tag on an ECC_NIST_P256 key',
      request: onKey('kms:Sign', { app, spec: 'ECC_NIST_P256' }, { ...digest }),
      expect: IMPLICIT,
      regression: 'kms:KeySpec was not pinned on Sign',
    },
    {
      name: 'Sign: our tag on an ECC_NIST_P256 key, Ed25519 mode',
      request: onKey('kms:Sign', { app, spec: 'ECC_NIST_P256' }, ED25519_RAW),
      expect: IMPLICIT,
    },
    ...ed25519SignerRows(app, other, multiRegion),
    { name: 'GetPublicKey: own key', request: onKey('kms:GetPublicKey', own), expect: ALLOW },
    {
      name: "GetPublicKey: another stage's key",
      request: onKey('kms:GetPublicKey', { app: other }),
      expect: IMPLICIT,
    },
    { name: 'ListResourceTags: own key', request: onKey('kms:ListResourceTags', own), expect: ALLOW },
    {
      name: "ListResourceTags: another stage's key (the loop's ownership check reads AccessDenied)",
      request: onKey('kms:ListResourceTags', { app: other }),
      expect: IMPLICIT,
    },
    { name: 'CreateKey', request: createKey({ multiRegion }), expect: EXPLICIT },
    {
      name: 'CreateKey without bypassing the lockout check',
      request: createKey({ multiRegion }, { 'kms:BypassPolicyLockoutSafetyCheck': 'false' }),
      expect: IMPLICIT,
    },
    {
      name: 'TagResource: own key',
      request: onKey('kms:TagResource', own, walletTags(app)),
      expect: IMPLICIT,
    },
    { name: 'DisableKey: own key', request: onKey('kms:DisableKey', own), expect: IMPLICIT },
    {
      name: 'ScheduleKeyDeletion: own key',
      request: onKey('kms:ScheduleKeyDeletion', own, { 'kms:ScheduleKeyDeletionPendingWindowInDays': '30' }),
      expect: IMPLICIT,
    },
    { name: 'ListKeys', request: { action: 'kms:ListKeys', resource: '*', context: {} }, expect: IMPLICIT },
  ];
}

/** Ed25519 keys sign the message itself (ED25519_SHA_512 + RAW) and nothing else; no cross-over. */
function ed25519SignerRows(app: string, other: string, multiRegion: boolean): Row[] {
  const own: KeyFacts = { app, multiRegion, spec: ED25519 };
  const crossOver = 'Sign must pin each key spec to its own mode (issue 15)';
  return [
    {
      name: 'Sign: RAW message, own Ed25519 key',
      request: onKey('kms:Sign', own, ED25519_RAW),
      expect: ALLOW,
    },
    {
      name: 'Sign: RAW message, own imported Ed25519 key',
      request: onKey('kms:Sign', { app, spec: ED25519, origin: 'EXTERNAL' }, ED25519_RAW),
      expect: ALLOW,
    },
    {
      name: 'Sign: ECDSA digest with an Ed25519 key (cross-over)',
      request: onKey('kms:Sign', own, ECDSA_DIGEST),
      expect: IMPLICIT,
      regression: crossOver,
    },
    {
      name: 'Sign: Ed25519 RAW with a secp256k1 key (cross-over)',
      request: onKey('kms:Sign', { app, multiRegion }, ED25519_RAW),
      expect: IMPLICIT,
      regression: crossOver,
    },
    {
      name: 'Sign: Ed25519ph (ED25519_PH_SHA_512 + DIGEST), own Ed25519 key',
      request: onKey('kms:Sign', own, {
        'kms:MessageType': 'DIGEST',
        'kms:SigningAlgorithm': 'ED25519_PH_SHA_512',
      }),
      expect: IMPLICIT,
    },
    {
      name: 'Sign: ED25519_SHA_512 with MessageType DIGEST, own Ed25519 key',
      request: onKey('kms:Sign', own, { ...ED25519_RAW, 'kms:MessageType': 'DIGEST' }),
      expect: IMPLICIT,
    },
    {
      name: "Sign: RAW message, another stage's Ed25519 key",
      request: onKey('kms:Sign', { ...own, app: other }, ED25519_RAW),
      expect: IMPLICIT,
    },
    {
      name: 'Sign: RAW message, an untagged Ed25519 key',
      request: onKey('kms:Sign', { spec: ED25519 }, ED25519_RAW),
      expect: IMPLICIT,
    },
    { name: 'GetPublicKey: own Ed25519 key', request: onKey('kms:GetPublicKey', own), expect: ALLOW },
  ];
}

const SIGN_QUOTA_CODE = 'L-0A1B2C3D';
const quotaArn = (service: string, code: string) =>
  `arn:aws:servicequotas:us-east-1:123456789012:${service}/${code}`;

/** Reading the applied Sign quota (src/kms/sign-quota.ts): the one configured KMS quota, nothing else. */
function quotaRows(signer: boolean, quotaCode: string | undefined): Row[] {
  const read = (resource: string): KmsRequest => ({
    action: 'servicequotas:GetServiceQuota',
    resource,
    context: {},
  });
  return [
    {
      name: `GetServiceQuota: the KMS Sign quota${quotaCode === undefined ? ' (no code configured)' : ''}`,
      request: read(quotaArn('kms', SIGN_QUOTA_CODE)),
      expect: signer && quotaCode !== undefined ? ALLOW : IMPLICIT,
    },
    {
      name: 'GetServiceQuota: another KMS quota',
      request: read(quotaArn('kms', 'L-C2F1777E')),
      expect: IMPLICIT,
    },
    {
      name: "GetServiceQuota: another service's quota",
      request: read(quotaArn('ec2', SIGN_QUOTA_CODE)),
      expect: IMPLICIT,
    },
  ];
}

const ECS = { 'kms-signer:enableEcs': 'true', 'kms-signer:ecsImage': 'public.ecr.aws/x/kms-signer:1' };
const variants: {
  name: string;
  stage: string;
  context: Record<string, unknown>;
  multiRegion: boolean;
  quotaCode?: string;
}[] = [
  { name: 'dev', stage: 'dev', context: {}, multiRegion: false },
  {
    name: 'prod',
    stage: 'prod',
    context: {
      'kms-signer:stage': 'prod',
      'kms-signer:tatumNetwork': 'mainnet',
      'kms-signer:externalUrl': 'https://approve.example.com',
    },
    multiRegion: false,
  },
  { name: 'ECS', stage: 'dev', context: ECS, multiRegion: false },
  {
    name: 'multi-Region keys',
    stage: 'dev',
    context: { 'kms-signer:multiRegionKeys': 'true' },
    multiRegion: true,
  },
  {
    name: 'Sign quota from Service Quotas, ECS',
    stage: 'dev',
    context: { ...ECS, 'kms-signer:kmsSignQuotaCode': SIGN_QUOTA_CODE },
    multiRegion: false,
    quotaCode: SIGN_QUOTA_CODE,
  },
];

describe.each(variants)('IAM request table, $name', ({ stage, context, multiRegion, quotaCode }) => {
  const { stack, template } = synthStack(context);
  const app = defaultAppTag(stage);
  const other = defaultAppTag(stage === 'prod' ? 'dev' : 'prod');
  const roles: [string, Row[], ReturnType<typeof identityPolicyOf>][] = [
    [
      'API role',
      [...apiRows(app, other, multiRegion), ...quotaRows(false, quotaCode)],
      identityPolicyOf(stack, template, stack.apiFunction.role!),
    ],
    [
      'signer role',
      [...signerRows(app, other, multiRegion), ...quotaRows(true, quotaCode)],
      identityPolicyOf(stack, template, stack.signerFunction.role!),
    ],
  ];
  if (stack.daemon) {
    roles.push([
      'ECS task role',
      [...signerRows(app, other, multiRegion), ...quotaRows(true, quotaCode)],
      identityPolicyOf(stack, template, stack.daemon.task.taskRole),
    ]);
  }

  it('uses the stage tag', () => {
    expect(stack.node.tryGetContext('kms-signer:appTag')).toBeUndefined();
    expect(JSON.stringify(roles[0]![2])).toContain(`"${app}"`);
  });

  for (const [role, rows] of roles) {
    const policy = roles.find((r) => r[0] === role)![2];
    it.each(rows)(`${role}: $name → $expect`, async (row) => {
      expect(await simulate(policy, row.request), row.regression ?? row.name).toBe(row.expect);
    });
  }
});
