import { describe, expect, it } from 'vitest';
import { mergeListConfs } from '../../src/asl/emr.ts';

describe('mergeListConfs', () => {
  it('keeps the generated jars when the user adds spark.jars', () => {
    expect(mergeListConfs('--conf spark.jars=/iceberg.jar --conf a=1 --conf spark.jars=s3://x/udf.jar,/iceberg.jar')).toBe(
      '--conf spark.jars=/iceberg.jar,s3://x/udf.jar --conf a=1',
    );
  });
  it('leaves parameters without spark.jars unchanged', () => {
    expect(mergeListConfs('--conf a=1  --conf b=2')).toBe('--conf a=1  --conf b=2');
  });
});

describe('mergeListConfs with the runtime package', () => {
  it('keeps the lakestep package when the user adds spark.submit.pyFiles, and merges each key apart', () => {
    expect(
      mergeListConfs('--conf spark.submit.pyFiles=s3://a/lakestep.zip --conf spark.jars=/i.jar --conf spark.submit.pyFiles=s3://u/udf.zip --conf spark.jars=/u.jar'),
    ).toBe('--conf spark.submit.pyFiles=s3://a/lakestep.zip,s3://u/udf.zip --conf spark.jars=/i.jar,/u.jar');
  });
});
