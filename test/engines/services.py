"""Servers of the engine suite: PostgreSQL from Debian packages and a single-node
KRaft Kafka broker from Maven, each bound to 127.0.0.1 on free ports chosen at
run time, in a private temporary folder, and stopped when the session ends.

    from services import kafka_broker, postgres   # conftest.py: pytest fixtures

PostgreSQL: https://www.postgresql.org/docs/15/app-initdb.html, .../app-pg-ctl.html
Kafka KRaft: https://kafka.apache.org/documentation/#kraft_storage
"""
from __future__ import annotations

import base64
import glob
import hashlib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import pytest

ROOT = Path(__file__).resolve().parents[2]
CACHE = ROOT / ".cache" / "engines"
BROKER_POM = Path(__file__).with_name("maven") / "broker.pom.xml"
BROKER_LIB = CACHE / "broker"
DEPENDENCY_PLUGIN = "org.apache.maven.plugins:maven-dependency-plugin:3.8.1"
PG_USER = "test"
PG_DATABASE = "postgres"


def run_tempdir(prefix: str) -> Path:
    """A private temporary folder, inside the run folder of test/engines/run.sh when set
    (which removes it, and stops servers whose pid files it holds, even after a crash)."""
    parent = os.environ.get("LAKESTEP_ENGINE_RUN_DIR")
    return Path(tempfile.mkdtemp(prefix=prefix, dir=parent if parent and os.path.isdir(parent) else None))


def free_port() -> int:
    """A TCP port nobody listens on right now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, timeout: float, proc: subprocess.Popen | None = None, log: Path | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}: {_tail(log)}")
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            s.settimeout(0.5)
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port} after {timeout}s: {_tail(log)}")


def _tail(log: Path | None) -> str:
    if log is None or not log.exists():
        return ""
    return log.read_text(errors="replace")[-3000:]


# ---------------------------------------------------------------- PostgreSQL


def postgres_bin() -> Path:
    """The `bin` folder of the newest installed PostgreSQL; installs the Debian package when none is."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    if not found:
        if os.geteuid() != 0:
            raise RuntimeError("PostgreSQL is not installed and only root can apt-get install it")
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update"], check=True, env=env, stdout=subprocess.DEVNULL)
        subprocess.run(["apt-get", "install", "-y", "--no-install-recommends", "postgresql"],
                       check=True, env=env, stdout=subprocess.DEVNULL)
        found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    return Path(found[-1]).parent


def _as_postgres(cmd: list[str]) -> list[str]:
    # initdb and postgres refuse to run as root.
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


@dataclass(frozen=True)
class Postgres:
    host: str
    port: int
    user: str
    database: str

    @property
    def jdbc_url(self) -> str:
        return f"jdbc:postgresql://{self.host}:{self.port}/{self.database}"

    def secret(self) -> dict[str, object]:
        """An RDS-style secret for this server, as Secrets Manager holds it."""
        return {"engine": "postgres", "host": self.host, "port": self.port, "dbname": self.database,
                "username": self.user, "password": "unused-with-trust-auth"}

    def connect(self, autocommit: bool = True):
        import psycopg

        return psycopg.connect(host=self.host, port=self.port, user=self.user, dbname=self.database,
                               autocommit=autocommit)

    def execute(self, sql: str, params: tuple | list | None = None) -> list[tuple]:
        with self.connect() as conn, conn.cursor() as cur:
            cur.execute(sql, params)
            return cur.fetchall() if cur.description else []


@pytest.fixture(scope="session")
def postgres() -> Iterator[Postgres]:
    """A fresh PostgreSQL cluster (trust auth, fsync off) for the whole session."""
    bindir = postgres_bin()
    tmp = run_tempdir("lakestep-pg-")
    data, log = tmp / "data", tmp / "server.log"
    if os.geteuid() == 0:
        pg = pwd.getpwnam("postgres")
        os.chown(tmp, pg.pw_uid, pg.pw_gid)
    port = free_port()
    ctl = str(bindir / "pg_ctl")
    subprocess.run(_as_postgres([str(bindir / "initdb"), "-D", str(data), "-U", PG_USER, "--auth=trust",
                                 "--encoding=UTF8", "--no-sync"]), check=True, stdout=subprocess.DEVNULL)
    options = f"-p {port} -k {tmp} -c listen_addresses=127.0.0.1 -c fsync=off -c TimeZone=UTC"
    subprocess.run(_as_postgres([ctl, "-D", str(data), "-l", str(log), "-o", options, "-w", "start"]),
                   check=True, stdout=subprocess.DEVNULL)
    try:
        yield Postgres(host="127.0.0.1", port=port, user=PG_USER, database=PG_DATABASE)
    finally:
        subprocess.run(_as_postgres([ctl, "-D", str(data), "-m", "fast", "-w", "stop"]),
                       check=False, stdout=subprocess.DEVNULL)
        shutil.rmtree(tmp, ignore_errors=True)


# ---------------------------------------------------------------- Kafka


def broker_classpath() -> Path:
    """The broker's jars: fetched by test/engines/run.sh (LAKESTEP_ENGINE_LIB/broker), else
    by Maven into .cache/engines/broker when the pom changed."""
    fetched = Path(os.environ.get("LAKESTEP_ENGINE_LIB", "/nonexistent")) / "broker"
    if any(fetched.glob("kafka_*.jar")):
        return fetched
    stamp = BROKER_LIB / ".pom.sha256"
    want = hashlib.sha256(BROKER_POM.read_bytes()).hexdigest()
    if not (stamp.exists() and stamp.read_text() == want):
        shutil.rmtree(BROKER_LIB, ignore_errors=True)
        subprocess.run(["mvn", "-q", "-B", "-f", str(BROKER_POM), f"{DEPENDENCY_PLUGIN}:copy-dependencies",
                        "-DincludeScope=runtime", f"-DoutputDirectory={BROKER_LIB}"], check=True)
        stamp.write_text(want)
    return BROKER_LIB


@dataclass(frozen=True)
class Kafka:
    bootstrap_servers: str

    def create_topic(self, name: str, partitions: int = 1) -> None:
        from kafka.admin import KafkaAdminClient, NewTopic

        admin = KafkaAdminClient(bootstrap_servers=self.bootstrap_servers)
        try:
            admin.create_topics([NewTopic(name, num_partitions=partitions, replication_factor=1)])
        finally:
            admin.close()

    def produce(self, topic: str, messages: list[tuple[bytes | None, bytes, int]]) -> None:
        """Send `(key, value, timestamp_ms)` messages and wait until all are acknowledged."""
        from kafka import KafkaProducer

        producer = KafkaProducer(bootstrap_servers=self.bootstrap_servers, acks="all")
        try:
            for key, value, ts in messages:
                producer.send(topic, key=key, value=value, timestamp_ms=ts)
            producer.flush()
        finally:
            producer.close()


def kraft_properties(port: int, controller: int, logs: Path) -> str:
    return "\n".join([
        "process.roles=broker,controller",
        "node.id=1",
        f"listeners=PLAINTEXT://127.0.0.1:{port},CONTROLLER://127.0.0.1:{controller}",
        f"advertised.listeners=PLAINTEXT://127.0.0.1:{port}",
        "controller.listener.names=CONTROLLER",
        "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
        f"controller.quorum.bootstrap.servers=127.0.0.1:{controller}",
        f"log.dirs={logs}",
        "num.partitions=1",
        "auto.create.topics.enable=false",
        "offsets.topic.replication.factor=1",
        "transaction.state.log.replication.factor=1",
        "transaction.state.log.min.isr=1",
        "share.coordinator.state.topic.replication.factor=1",
        "share.coordinator.state.topic.min.isr=1",
        "group.initial.rebalance.delay.ms=0",
        # The tests' messages carry fixed timestamps (2026-11-26): with the default 7 days of time retention,
        # once the calendar passes them the broker's retention check (every 5 minutes) deletes a topic's
        # segments between a produce and the job's read ("Cannot fetch offset 0 ... data may have been lost").
        "log.retention.ms=-1",
        "",
    ])


@pytest.fixture(scope="session")
def kafka_broker() -> Iterator[Kafka]:
    """A single-node KRaft broker (combined broker and controller) for the whole session."""
    lib = broker_classpath()
    java = os.path.join(os.environ["JAVA_HOME"], "bin", "java") if os.environ.get("JAVA_HOME") else "java"
    tmp = run_tempdir("lakestep-kafka-")
    port, controller = free_port(), free_port()
    props, log = tmp / "server.properties", tmp / "server.log"
    props.write_text(kraft_properties(port, controller, tmp / "logs"))
    classpath = ["-cp", f"{lib}/*"]
    cluster_id = base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("=")
    subprocess.run([java, "-Xmx256m", *classpath, "kafka.tools.StorageTool", "format", "--standalone",
                    # `=`: a random id may start with "-", which argparse would take for an option.
                    f"--cluster-id={cluster_id}", "-c", str(props)], check=True, stdout=subprocess.DEVNULL)
    with log.open("wb") as out:
        proc = subprocess.Popen([java, "-Xmx512m", *classpath, "kafka.Kafka", str(props)],
                                stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    (tmp / "kafka.server.pid").write_text(f"{proc.pid}\n")  # for run.sh, should this process die first
    try:
        wait_for_port(port, 90, proc, log)
        _wait_for_metadata(f"127.0.0.1:{port}", 60)
        yield Kafka(bootstrap_servers=f"127.0.0.1:{port}")
    finally:
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        shutil.rmtree(tmp, ignore_errors=True)


def _wait_for_metadata(servers: str, timeout: float) -> None:
    from kafka.admin import KafkaAdminClient

    deadline = time.monotonic() + timeout
    while True:
        try:
            KafkaAdminClient(bootstrap_servers=servers).close()
            return
        except Exception:  # noqa: BLE001 - the broker is still starting
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)
