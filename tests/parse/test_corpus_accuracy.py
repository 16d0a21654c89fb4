"""Dev-corpus accuracy must not fall below the level reached (bench/accuracy.py, scored by the shared scorer)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import CORPUS, REPO

pytestmark = [
    pytest.mark.corpus,
    pytest.mark.skipif(not CORPUS.exists(), reason="the dev corpus in ../shared is not here"),
]

FLOORS = {
    "OVERALL": 0.97,
    "contact (mean)": 0.98,
    "experience.F1": 0.975,
    "experience.company": 0.96,
    "experience.title": 0.99,
    "education.F1": 0.97,
    "education (score)": 0.94,
    "skills.F1": 0.975,
    "languages.F1": 0.985,
    "certifications.F1": 0.96,
}
FORMAT_FLOOR = 0.95
RENDERER_FLOOR = 0.745


def test_dev_corpus_accuracy_holds(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, str(REPO / "bench" / "accuracy.py"), "--out", str(tmp_path)],
                          capture_output=True, text=True, timeout=600, cwd=REPO)
    assert done.returncode == 0, done.stderr
    columns = json.loads((tmp_path / "summary.json").read_text())["columns"]
    overall = columns["ALL"]
    for metric, floor in FLOORS.items():
        assert overall[metric] >= floor, f"{metric} {overall[metric]:.3f} < {floor}"
    for name, column in columns.items():
        if name.startswith("fmt:"):
            assert column["OVERALL"] >= FORMAT_FLOOR, f"{name} {column['OVERALL']:.3f}"
        elif name not in ("ALL",) and not name.startswith("split:"):
            assert column["OVERALL"] >= RENDERER_FLOOR, f"{name} {column['OVERALL']:.3f}"


SCAN_FLOOR = 0.92


def test_dev_corpus_scans_hold(tmp_path: Path) -> None:
    """The PNG scans through OCR (about a minute and a half on two cores)."""
    done = subprocess.run([sys.executable, str(REPO / "bench" / "accuracy.py"), "--formats", "png", "--out",
                           str(tmp_path)], capture_output=True, text=True, timeout=900, cwd=REPO)
    assert done.returncode == 0, done.stderr
    overall = json.loads((tmp_path / "summary.json").read_text())["columns"]["ALL"]["OVERALL"]
    assert overall >= SCAN_FLOOR, f"PNG overall {overall:.3f} < {SCAN_FLOOR}"
