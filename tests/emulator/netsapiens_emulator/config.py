"""Runtime switches of the emulator: names, defaults, validation, thread-safe storage."""
from __future__ import annotations

import copy
import threading

NOT_FOUND_STYLES = ("empty_list", "404", "code404", "empty_body")
ANNOUNCE_SPELLINGS = ("annouce", "announce")
# token_echo: the token endpoint answers with a page echoing the request body (a hostile or careless server).
TOKEN_ECHOES = ("off", "html_400", "html_200", "text_400", "text_200")
# utf8_json_as: JSON written as raw UTF-8 (not \u escapes) under a Content-Type without charset.
UTF8_JSON_TYPES = ("off", "application/json", "text/html")
# Faults a fail_next / fail_next_token entry can name instead of a status (see README, "Faults").
FAULTS = ("reset", "close", "truncate", "slow", "trickle", "expire_tokens", "pass")
FAIL_KEYS = {"status", "retry_after", "fault", "delay_ms", "body", "content_type", "use_refresh_tokens"}

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
    "fail_next_token": [],
    "v2_announce_spelling": "annouce",
    "quirk_html_content_type": False,
    "v2_answers_html": False,
    "ignore_start": False,
    "max_in_flight": 0,
    "shift_users_once": "",
    "extra_user_fields": {"v1": {}, "v2": {}},
    "extra_object_fields": {"v1": {}, "v2": {}},
    "user_not_found_message": "",
    "reseller_password": None,
    "token_echo": "off",
    "utf8_json_as": "off",
    "redirect_to": None,
    "directory_users": "",
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


def _fail_entry(value, name="fail_next"):
    """One forced failure, normalised to a dict with every key of FAIL_KEYS (unused ones None / 0 / False).

    A status (int), {"status": n, "retry_after": s}, {"body": text, "status": n, "content_type": t} (a literal
    answer, status 200 by default) or {"fault": one of FAULTS} ({"fault": "slow", "delay_ms": n},
    {"fault": "expire_tokens", "use_refresh_tokens": true}).
    """
    entry = {"status": None, "retry_after": None, "fault": None, "delay_ms": 0, "body": None, "content_type": None,
             "use_refresh_tokens": False}
    if not isinstance(value, dict):
        entry["status"] = _status(name, value)
        return entry
    unknown = set(value) - FAIL_KEYS
    if unknown:
        raise ValueError(f"{name}: unknown keys {', '.join(sorted(unknown))} in {value!r}")
    fault = value.get("fault")
    if fault is not None:
        if fault not in FAULTS:
            raise ValueError(f"{name}: fault must be one of {', '.join(FAULTS)}, got {fault!r}")
        if {"status", "body", "content_type", "retry_after"} & set(value):
            raise ValueError(f"{name}: a fault entry takes no status, body or retry_after: {value!r}")
        entry["fault"] = fault
        if fault in ("slow", "trickle"):
            entry["delay_ms"] = _number(f"{name}.delay_ms", value.get("delay_ms"), 1, 600000)
        elif "delay_ms" in value:
            raise ValueError(f"{name}: delay_ms goes with fault 'slow' or 'trickle' only")
        if "use_refresh_tokens" in value:
            if fault != "expire_tokens" or not isinstance(value["use_refresh_tokens"], bool):
                raise ValueError(f"{name}: use_refresh_tokens (true or false) goes with fault 'expire_tokens' only")
            entry["use_refresh_tokens"] = value["use_refresh_tokens"]
        return entry
    if "delay_ms" in value or "use_refresh_tokens" in value:
        raise ValueError(f"{name}: delay_ms and use_refresh_tokens go with a fault: {value!r}")
    if "body" in value:
        if not isinstance(value["body"], str):
            raise ValueError(f"{name}: body must be text, got {value['body']!r}")
        entry["body"] = value["body"]
        entry["status"] = _status(name, value.get("status", 200))
        content_type = value.get("content_type", "text/html; charset=UTF-8")
        if not isinstance(content_type, str) or not content_type or "\n" in content_type or "\r" in content_type:
            raise ValueError(f"{name}: content_type must be a one-line text, got {content_type!r}")
        entry["content_type"] = content_type
    elif "status" in value:
        entry["status"] = _status(name, value["status"])
        if "content_type" in value:
            raise ValueError(f"{name}: content_type goes with body")
    else:
        raise ValueError(f"{name}: entries are a status, {{'status': n, 'retry_after': s}}, {{'body': text}} or "
                         f"{{'fault': name}}, got {value!r}")
    if value.get("retry_after") is not None:
        entry["retry_after"] = _number(f"{name}.retry_after", value["retry_after"], 0)
    return entry


def _redirect_to(value):
    if value is None:
        return None
    if not isinstance(value, str) or not value.startswith(("http://", "https://")) or "\n" in value or "\r" in value:
        raise ValueError(f"redirect_to: expected null or a one-line http(s):// URL, got {value!r}")
    return value


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
        "retry_after": lambda v: None if v is None else _number(name, v, 0),
        "token_ttl": lambda v: _number(name, v, 0),
        "max_page": lambda v: _number(name, v, 1),
        "max_in_flight": lambda v: _number(name, v, 0),
        "redirect_to": _redirect_to,
    }
    if name in checks:
        return checks[name](value)
    if name == "error_statuses":
        if not isinstance(value, list) or not value:
            raise ValueError("error_statuses: expected a non-empty list of HTTP statuses")
        return [_status(name, item) for item in value]
    if name in ("fail_next", "fail_next_token"):
        if not isinstance(value, list):
            raise ValueError(f"{name}: expected a list")
        return [_fail_entry(item, name) for item in value]
    if name in ("shift_users_once", "user_not_found_message", "directory_users"):
        if not isinstance(value, str) or "\n" in value or "\r" in value:
            raise ValueError(f"{name}: expected a one-line text, got {value!r}")
        return value
    if name in ("extra_user_fields", "extra_object_fields"):
        if not isinstance(value, dict) or set(value) - {"v1", "v2"} or not all(
                isinstance(fields, dict) and all(isinstance(key, str) for key in fields) for fields in value.values()):
            raise ValueError(f"{name}: expected {{'v1': {{field: value}}, 'v2': {{field: value}}}}, got {value!r}")
        return {"v1": dict(value.get("v1", {})), "v2": dict(value.get("v2", {}))}
    if name == "reseller_password":
        if value is not None and (not isinstance(value, str) or not value):
            raise ValueError(f"{name}: expected a non-empty text or null, got {type(value).__name__}")
        return value
    choices = {"not_found_style": NOT_FOUND_STYLES, "token_echo": TOKEN_ECHOES, "utf8_json_as": UTF8_JSON_TYPES}.get(
        name, ANNOUNCE_SPELLINGS)
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

    def pop_fail_next(self, name="fail_next"):
        """Remove and return the first pending forced failure of ``name`` (fail_next or fail_next_token), or None."""
        with self._lock:
            pending = self._values[name]
            if not pending:
                return None
            return pending.pop(0)
