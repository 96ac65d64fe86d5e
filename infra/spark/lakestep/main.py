"""The runtime's entry: read the job document, run it, write the result."""
from __future__ import annotations

import sys

from .args import parse_args
from .context import Runtime, read_s3_json, write_s3_json
from .job import run_job, validate_job


def main(argv: list[str] | None = None, runtime: Runtime | None = None) -> int:
    runtime = runtime or Runtime()
    args = parse_args(sys.argv[1:] if argv is None else argv)
    doc = read_s3_json(runtime, args.job)
    validate_job(doc)
    runtime.emit(event="job", useCase=doc.get("useCase"), workflow=doc.get("workflow"),
                 job=doc.get("job"), catalog=doc.get("catalog"), params=args.params)
    result = run_job(doc, args.params, runtime, runtime.spark_factory())
    write_s3_json(runtime, args.result, result)
    runtime.emit(event="result", uri=args.result, **result)
    return 0
