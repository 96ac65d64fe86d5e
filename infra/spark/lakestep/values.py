"""Values the runtime accepts from job documents and parameters: identifiers,
ISO-8601 timestamps, watermarks and cutoffs, each validated strictly before it
reaches SQL."""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
ISO_TS = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})"
    r"(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?"
    r"(Z|[+-]\d{2}:?\d{2})?$"
)
NUMBER = re.compile(r"^-?\d+(?:\.\d+)?$")
NUMBER_WIDTH = 20
_PART = r"(?:`[A-Za-z_][A-Za-z0-9_]*`|[A-Za-z_][A-Za-z0-9_]*)"
TABLE_NAME = re.compile(rf"^{_PART}(?:\.{_PART}){{1,2}}$")
# One fixed-width format: DynamoDB compares watermarks as strings.
WATERMARK_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"
EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


class JobError(Exception):
    """A job document, parameter or secret that the runtime refuses."""


def parse_timestamp(value: str) -> datetime:
    """Parse a strict ISO-8601 timestamp (or date) into an aware UTC datetime.

    Parsed by hand rather than `datetime.fromisoformat`, whose accepted forms
    differ between Python 3.9 (EMR 7) and 3.11.
    """
    match = ISO_TS.match(value)
    if not match:
        raise JobError(f"not an ISO-8601 timestamp: {value!r}")
    year, month, day, hour, minute, second, fraction, offset = match.groups()
    try:
        zone = timezone.utc
        if offset and offset != "Z":
            sign = -1 if offset[0] == "-" else 1
            digits = offset[1:].replace(":", "")
            zone = timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))
        parsed = datetime(
            int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0),
            int((fraction or "0")[:6].ljust(6, "0")), tzinfo=zone,
        )
    except ValueError as exc:
        raise JobError(f"not an ISO-8601 timestamp: {value!r}") from exc
    return parsed.astimezone(timezone.utc)


def cutoff_values(ts: str | datetime, cutoffs: dict[str, int]) -> dict[str, str]:
    """`ts` (ISO text, or an aware datetime) minus N seconds, as `YYYY-MM-DD HH:MM:SS`
    in UTC (the session time zone)."""
    base = ts.astimezone(timezone.utc) if isinstance(ts, datetime) else parse_timestamp(ts)
    out = {}
    for name, seconds in cutoffs.items():
        if not IDENT.match(name) or isinstance(seconds, bool) or not isinstance(seconds, int):
            raise JobError(f"invalid cutoff {name!r}: {seconds!r}")
        out[name] = (base - timedelta(seconds=seconds)).strftime("%Y-%m-%d %H:%M:%S")
    return out


def format_watermark(value: Any, ntz: bool = False) -> str | None:
    """Render a watermark value: timestamps as fixed-width ISO UTC, numbers as strings.

    `ntz`: the column is TIMESTAMP_NTZ (wall-clock, read as UTC). A naive value of a
    TIMESTAMP column is in the driver's local zone, which is how PySpark converts it.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise JobError("a watermark cannot be a boolean")
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc) if ntz else value.astimezone()
        return value.astimezone(timezone.utc).strftime(WATERMARK_FORMAT)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=timezone.utc).strftime(WATERMARK_FORMAT)
    if isinstance(value, (int, Decimal, float)):
        return sortable_number(format(Decimal(repr(value) if isinstance(value, float) else value), "f"))
    if isinstance(value, str):
        if NUMBER.match(value):
            return sortable_number(value)
        return parse_timestamp(value).strftime(WATERMARK_FORMAT)
    raise JobError(f"unsupported watermark value type {type(value).__name__}")


def sortable_number(text: str) -> str:
    """A non-negative number with its integer part zero-padded to NUMBER_WIDTH digits.

    DynamoDB's "never backwards" condition compares watermarks as strings: padded,
    string order is numeric order ("9" < "10" fails as strings, "…09" < "…10" holds).
    """
    if not NUMBER.match(text) or text.startswith("-"):
        raise JobError(f"a numeric watermark must be a non-negative number, got {text!r}")
    whole, dot, fraction = text.partition(".")
    return whole.lstrip("0").rjust(NUMBER_WIDTH, "0") + dot + fraction


def watermark_literal(value: str, lookback_seconds: int = 0) -> str:
    """A strictly validated watermark as a SQL literal: a UTC timestamp `lookback_seconds`
    before it, or the number itself (padding dropped)."""
    if NUMBER.match(value):
        negative, digits = value.startswith("-"), value.lstrip("-")
        whole, dot, fraction = digits.partition(".")
        return ("-" if negative else "") + (whole.lstrip("0") or "0") + dot + fraction
    ts = parse_timestamp(value) - timedelta(seconds=lookback_seconds)
    return "TIMESTAMP '" + ts.strftime("%Y-%m-%d %H:%M:%S.%f") + "'"


def epoch_millis(value: str) -> int:
    # Integer arithmetic: a float timestamp can land a millisecond short.
    return (parse_timestamp(value) - EPOCH) // timedelta(milliseconds=1)


def check_column(name: str) -> str:
    if not IDENT.match(name):
        raise JobError(f"invalid column name {name!r}")
    return name


def check_table(name: str) -> str:
    if not all(IDENT.match(part) for part in name.split(".")):
        raise JobError(f"invalid table name {name!r}")
    return name


def is_ntz(frame: Any) -> bool:
    """Whether the first column of `frame` is TIMESTAMP_NTZ."""
    try:
        return frame.schema.fields[0].dataType.typeName() == "timestamp_ntz"
    except (AttributeError, IndexError):
        return False
