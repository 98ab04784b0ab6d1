"""HMAC-signed download links for the local store: `/blobs/<key>?exp=&fn=&ct=&sig=`.

The signature covers the key, the expiry and the response headers (file name, content type), so a link
cannot be stretched in time or replayed to serve the bytes under another type (e.g. as HTML)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from dataclasses import dataclass
from urllib.parse import quote, urlencode

from lgurban.errors import InvalidSignature

BLOBS_PATH = "/blobs/"


@dataclass(frozen=True)
class SignedRequest:
    key: str
    expires_at: int
    filename: str
    content_type: str


class UrlSigner:
    def __init__(self, secret: bytes, *, base_url: str | None = None) -> None:
        # a key derived for this purpose only: a leaked link signature says nothing about other uses
        self._key = hmac.new(secret, b"lgurban/blob-links/v1", hashlib.sha256).digest()
        self.base_url = (base_url or "").rstrip("/")

    def _sign(self, key: str, expires_at: int, filename: str, content_type: str) -> str:
        message = "\n".join((key, str(expires_at), filename, content_type)).encode()
        digest = hmac.new(self._key, message, hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).decode().rstrip("=")

    def url(
        self,
        key: str,
        *,
        expires_in: int,
        filename: str = "",
        content_type: str = "",
        now: float | None = None,
    ) -> str:
        """A link to GET /blobs/<key>, valid `expires_in` seconds (relative unless PUBLIC_BASE_URL is set)."""
        expires_at = int(now if now is not None else time.time()) + int(expires_in)
        query = urlencode(
            {
                "exp": expires_at,
                "fn": filename,
                "ct": content_type,
                "sig": self._sign(key, expires_at, filename, content_type),
            }
        )
        return f"{self.base_url}{BLOBS_PATH}{quote(key, safe='/')}?{query}"

    def verify(
        self, key: str, *, exp: str, filename: str, content_type: str, sig: str, now: float | None = None
    ) -> SignedRequest:
        """The request the link was signed for; InvalidSignature (403) when tampered with or expired."""
        try:
            expires_at = int(exp)
        except ValueError:
            raise InvalidSignature("this download link is not valid") from None
        expected = self._sign(key, expires_at, filename, content_type)
        if not hmac.compare_digest(expected.encode(), sig.encode()):
            raise InvalidSignature("this download link is not valid")
        if (now if now is not None else time.time()) >= expires_at:
            raise InvalidSignature("this download link has expired: ask for a new one")
        return SignedRequest(key, expires_at, filename, content_type)


def content_disposition(filename: str | None, inline: bool = True) -> str:
    """`inline` (so images and maps display) with an ASCII fallback name and the exact UTF-8 one."""
    kind = "inline" if inline else "attachment"
    if not filename:
        return kind
    ascii_name = filename.encode("ascii", "replace").decode().replace('"', "").replace("\\", "")
    return f"{kind}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename, safe='')}"
