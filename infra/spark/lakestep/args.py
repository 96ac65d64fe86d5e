"""The runtime's command line: the EMR Serverless job run's `EntryPointArguments`."""
from __future__ import annotations

import argparse
import re
from dataclasses import dataclass

from .values import IDENT, JobError, parse_timestamp

REQUIRED_PARAMS = ("ds", "ts", "run_id")


@dataclass(frozen=True)
class Args:
    job: str
    result: str
    params: dict[str, str]


def parse_args(argv: list[str]) -> Args:
    """Parse the EMR `EntryPointArguments`; `--param` repeats, the value may be empty."""
    parser = argparse.ArgumentParser(prog="lakestep_runtime.py")
    parser.add_argument("--job", required=True, help="s3:// URI of the job document")
    parser.add_argument("--result", required=True, help="s3:// URI the result JSON is written to")
    parser.add_argument("--param", action="append", default=[], metavar="NAME=VALUE")
    ns = parser.parse_args(argv)
    params: dict[str, str] = {}
    for item in ns.param:
        name, sep, value = item.partition("=")
        if not sep or not IDENT.match(name):
            parser.error(f"--param expects name=value with an identifier name, got {item!r}")
        params[name] = value
    missing = [p for p in REQUIRED_PARAMS if not params.get(p)]
    if missing:
        parser.error(f"missing required parameters: {', '.join(missing)}")
    try:
        split_s3_uri(ns.job)
        split_s3_uri(ns.result)
        parse_timestamp(params["ts"])
    except JobError as exc:
        parser.error(str(exc))
    return Args(job=ns.job, result=ns.result, params=params)


def split_s3_uri(uri: str) -> tuple[str, str]:
    match = re.match(r"^s3://([^/]+)/(.+)$", uri)
    if not match:
        raise JobError(f"not an s3://bucket/key URI: {uri!r}")
    return match.group(1), match.group(2)
