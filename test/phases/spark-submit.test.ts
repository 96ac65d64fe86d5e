/**
 * spark-submit keeps the last `--conf` of a key and lets `--jars` replace
 * `spark.jars`, so list-valued settings of the generated parameters and the
 * spec's are merged into one occurrence (proven on spark-submit itself in
 * test/engines/test_custom_spark.py); the settings every job relies on cannot
 * be changed.
 */
import { describe, expect, it } from 'vitest';
import { protectedSettingProblems } from '../../src/ir/checks.ts';
import { mergeSubmitParameters, parseSubmitParameters } from '../../src/spec/submit-parameters.ts';
import { compileTree } from '../compile/support.ts';

const ICEBERG = '--conf spark.jars=/iceberg.jar --conf spark.sql.extensions=org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions';

describe('mergeSubmitParameters', () => {
  it.each([
    ['a second spark.jars', '--conf spark.jars=/iceberg.jar --conf a=1 --conf spark.jars=s3://x/udf.jar,/iceberg.jar', '--conf spark.jars=/iceberg.jar,s3://x/udf.jar --conf a=1'],
    ['--jars, which would replace spark.jars', '--conf spark.jars=/iceberg.jar --jars s3://x/udf.jar', '--conf spark.jars=/iceberg.jar,s3://x/udf.jar'],
    ['spark.sql.extensions', `${ICEBERG} --conf spark.sql.extensions=io.delta.sql.DeltaSparkSessionExtension`, '--conf spark.jars=/iceberg.jar --conf spark.sql.extensions=org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions,io.delta.sql.DeltaSparkSessionExtension'],
    ['--packages and spark.jars.packages', '--packages org.postgresql:postgresql:42.7.8 --conf spark.jars.packages=a:b:1 --packages=c:d:2', '--packages org.postgresql:postgresql:42.7.8,a:b:1,c:d:2'],
    ['--py-files and spark.submit.pyFiles', '--py-files s3://b/a.zip -c spark.submit.pyFiles=s3://b/c.zip', '--py-files s3://b/a.zip,s3://b/c.zip'],
    ['the lakestep package and a spec spark.submit.pyFiles, each key apart', '--conf spark.submit.pyFiles=s3://a/lakestep.zip --conf spark.jars=/i.jar --conf spark.submit.pyFiles=s3://u/udf.zip --conf spark.jars=/u.jar', '--conf spark.submit.pyFiles=s3://a/lakestep.zip,s3://u/udf.zip --conf spark.jars=/i.jar,/u.jar'],
    ['--conf=key=value', '--conf spark.jars=/a.jar --conf=spark.jars=/b.jar', '--conf spark.jars=/a.jar,/b.jar'],
    ['quoted values', '--conf spark.jars=/a.jar --conf "spark.driver.extraJavaOptions=-Da=1 -Db=2" --jars \'/b.jar\'', '--conf spark.jars=/a.jar,/b.jar --conf "spark.driver.extraJavaOptions=-Da=1 -Db=2"'],
  ])('merges %s', (_, given, want) => expect(mergeSubmitParameters(given)).toBe(want));

  it('leaves parameters without a repeated list setting as written', () => {
    expect(mergeSubmitParameters('--conf a=1  --conf b=2 --packages x:y:1')).toBe('--conf a=1  --conf b=2 --packages x:y:1');
  });

  it('reads options with their offsets', () => {
    expect(parseSubmitParameters('--class com.Acme  --conf k=v -c "x=a b"')).toEqual([
      { flag: '--class', value: 'com.Acme', offset: 0, valueOffset: 8 },
      { flag: '--conf', key: 'k', value: 'v', offset: 18, valueOffset: 25 },
      { flag: '--conf', key: 'x', value: 'a b', offset: 29, valueOffset: 32 },
    ]);
  });
});

describe('protected settings', () => {
  it('refuse changing the catalog, the default catalog, the time zone, the overwrite mode and variable substitution; restating them is fine', () => {
    const problems = (text: string) => protectedSettingProblems(text, 'glue_catalog').map((p) => `${p.offset} ${p.message.split(' ')[0]}`);
    expect(problems('--conf spark.sql.session.timeZone=UTC --conf spark.sql.defaultCatalog=glue_catalog --conf spark.sql.sources.partitionOverwriteMode=static')).toEqual([]);
    expect(problems('--conf spark.sql.session.timeZone=Europe/Paris')).toEqual(["7 'spark.sql.session.timeZone'"]);
    expect(problems('--conf spark.sql.catalog.glue_catalog.warehouse=s3://elsewhere/ -c "spark.sql.catalog.GLUE_CATALOG=x"')).toEqual(["7 'spark.sql.catalog.glue_catalog.warehouse'", "67 'spark.sql.catalog.GLUE_CATALOG'"]);
    expect(problems('--conf spark.sql.defaultCatalog=other --conf spark.sql.sources.partitionOverwriteMode=dynamic')).toEqual(["7 'spark.sql.defaultCatalog'", "45 'spark.sql.sources.partitionOverwriteMode'"]);
    expect(problems('--conf spark.sql.catalog.other=org.apache.iceberg.spark.SparkCatalog')).toEqual([]);
    // ${…} substitution stays off: on, `${env:NAME}` in a statement would copy the job's environment into it.
    expect(problems('--conf spark.sql.variable.substitute=false')).toEqual([]);
    expect(problems('--conf spark.sql.variable.substitute=true')).toEqual(["7 'spark.sql.variable.substitute'"]);
  });
});

describe('compiled parameters', () => {
  const job = (submit: string) =>
    compileTree({
      'platform.yaml': 'prefix: acme\nregion: eu-west-1\n',
      'a/orchestration.yaml': `owner: a@example.com\ndags:\n  - name: j\n    type: transformation\n    spark:\n      entrypoint: s3://acme-artifacts/a/j.py\n      spark_submit_parameters: ${JSON.stringify(submit)}\n`,
    });

  it("keep the Iceberg extensions and jar beside the spec's", () => {
    const r = job('--conf spark.sql.extensions=io.delta.sql.DeltaSparkSessionExtension --jars s3://acme-artifacts/a/udf.jar');
    expect(r.diagnostics).toEqual([]);
    const params = (JSON.parse(r.files.get('a/j.asl.json')!).States['Run j'].Parameters.JobDriver.SparkSubmit.SparkSubmitParameters as string);
    expect(params).toContain('--conf spark.jars=/usr/share/aws/iceberg/lib/iceberg-spark3-runtime.jar,s3://acme-artifacts/a/udf.jar ');
    expect(params).toContain('--conf spark.sql.extensions=org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions,io.delta.sql.DeltaSparkSessionExtension ');
    expect(params).not.toContain('--jars');
  });

  it('refuse a protected setting at its value', () => {
    const r = job('--conf spark.executor.memory=8g --conf spark.sql.catalog.glue_catalog.warehouse=s3://elsewhere/');
    expect(r.diagnostics.map((d) => `${d.line}:${d.column} ${d.code}`)).toEqual(['7:72 SPARK_SETTING_PROTECTED', '7:113 SPARK_LOCATION']);
    expect(r.useCases).toEqual([]);
  });

  it('refuse a protected setting in the platform defaults, at the setting', () => {
    const r = compileTree({
      'platform.yaml': 'prefix: acme\nregion: eu-west-1\ncatalog: lake\ndefaults:\n  spark_submit_parameters: --conf spark.executor.cores=4 --conf spark.sql.catalog.lake.io-impl=org.example.LeakyFileIO\n',
      'a/orchestration.yaml': 'owner: a@example.com\ndags:\n  - {name: j, type: transformation, spark: {entrypoint: s3://acme-artifacts/a/j.py}}\n',
    });
    expect(r.diagnostics.map((d) => `${d.file}:${d.line}:${d.column} ${d.code}`)).toEqual(['platform.yaml:5:65 SPARK_SETTING_PROTECTED']);
    expect(r.quarantined.map((q) => q.useCase)).toEqual(['a']);
  });
});
