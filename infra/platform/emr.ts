/**
 * The EMR Serverless Spark application every workflow's jobs run on.
 * @see https://docs.aws.amazon.com/emr/latest/EMR-Serverless-UserGuide/application-capacity.html
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-emrserverless-application.html
 */
import * as emrserverless from 'aws-cdk-lib/aws-emrserverless';
import type { Construct } from 'constructs';
import type { ManifestPlatform } from '../../src/build/types.ts';
import { fullTableAccessConfiguration } from '../lakeformation/emr-mode.ts';
import { lakeFormationEnabled } from '../lakeformation/locations.ts';

/**
 * Spark application capped at the manifest's capacity, starting on demand and
 * stopping when idle, in the platform's VPC subnets when the manifest names them
 * (JDBC databases and MSK brokers are reachable only from inside a VPC).
 * @see https://docs.aws.amazon.com/emr/latest/EMR-Serverless-UserGuide/vpc-access.html
 */
export function createSparkApplication(scope: Construct, platform: ManifestPlatform): emrserverless.CfnApplication {
  return new emrserverless.CfnApplication(scope, 'SparkApplication', {
    name: `${platform.prefix}-spark`,
    type: 'SPARK',
    releaseLabel: platform.emr.releaseLabel,
    maximumCapacity: {
      cpu: `${platform.emr.maxVcpu} vCPU`,
      memory: `${platform.emr.maxMemoryGb} GB`,
    },
    autoStartConfiguration: { enabled: true },
    autoStopConfiguration: { enabled: true, idleTimeoutMinutes: platform.emr.idleTimeoutMinutes },
    networkConfiguration: platform.emr.network && {
      subnetIds: platform.emr.network.subnetIds,
      securityGroupIds: platform.emr.network.securityGroupIds,
    },
    // With Lake Formation: full-table access (lakeformation/emr-mode.ts).
    runtimeConfiguration: lakeFormationEnabled(platform) ? fullTableAccessConfiguration(platform) : undefined,
  });
}
