"""`/playground`: one self-contained page to try the API in a browser (upload, progress, result, match).

The page calls the API from the same origin with the key the user pastes; its inline script and style run
under a nonce drawn for each answer, so nothing else (an injected tag, an inline handler) can run.
"""

from __future__ import annotations

import secrets
from pathlib import Path

from litestar import Response, get

PAGE = (Path(__file__).parent / "static" / "playground.html").read_text(encoding="utf-8")
NONCE_SLOT = "__CSP_NONCE__"


def page_policy(nonce: str) -> str:
    return (f"default-src 'none'; script-src 'nonce-{nonce}'; style-src 'nonce-{nonce}'; "
            "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")


@get("/playground", include_in_schema=False)
async def playground() -> Response[str]:
    """The playground page, with its own content security policy."""
    nonce = secrets.token_urlsafe(18)
    return Response(content=PAGE.replace(NONCE_SLOT, nonce), media_type="text/html",
                    headers={"content-security-policy": page_policy(nonce)})
