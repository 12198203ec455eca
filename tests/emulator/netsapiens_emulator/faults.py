"""Latency and error injection for /ns-api requests (never for /_emulator)."""
from __future__ import annotations

import http
import random
import threading
import time


def reason(status):
    try:
        return http.HTTPStatus(status).phrase
    except ValueError:
        return "Error"


class Faults:
    """Decides, per request, whether to delay it and whether to answer it with an injected error."""

    def __init__(self, config, seed):
        self._config = config
        self._lock = threading.Lock()
        self._rng = random.Random(f"{seed}:faults")

    def delay(self):
        latency_ms = self._config.get("latency_ms")
        if latency_ms:
            time.sleep(latency_ms / 1000.0)

    def pick(self, data_request, token_request=False):
        """The fault to inject now (a fail_next entry dict, see config._fail_entry), or None.

        ``fail_next`` only hits data requests (v1 object requests, v2 domain/user reads), ``fail_next_token``
        only token requests; ``error_rate`` hits every /ns-api request, token requests included. A status entry
        comes back with its ``retry_after`` resolved (None: no Retry-After header).
        """
        forced = None
        if data_request:
            forced = self._config.pop_fail_next("fail_next")
        elif token_request:
            forced = self._config.pop_fail_next("fail_next_token")
        if forced is not None:
            if forced["fault"] is None and forced["body"] is None and forced["retry_after"] is None:
                forced["retry_after"] = self._config.get("retry_after")
            return forced
        rate = self._config.get("error_rate")
        if rate <= 0:
            return None
        statuses = self._config.get("error_statuses")
        with self._lock:
            if self._rng.random() >= rate:
                return None
            status = self._rng.choice(statuses)
        return {"status": status, "retry_after": self._config.get("retry_after"), "fault": None, "delay_ms": 0,
                "body": None, "content_type": None, "use_refresh_tokens": False}
