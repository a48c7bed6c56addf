"""Journal entries and failed verifications as short text for people reading a test failure."""

from __future__ import annotations

import json
from typing import Any, Iterable, List, Mapping

# Values shown in a mismatch are clipped: a request body can be megabytes.
CLIP = 120


def clip(value: Any) -> str:
    """`value` as JSON (strings quoted), at most CLIP characters."""
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else repr(value)
    return text if len(text) <= CLIP else text[: CLIP - 3] + "..."


def entry_line(entry: Mapping[str, Any]) -> str:
    """One journal entry on one line: seq, direction, method, where, status, what shaped it."""
    seq = entry.get("seq", "?")
    method = entry.get("method", "?")
    if entry.get("direction") == "outbound":
        where = f"outbound {entry.get('url') or entry.get('path', '')}"
    else:
        query = entry.get("query") or ""
        where = f"/{entry.get('vendor', '?')}{entry.get('path', '')}" + (f"?{query}" if query else "")
    status = entry.get("status")
    shown = "no answer" if status == 0 else str(status)
    line = f"#{seq} {method} {where} -> {shown}"
    if entry.get("scenario"):
        line += f" [scenario {entry['scenario']}]"
    if entry.get("unmatched"):
        line += " [no emulated operation]"
    return line


def journal_text(entries: Iterable[Mapping[str, Any]]) -> str:
    """A journal as lines, oldest first (as the server lists it)."""
    lines = [entry_line(entry) for entry in entries]
    return "\n".join(lines) if lines else "(no requests reached this sandbox)"


def verify_failure(sandbox: str, matcher: Mapping[str, Any], answer: Mapping[str, Any]) -> str:
    """The message of a failed verification: what was wanted, how many matched, and the near
    misses the server found with each field that differed."""
    expected = answer.get("expected") or {}
    words = {"count": "exactly", "at_least": "at least", "at_most": "at most"}
    wanted = " and ".join(f"{words.get(k, k)} {v}" for k, v in expected.items())
    lines: List[str] = [
        f"hr-sandbox: expected {wanted} request(s) matching {clip(dict(matcher))} "
        f"in sandbox {sandbox!r}, found {answer.get('count', 0)}",
    ]
    near_misses = answer.get("near_misses") or []
    if near_misses:
        lines.append("closest requests (near misses):")
    for near in near_misses:
        lines.append(f"  {entry_line(near.get('request') or {})}")
        for mismatch in near.get("mismatches") or []:
            lines.append(
                f"      {mismatch.get('field')}: expected {clip(mismatch.get('expected'))}, "
                f"got {clip(mismatch.get('actual'))}"
            )
    if not near_misses and not answer.get("count"):
        lines.append("no request in the journal came close (is the client calling this sandbox's base URL?)")
    if answer.get("evicted_note"):
        lines.append(str(answer["evicted_note"]))
    return "\n".join(lines)
