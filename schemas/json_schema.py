"""The JSON Schema of the parse result (`result` of a completed response), published at `GET /v1/schema`.

    python -m schemas.json_schema     # rewrite schemas/result.schema.json after changing schemas/result.py

The file is generated from the msgspec types, so the published contract and the code cannot drift apart
(a test compares them).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import msgspec

from schemas.result import ResumeResult

SCHEMA_FILE = Path(__file__).with_name("result.schema.json")
SCHEMA_ID = "https://github.com/resume-parser/resume-parser/schemas/result.schema.json"


def result_schema() -> dict[str, Any]:
    schema: dict[str, Any] = msgspec.json.schema(ResumeResult)
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_ID,
            "title": "Resume parse result", **schema}


def render() -> str:
    return json.dumps(result_schema(), indent=2, ensure_ascii=False, sort_keys=True) + "\n"


if __name__ == "__main__":
    SCHEMA_FILE.write_text(render(), encoding="utf-8")
    print(f"wrote {SCHEMA_FILE}")
