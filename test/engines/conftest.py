"""Engine suite: the compiled job documents on real local Spark + Iceberg.

One Spark session serves the whole run (`lake` fixture). Its configuration is the
`--conf` list lakestep generates for EMR (SparkSubmitParameters of a compiled state
machine), localized by `harness.localize_conf`; AWS calls of the runtime (S3 job
documents and results, Secrets Manager) go through boto3 to moto's in-process
stand-in. Service fixtures (PostgreSQL, Kafka) live in `services.py` beside this file,
imported here when present. Run with `npm run test:engines` (test/engines/run.sh).
"""
from __future__ import annotations

import importlib.util
import os
import sys
import time
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import harness  # noqa: E402
from harness import Lake, compile_specs  # noqa: E402

EXAMPLE_SPECS = harness.ROOT / "specs"
CASES = HERE / "specs"

# Extension point: fixtures of the services the tests need (PostgreSQL, Kafka).
if importlib.util.find_spec("services") is not None:
    from services import *  # noqa: F401,F403,E402

_TIMINGS: list[tuple[str, float, str]] = []


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.when == "call" or (report.when == "setup" and report.outcome != "passed"):
        _TIMINGS.append((report.nodeid.split("::", 1)[-1], report.duration, report.outcome))
    elif report.when == "setup" and report.duration > 1:
        _TIMINGS.append((report.nodeid.split("::", 1)[-1] + " [setup]", report.duration, report.outcome))


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:  # noqa: ANN001
    write = terminalreporter.write_line
    write("")
    write("engine suite timings (seconds)")
    setup = os.environ.get("LAKESTEP_ENGINE_SETUP_SECONDS")
    if setup:
        write(f"  {'setup ' + setup:<72}")
    for name, seconds in harness.PHASE_TIMINGS:
        write(f"  {name:<72} {seconds:8.1f}")
    for name, seconds, outcome in _TIMINGS:
        write(f"  {name[:72]:<72} {seconds:8.1f}  {outcome}")
    write(f"  {'total tests':<72} {sum(t for _, t, _ in _TIMINGS):8.1f}")


@pytest.fixture(scope="session")
def example_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example platform (specs/) compiled by the project's CLI."""
    return compile_specs(EXAMPLE_SPECS, tmp_path_factory.mktemp("example-build"))


@pytest.fixture(scope="session")
def cases_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The engine cases (test/engines/specs/) compiled by the project's CLI."""
    return compile_specs(CASES, tmp_path_factory.mktemp("cases-build"))


@pytest.fixture(scope="session")
def lake(tmp_path_factory: pytest.TempPathFactory, example_build: Path) -> Lake:
    """The one Spark session of the run, with the catalog named as in production."""
    started = time.monotonic()
    instance = Lake.start(tmp_path_factory.mktemp("lake"), example_build)
    harness.PHASE_TIMINGS.append(("spark session start", time.monotonic() - started))
    yield instance
    instance.stop()


@pytest.fixture
def clean_lake(lake: Lake) -> Lake:
    """The shared lake with every table dropped (purged) before the test."""
    lake.reset()
    return lake
