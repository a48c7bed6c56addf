"""JSON over HTTP to the admin API with the standard library alone (urllib), so the package adds
no dependency to a test environment."""

from __future__ import annotations

import json
import ssl
import urllib.error
import urllib.parse
import urllib.request
from typing import Any, Mapping, Optional, Sequence, Tuple

from .errors import AdminError, ConnectError

# Admin answers are small JSON, but a snapshot can be large: a bound keeps a wrong URL (a
# download server) from filling memory.
MAX_ANSWER_BYTES = 512 * 1024 * 1024

Query = Mapping[str, Any]


class Transport:
    """Where the admin API is and how to reach it: base URL, admin token, timeout, TLS trust."""

    def __init__(
        self,
        url: str,
        *,
        token: Optional[str] = None,
        timeout: float = 30.0,
        ssl_context: Optional[ssl.SSLContext] = None,
    ) -> None:
        parsed = urllib.parse.urlsplit(url)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise ValueError(f"not an http(s) URL: {url!r}")
        self.url = url.rstrip("/")
        self.token = token
        self.timeout = timeout
        # The sandbox is a local test double: a proxy from the environment (HTTP_PROXY without a
        # NO_PROXY for 127.0.0.1) would only break the calls, so none is used.
        handlers: list[urllib.request.BaseHandler] = [urllib.request.ProxyHandler({})]
        if ssl_context is not None:
            handlers.append(urllib.request.HTTPSHandler(context=ssl_context))
        self._opener = urllib.request.build_opener(*handlers)

    def call(
        self,
        method: str,
        path: str,
        *,
        query: Optional[Query] = None,
        json_body: Any = None,
        text_body: Optional[Tuple[str, str]] = None,
        ok: Sequence[int] = (200, 201, 204),
    ) -> Tuple[int, Any]:
        """Calls `/__admin{path}`; returns (status, parsed JSON or None). A status outside `ok`
        raises AdminError with the server's code and message."""
        url = self.admin_url(path, query)
        headers = {"Accept": "application/json"}
        data: Optional[bytes] = None
        if text_body is not None:
            content_type, text = text_body
            data, headers["Content-Type"] = text.encode("utf-8"), content_type
        elif json_body is not None:
            data, headers["Content-Type"] = json.dumps(json_body).encode("utf-8"), "application/json"
        elif method in ("POST", "PUT", "PATCH"):
            data, headers["Content-Type"] = b"", "application/json"
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        request = urllib.request.Request(url, data=data, headers=headers, method=method)
        try:
            with self._opener.open(request, timeout=self.timeout) as response:
                status, raw = response.status, response.read(MAX_ANSWER_BYTES + 1)
        except urllib.error.HTTPError as refused:
            status, raw = refused.code, refused.read(MAX_ANSWER_BYTES + 1)
        except (urllib.error.URLError, OSError) as failed:
            reason = getattr(failed, "reason", failed)
            raise ConnectError(f"no hr-sandbox answered {method} {url}: {reason}") from failed
        if len(raw) > MAX_ANSWER_BYTES:
            raise ConnectError(f"{method} {url}: the answer is larger than {MAX_ANSWER_BYTES} bytes")
        parsed = _parse(raw)
        if status not in ok:
            raise _admin_error(method, url, status, parsed, raw)
        return status, parsed

    def admin_url(self, path: str, query: Optional[Query] = None) -> str:
        """The full URL of an admin route, with the query's non-None values."""
        url = f"{self.url}/__admin{path}"
        pairs = [(k, _query_value(v)) for k, v in (query or {}).items() if v is not None]
        return f"{url}?{urllib.parse.urlencode(pairs)}" if pairs else url


def _query_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _parse(raw: bytes) -> Any:
    if not raw.strip():
        return None
    try:
        return json.loads(raw)
    except ValueError:
        return None


def _admin_error(method: str, url: str, status: int, parsed: Any, raw: bytes) -> AdminError:
    error = parsed.get("error") if isinstance(parsed, dict) else None
    if isinstance(error, dict):
        return AdminError(method, url, status, str(error.get("code", "")), str(error.get("message", "")))
    # Not the admin API's error shape: something else answers at this URL.
    text = raw[:300].decode("utf-8", "replace")
    return AdminError(method, url, status, "not_hr_sandbox", f"an answer not in the admin API's shape: {text!r}")
