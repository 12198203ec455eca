"""Runtime switches of the emulator: names, defaults, validation, thread-safe storage."""
from __future__ import annotations

import copy
import threading

NOT_FOUND_STYLES = ("empty_list", "404", "code404", "empty_body")
ANNOUNCE_SPELLINGS = ("annouce", "announce")

DEFAULTS = {
    "latency_ms": 0,
    "error_rate": 0.0,
    "error_statuses": [503],
    "retry_after": 1,
    "token_ttl": 3600,
    "not_found_style": "empty_list",
    "single_as_object": False,
    "v1_only": False,
    "max_page": 1000,
    "fail_next": [],
    "v2_announce_spelling": "annouce",
    "quirk_html_content_type": False,
}


def _number(name, value, minimum, maximum=None, integer=True):
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"{name}: expected a number, got {value!r}")
    if integer:
        if isinstance(value, float) and not value.is_integer():
            raise ValueError(f"{name}: expected an integer, got {value!r}")
        value = int(value)
    if value < minimum or (maximum is not None and value > maximum):
        raise ValueError(f"{name}: {value!r} is out of range")
    return value


def _status(name, value):
    return _number(name, value, 100, 599)


def _fail_entry(value):
    if isinstance(value, dict):
        unknown = set(value) - {"status", "retry_after"}
        if unknown or "status" not in value:
            raise ValueError(f"fail_next: entries are a status or {{'status': n, 'retry_after': s}}, got {value!r}")
        entry = {"status": _status("fail_next", value["status"]), "retry_after": None}
        if value.get("retry_after") is not None:
            entry["retry_after"] = _number("fail_next.retry_after", value["retry_after"], 0)
        return entry
    return {"status": _status("fail_next", value), "retry_after": None}


def validate(name, value):
    """Return the normalised value of switch ``name``, or raise ValueError."""
    if name not in DEFAULTS:
        raise ValueError(f"unknown switch {name!r}; known: {', '.join(sorted(DEFAULTS))}")
    if isinstance(DEFAULTS[name], bool):
        if not isinstance(value, bool):
            raise ValueError(f"{name}: expected true or false, got {value!r}")
        return value
    checks = {
        "latency_ms": lambda v: _number(name, v, 0, 600000),
        "error_rate": lambda v: float(_number(name, v, 0, 1, integer=False)),
        "retry_after": lambda v: _number(name, v, 0),
        "token_ttl": lambda v: _number(name, v, 0),
        "max_page": lambda v: _number(name, v, 1),
    }
    if name in checks:
        return checks[name](value)
    if name == "error_statuses":
        if not isinstance(value, list) or not value:
            raise ValueError("error_statuses: expected a non-empty list of HTTP statuses")
        return [_status(name, item) for item in value]
    if name == "fail_next":
        if not isinstance(value, list):
            raise ValueError("fail_next: expected a list")
        return [_fail_entry(item) for item in value]
    choices = NOT_FOUND_STYLES if name == "not_found_style" else ANNOUNCE_SPELLINGS
    if value not in choices:
        raise ValueError(f"{name}: expected one of {', '.join(choices)}, got {value!r}")
    return value


class Config:
    """The current runtime switches. Reads are lock-free snapshots of immutable-enough values."""

    def __init__(self, initial=None):
        self._lock = threading.Lock()
        self._values = copy.deepcopy(DEFAULTS)
        if initial:
            self.update(initial)

    def get(self, name):
        with self._lock:
            return copy.deepcopy(self._values[name])

    def snapshot(self):
        with self._lock:
            return copy.deepcopy(self._values)

    def update(self, changes):
        """Validate every change first, then apply them all; return the new snapshot."""
        if not isinstance(changes, dict):
            raise ValueError("expected a JSON object of switches")
        normalised = {name: validate(name, value) for name, value in changes.items()}
        with self._lock:
            self._values.update(normalised)
            return copy.deepcopy(self._values)

    def pop_fail_next(self):
        """Remove and return the first pending forced failure, or None."""
        with self._lock:
            pending = self._values["fail_next"]
            if not pending:
                return None
            return pending.pop(0)
