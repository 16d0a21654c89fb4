"""The staged resume pipeline: extract → validate → parse → skills → matching.

Pure functions over bytes and Structs: nothing here knows about HTTP, Celery or SQL.
"""

import sys

# PyMuPDF 2 imports its optional ONNX layout analyser at import time and loads the model: seconds of start-up
# and some 55 MB in every process. It also imports pymupdf4llm (its Markdown helpers, which pull in numpy and
# onnxruntime: a few hundred milliseconds and tens of MB). The pipeline never calls `Page.get_layout` nor the
# Markdown helpers, so both stay out.
if "pymupdf" not in sys.modules:
    sys.modules["pymupdf.layout"] = None  # type: ignore[assignment]
    sys.modules["pymupdf4llm"] = None  # type: ignore[assignment]
