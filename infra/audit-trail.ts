// Optional CloudTrail trail (context kms-signer:cloudTrail=true) for accounts without an organisation
// trail. Every KMS call — CreateKey, Sign, ScheduleKeyDeletion, ReplicateKey — is a CloudTrail
// *management* event and is logged unless a trail excludes the source kms.amazonaws.com
// (docs.aws.amazon.com/kms/latest/developerguide/logging-using-cloudtrail.html; EventSelector
// ExcludeManagementEventSources). KMS has no data events, so nothing more is needed for signing.
import { CfnResource, Duration, RemovalPolicy } from 'aws-cdk-lib';
import { S3_SERVER_ACCESS_LOGS_USE_BUCKET_POLICY } from 'aws-cdk-lib/cx-api';
import { ReadWriteType, Trail } from 'aws-cdk-lib/aws-cloudtrail';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { BlockPublicAccess, Bucket, BucketEncryption } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { ACCESS_LOG_BUCKET_ACKNOWLEDGEMENT } from './iac-acknowledgements.js';

export class AuditTrail extends Construct {
  readonly trail: Trail;
  readonly bucket: Bucket;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    // Server access logs delivered under a bucket policy, not the legacy log-delivery ACL (cfn-lint W3045).
    this.node.setContext(S3_SERVER_ACCESS_LOGS_USE_BUCKET_POLICY, true);
    const accessLogs = new Bucket(this, 'AccessLogs', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [{ expiration: Duration.days(365) }],
    });
    (accessLogs.node.defaultChild as CfnResource).addMetadata('checkov', {
      skip: [ACCESS_LOG_BUCKET_ACKNOWLEDGEMENT],
    });
    this.bucket = new Bucket(this, 'Bucket', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      removalPolicy: RemovalPolicy.RETAIN,
      serverAccessLogsBucket: accessLogs,
    });
    this.trail = new Trail(this, 'Trail', {
      bucket: this.bucket,
      isMultiRegionTrail: true, // a recovery Region's ReplicateKey and Sign calls are logged too
      includeGlobalServiceEvents: true,
      enableFileValidation: true,
      managementEvents: ReadWriteType.ALL, // Sign and GetPublicKey are read events
      sendToCloudWatchLogs: true,
      cloudWatchLogGroup: new LogGroup(this, 'Logs', { retention: RetentionDays.ONE_YEAR }),
    });
  }
}
