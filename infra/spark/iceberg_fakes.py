"""A fake of the Iceberg behaviour the write-audit-publish steps rely on, behind
FakeSpark.sql: snapshots of main and of branches, `spark.wap.branch`, fast-forward
refused when main moved, table properties. The real behaviour is proven on Spark +
Iceberg by the engine suite (test/engines/test_quality.py); this fake keeps the
runtime's own logic (attempts, stops, results) fast to test."""
from __future__ import annotations

import itertools
import re
from typing import Any, Callable

_ids = itertools.count(100)


def key(table: str) -> str:
    """`db.t` of `` `c`.`db`.`t` `` or `c.db.t`."""
    return ".".join(p.strip("`") for p in table.split(".")[-2:])


class FakeIceberg:
    def __init__(self) -> None:
        self.main: dict[str, int | None] = {}
        self.branches: dict[str, dict[str, int | None]] = {}
        self.parents: dict[int, int | None] = {}
        self.properties: dict[str, dict[str, str]] = {}
        self.rows: dict[int, int] = {}
        self.log: list[str] = []
        # Called before each write: a test commits to main here to race the job.
        self.before_write: Callable[[str], None] = lambda table: None

    def table(self, name: str, snapshot: int | None = None) -> None:
        self.main[name] = snapshot
        self.branches.setdefault(name, {})
        self.properties.setdefault(name, {})

    def commit_main(self, name: str, rows: int = 1) -> int:
        snap = next(_ids)
        self.parents[snap] = self.main.get(name)
        self.rows[snap] = self.rows.get(self.main.get(name) or -1, 0) + rows
        self.main[name] = snap
        return snap

    def handle(self, text: str, conf: dict[str, str]) -> list[tuple] | None:
        m = re.match(r"SHOW TBLPROPERTIES (\S+)$", text)
        if m:
            return sorted(self.properties[key(m[1])].items())
        m = re.match(r"ALTER TABLE (\S+) SET TBLPROPERTIES \((.*)\)$", text)
        if m:
            for k, v in re.findall(r"'([^']*)'='([^']*)'", m[2]):
                self.properties[key(m[1])][k] = v
            return []
        m = re.match(r"SELECT snapshot_id FROM (\S+)\.refs WHERE name = '(\w+)'$", text)
        if m:
            snap = self.main[key(m[1])] if m[2] == "main" else self.branches[key(m[1])].get(m[2])
            return [] if snap is None else [(snap,)]
        m = re.match(r"ALTER TABLE (\S+) CREATE OR REPLACE BRANCH `(\w+)` RETAIN (\d+) DAYS$", text)
        if m:
            self.branches[key(m[1])][m[2]] = self.main[key(m[1])]
            self.log.append(f"branch {key(m[1])} {m[2]}")
            return []
        m = re.match(r"ALTER TABLE (\S+) DROP BRANCH IF EXISTS `(\w+)`$", text)
        if m:
            self.branches[key(m[1])].pop(m[2], None)
            self.log.append(f"drop {key(m[1])} {m[2]}")
            return []
        m = re.match(r"CALL `\w+`\.system\.fast_forward\(table => '([\w.]+)', branch => 'main', to => '(\w+)'\)$", text)
        if m:
            t, b = m[1], m[2]
            head, main = self.branches[t][b], self.main[t]
            ancestors, s = set(), head
            while s is not None:
                ancestors.add(s)
                s = self.parents.get(s)
            if main is not None and main not in ancestors:
                raise RuntimeError(f"java.lang.IllegalArgumentException: Cannot fast-forward: main is not an ancestor of {b}")
            self.main[t] = head
            self.log.append(f"publish {t} {b}")
            return []
        m = re.match(r"(?:INSERT (?:INTO|OVERWRITE)|MERGE INTO) (\S+)", text)
        if m and key(m[1]) in self.main:
            t = key(m[1])
            self.before_write(t)
            branch = conf.get("spark.wap.branch")
            if branch and self.properties[t].get("write.wap.enabled") == "true" and branch in self.branches[t]:
                snap = next(_ids)
                self.parents[snap] = self.branches[t][branch]
                self.branches[t][branch] = snap
                self.log.append(f"write {t} {branch}")
            else:
                self.commit_main(t)
                self.log.append(f"write {t} main")
            return []
        return None


__all__ = ["FakeIceberg", "key"]
