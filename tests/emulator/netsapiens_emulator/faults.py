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

    def pick(self, data_request):
        """(status, retry_after) of an error to inject now, or None.

        ``fail_next`` only hits data requests (v1 object requests, v2 domain/user reads); ``error_rate``
        hits every /ns-api request, token requests included.
        """
        if data_request:
            forced = self._config.pop_fail_next()
            if forced is not None:
                retry_after = forced["retry_after"]
                return forced["status"], self._config.get("retry_after") if retry_after is None else retry_after
        rate = self._config.get("error_rate")
        if rate <= 0:
            return None
        statuses = self._config.get("error_statuses")
        with self._lock:
            if self._rng.random() >= rate:
                return None
            status = self._rng.choice(statuses)
        return status, self._config.get("retry_after")
