"""A job document: validated before any step has side effects, then its steps run
in order, each dispatched on its `kind` to the module of that kind (steps/)."""
from __future__ import annotations

from types import ModuleType
from typing import Any

from .context import Context, Runtime
from .quality import WAP_BRANCH_CONF, Owner, PublishConflict, QualityStop, drop_branch
from .steps import audit, check, commit_records, drop_audit_branches, jdbc_extract, kafka, publish, sql, watermark
from .values import IDENT, JobError

STEPS: dict[str, ModuleType] = {
    "sql": sql,
    "jdbc_extract": jdbc_extract,
    "kafka": kafka,
    "watermark": watermark,
    "audit": audit,
    "check": check,
    "publish": publish,
    "commit_records": commit_records,
    "drop_audit_branches": drop_audit_branches,
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
    audits = any(s["kind"] == "audit" or (s["kind"] == "kafka" and s.get("audit")) for s in steps)
    unnamed = [f for f in ("useCase", "workflow", "job") if not isinstance(doc.get(f), str) or not doc[f]]
    if audits and unnamed:
        # Audit branches are named after them: without, jobs of other dags could share one.
        raise JobError(f"job document audits tables but has no {', '.join(unnamed)}")


def run_job(doc: dict[str, Any], params: dict[str, str], runtime: Runtime, spark: Any,
            details: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """Run the steps in order and return the result document.

    A failing step without a `group` stops the job. A failing step of a group
    (maintenance: one table) skips the rest of that group only; the other groups
    still run, and the job then raises naming every failed and skipped step.

    Write-audit-publish: a `publish` step that finds main moved since the audit
    started runs the steps from the first `audit` step again on fresh branches, up
    to its `attempts`; failed `error` checks, or a conflict that outlasts the
    attempts, stop the job, which then reports them in its result (`quality`)
    instead of failing: the state machine fails the run with the checks named.
    `details` receives every check result with its samples (the `.checks.json` file).
    """
    ctx = Context(runtime=runtime, spark=spark, params=params, catalog=str(doc.get("catalog") or ""),
                  owner=Owner(str(doc.get("useCase") or ""), str(doc.get("workflow") or ""), str(doc.get("job") or "")))
    steps = doc["steps"]
    first_audit = next((i for i, s in enumerate(steps) if s["kind"] == "audit"), None)
    rows: dict[str, int] = {}
    done: list[str] = []
    failed: dict[str, str] = {}
    skipped: list[str] = []
    i = 0
    while i < len(steps):
        step = steps[i]
        i += 1
        group = step.get("group")
        line = {"event": "step", "job": doc.get("job"), "step": step["name"], "kind": step["kind"]}
        if group is not None and group in failed:
            skipped.append(step["name"])
            runtime.emit(**line, status="skipped", group=group)
            continue
        started = runtime.clock()
        try:
            count = STEPS[step["kind"]].run(ctx, step)
        except QualityStop:
            runtime.emit(**line, status="stopped", quality=ctx.audit().status)
            break
        except PublishConflict as conflict:
            q = ctx.audit()
            runtime.emit(**line, status="conflict", tables=conflict.tables, attempt=q.attempt)
            spark.conf.unset(WAP_BRANCH_CONF)
            for a in q.audited.values():
                drop_branch(spark, a.table, q.branch)
            if not conflict.published and first_audit is not None and q.attempt < int(step.get("attempts") or 1):
                q.attempt += 1
                q.audited.clear()
                q.results.clear()
                i = first_audit
                continue
            q.status = "conflict"
            q.conflict = (f"{conflict}; {q.attempt} attempt(s)" +
                          (f"; published before the conflict: {', '.join(conflict.published)}" if conflict.published else ""))
            q.published = list(conflict.published)
            break
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
    result: dict[str, Any] = {"watermarks": ctx.watermarks, "rows": rows, "steps": done}
    if ctx.quality is not None:
        ctx.quality.settle()
        result["quality"] = ctx.quality.to_result()
        if details is not None:
            details.extend(ctx.quality.results)
    return result
