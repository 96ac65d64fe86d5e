"""`sql` steps: one statement, its markers bound (cutoffs computed here)."""
from __future__ import annotations

from datetime import timedelta
from typing import Any

from ..context import Context
from ..params import inline_cutoffs, is_call, run_sql
from ..values import JobError, cutoff_values

REQUIRED = ("sql",)


def run(ctx: Context, step: dict[str, Any]) -> int | None:
    # `cutoffsFrom: now`: count back from this step's start (e.g. expire every snapshot
    # older than the hard delete just committed), else from the run's ts. Rounded up to
    # the next second: cutoffs are whole seconds, and the commits just made are of this one.
    base = ctx.runtime.now() + timedelta(seconds=1) if step.get("cutoffsFrom") == "now" else ctx.params["ts"]
    cutoffs = cutoff_values(base, step.get("cutoffs") or {})
    clash = sorted(set(cutoffs) & set(ctx.params))
    if clash:
        raise JobError(f"cutoff names shadow run parameters: {', '.join(clash)}")
    if is_call(step["sql"]):
        ctx.spark.sql(inline_cutoffs(step["sql"], cutoffs))
    else:
        run_sql(ctx.spark, step["sql"], {**ctx.params, **cutoffs})
    return None
