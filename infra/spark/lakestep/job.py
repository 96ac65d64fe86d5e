"""A job document: validated before any step has side effects, then its steps run
in order, each dispatched on its `kind` to the module of that kind (steps/)."""
from __future__ import annotations

from types import ModuleType
from typing import Any

from .context import Context, Runtime
from .steps import jdbc_extract, kafka, sql, watermark
from .values import IDENT, JobError

STEPS: dict[str, ModuleType] = {
    "sql": sql,
    "jdbc_extract": jdbc_extract,
    "kafka": kafka,
    "watermark": watermark,
}


def validate_job(doc: Any) -> None:
    """Refuse a malformed job document before any step has side effects."""
    if not isinstance(doc, dict) or doc.get("version") != 1:
        raise JobError("job document must be an object with version 1")
    steps = doc.get("steps")
    if not isinstance(steps, list) or not steps:
        raise JobError("job document has no steps")
    seen: set[str] = set()
    for index, step in enumerate(steps):
        kind = step.get("kind") if isinstance(step, dict) else None
        if kind not in STEPS:
            raise JobError(f"steps[{index}]: unknown kind {kind!r}")
        name = step.get("name")
        if not isinstance(name, str) or not name or name in seen:
            raise JobError(f"steps[{index}]: missing or duplicate name {name!r}")
        seen.add(name)
        missing = [f for f in STEPS[kind].REQUIRED if step.get(f) in (None, "", [])]
        if missing:
            raise JobError(f"step {name}: missing {', '.join(missing)}")
        if step.get("cutoffsFrom", "now") != "now":
            raise JobError(f"step {name}: unknown cutoffsFrom {step['cutoffsFrom']!r}")
        if "group" in step and (not isinstance(step["group"], str) or not step["group"]):
            raise JobError(f"step {name}: group must be a non-empty string")
        if "view" in step and not IDENT.match(step["view"]):
            raise JobError(f"step {name}: invalid view name {step['view']!r}")
        check = getattr(STEPS[kind], "validate", None)
        if check:
            check(step)


def run_job(doc: dict[str, Any], params: dict[str, str], runtime: Runtime, spark: Any) -> dict[str, Any]:
    """Run the steps in order and return the result document.

    A failing step without a `group` stops the job. A failing step of a group
    (maintenance: one table) skips the rest of that group only; the other groups
    still run, and the job then raises naming every failed and skipped step.
    """
    ctx = Context(runtime=runtime, spark=spark, params=params)
    rows: dict[str, int] = {}
    done: list[str] = []
    failed: dict[str, str] = {}
    skipped: list[str] = []
    for step in doc["steps"]:
        group = step.get("group")
        line = {"event": "step", "job": doc.get("job"), "step": step["name"], "kind": step["kind"]}
        if group is not None and group in failed:
            skipped.append(step["name"])
            runtime.emit(**line, status="skipped", group=group)
            continue
        started = runtime.clock()
        try:
            count = STEPS[step["kind"]].run(ctx, step)
        except Exception as exc:
            error = f"{type(exc).__name__}: {str(exc)[:500]}"
            runtime.emit(**line, status="failed", durationSeconds=round(runtime.clock() - started, 3), error=error)
            if group is None:
                raise
            failed[group] = f"{step['name']}: {error}"
            continue
        runtime.emit(**line, status="succeeded", durationSeconds=round(runtime.clock() - started, 3),
                     rows=count)
        if count is not None:
            rows[step["name"]] = count
        done.append(step["name"])
    if failed:
        raise JobError(
            f"{len(failed)} of {len({s.get('group') for s in doc['steps'] if s.get('group')})} groups failed "
            f"({'; '.join(failed.values())}); skipped: {', '.join(skipped) or 'none'}; "
            f"succeeded: {', '.join(done) or 'none'}"
        )
    return {"watermarks": ctx.watermarks, "rows": rows, "steps": done}
