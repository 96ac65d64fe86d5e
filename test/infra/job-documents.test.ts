/**
 * Job documents reach `s3://<artifacts>/lakestep/<use-case>/jobs/` through the platform's upload
 * function: each use-case stack holds one custom resource and an asset, no function, layer or role
 * of its own, and the platform stack (its artifacts bucket's tags included) does not change with
 * the use cases.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Manifest } from '../../src/build/types.ts';
import { readManifestDir } from '../../src/build/manifest-files.ts';
import { deployJobDocuments, jobDocumentKey, UPLOAD_RESOURCE_TYPE } from '../../infra/usecase/job-documents.ts';
import { compileToBuild, exampleSources } from './compiled.ts';
import { allows, ACCOUNT, REGION, Resolver, type ResolvedStatement } from './iam-eval.ts';
import { resourcesOfType, type Synthesized, synthesize } from './synth.ts';

let buildDir: string;
let manifest: Manifest;
let s: Synthesized;
let platform: string;

beforeAll(() => {
  buildDir = compileToBuild(exampleSources()).buildDir;
  manifest = readManifestDir(buildDir);
  s = synthesize(buildDir, { nagChecks: false, lean: true });
  platform = `${manifest.platform.prefix}-platform`;
}, 300_000);

const withJobs = () => manifest.useCases.filter((u) => u.workflows.some((w) => w.jobs.length > 0));

/** Every Allow statement of the policies (inline and attached) of a stack's roles, resolved. */
function statementsOf(stack: string): ResolvedStatement[] {
  const resolver = new Resolver(s.json);
  const t = s.json.get(stack)!;
  const docs = [
    ...resourcesOfType(s, 'AWS::IAM::Policy').filter((p) => p.stack === stack).map((p) => p.props.PolicyDocument),
    ...resourcesOfType(s, 'AWS::IAM::Role').filter((r) => r.stack === stack).flatMap((r) => (r.props.Policies ?? []).map((p: { PolicyDocument: unknown }) => p.PolicyDocument)),
  ];
  return docs.flatMap((d) => (resolver.resolve(d, t) as { Statement: ResolvedStatement[] }).Statement);
}

describe('job documents', () => {
  it("upload through the platform's function: one custom resource per use case, no function, layer or role in its stack", async () => {
    const uploads = resourcesOfType(s, UPLOAD_RESOURCE_TYPE);
    const runtime = uploads.find((u) => u.stack === platform)!;
    expect(runtime.props.DestinationBucketKeyPrefix).toBe('lakestep/runtime/');
    const resolver = new Resolver(s.json);
    const uploader = resolver.resolve(runtime.props.ServiceToken, s.json.get(platform)!);
    expect(uploader).toMatch(/^arn:aws:lambda:/);
    const useCaseUploads = uploads.filter((u) => u.stack !== platform);
    expect(useCaseUploads.map((u) => `${u.stack} ${u.props.DestinationBucketKeyPrefix}`).sort()).toEqual(
      withJobs().map((u) => `${manifest.platform.prefix}-${u.name} ${jobDocumentKey(`${u.name}/jobs/`)}`).sort(),
    );
    for (const u of useCaseUploads) {
      expect(Object.keys(u.props.ServiceToken)).toEqual(['Fn::ImportValue']);
      expect(resolver.resolve(u.props.ServiceToken, s.json.get(u.stack)!)).toBe(uploader);
    }
    for (const [stack, t] of s.json) {
      if (stack === platform) continue;
      const types = Object.values(t.Resources).map((r) => r.Type);
      expect(types.filter((x) => x.startsWith('AWS::Lambda::')), stack).toEqual([]);
    }
  });

  it('tag the artifacts bucket only for the runtime: the platform stack is the same whichever use cases the app holds', async () => {
    const resources = s.json.get(platform)!.Resources as Record<string, { Type: string; Properties?: { Tags?: { Key: string }[] } }>;
    const owned = Object.values(resources).flatMap((r) => (r.Type === 'AWS::S3::Bucket' ? (r.Properties?.Tags ?? []).map((t) => t.Key) : [])).filter((k) => k.startsWith('aws-cdk:cr-owned'));
    expect(owned).toHaveLength(1);
    expect(owned[0]).toMatch(/^aws-cdk:cr-owned:lakestep\/runtime\/:/);
    const one = synthesize(buildDir, { nagChecks: false, lean: true, useCases: [withJobs()[0]!.name], outdir: join(buildDir, 'cdk.out.one') });
    expect(JSON.stringify(one.json.get(platform))).toBe(JSON.stringify(s.json.get(platform)));
  }, 300_000);

  it("let no principal of a use case's stack write the runtime or another use case's documents; the platform's function writes each", async () => {
    const bucket = manifest.platform.buckets.artifacts;
    const object = (key: string) => `arn:aws:s3:::${bucket}/${key}`;
    const names = withJobs().map((u) => u.name);
    expect(names.length).toBeGreaterThan(1);
    for (const u of manifest.useCases) {
      const statements = statementsOf(`${manifest.platform.prefix}-${u.name}`);
      expect(statements.length).toBeGreaterThan(0);
      for (const action of ['s3:PutObject', 's3:DeleteObject']) {
        expect(await allows(statements, action, object('lakestep/runtime/lakestep.zip')), `${u.name} ${action} runtime`).toBe(false);
        for (const other of names) {
          expect(await allows(statements, action, object(jobDocumentKey(`${other}/jobs/x/ddl.json`))), `${u.name} ${action} ${other}'s documents`).toBe(false);
        }
      }
    }
    // The upload function's role, in the platform stack: reads the assets, writes every use case's documents.
    const platformStatements = statementsOf(platform);
    expect(await allows(platformStatements, 's3:GetObject', `arn:aws:s3:::cdk-hnb659fds-assets-${ACCOUNT}-${REGION}/abc.zip`)).toBe(true);
    for (const name of names) expect(await allows(platformStatements, 's3:PutObject', object(jobDocumentKey(`${name}/jobs/x/ddl.json`)))).toBe(true);
  });

  it("give the upload function the very properties aws-cdk-lib's BucketDeployment gives it", async () => {
    const useCase = withJobs()[0]!;
    const stack = new Stack(new App({ outdir: mkdtempSync(join(tmpdir(), 'lakestep-upload-')) }), 'S', { env: { account: ACCOUNT, region: REGION } });
    const bucket = new s3.Bucket(stack, 'Artifacts');
    const dir = join(buildDir, useCase.name, 'jobs');
    const prefix = jobDocumentKey(`${useCase.name}/jobs/`);
    new s3deploy.BucketDeployment(stack, 'Reference', { sources: [s3deploy.Source.asset(dir)], destinationBucket: bucket, destinationKeyPrefix: prefix, retainOnDelete: true });
    const uploader = lambda.Function.fromFunctionArn(stack, 'Uploader', `arn:aws:lambda:${REGION}:${ACCOUNT}:function:uploader`);
    const ours = deployJobDocuments(stack, buildDir, useCase, bucket, uploader)!;
    const resources = Object.entries(Template.fromStack(stack).toJSON().Resources as Record<string, { Type: string; Properties: Record<string, unknown> }>);
    const uploads = resources.filter(([, r]) => r.Type === UPLOAD_RESOURCE_TYPE);
    expect(uploads).toHaveLength(2);
    const propertiesOf = (reference: boolean) => uploads.find(([id]) => id.startsWith('Reference') === reference)![1].Properties;
    const { ServiceToken: theirs, ...expected } = propertiesOf(true);
    const { ServiceToken: token, ...actual } = propertiesOf(false);
    expect(actual).toEqual(expected);
    expect(token).toBe(`arn:aws:lambda:${REGION}:${ACCOUNT}:function:uploader`);
    expect(theirs).not.toEqual(token);
    expect(ours.node.id).toBe('JobDocumentUpload');
  });

  it('need the platform to have an upload function', async () => {
    const stack = new Stack(new App(), 'S');
    const useCase = withJobs()[0]!;
    expect(() => deployJobDocuments(stack, buildDir, useCase, new s3.Bucket(stack, 'B'), undefined)).toThrow(/no Spark runtime to upload, so no upload function/);
  });
});
