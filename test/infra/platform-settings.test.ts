/**
 * Platform settings that reach CloudFormation: the EMR Serverless application's
 * VPC placement and the lifecycle of the versioned buckets.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-emrserverless-application-networkconfiguration.html
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-s3-bucket-lifecycleconfiguration.html
 */
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import type { ManifestPlatform } from '../../src/build/types.ts';
import { appContext } from '../../infra/app.ts';
import { PlatformStack } from '../../infra/platform/platform-stack.ts';
import { PLATFORM } from './fixture.ts';

const CONTEXT = appContext();

/** Without CloudFormation's built-in schema validation (slow; cfn-lint covers it), as in synth.ts. */
function platformTemplate(platform: ManifestPlatform): Template {
  const previous = process.env.CDK_VALIDATION;
  process.env.CDK_VALIDATION = 'false';
  try {
    const app = new App({ context: CONTEXT });
    return Template.fromStack(new PlatformStack(app, 'p', { platform, sparkDir: '/nonexistent' }));
  } finally {
    if (previous === undefined) delete process.env.CDK_VALIDATION;
    else process.env.CDK_VALIDATION = previous;
  }
}

const NETWORK = { subnetIds: ['subnet-0123456789abcdef0', 'subnet-01234567'], securityGroupIds: ['sg-0123456789abcdef0'] };

describe('EMR Serverless network configuration', () => {
  it('places the application in the manifest subnets and security groups', () => {
    const t = platformTemplate({ ...PLATFORM, emr: { ...PLATFORM.emr, network: NETWORK } });
    t.hasResourceProperties('AWS::EMRServerless::Application', {
      NetworkConfiguration: { SubnetIds: NETWORK.subnetIds, SecurityGroupIds: NETWORK.securityGroupIds },
    });
  });

  it('leaves it out when the platform has no network', () => {
    const app = platformTemplate(PLATFORM).findResources('AWS::EMRServerless::Application');
    expect(Object.values(app)[0]!.Properties.NetworkConfiguration).toBeUndefined();
  });
});

describe('versioned bucket lifecycle', () => {
  const rules = (t: Template) =>
    Object.values(t.findResources('AWS::S3::Bucket'))
      .filter((b) => b.Properties.VersioningConfiguration?.Status === 'Enabled')
      .map((b) => [b.Properties.BucketName, b.Properties.LifecycleConfiguration?.Rules]);

  it('expires noncurrent versions of every versioned bucket after the configured days', () => {
    const found = rules(platformTemplate({ ...PLATFORM, lifecycle: { noncurrentVersionDays: 30 } }));
    expect(found.map(([name]) => name).sort()).toEqual(Object.values(PLATFORM.buckets).sort());
    for (const [, r] of found) {
      expect(r).toContainEqual(
        expect.objectContaining({ Status: 'Enabled', NoncurrentVersionExpiration: { NoncurrentDays: 30 }, ExpiredObjectDeleteMarker: true }),
      );
      expect(r).toContainEqual(expect.objectContaining({ Status: 'Enabled', AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } }));
    }
  });

  it('defaults to 7 days for a manifest without lifecycle', () => {
    for (const [, r] of rules(platformTemplate(PLATFORM))) {
      expect(r).toContainEqual(expect.objectContaining({ NoncurrentVersionExpiration: { NoncurrentDays: 7 } }));
    }
  });
});
