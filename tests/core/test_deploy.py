"""The deployment files: compose has every service with health checks, built from the repository's Dockerfile."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]


def test_compose_declares_the_distributed_deployment() -> None:
    compose = yaml.safe_load((REPO / "compose.yaml").read_text())
    services = compose["services"]
    assert {"api", "worker", "redis", "postgres", "flower", "migrate"} <= set(services)
    for name in ("api", "worker", "redis", "postgres"):
        assert "healthcheck" in services[name], name
    for name in ("api", "worker", "migrate"):
        assert services[name]["build"] == "."
    env = services["api"]["environment"]
    assert env["RESUME_PARSER_DATABASE_URL"].startswith("postgresql://")
    assert env["RESUME_PARSER_BROKER_URL"].startswith("redis://")
    assert services["worker"]["command"][:2] == ["resume-parser", "worker"]


def test_dockerfile_copies_every_package() -> None:
    dockerfile = (REPO / "Dockerfile").read_text()
    for package in ("api", "workers", "pipeline", "taxonomy", "schemas", "store", "resume_parser"):
        assert f"COPY {package} ./{package}" in dockerfile
    assert "tesseract-ocr" in dockerfile


@pytest.mark.skipif(shutil.which("docker-compose") is None, reason="docker-compose is not installed")
def test_compose_file_validates() -> None:
    done = subprocess.run(["docker-compose", "config", "-q"], cwd=REPO, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
