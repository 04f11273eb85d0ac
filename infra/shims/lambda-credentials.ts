// Bundle-time stand-in for @aws-sdk/credential-provider-node in the Lambda bundles (infra/bundling.ts
// NODE_BUILTIN_ALIASES); the Node server, the CLI and the ECS daemon are not bundled by it and keep the
// SDK's full default chain.
//
// Why: the SDK's default chain `import()`s its SSO, STS (ini, web identity) and process providers on first
// use, but their clients' protocol code (AWS query, XML, REST-JSON, the XML parser) lives in files that the
// KMS and Secrets Manager clients reach through the `@aws-sdk/core/protocols` and `@smithy/core/*` barrels,
// and esbuild's code splitting assigns whole files to chunks (evanw/esbuild#2869, #3531), so ≈ 32 kB of them
// sat in the signer's init code although a Lambda function never runs them.
//
// What a Lambda function can have (AWS Lambda Developer Guide, "Defined runtime environment variables",
// docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html): Lambda sets AWS_ACCESS_KEY_ID,
// AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN to the execution role's credentials; there is no instance
// metadata service, no shared config file and no SSO cache. SnapStart, whose restored environments do not
// get those variables, exists for Java, Python and .NET only (docs.aws.amazon.com/lambda/latest/dg/
// snapstart.html, "Supported features and limitations"); Lambda Managed Instances runs Node.js 22+ and
// documents no other source. So: the environment first (the SDK's own `fromEnv`), then — only when
// AWS_CONTAINER_CREDENTIALS_RELATIVE_URI or _FULL_URI is set — the SDK's container providers in the order
// its default chain tries them (`fromHttp`, then `fromContainerMetadata`), imported on that first use;
// otherwise a clear error instead of a silent fallback to sources that cannot exist here.
import { fromEnv } from '@aws-sdk/credential-provider-env';
import { chain, CredentialsProviderError, memoize } from '@smithy/core/config';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider, Logger } from '@smithy/types';

/** The variables that point the SDK at a container credentials endpoint (ECS, EKS Pod Identity, …). */
export const CONTAINER_CREDENTIALS_VARIABLES = [
  'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
] as const;

/** The start of the error when neither source is there (a test asserts it comes from this module). */
export const NO_LAMBDA_CREDENTIALS =
  'No AWS credentials: the Lambda bundle reads them from AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY';

export interface LambdaCredentialsInit {
  logger?: Logger;
}

// As the SDK's default chain (@aws-sdk/credential-provider-node, defaultProvider.ts): credentials with an
// expiry are fetched again once they are within 5 minutes of it; credentials without one are kept.
export const credentialsWillNeedRefresh = (credentials: AwsCredentialIdentity): boolean =>
  credentials.expiration !== undefined;
export const credentialsTreatedAsExpired = (credentials: AwsCredentialIdentity): boolean =>
  credentials.expiration !== undefined && credentials.expiration.getTime() - Date.now() < 300_000;

/** The client runtimes' `credentialDefaultProvider`, with the SDK's signature. */
export const defaultProvider = (init: LambdaCredentialsInit = {}): AwsCredentialIdentityProvider =>
  memoize(
    chain(fromEnv(init), async () => {
      if (!CONTAINER_CREDENTIALS_VARIABLES.some((name) => process.env[name])) {
        throw new CredentialsProviderError(
          `${NO_LAMBDA_CREDENTIALS} (set by Lambda from the execution role) or a container credentials ` +
            `endpoint (${CONTAINER_CREDENTIALS_VARIABLES.join(', ')}); profiles, SSO, web identity and ` +
            'instance metadata are not in the bundle (infra/shims/lambda-credentials.ts)',
          { logger: init.logger, tryNextLink: false },
        );
      }
      const [{ fromHttp }, { fromContainerMetadata }] = await Promise.all([
        import('@aws-sdk/credential-provider-http'),
        import('@smithy/credential-provider-imds'),
      ]);
      return chain(fromHttp(init), fromContainerMetadata(init))();
    }),
    credentialsTreatedAsExpired,
    credentialsWillNeedRefresh,
  );
