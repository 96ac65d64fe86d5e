/**
 * The platform buckets: landing, raw, process, analytics, artifacts, plus the
 * server-access-log bucket they all log to.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { ManifestPlatform } from '../../src/build/types.ts';

export type BucketKind = keyof ManifestPlatform['buckets'];
export const BUCKET_KINDS: readonly BucketKind[] = ['landing', 'raw', 'process', 'analytics', 'artifacts'];

export interface PlatformBucketsProps {
  /** Bucket names from the manifest's `platform.buckets`. */
  names: ManifestPlatform['buckets'];
  key: kms.IKey;
  /**
   * Days S3 keeps a noncurrent object version.
   * @default 7
   */
  noncurrentVersionDays?: number;
}

/**
 * Lifecycle of a versioned bucket: without it, a file Iceberg deletes (expired
 * snapshots, hard deletes, orphans) only becomes a noncurrent version and its
 * rows stay in S3 forever.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-configuration-examples.html
 */
export function versionedBucketLifecycle(noncurrentVersionDays: number): s3.LifecycleRule[] {
  return [
    {
      id: 'ExpireNoncurrentVersions',
      noncurrentVersionExpiration: Duration.days(noncurrentVersionDays),
      expiredObjectDeleteMarker: true,
    },
    { id: 'AbortIncompleteUploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
  ];
}

/** Five KMS-encrypted, versioned (noncurrent versions expire), SSL-only, private buckets logging to one log bucket. */
export class PlatformBuckets extends Construct {
  readonly buckets: Record<BucketKind, s3.Bucket>;
  /**
   * Server access logs. S3 delivers access logs only to buckets encrypted with
   * S3-managed keys (SSE-S3), so this one bucket does not use the platform key.
   * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html
   */
  readonly accessLogs: s3.Bucket;

  constructor(scope: Construct, id: string, props: PlatformBucketsProps) {
    super(scope, id);
    this.accessLogs = new s3.Bucket(this, 'AccessLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      // Ownership is left to CDK: with @aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy (cdk.json)
      // S3 writes through a bucket policy, without it through the log-delivery ACL.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const make = (kind: BucketKind): s3.Bucket =>
      new s3.Bucket(this, kind[0]!.toUpperCase() + kind.slice(1), {
        bucketName: props.names[kind],
        encryption: s3.BucketEncryption.KMS,
        encryptionKey: props.key,
        bucketKeyEnabled: true,
        enforceSSL: true,
        blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
        objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
        // Data buckets keep overwritten Iceberg files recoverable; the artifacts
        // bucket keeps earlier runtime and job documents.
        versioned: true,
        lifecycleRules: versionedBucketLifecycle(props.noncurrentVersionDays ?? 7),
        serverAccessLogsBucket: this.accessLogs,
        serverAccessLogsPrefix: `${kind}/`,
        removalPolicy: RemovalPolicy.RETAIN,
      });
    this.buckets = {
      landing: make('landing'),
      raw: make('raw'),
      process: make('process'),
      analytics: make('analytics'),
      artifacts: make('artifacts'),
    };
  }
}
