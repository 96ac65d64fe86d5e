"""lakestep runtime: runs one lakestep job document on EMR Serverless.

    lakestep_runtime.py --job s3://<bucket>/<key>.json --result s3://<bucket>/<key>.json
                        [--param name=value ...]

The job document (`JobDocument` in src/build/types.ts) is an ordered list of
steps, each run by the module of its `kind` under `steps/`. After the last one
the result `{"watermarks", "rows", "steps"}` is written to `--result`. Any
failure raises, so EMR marks the job run failed and the state machine's
Retry/Catch takes over; no result file is written then.

pyspark and boto3 are imported lazily so the package (and its tests, which
inject fakes through `Runtime`) load with the Python standard library alone.
The names below are the package's API, used by the entry point and the tests.
"""
from __future__ import annotations

from .args import REQUIRED_PARAMS, Args, parse_args, split_s3_uri
from .context import Context, Runtime, arn_region, aws_region, parse_secret_json, read_s3_json, write_s3_json
from .job import STEPS, run_job, validate_job
from .main import main
from .params import bind_args, inline_cutoffs, inline_markers, is_call, parameter_markers, run_sql
from .steps.jdbc_extract import JDBC_DRIVERS, jdbc_options, jdbc_url, quote_column
from .steps.jdbc_extract import run as step_jdbc_extract
from .commits import append_batch, carry_forward, last_committed_batch, record_key
from .quality import Owner, PublishConflict, Quality, QualityStop, branch_name
from .steps.check import evaluate as evaluate_check
from .steps.kafka import (CONTINUOUS_TRIGGER, RECORD_FIELDS, batch_writer, bootstrap_servers, decode_stream,
                          kafka_options, secret_kafka_options)
from .steps.kafka import run as step_kafka
from .steps.sql import run as step_sql
from .steps.watermark import run as step_watermark
from .values import (WATERMARK_FORMAT, JobError, check_column, check_table, cutoff_values, epoch_millis,
                     format_watermark, parse_timestamp, sortable_number, watermark_literal)
