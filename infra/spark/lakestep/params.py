"""Named parameter markers (`:name`) of generated SQL: found outside literals,
quoted names and comments, bound by Spark, or inlined where Spark binds nothing
(Iceberg `CALL` arguments, time travel) with values the runtime computed itself."""
from __future__ import annotations

import re
from typing import Any

from .values import JobError


def _scan_markers(sql: str) -> list[tuple[int, int, str]]:
    """(start, end, name) of each `:name` marker outside literals, quoted names and comments."""
    markers = []
    i, n = 0, len(sql)
    while i < n:
        c = sql[i]
        if c in "'\"`":
            i += 1
            while i < n and sql[i] != c:
                i += 2 if sql[i] == "\\" and c != "`" else 1
            i += 1
        elif sql.startswith("--", i):
            end = sql.find("\n", i)
            i = n if end < 0 else end + 1
        elif sql.startswith("/*", i):
            end = sql.find("*/", i + 2)
            i = n if end < 0 else end + 2
        elif sql.startswith("::", i):
            i += 2  # a cast, not a marker
        elif c == ":":
            match = re.match(r"[A-Za-z_][A-Za-z0-9_]*", sql[i + 1 :])
            if match:
                markers.append((i, i + 1 + match.end(), match.group(0)))
                i += 1 + match.end()
            else:
                i += 1
        else:
            i += 1
    return markers


def parameter_markers(sql: str) -> list[str]:
    """Names of the named parameter markers in `sql`, in order of first use."""
    return list(dict.fromkeys(name for _, _, name in _scan_markers(sql)))


def bind_args(sql: str, params: dict[str, str]) -> dict[str, str]:
    """The parameters `sql` uses, and only those: Spark rejects some statements given any args."""
    names = parameter_markers(sql)
    missing = [name for name in names if name not in params]
    if missing:
        raise JobError(f"unbound parameter markers: {', '.join(':' + m for m in missing)}")
    return {name: params[name] for name in names}


def is_call(sql: str) -> bool:
    stripped = re.sub(r"^(?:\s+|--[^\n]*(?:\n|$)|/\*.*?\*/)*", "", sql, flags=re.S)
    return re.match(r"CALL\b", stripped, flags=re.I) is not None


def inline_markers(sql: str, values: dict[str, str], what: str) -> str:
    """Replace the markers named in `values` by their text; refuse any other marker.

    For what Spark binds no parameter in: the values are computed by the runtime
    (cutoff literals, snapshot ids) in a fixed format, never user input."""
    out, last = [], 0
    for start, end, name in _scan_markers(sql):
        if name not in values:
            raise JobError(f"{what}, found :{name}")
        out.append(sql[last:start])
        out.append(values[name])
        last = end
    out.append(sql[last:])
    return "".join(out)


def inline_cutoffs(sql: str, cutoffs: dict[str, str]) -> str:
    """Inline cutoff markers of a `CALL` as string literals; refuse any other marker.

    Iceberg procedure arguments are not bound by Spark; the cutoffs are computed
    here from the run timestamp (fixed format, no quotes), never user input.
    """
    return inline_markers(sql, {k: f"'{v}'" for k, v in cutoffs.items()}, "CALL statements take only cutoff parameters")


def run_sql(spark: Any, sql: str, params: dict[str, str]) -> Any:
    """Run one statement with only its own markers bound (no `args` when it has none)."""
    args = bind_args(sql, params)
    return spark.sql(sql, args=args) if args else spark.sql(sql)
