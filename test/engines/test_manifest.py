"""The harness reads a build's manifest as the compiler writes it: index plus parts."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from harness import read_manifest


def write(build: Path, index: dict, parts: dict[str, dict]) -> Path:
    build.mkdir(parents=True, exist_ok=True)
    (build / "manifest.json").write_text(json.dumps(index))
    for path, part in parts.items():
        (build / path).parent.mkdir(parents=True, exist_ok=True)
        (build / path).write_text(json.dumps(part))
    return build


def test_stitches_every_part_of_the_compiled_example(example_build: Path) -> None:
    manifest = read_manifest(example_build)
    index = json.loads((example_build / "manifest.json").read_text())
    assert [u["name"] for u in manifest["useCases"]] == [u["name"] for u in index["useCases"]]
    assert all(u["workflows"] for u in manifest["useCases"])
    assert manifest["platform"] == index["platform"]


def test_refuses_a_part_path_outside_the_use_case_folder(tmp_path: Path) -> None:
    secret = write(tmp_path / "elsewhere", {}, {"orders/manifest.json": {"name": "orders", "workflows": []}})
    index = {"version": 2, "platform": {}, "useCases": [{"name": "orders", "manifest": f"../{secret.name}/orders/manifest.json"}]}
    with pytest.raises(ValueError, match="only 'orders/manifest.json' is accepted"):
        read_manifest(write(tmp_path / "build", index, {}))
    for name in ["..", "../elsewhere", "a/b", "a\\b", "", 3]:
        index = {"version": 2, "platform": {}, "useCases": [{"name": name, "manifest": f"{name}/manifest.json"}]}
        with pytest.raises(ValueError, match="no plain folder name"):
            read_manifest(write(tmp_path / "build", index, {}))


def test_reads_a_version_1_manifest_whole(tmp_path: Path) -> None:
    whole = {"version": 1, "platform": {"catalog": "c"}, "useCases": [{"name": "orders", "workflows": [{"name": "x"}]}]}
    assert read_manifest(write(tmp_path / "build", whole, {})) == whole
