"""The runtime's own AWS calls through real boto3, answered by moto."""
from __future__ import annotations

import boto3
import pytest

import lakestep
from harness import Lake


def test_secrets_are_read_in_the_region_of_their_arn_without_aws_region(lake: Lake, monkeypatch: pytest.MonkeyPatch) -> None:
    arn = boto3.client("secretsmanager", region_name="eu-west-1").create_secret(
        Name="lakestep/test/db", SecretString='{"host": "db"}')["ARN"]
    monkeypatch.delenv("AWS_REGION", raising=False)
    monkeypatch.delenv("AWS_DEFAULT_REGION", raising=False)
    ctx = lakestep.Context(runtime=lakestep.Runtime(), spark=None, params={})
    assert ctx.secret(arn) == '{"host": "db"}'
