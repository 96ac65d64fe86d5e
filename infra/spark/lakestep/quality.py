"""Write-audit-publish on Iceberg branches: the state of one job's audit (branch,
audited tables and the snapshot of main each started from, check results) and the
Iceberg operations the `audit`, `check` and `publish` steps and gated Kafka batches
share. See https://iceberg.apache.org/docs/latest/branching/#audit-branch"""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from typing import Any

from .values import IDENT, JobError, check_table

WAP_BRANCH_CONF = "spark.wap.branch"
WAP_PROPERTY = "write.wap.enabled"
BRANCH_PREFIX = "audit_"
BRANCH_HASH_DIGITS = 16
# Iceberg refuses a fast-forward whose target does not descend from main.
NOT_AN_ANCESTOR = "is not an ancestor of"


class PublishConflict(Exception):
    """Main moved between the write and the publish: the writes must run again."""

    def __init__(self, tables: list[str], published: list[str] | None = None):
        self.tables = tables
        self.published = published or []
        super().__init__(f"another commit reached main of {', '.join(tables)} since the audit branch was created")


class QualityStop(Exception):
    """The job stops here and reports its quality result (failed checks, publish conflict)."""


@dataclass(frozen=True)
class Owner:
    """Whose audit branches these are: the job document's use case, dag (one state
    machine) and job. Execution names (the run id) are only unique per state machine:
    every dag of a logical date runs under the same one."""

    use_case: str
    workflow: str
    job: str


def _slug(text: str, limit: int) -> str:
    """ASCII letters (lower-cased) and digits, every other run of characters one `_`."""
    return re.sub(r"[^A-Za-z0-9]+", "_", text).lower().strip("_")[:limit].rstrip("_")


def branch_name(owner: Owner, run_id: str, attempt: int = 1, batch: int | None = None) -> str:
    """The audit branch of one (use case, dag, job, run id, attempt, batch):
    `audit_<dag>_<run id>[_b<batch>][_a<attempt>]_<hash>`.

    The readable part is for people listing a table's refs and is lossy (ASCII letters
    lower-cased, any other run of characters one `_`, cut to 30 and 40 characters).
    What tells names apart is `<hash>`: the first 16 hex digits of the SHA-256 of the
    exact tuple as JSON, an unambiguous encoding, so distinct tuples share a name only
    by a 64-bit hash collision. `D` attempt 2 and the rerun `D_a2` attempt 1, `x_b3` and
    `x` batch 3, or two dags whose names fold alike never share a branch. Letters,
    digits and `_` only (`IDENT`; quoted anyway where it is used). Same as
    `auditBranchName` in src/naming.ts (the simulator's)."""
    if isinstance(attempt, bool) or not isinstance(attempt, int) or attempt < 1:
        raise JobError(f"invalid audit attempt {attempt!r}")
    if batch is not None and (isinstance(batch, bool) or not isinstance(batch, int) or batch < 0):
        raise JobError(f"invalid micro-batch id {batch!r}")
    # JSON (ASCII, no spaces) encodes the tuple unambiguously, as JSON.stringify does in TypeScript.
    exact = json.dumps([owner.use_case, owner.workflow, owner.job, run_id, attempt, batch], separators=(",", ":"))
    digest = hashlib.sha256(exact.encode("ascii")).hexdigest()[:BRANCH_HASH_DIGITS]
    parts = [p for p in (_slug(owner.workflow, 30), _slug(run_id, 40)) if p]
    if batch is not None:
        parts.append(f"b{batch}")
    if attempt > 1:
        parts.append(f"a{attempt}")
    return BRANCH_PREFIX + "_".join([*parts, digest])


def table_key(table: str) -> str:
    """`db.t` of `` `cat`.`db`.`t` `` (the name procedures take)."""
    parts = [p.strip("`") for p in table.split(".")]
    key = ".".join(parts[-2:])
    return check_table(key)


@dataclass
class Audited:
    table: str
    base: int | None


@dataclass
class Quality:
    """One job's audit: every check result and what was published or kept."""

    run_id: str
    catalog: str
    owner: Owner
    attempt: int = 1
    audited: dict[str, Audited] = field(default_factory=dict)
    results: list[dict[str, Any]] = field(default_factory=list)
    published: list[str] = field(default_factory=list)
    kept: list[dict[str, str]] = field(default_factory=list)
    status: str = "passed"
    conflict: str = ""

    @property
    def branch(self) -> str:
        return branch_name(self.owner, self.run_id, self.attempt)

    def batch_branch(self, attempt: int, batch: int) -> str:
        """The branch of one gated Kafka micro-batch (its own attempts)."""
        return branch_name(self.owner, self.run_id, attempt, int(batch))

    def failures(self, severity: str) -> list[dict[str, Any]]:
        return [r for r in self.results if r["status"] == "failed" and r["severity"] == severity]

    def settle(self) -> None:
        """The status once every check ran: failed (an error check), warned or passed."""
        if self.status == "conflict":
            return
        self.status = "failed" if self.failures("error") else "warned" if self.failures("warn") else "passed"

    def to_result(self) -> dict[str, Any]:
        """What the state machine reads: failing checks with their samples, and a summary
        for the run record (no samples: it is kept longer and read more widely)."""
        def brief(r: dict[str, Any]) -> dict[str, Any]:
            return {k: r[k] for k in ("table", "check", "severity", "failing", "samples") if k in r}
        summary = {
            "status": self.status, "attempts": self.attempt, "published": self.published, "kept": self.kept,
            "checks": [{k: r[k] for k in ("table", "check", "kind", "severity", "status", "failing", "rows") if k in r}
                       for r in self.results],
        }
        out = {"status": self.status, "failed": [brief(r) for r in self.failures("error")],
               "warned": [brief(r) for r in self.failures("warn")], "summary": summary}
        if self.conflict:
            out["conflict"] = self.conflict
        return out


def main_snapshot(session: Any, table: str, ref: str = "main") -> int | None:
    """The snapshot id main (or branch `ref`) points at (None: none yet)."""
    if not IDENT.match(ref):
        raise JobError(f"invalid branch {ref!r}")
    rows = session.sql(f"SELECT snapshot_id FROM {table}.refs WHERE name = '{ref}'").take(1)
    return None if not rows or rows[0][0] is None else int(rows[0][0])


def enable_wap(session: Any, table: str) -> None:
    """`write.wap.enabled=true`, which `spark.wap.branch` needs; set once per table."""
    props = {r[0]: r[1] for r in session.sql(f"SHOW TBLPROPERTIES {table}").collect()}
    if props.get(WAP_PROPERTY) != "true":
        session.sql(f"ALTER TABLE {table} SET TBLPROPERTIES ('{WAP_PROPERTY}'='true')")


def create_branch(session: Any, table: str, branch: str, retain_days: int) -> int | None:
    """The branch from main's current snapshot (replacing one a failed attempt left); returns that snapshot."""
    if not IDENT.match(branch) or isinstance(retain_days, bool) or not isinstance(retain_days, int) or retain_days < 1:
        raise JobError(f"invalid audit branch {branch!r} or retention {retain_days!r}")
    enable_wap(session, table)
    base = main_snapshot(session, table)
    session.sql(f"ALTER TABLE {table} CREATE OR REPLACE BRANCH `{branch}` RETAIN {retain_days} DAYS")
    return base


def drop_branch(session: Any, table: str, branch: str) -> None:
    session.sql(f"ALTER TABLE {table} DROP BRANCH IF EXISTS `{branch}`")


def fast_forward(session: Any, catalog: str, table: str, branch: str) -> None:
    """main ← branch, when main is an ancestor of the branch; else PublishConflict."""
    if not IDENT.match(catalog) or not IDENT.match(branch):
        raise JobError(f"invalid catalog {catalog!r} or branch {branch!r}")
    key = table_key(table)
    try:
        session.sql(f"CALL `{catalog}`.system.fast_forward(table => '{key}', branch => 'main', to => '{branch}')")
    except Exception as exc:  # py4j wraps Iceberg's IllegalArgumentException
        if NOT_AN_ANCESTOR in str(exc):
            raise PublishConflict([key]) from exc
        raise
