"""`Sandbox`: one sandbox on one hr-sandbox server, and every admin API call that concerns it
(credentials, sandboxes, reset, clock, scenarios, journal, find/verify, snapshots)."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import ssl
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple, Union
from urllib.parse import quote

from . import _report
from ._http import Query, Transport
from ._version import __version__
from .errors import AdminError, HrSandboxError, VersionMismatch

DEFAULT = "default"

#: What `load_scenario` takes: a path to a YAML or JSON file, a shipped scenario's name, YAML
#: text, or the scenario as a dict.
ScenarioSource = Union[str, "os.PathLike[str]", Mapping[str, Any]]


def compatible(server: str, client: Optional[str] = None) -> bool:
    """Whether a server version speaks this client's admin API (`client`: this package's version
    unless given): the same major and minor (before 1.0 a minor release may change the API, as
    semver allows; a patch release never does)."""
    return server.split(".")[:2] == (client or __version__).split(".")[:2]


class Sandbox:
    """One sandbox (`default` unless named) of the hr-sandbox server at `url`.

    Connecting reads `/__admin/health` and raises VersionMismatch when the server's version is
    not one this client speaks (`check_version=False` skips that). `token` is the server's
    `--admin-token` (read from HR_SANDBOX_ADMIN_TOKEN when not given)."""

    def __init__(
        self,
        url: str,
        name: str = DEFAULT,
        *,
        token: Optional[str] = None,
        timeout: float = 30.0,
        ssl_context: Optional[ssl.SSLContext] = None,
        check_version: bool = True,
    ) -> None:
        if token is None:
            token = os.environ.get("HR_SANDBOX_ADMIN_TOKEN") or None
        self._http = Transport(url, token=token, timeout=timeout, ssl_context=ssl_context)
        self.url = self._http.url
        self.name = name
        #: The server's version, read at connect (None when the check was skipped).
        self.server_version: Optional[str] = None
        if check_version:
            self.server_version = self._check_version()

    def _check_version(self) -> str:
        version = str(self.health().get("version", ""))
        if not compatible(version):
            raise VersionMismatch(
                f"the hr-sandbox server at {self.url} is version {version or '(none given)'}, and this "
                f"Python client (hr-sandbox {__version__}) speaks servers {'.'.join(__version__.split('.')[:2])}.x: "
                f"install the client of the server's version (pip install 'hr-sandbox=={version}') or run "
                f"a {__version__} server; Sandbox(..., check_version=False) skips this check"
            )
        return version

    def __repr__(self) -> str:
        return f"Sandbox({self.url!r}, {self.name!r})"

    # -- the server ---------------------------------------------------------------------------

    def admin(self, method: str, path: str, *, query: Optional[Query] = None, body: Any = None) -> Any:
        """Any admin route (`path` relative to `/__admin`) for this sandbox: an escape hatch for
        routes this class has no method for. Returns the parsed JSON answer."""
        full = {"sandbox": self._sandbox_query(), **(query or {})}
        return self._http.call(method.upper(), path, query=full, json_body=body)[1]

    def health(self) -> Dict[str, Any]:
        """`GET /__admin/health`: status, version, seed, vendors."""
        return _object(self._get("/health", sandboxed=False))

    def base_url(self, vendor: str) -> str:
        """The base URL a vendor client uses for this sandbox (the vendor's own paths follow)."""
        if self.name == DEFAULT:
            return f"{self.url}/{vendor}"
        return f"{self.url}/sandboxes/{self.name}/{vendor}"

    # -- credentials --------------------------------------------------------------------------

    def credentials(self) -> Dict[str, Dict[str, Dict[str, Any]]]:
        """`GET /__admin/credentials`: vendor -> identity -> credential fields."""
        return _object(self._get("/credentials"))

    def credential(self, vendor: str, identity: str) -> Dict[str, Any]:
        """One identity's credential fields; a LookupError names the ones there are."""
        every = self.credentials()
        if vendor not in every:
            raise LookupError(f"no vendor {vendor!r} is served; served: {', '.join(every)}")
        if identity not in every[vendor]:
            raise LookupError(f"{vendor} has no identity {identity!r}; it has: {', '.join(every[vendor])}")
        return every[vendor][identity]

    def authorization(self, vendor: str, identity: str) -> str:
        """The whole `Authorization` header value of a vendor identity."""
        return str(self.credential(vendor, identity)["authorization"])

    def headers(self, vendor: str, identity: str) -> Dict[str, str]:
        """`{"Authorization": ...}` for a vendor identity, ready for any HTTP client."""
        return {"Authorization": self.authorization(vendor, identity)}

    # -- sandboxes ----------------------------------------------------------------------------

    def create_sandbox(
        self, name: str, *, seed: Optional[int] = None, snapshot: Optional[Mapping[str, Any]] = None
    ) -> "Sandbox":
        """`POST /__admin/sandboxes`: a new sandbox (the server's seed unless given, or a
        snapshot document), returned as a Sandbox."""
        body: Dict[str, Any] = {"name": name}
        if seed is not None:
            body["seed"] = seed
        if snapshot is not None:
            body["snapshot"] = dict(snapshot)
        self._http.call("POST", "/sandboxes", json_body=body, ok=(201,))
        return self.sandbox(name)

    def sandbox(self, name: str) -> "Sandbox":
        """The sandbox `name` on the same server (no call: it must exist when used)."""
        other = object.__new__(Sandbox)
        other._http, other.url, other.name, other.server_version = self._http, self.url, name, self.server_version
        return other

    def sandboxes(self) -> List[Dict[str, Any]]:
        """`GET /__admin/sandboxes`."""
        return _objects(self._get("/sandboxes", sandboxed=False))

    def delete(self) -> None:
        """`DELETE /__admin/sandboxes/{name}`: this sandbox is gone (the default cannot be)."""
        self._http.call("DELETE", f"/sandboxes/{_segment(self.name)}", ok=(204,))

    def reset(self, *, seed: Optional[int] = None, vendors: Optional[Sequence[str]] = None) -> Dict[str, Any]:
        """`POST /__admin/reset`: back to the start state (optionally reseeded, or only some
        vendors' data)."""
        body: Dict[str, Any] = {}
        if seed is not None:
            body["seed"] = seed
        if vendors is not None:
            body["vendors"] = list(vendors)
        return _object(self._post("/reset", body))

    # -- clock --------------------------------------------------------------------------------

    def clock(self) -> Dict[str, Any]:
        """`GET /__admin/clock`: `{"now": RFC 3339, "frozen": bool}`."""
        return _object(self._get("/clock"))

    def now(self) -> dt.datetime:
        """The sandbox clock's time, timezone-aware."""
        return _parse_time(self.clock()["now"])

    def advance(self, by: Union[float, dt.timedelta]) -> Dict[str, Any]:
        """Moves the sandbox clock forward (seconds or a timedelta; whole seconds)."""
        seconds = by.total_seconds() if isinstance(by, dt.timedelta) else by
        return _object(self._post("/clock", {"advance_seconds": int(seconds)}))

    def set_clock(self, when: Union[str, dt.datetime], *, frozen: Optional[bool] = None) -> Dict[str, Any]:
        """Jumps the sandbox clock to `when` (an aware datetime or RFC 3339 text)."""
        if isinstance(when, dt.datetime) and when.utcoffset() is None:
            raise ValueError("set_clock needs a timezone-aware datetime (tzinfo=datetime.timezone.utc)")
        text = when.isoformat() if isinstance(when, dt.datetime) else when
        body: Dict[str, Any] = {"set": text}
        if frozen is not None:
            body["frozen"] = frozen
        return _object(self._post("/clock", body))

    def freeze_clock(self, frozen: bool = True) -> Dict[str, Any]:
        """Stops (or, with False, restarts) the sandbox clock."""
        return _object(self._post("/clock", {"frozen": frozen}))

    # -- scenarios ----------------------------------------------------------------------------

    def load_scenario(
        self, source: ScenarioSource, *, activate: bool = True, name: Optional[str] = None
    ) -> Dict[str, Any]:
        """Loads (and activates) a scenario: a dict, a path to a YAML or JSON file, YAML text, or
        the name of a scenario shipped in the server's `--scenarios-dir`. Returns it as listed."""
        content_type, text, stem = self._scenario_text(source)
        # A file without `name:` is named after its stem, as `--scenario FILE` names it.
        query = {"sandbox": self._sandbox_query(), "activate": activate, "name": name or stem}
        return _object(self._http.call("POST", "/scenarios", query=query, text_body=(content_type, text), ok=(201,))[1])

    def _scenario_text(self, source: ScenarioSource) -> Tuple[str, str, Optional[str]]:
        """(content type, text, file stem) of a scenario source."""
        if isinstance(source, Mapping):
            return "application/json", json.dumps(dict(source)), None
        text = os.fspath(source)
        if "\n" in text:
            return "application/yaml", text, None
        path = Path(text)
        if path.is_file():
            return "application/yaml", path.read_text(encoding="utf-8"), path.stem
        if isinstance(source, os.PathLike) or path.suffix in (".yaml", ".yml", ".json"):
            raise FileNotFoundError(f"no scenario file {text!r} (relative to {os.getcwd()})")
        shipped = self.shipped_scenarios()
        for scenario in shipped:
            if scenario.get("name") == text:
                return "application/yaml", str(scenario["source"]), text
        names = ", ".join(str(s.get("name")) for s in shipped)
        names = names or "none (is --scenarios-dir / HR_SANDBOX_SCENARIOS_DIR set?)"
        raise LookupError(f"{text!r} is no file and no scenario the server ships; shipped: {names}")

    def shipped_scenarios(self) -> List[Dict[str, Any]]:
        """`GET /__admin/scenarios/shipped`: name, description and source of each shipped file."""
        return _objects(self._get("/scenarios/shipped", sandboxed=False))

    def scenarios(self) -> List[Dict[str, Any]]:
        """`GET /__admin/scenarios`: loaded scenarios, active flags, per-rule counters."""
        return _objects(self._get("/scenarios"))

    def activate_scenarios(self, names: Sequence[str]) -> List[Dict[str, Any]]:
        """Exactly these loaded scenarios active, consulted in this order."""
        query = {"sandbox": self._sandbox_query()}
        return _objects(self._http.call("PUT", "/scenarios/active", query=query, json_body={"names": list(names)})[1])

    def deactivate_scenarios(self) -> None:
        """No scenario active; all stay loaded."""
        self._delete("/scenarios/active")

    def unload_scenario(self, name: str) -> None:
        """Unloads one scenario."""
        self._delete(f"/scenarios/{_segment(name)}")

    # -- journal, find, verify ----------------------------------------------------------------

    def journal(
        self,
        *,
        vendor: Optional[str] = None,
        method: Optional[str] = None,
        path: Optional[str] = None,
        status: Optional[int] = None,
        limit: Optional[int] = None,
    ) -> List[Dict[str, Any]]:
        """`GET /__admin/requests`: the requests this sandbox saw, newest last, filtered."""
        filters = {"vendor": vendor, "method": method, "path": path, "status": status, "limit": limit}
        return _objects(self._get("/requests", filters))

    def clear_journal(self) -> None:
        """`DELETE /__admin/requests`."""
        self._delete("/requests")

    def unmatched(self) -> Dict[str, Any]:
        """Inbound requests that reached no emulated operation (a wrong path or method):
        `{"unmatched": [{vendor, method, path, count, last_seen}], "not_grouped": n}`."""
        return _object(self._get("/requests/unmatched"))

    def find(self, *, limit: Optional[int] = None, **matcher: Any) -> List[Dict[str, Any]]:
        """The journal entries matching a matcher (`vendor`, `method`, `path` glob, `query`,
        `headers`, `body_contains`, `status`, `direction`), newest last."""
        body = {**matcher, "limit": limit} if limit is not None else dict(matcher)
        return list(self._post("/requests/find", body)["requests"])

    def verify(
        self,
        *,
        count: Optional[int] = None,
        at_least: Optional[int] = None,
        at_most: Optional[int] = None,
        **matcher: Any,
    ) -> int:
        """Asserts how many requests match (`at_least=1` when no count is given); returns the
        count. Raises AssertionError listing the near misses the server found."""
        if count is None and at_least is None and at_most is None:
            at_least = 1
        counts = {"count": count, "at_least": at_least, "at_most": at_most}
        body = {**matcher, **{k: v for k, v in counts.items() if v is not None}}
        query = {"sandbox": self._sandbox_query()}
        status, answer = self._http.call("POST", "/requests/verify", query=query, json_body=body, ok=(200, 422))
        if status == 422:
            raise AssertionError(_report.verify_failure(self.name, matcher, answer))
        return int(answer["count"])

    def journal_text(self, *, limit: Optional[int] = None) -> str:
        """The journal as one short line per request (what the pytest plugin prints)."""
        return _report.journal_text(self.journal(limit=limit))

    # -- snapshots ----------------------------------------------------------------------------

    def snapshot(self, *, journal: bool = False) -> Dict[str, Any]:
        """`GET /__admin/snapshot`: the sandbox's whole state as one document."""
        return _object(self._get("/snapshot", {"journal": journal}))

    def restore(self, document: Mapping[str, Any]) -> Dict[str, Any]:
        """`PUT /__admin/snapshot`: the sandbox's state replaced by a snapshot document."""
        query = {"sandbox": self._sandbox_query()}
        return _object(self._http.call("PUT", "/snapshot", query=query, json_body=dict(document))[1])

    # -- plumbing -----------------------------------------------------------------------------

    def _sandbox_query(self) -> Optional[str]:
        return None if self.name == DEFAULT else self.name

    def _get(self, path: str, query: Optional[Query] = None, *, sandboxed: bool = True) -> Any:
        full = {"sandbox": self._sandbox_query(), **(query or {})} if sandboxed else query
        return self._http.call("GET", path, query=full)[1]

    def _post(self, path: str, body: Any) -> Any:
        return self._http.call("POST", path, query={"sandbox": self._sandbox_query()}, json_body=body)[1]

    def _delete(self, path: str) -> None:
        self._http.call("DELETE", path, query={"sandbox": self._sandbox_query()})


def _object(value: Any) -> Dict[str, Any]:
    """An answer that must be a JSON object (anything else is not this admin API)."""
    if not isinstance(value, dict):
        raise HrSandboxError(f"the admin API answered {type(value).__name__} where an object was expected")
    return value


def _objects(value: Any) -> List[Dict[str, Any]]:
    """An answer that must be a JSON array of objects."""
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise HrSandboxError("the admin API answered something else where a list of objects was expected")
    return value


def _segment(text: str) -> str:
    """`text` as one URL path segment."""
    return quote(text, safe="")


def _parse_time(text: str) -> dt.datetime:
    # Python before 3.11 reads neither a trailing `Z` nor more than 6 fraction digits (a snapshot
    # has nanoseconds).
    text = re.sub(r"(\.\d{6})\d+", r"\1", text)
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


__all__ = ["AdminError", "Sandbox", "ScenarioSource", "compatible"]
