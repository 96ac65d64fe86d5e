"""Write-audit-publish on Iceberg branches: the state of one job's audit (branch,
audited tables and the snapshot of main each started from, check results) and the
Iceberg operations the `audit`, `check` and `publish` steps and gated Kafka batches
share. See https://iceberg.apache.org/docs/latest/branching/#audit-branch"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .values import IDENT, JobError, check_table

WAP_BRANCH_CONF = "spark.wap.branch"
WAP_PROPERTY = "write.wap.enabled"
BRANCH_PREFIX = "audit_"
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


def branch_name(run_id: str, attempt: int = 1, batch: int | None = None) -> str:
    """`audit_<run id>` in lower-case letters, digits and `_` (`_b<batch>`, `_a<attempt>` appended)."""
    name = BRANCH_PREFIX + re.sub(r"[^a-z0-9_]", "_", run_id.lower())[:80]
    if batch is not None:
        name += f"_b{int(batch)}"
    if attempt > 1:
        name += f"_a{int(attempt)}"
    return name


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
    attempt: int = 1
    audited: dict[str, Audited] = field(default_factory=dict)
    results: list[dict[str, Any]] = field(default_factory=list)
    published: list[str] = field(default_factory=list)
    kept: list[dict[str, str]] = field(default_factory=list)
    status: str = "passed"
    conflict: str = ""

    @property
    def branch(self) -> str:
        return branch_name(self.run_id, self.attempt)

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
