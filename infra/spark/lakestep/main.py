"""The runtime's entry: read the job document, run it, write the result."""
from __future__ import annotations

import sys

from .args import parse_args
from .context import Runtime, read_s3_json, write_s3_json
from .job import run_job, validate_job


def checks_uri(result_uri: str) -> str:
    """`…/<job>.checks.json` beside the result `…/<job>.json`."""
    return (result_uri[:-5] if result_uri.endswith(".json") else result_uri) + ".checks.json"


def main(argv: list[str] | None = None, runtime: Runtime | None = None) -> int:
    runtime = runtime or Runtime()
    args = parse_args(sys.argv[1:] if argv is None else argv)
    doc = read_s3_json(runtime, args.job)
    validate_job(doc)
    runtime.emit(event="job", useCase=doc.get("useCase"), workflow=doc.get("workflow"),
                 job=doc.get("job"), catalog=doc.get("catalog"), params=args.params)
    details: list = []
    result = run_job(doc, args.params, runtime, runtime.spark_factory(), details)
    if "quality" in result:
        # Every check with its sample keys, next to the result (which keeps only the failing ones).
        write_s3_json(runtime, checks_uri(args.result), {"run": args.params["run_id"], "checks": details,
                                                        "quality": result["quality"]["summary"]})
    write_s3_json(runtime, args.result, result)
    runtime.emit(event="result", uri=args.result, **result)
    return 0
