"""What the engine tests share: compiling specs, the local lake and running jobs.

Storage seam: every `s3://<bucket>/<key>` in a compiled job document and in the
generated Spark configuration is rewritten to `file://<lake>/s3/<bucket>/<key>`, so
Iceberg (HadoopFileIO) and Spark's file sources read and write local files with the
same layout. The Glue catalog becomes Iceberg's JDBC catalog on SQLite under the same
name (the Hadoop catalog cannot take a table `LOCATION`). The runtime's own AWS calls
(job document and result in S3, Secrets Manager) are real boto3 calls answered by
moto's in-process stand-in. Everything else of a job document runs as compiled.
"""
from __future__ import annotations

import contextlib
import json
import os
import re
import shlex
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "infra" / "spark"))

import lakestep  # noqa: E402

VERSIONS = json.loads((ROOT / "infra" / "spark" / "engine-versions.json").read_text())
DEFAULT_VERSIONS = VERSIONS["releases"][VERSIONS["default"]]
PHASE_TIMINGS: list[tuple[str, float]] = []
S3_URI = re.compile(r"s3://([a-z0-9][a-z0-9.-]*[a-z0-9])/")
# Settings of an EMR job that make no sense in local mode.
DROPPED_PREFIXES = ("spark.executor.", "spark.dynamicAllocation.", "spark.driver.")


def read_manifest(build: Path) -> dict[str, Any]:
    """The whole manifest of a build: its index `manifest.json` stitched with each
    use case's part `<name>/manifest.json` (as src/build/manifest-files.ts reads it).
    An index entry naming any other path, or no plain folder name, is refused."""
    index = json.loads((build / "manifest.json").read_text())
    if index.get("version") == 1:
        return index
    use_cases = []
    for i, entry in enumerate(index["useCases"]):
        name = entry.get("name") if isinstance(entry, dict) else None
        if not isinstance(name, str) or name in ("", ".") or ".." in name or any(c in name for c in "/\\\0"):
            raise ValueError(f"manifest.json: useCases[{i}] has no plain folder name")
        path = f"{name}/manifest.json"
        if entry.get("manifest") != path:
            raise ValueError(f"manifest.json: useCases[{i}] ({name!r}) names its manifest {entry.get('manifest')!r}; only {path!r} is accepted")
        part = json.loads((build / path).read_text())
        if part.get("name") != name:
            raise ValueError(f"{path}: not the manifest of use case {name!r}")
        use_cases.append(part)
    return {**index, "useCases": use_cases}


def compile_specs(specs: Path, out: Path) -> Path:
    """`lakestep compile <specs> --out <out>` with the project's CLI; returns `out`."""
    started = time.monotonic()
    cmd = ["npx", "tsx", "src/cli/main.ts", "compile", str(specs), "--out", str(out)]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"compile {specs} failed:\n{proc.stdout}\n{proc.stderr}")
    PHASE_TIMINGS.append((f"compile {specs.relative_to(ROOT)}", time.monotonic() - started))
    return out


def submit_parameters(asl: Any) -> list[str]:
    """Every SparkSubmitParameters text of a state machine (Map items included)."""
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)
        elif isinstance(node, str) and "--conf " in node:
            found.append(node)

    walk(asl)
    return found


def parse_conf(parameters: str) -> list[tuple[str, str]]:
    """`--conf k=v` pairs of spark-submit parameters, in order (later ones win in Spark)."""
    words = shlex.split(parameters)
    pairs = []
    for i, word in enumerate(words):
        if word == "--conf" and i + 1 < len(words):
            key, _, value = words[i + 1].partition("=")
            pairs.append((key, value))
    return pairs


@dataclass
class Lake:
    """The local lake: one Spark session, a SQLite-backed Iceberg catalog, moto."""

    root: Path
    build: Path
    catalog: str
    spark: Any
    manifest: dict[str, Any]
    _moto: Any = None
    _runs: int = 0
    static_conf: dict[str, str] = field(default_factory=dict)

    # ------------------------------------------------------------ set-up

    @classmethod
    def start(cls, root: Path, build: Path) -> "Lake":
        check_versions()
        os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
        os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
        from moto import mock_aws

        moto = mock_aws()
        moto.start()
        manifest = read_manifest(build)
        catalog = manifest["platform"]["catalog"]
        asl = json.loads(next(build.glob("*/*-maintenance.asl.json")).read_text())
        generated = parse_conf(submit_parameters(asl)[0])
        lake = cls(root=root, build=build, catalog=catalog, spark=None, manifest=manifest, _moto=moto)
        conf = lake.localize_conf(generated)
        lake.static_conf = conf
        from pyspark.sql import SparkSession

        builder = SparkSession.builder.master("local[2]").appName("lakestep-engine-tests")
        for key, value in conf.items():
            builder = builder.config(key, value)
        lake.spark = builder.getOrCreate()
        lake.spark.sparkContext.setLogLevel("ERROR")
        import boto3

        boto3.client("s3", region_name="us-east-1").create_bucket(Bucket=lake.artifacts_bucket)
        return lake

    def stop(self) -> None:
        if self.spark is not None:
            self.spark.stop()
        if self._moto is not None:
            self._moto.stop()

    @property
    def artifacts_bucket(self) -> str:
        return self.manifest["platform"]["buckets"]["artifacts"]

    def localize_conf(self, generated: list[tuple[str, str]]) -> dict[str, str]:
        """The generated `--conf` list with the EMR/Glue specifics replaced by local ones."""
        c = f"spark.sql.catalog.{self.catalog}"
        conf: dict[str, str] = {}
        for key, value in generated:
            if key.startswith(DROPPED_PREFIXES) or key in (f"{c}.catalog-impl", f"{c}.io-impl"):
                continue
            if key == "spark.submit.pyFiles":
                # The runtime package is imported from infra/spark here; the zip EMR loads
                # is checked by test/infra/runtime-package.test.ts.
                continue
            if key == "spark.jars":
                # EMR's bundled Iceberg jar is replaced by the Maven-fetched one.
                value = os.environ.get("LAKESTEP_ENGINE_JARS", "")
            conf[key] = self.localize_text(value)
        conf.update({
            f"{c}.type": "jdbc",
            f"{c}.uri": f"jdbc:sqlite:{self.root}/catalog.db",
            f"{c}.cache-enabled": "false",
            # SQLite takes one writer: one pooled connection, and wait for locks.
            f"{c}.clients": "1",
            f"{c}.jdbc.busy_timeout": "30000",
            f"{c}.jdbc.journal_mode": "WAL",  # readers never block the committing writer
            "spark.sql.shuffle.partitions": "2",
            "spark.ui.enabled": "false",
            "spark.ui.showConsoleProgress": "false",
            "spark.driver.memory": "2g",
            "spark.sql.session.timeZone": conf.get("spark.sql.session.timeZone", "UTC"),
        })
        return conf

    def localize_text(self, text: str) -> str:
        return S3_URI.sub(lambda m: f"file://{self.root}/s3/{m.group(1)}/", text)

    def local_path(self, uri: str) -> Path:
        """The local directory standing in for an `s3://` URI."""
        return Path(self.localize_text(uri).removeprefix("file://"))

    # ------------------------------------------------------------ jobs

    def job(self, use_case: str, workflow: str, job: str, build: Path | None = None) -> dict[str, Any]:
        """A compiled job document, localized (see the module doc)."""
        path = (build or self.build) / use_case / "jobs" / workflow / f"{job}.json"
        return json.loads(self.localize_text(path.read_text()))

    def run(self, doc: dict[str, Any], ts: str = "2026-11-26T06:00:00Z", runtime: Any = None,
            **params: str) -> dict[str, Any]:
        """Upload `doc` to the stand-in S3 and run it through `lakestep.main`."""
        import boto3

        self._runs += 1
        s3 = boto3.client("s3", region_name="us-east-1")
        key = f"lakestep/{doc['useCase']}/jobs/{doc['workflow']}/{doc['job']}.json"
        s3.put_object(Bucket=self.artifacts_bucket, Key=key, Body=json.dumps(doc).encode())
        result_key = f"lakestep/results/run-{self._runs}.json"
        argv = ["--job", f"s3://{self.artifacts_bucket}/{key}",
                "--result", f"s3://{self.artifacts_bucket}/{result_key}",
                "--param", f"ds={ts[:10]}", "--param", f"ts={ts}", "--param", f"run_id=run-{self._runs}"]
        for name, value in params.items():
            argv += ["--param", f"{name}={value}"]
        runtime = runtime or lakestep.Runtime(spark_factory=lambda: self.spark, log=lambda _line: None)
        lakestep.main(argv, runtime)
        body = s3.get_object(Bucket=self.artifacts_bucket, Key=result_key)["Body"].read()
        return json.loads(body)

    def runtime_conf(self, workflow_asl: Path) -> dict[str, str]:
        """Session-settable `spark.sql.*` settings a workflow's jobs are submitted with."""
        out: dict[str, str] = {}
        for text in submit_parameters(json.loads(workflow_asl.read_text())):
            for key, value in parse_conf(text):
                if key.startswith("spark.sql.") and not key.startswith(("spark.sql.catalog.", "spark.sql.extensions")):
                    out[key] = value
        return out

    @contextlib.contextmanager
    def submitted_with(self, workflow_asl: Path) -> Iterator[None]:
        """The session with a workflow's `spark.sql.*` submit settings, restored afterwards."""
        conf = self.runtime_conf(workflow_asl)
        before = {key: self.spark.conf.get(key, None) for key in conf}
        for key, value in conf.items():
            self.spark.conf.set(key, value)
        try:
            yield
        finally:
            for key, value in before.items():
                if value is None:
                    self.spark.conf.unset(key)
                else:
                    self.spark.conf.set(key, value)

    # ------------------------------------------------------------ state

    def reset(self) -> None:
        """Forget every table and namespace and delete the lake's files.

        Straight in the SQLite catalog (its table cache is off): `DROP TABLE … PURGE`
        of each table costs seconds apiece.
        """
        import shutil
        import sqlite3

        self.spark.catalog.clearCache()
        with sqlite3.connect(self.root / "catalog.db", timeout=60) as db:
            names = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            for table in ("iceberg_tables", "iceberg_namespace_properties"):
                if table in names:
                    db.execute(f"DELETE FROM {table}")
        shutil.rmtree(self.root / "s3", ignore_errors=True)

    def sql(self, text: str) -> Any:
        return self.spark.sql(text)

    def table(self, name: str) -> Any:
        return self.spark.table(f"{self.catalog}.{name}")


def check_versions() -> None:
    """pyspark of the virtualenv = pyspark of the default release label."""
    import pyspark

    want = DEFAULT_VERSIONS["pyspark"]
    if pyspark.__version__ != want:
        raise RuntimeError(f"pyspark {pyspark.__version__} installed, {VERSIONS['default']} needs {want}: "
                           "update test/setup/requirements-engines.txt")
