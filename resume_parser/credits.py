"""Credit prices: what a request is estimated to cost at create time and charged on completion.

basic < standard < premium for both the parse and the matching stage; OCR of a scan adds one credit.
"""

from __future__ import annotations

from typing import Final

from schemas.request import ModelTier, ResolvedConfig

PARSE_CREDITS: Final[dict[ModelTier, int]] = {"basic": 1, "standard": 3, "premium": 6}
MATCHING_CREDITS: Final[dict[ModelTier, int]] = {"basic": 1, "standard": 2, "premium": 4}
EXTRACT_CREDITS: Final = 1
OCR_CREDITS: Final = 1


def estimate_credits(config: ResolvedConfig, input_type: str, needs_ocr: bool) -> int:
    """Credits for the stages this request runs; a request always costs at least one credit."""
    credits = 0
    if input_type != "result" and not config.parse.skip:
        credits += PARSE_CREDITS[config.parse.model_tier]
    elif input_type != "result":
        credits += EXTRACT_CREDITS
    if needs_ocr or config.extract.type == "ocr":
        credits += OCR_CREDITS
    if not config.matching.skip:
        credits += MATCHING_CREDITS[config.matching.model_tier]
    return max(credits, 1)
