"""Start-up: what a process loads before it serves its first parse. The timings are bench/startup_bench.py's;
these tests catch what would bring the seconds back (a heavy module a role never calls) and check that keeping
one out did not change what extraction does."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

# Loaded by a dependency's import, never called by the API, the workers or the CLI: PyMuPDF's layout analyser and
# Markdown helpers (numpy, onnxruntime), the Anthropic SDK (LLM tiers only), Redis (rate limits in Redis only)
# and httpx (URL inputs and webhooks only).
UNUSED_AT_START = ["pymupdf.layout", "pymupdf4llm", "numpy", "onnxruntime", "anthropic", "redis", "httpx"]


def _loaded_after(imports: str) -> dict[str, object]:
    code = (f"import sys, json; {imports}; import pymupdf; "
            f"print(json.dumps({{'loaded': [m for m in {UNUSED_AT_START!r} if sys.modules.get(m)], "
            f"'quad_corrections_off': pymupdf.TOOLS.unset_quad_corrections()}}))")
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=60,
                          check=True)
    result: dict[str, object] = json.loads(done.stdout)
    return result


def test_the_embedded_server_and_the_cli_load_no_module_they_never_call() -> None:
    assert _loaded_after("import resume_parser.cli, api.app, workers.runner")["loaded"] == []


def test_extraction_keeps_the_mupdf_options_it_was_tuned_with() -> None:
    assert _loaded_after("import pipeline.extract")["quad_corrections_off"] is True
