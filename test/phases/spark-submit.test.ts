import { describe, expect, it } from 'vitest';
import { mergeJarConfs } from '../../src/asl/emr.ts';

describe('mergeJarConfs', () => {
  it('keeps the generated jars when the user adds spark.jars', () => {
    expect(mergeJarConfs('--conf spark.jars=/iceberg.jar --conf a=1 --conf spark.jars=s3://x/udf.jar,/iceberg.jar')).toBe(
      '--conf spark.jars=/iceberg.jar,s3://x/udf.jar --conf a=1',
    );
  });
  it('leaves parameters without spark.jars unchanged', () => {
    expect(mergeJarConfs('--conf a=1  --conf b=2')).toBe('--conf a=1  --conf b=2');
  });
});
