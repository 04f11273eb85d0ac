// Optional CloudTrail trail (context kms-signer:cloudTrail=true) for accounts without an organisation
// trail. Every KMS call — CreateKey, Sign, ScheduleKeyDeletion, ReplicateKey — is a CloudTrail
// *management* event and is logged unless a trail excludes the source kms.amazonaws.com
// (docs.aws.amazon.com/kms/latest/developerguide/logging-using-cloudtrail.html; EventSelector
// ExcludeManagementEventSources). KMS has no data events, so nothing more is needed for signing.
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { ReadWriteType, Trail } from 'aws-cdk-lib/aws-cloudtrail';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { BlockPublicAccess, Bucket, BucketEncryption } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

export class AuditTrail extends Construct {
  readonly trail: Trail;
  readonly bucket: Bucket;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const accessLogs = new Bucket(this, 'AccessLogs', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [{ expiration: Duration.days(365) }],
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
