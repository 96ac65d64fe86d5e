"""The SQL analysis (src/sql/analysis) against Spark's own parser.

For every statement of the example's SQL files, of the golden cases', of the engine
cases' and of test/engines/sql/corpus.sql (every construct the analysis models), the
relations of the unresolved logical plan that Spark's parser (with Iceberg's SQL
extensions, so CALL and the ALTER TABLE extensions parse) makes of the statement —
less CTE names in scope and temporary views, plus the table arguments of Iceberg
CALLs, which arrive as strings — must equal the analysis's read set and write set,
written tables with what the statement does to them. Statements the analysis reports
as problems are skipped and listed in SKIPPED, so a new one fails the test.
"""
from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any, Iterator

import pytest

from harness import ROOT, Lake

SOURCES = [
    *sorted((ROOT / "specs").glob("**/sql/*.sql")),
    *sorted((ROOT / "test" / "golden").glob("*/specs/**/*.sql")),
    *sorted((ROOT / "test" / "engines" / "specs").glob("**/sql/*.sql")),
    ROOT / "test" / "engines" / "sql" / "corpus.sql",
]
# The compiler refuses symlinked SQL files; they hold no statement to compare.
SYMLINKS = ["test/golden/hostile-inputs/specs/links/sql/evil.sql", "test/golden/hostile-inputs/specs/links/sql/gone.sql"]
# Statements the analysis reports as problems (file, line): a template in a table name, which the
# compiler refuses (SQL_TEMPLATE_IN_NAME) in the golden case that shows the run templates' errors.
SKIPPED: list[tuple[str, int]] = [("test/golden/sql-templates/specs/broken/sql/habits.sql", 1),
                                  # ALTER TABLE … SET LOCATION, which the analysis refuses (a table's files stay where the platform lays them out).
                                  ("test/engines/sql/corpus.sql", 94)]

# Iceberg procedure parameters naming a table the procedure only reads (the others it changes).
READ_ONLY = {("ancestors_of", "table"), ("create_changelog_view", "table"), ("rewrite_table_path", "table"),
             ("snapshot", "source_table"), ("add_files", "source_table")}
# Spark's ALTER TABLE/VIEW commands (the table or view is a child plan) and Iceberg's (a name).
SPARK_ALTERS = {
    "AddColumns", "ReplaceColumns", "DropColumns", "RenameColumn", "AlterColumn", "SetTableProperties",
    "UnsetTableProperties", "SetTableLocation", "AddPartitions", "DropPartitions", "RenamePartitions",
    "RecoverPartitions", "SetTableSerDeProperties", "SetViewProperties", "UnsetViewProperties",
}
ICEBERG_ALTERS = {
    "AddPartitionField", "DropPartitionField", "ReplacePartitionField", "SetWriteDistributionAndOrdering",
    "SetIdentifierFields", "DropIdentifierFields", "CreateOrReplaceBranch", "CreateOrReplaceTag", "DropBranch", "DropTag",
}
SUBQUERIES = {"ScalarSubquery", "ListQuery", "Exists", "LateralSubquery", "FunctionTableSubqueryArgumentExpression"}


def rel(path: Path) -> str:
    return str(path.relative_to(ROOT))


@pytest.fixture(scope="module")
def analysis() -> dict[str, Any]:
    """analyzeSql of every source, from the TypeScript side."""
    files = [rel(p) for p in SOURCES if not p.is_symlink()]
    proc = subprocess.run(["npx", "tsx", "test/engines/analyze-sql.ts", *files], cwd=ROOT, capture_output=True, text=True, check=True)
    return json.loads(proc.stdout)


def seq(scala_seq: Any) -> Iterator[Any]:
    it = scala_seq.iterator()
    while it.hasNext():
        yield it.next()


class SparkRelations:
    """Reads and writes of a statement from Spark's unresolved logical plan; follows temporary views along a file."""

    def __init__(self, lake: Lake) -> None:
        session = lake.spark._jsparkSession
        self.parser = session.sessionState().sqlParser()
        self.spark_parser = lake.spark._jvm.org.apache.spark.sql.execution.SparkSqlParser()
        self.catalog = session.sessionState().catalogManager().catalog(lake.catalog)
        self.jvm = lake.spark._jvm
        self.gateway = lake.spark.sparkContext._gateway
        self.temps: set[str] = set()

    def of(self, sql: str) -> tuple[set[tuple[str, ...]], set[tuple[tuple[str, ...], str]]]:
        self.reads: set[tuple[str, ...]] = set()
        self.writes: set[tuple[tuple[str, ...], str]] = set()
        # Iceberg's parser rewrites the view commands of its catalogs with their name resolved
        # (catalog added), and asks the catalog to do so, which the engine tests' JDBC catalog
        # refuses for some; Spark's parser, to which it delegates, has the name as written.
        try:
            plan = self.parser.parsePlan(sql)
        except Exception as e:  # noqa: BLE001 — only the view-support refusal is expected
            if "view support" not in str(e):
                raise
            plan = self.spark_parser.parsePlan(sql)
        if plan.getClass().getSimpleName() in ("CreateIcebergView", "DropIcebergView"):
            plan = self.spark_parser.parsePlan(sql)
        self.root = plan.getClass().getName()
        self.plan(plan, frozenset())
        return self.reads, self.writes

    def name(self, node: Any) -> tuple[str, ...]:
        kind = node.getClass().getSimpleName()
        if kind == "SubqueryAlias":
            return self.name(node.child())
        if kind == "UnresolvedIdentifier":
            return tuple(seq(node.nameParts()))
        return tuple(seq(node.multipartIdentifier()))

    def temp(self, parts: tuple[str, ...]) -> str | None:
        lower = tuple(p.lower() for p in parts)
        key = lower[0] if len(lower) == 1 else ".".join(lower) if len(lower) == 2 and lower[0] == "global_temp" else None
        return key if key in self.temps else None

    def read(self, parts: tuple[str, ...], ctes: frozenset[str]) -> None:
        if len(parts) == 1 and parts[0].lower() in ctes or self.temp(parts):
            return
        self.reads.add(parts)

    def plan(self, node: Any, ctes: frozenset[str]) -> None:
        kind = node.getClass().getSimpleName()
        write = lambda target, op: self.writes.add((self.name(target) if not isinstance(target, tuple) else target, op))  # noqa: E731
        if kind == "UnresolvedWith":
            scope = ctes
            for pair in seq(node.cteRelations()):
                self.plan(pair._2(), scope)
                scope = scope | {pair._1().lower()}
            self.plan(node.child(), scope)
        elif kind in ("UnresolvedRelation", "UnresolvedTableOrView", "UnresolvedTable", "UnresolvedView"):
            self.read(self.name(node), ctes)
        elif kind == "PlanWithUnresolvedIdentifier":
            self.read(tuple(seq(self.parser.parseMultipartIdentifier(node.identifierExpr().value().toString()))), ctes)
        elif kind in ("InsertIntoStatement", "OverwriteByExpression"):
            overwrite = kind == "OverwriteByExpression" or node.overwrite()
            write(node.table(), "insert_overwrite" if overwrite else "insert")
            self.plan(node.query(), ctes)
        elif kind == "MergeIntoTable":
            write(node.targetTable(), "merge")
            self.plan(node.sourceTable(), ctes)
            self.subqueries(node, ctes)
        elif kind in ("UpdateTable", "DeleteFromTable"):
            write(node.table(), kind.removesuffix("Table").removesuffix("From").lower())
            self.subqueries(node, ctes)
        elif kind in ("CreateTableAsSelect", "ReplaceTableAsSelect", "CreateTable", "ReplaceTable"):
            write(node.name(), "replace" if kind.startswith("Replace") else "create_as_select" if kind.endswith("AsSelect") else "create")
            if kind.endswith("AsSelect"):
                self.plan(node.query(), ctes)
        elif kind == "CreateTableLikeCommand":
            write(tuple(seq(node.targetTable().nameParts())), "create")
            self.read(tuple(seq(node.sourceTable().nameParts())), ctes)
        elif kind in ("DropTable", "TruncateTable", "TruncatePartition"):
            write(node.child(), "drop" if kind == "DropTable" else "truncate")
        elif kind == "RenameTable":
            write(node.child(), "alter")
            write(tuple(seq(node.newName())), "alter")
        elif kind in SPARK_ALTERS:
            write(next(seq(node.children())), "alter")
        elif kind in ICEBERG_ALTERS:
            write(tuple(seq(node.table())), "alter")
        elif kind == "RelationTimeTravel":
            self.plan(node.relation(), ctes)
        elif kind in ("CreateView", "AlterViewAs"):
            target = self.name(node.child())
            if not (kind == "AlterViewAs" and self.temp(target)):
                write(target, "create_view")
            self.plan(node.query(), ctes)
        elif kind == "DropView":
            target = self.name(node.child())
            if self.temp(target):
                self.temps.discard(self.temp(target))
            else:
                write(target, "drop_view")
        elif kind == "CreateViewCommand":
            view_type = node.viewType().toString()
            if view_type == "PersistedView":
                write(tuple(seq(node.name().nameParts())), "create_view")
            else:
                self.temps.add(("global_temp." if view_type == "GlobalTempView" else "") + node.name().table().lower())
            self.plan(node.plan(), ctes)
        elif kind == "CreateTempViewUsing":
            self.temps.add(("global_temp." if getattr(node, "global")() else "") + node.tableIdent().table().lower())
        elif kind == "CacheTableAsSelect":
            self.temps.add(node.tempViewName().lower())
            self.plan(node.plan(), ctes)
        elif kind == "CallStatement":
            self.call(node)
        else:
            for child in seq(node.children()):
                self.plan(child, ctes)
            self.subqueries(node, ctes)

    def subqueries(self, node: Any, ctes: frozenset[str]) -> None:
        """Plans inside the expressions of `node` (IN, EXISTS, scalar and lateral subqueries)."""
        stack = list(seq(node.expressions()))
        while stack:
            e = stack.pop()
            if e.getClass().getSimpleName() in SUBQUERIES:
                self.plan(e.plan(), ctes)
            stack.extend(seq(e.children()))

    def call(self, node: Any) -> None:
        """A CALL: its table arguments, mapped to parameters with Iceberg's own parameter list."""
        name = [p.lower() for p in seq(node.name())]
        procedure = name[-1]
        ident = self.jvm.org.apache.spark.sql.connector.catalog.Identifier.of(self.namespace(["system"]), procedure)
        params = [p.name() for p in self.catalog.loadProcedure(ident).parameters()]
        values: dict[str, str] = {}
        for i, arg in enumerate(seq(node.args())):
            key = arg.name() if arg.getClass().getSimpleName() == "NamedArgument" else params[i]
            literal = arg.expr().value() if arg.expr().getClass().getSimpleName() == "Literal" else None
            # py4j hands numbers and booleans over as Python values, strings as UTF8String.
            values[key] = None if literal is None else str(literal) if isinstance(literal, (bool, int, float)) else literal.toString()
        for key in ("table", "source_table"):
            if key in params and values.get(key) is not None:
                parts = tuple(seq(self.parser.parseMultipartIdentifier(values[key])))
                if (procedure, key) in READ_ONLY:
                    self.reads.add(parts)
                else:
                    self.writes.add((parts, "call"))
        if procedure == "create_changelog_view":
            table = tuple(seq(self.parser.parseMultipartIdentifier(values["table"])))
            self.temps.add((values.get("changelog_view") or f"{table[-1]}_changes").lower())

    def namespace(self, parts: list[str]) -> Any:
        array = self.gateway.new_array(self.jvm.java.lang.String, len(parts))
        for i, p in enumerate(parts):
            array[i] = p
        return array


def ours(statement: dict[str, Any]) -> tuple[set[tuple[str, ...]], set[tuple[tuple[str, ...], str]]]:
    uses = statement["uses"]
    reads = {tuple(u["name"]["parts"]) for u in uses if u["role"] == "read"}
    writes = {(tuple(u["name"]["parts"]), u["operation"]) for u in uses if u["role"] == "write"}
    return reads, writes


def test_every_statement_reads_and_writes_what_sparks_parser_says(lake: Lake, analysis: dict[str, Any]) -> None:
    assert sorted(rel(p) for p in SOURCES if p.is_symlink()) == SYMLINKS
    compared, skipped, mismatches = 0, [], []
    for file, result in analysis["files"].items():
        spark = SparkRelations(lake)
        for statement in result["statements"]:
            if not statement["analysed"]:
                skipped.append((file, statement["line"]))
                continue
            theirs = spark.of(statement["text"])
            if ours(statement) != theirs:
                mismatches.append({"file": file, "line": statement["line"], "ours": ours(statement), "spark": theirs, "plan": spark.root})
            compared += 1
    assert mismatches == [], "\n".join(map(str, mismatches))
    assert skipped == SKIPPED
    # Every statement of the corpus, the example's and the golden cases' was compared.
    assert compared == sum(len(r["statements"]) for r in analysis["files"].values()) - len(SKIPPED)
    assert compared >= 120


def test_the_procedure_registry_is_icebergs(lake: Lake, analysis: dict[str, Any]) -> None:
    """Every Iceberg procedure of the runtime jar, with its parameters in order, is in the registry."""
    spark = SparkRelations(lake)
    names = sorted(lake.spark._jvm.org.apache.iceberg.spark.procedures.SparkProcedures.names())
    iceberg = {}
    for name in names:
        ident = spark.jvm.org.apache.spark.sql.connector.catalog.Identifier.of(spark.namespace(["system"]), name)
        iceberg[name] = [p.name() for p in spark.catalog.loadProcedure(ident).parameters()]
    assert {name: spec["params"] for name, spec in analysis["procedures"].items()} == iceberg
    tables = {(name, param) for name, spec in analysis["procedures"].items() for param in spec["tables"]}
    assert tables == {(name, param) for name, params in iceberg.items() for param in params if param in ("table", "source_table")}
    assert {(name, param) for name, spec in analysis["procedures"].items() for param, role in spec["tables"].items() if role == "read"} == READ_ONLY


SCOPING = [
    # (statement, the value it returns, whether the analysis must report the table `events` read)
    ("WITH events AS (SELECT v + 10 AS v FROM events) SELECT v FROM events", 11, True),  # a CTE does not see itself
    ("WITH events AS (SELECT 2 AS v) SELECT v FROM events", 2, False),  # a CTE shadows the table
    ("WITH a AS (SELECT v FROM events), events AS (SELECT 3 AS v) SELECT v FROM a", 1, True),  # nor a later CTE
    ("CREATE OR REPLACE TEMP VIEW events AS SELECT 5 AS v", None, False),
    ("SELECT v FROM events", 5, False),  # a temporary view shadows the table
    ("WITH events AS (SELECT 6 AS v) SELECT v FROM events", 6, False),  # a CTE shadows the view
    ("DROP VIEW events", None, False),  # drops the view, not the table
    ("SELECT v FROM events", 1, True),
    ("CREATE OR REPLACE TEMP VIEW events AS SELECT 7 AS v", None, False),
    ("DROP TABLE events", None, False),  # DROP TABLE of a view's name drops the view too
    ("SELECT v FROM events", 1, True),
]


def test_scoping_of_ctes_and_temporary_views_is_sparks(lake: Lake, tmp_path: Path) -> None:
    """What the analysis assumes of names, checked by running the statements on real tables."""
    # A session of its own (USE and temporary views are per session), on the same catalog.
    spark, cat = lake.spark.newSession(), lake.catalog
    sql = tmp_path / "scoping.sql"
    sql.write_text(";\n".join(s for s, _, _ in SCOPING))
    proc = subprocess.run(["npx", "tsx", "test/engines/analyze-sql.ts", str(sql)], cwd=ROOT, capture_output=True, text=True, check=True)
    statements = json.loads(proc.stdout)["files"][str(sql)]["statements"]
    assert [[u["name"]["parts"] for u in s["uses"]] == [["events"]] for s in statements] == [t for _, _, t in SCOPING]
    spark.sql(f"CREATE NAMESPACE IF NOT EXISTS {cat}.sql_scope")
    spark.sql(f"CREATE OR REPLACE TABLE {cat}.sql_scope.events (v int) USING iceberg")
    spark.sql(f"INSERT INTO {cat}.sql_scope.events VALUES (1)")
    spark.sql(f"USE {cat}.sql_scope")
    for statement, value, _ in SCOPING:
        rows = spark.sql(statement).collect()
        if value is not None:
            assert [r[0] for r in rows] == [value], statement


def test_generated_jobs_run_sql_as_written_without_variable_substitution(lake: Lake) -> None:
    """`${…}` in a statement stays as written in the session of the generated `--conf` (the analysis refuses it in
    user SQL all the same); with Spark's default the same literals would hold a setting and an environment variable."""
    probe = "SELECT '${lakestep.probe}' AS setting, '${env:HOME}' AS env"
    assert lake.static_conf.get("spark.sql.variable.substitute") == "false"
    lake.spark.conf.set("lakestep.probe", "substituted")
    row = lake.spark.sql(probe).first()
    assert (row.setting, row.env) == ("${lakestep.probe}", "${env:HOME}")
    lake.spark.conf.set("spark.sql.variable.substitute", "true")
    try:
        row = lake.spark.sql(probe).first()
        assert (row.setting, row.env) == ("substituted", os.environ["HOME"])
    finally:
        lake.spark.conf.set("spark.sql.variable.substitute", "false")
        lake.spark.conf.unset("lakestep.probe")


def test_use_of_a_catalog_is_not_a_database(lake: Lake) -> None:
    """Why the analysis refuses `USE <catalog>`: with the platform's catalog current, `USE glue_catalog` keeps the
    namespace of the USE before it (so `INSERT INTO t` after it writes that namespace's `t`, not `glue_catalog.t`),
    and `USE spark_catalog` switches to the session catalog."""
    manager = lake.spark._jsparkSession.sessionState().catalogManager()
    before = list(manager.currentNamespace())

    def use(statement: str) -> tuple[str, list[str]]:
        lake.spark.sql(statement).collect()
        return manager.currentCatalog().name(), list(manager.currentNamespace())

    try:
        lake.spark.sql("CREATE NAMESPACE IF NOT EXISTS raw_use_probe")
        assert use("USE raw_use_probe") == (lake.catalog, ["raw_use_probe"])
        assert use(f"USE {lake.catalog}") == (lake.catalog, ["raw_use_probe"])
        assert use("USE spark_catalog") == ("spark_catalog", ["default"])
    finally:
        # Switching catalogs resets the namespace to the catalog's default, as the session started.
        lake.spark.sql("USE spark_catalog")
        lake.spark.sql(f"USE {lake.catalog}")
    assert (manager.currentCatalog().name(), list(manager.currentNamespace())) == (lake.catalog, before)
