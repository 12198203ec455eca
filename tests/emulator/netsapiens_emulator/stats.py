"""Thread-safe request accounting, served by GET /_emulator/stats."""
from __future__ import annotations

import collections
import copy
import threading
import time

MAX_REQUESTS = 20000

READ_KINDS = (
    "v1_subscriber_read", "v1_subscriber_count", "v1_subscriber_list", "v1_domain_read", "v1_domain_count",
    "v1_token_read", "v2_version", "v2_users_list", "v2_user", "v2_users_count", "v2_users_public_list",
    "v2_domains", "v2_domains_count", "v2_domain",
)


class Stats:
    """Counters plus the last MAX_REQUESTS requests."""

    def __init__(self):
        self._lock = threading.Lock()
        self._in_flight = 0
        self.reset()

    def reset(self):
        with self._lock:
            self._counters = {
                "requests_total": 0,
                "token_requests": {"password": 0, "refresh_token": 0, "other": 0, "total": 0, "v1": 0, "v2": 0},
                "reads": dict.fromkeys(READ_KINDS, 0),
                "write_attempts": 0,
                "credentials_in_query": 0,
                "auth_failures": 0,
                "injected_errors": 0,
                "injected_faults": {},
                "tls_handshake_failures": 0,
                "statuses": {},
                "user_agents": {},
                "max_in_flight": self._in_flight,
                "refused_in_flight": 0,
                "requests_dropped": 0,
            }
            self._requests = collections.deque(maxlen=MAX_REQUESTS)
            self._started = time.time()

    def enter(self):
        """One more request in flight; returns how many are in flight now."""
        with self._lock:
            self._in_flight += 1
            self._counters["max_in_flight"] = max(self._counters["max_in_flight"], self._in_flight)
            return self._in_flight

    def leave(self):
        with self._lock:
            self._in_flight -= 1

    def count(self, name, amount=1):
        with self._lock:
            self._counters[name] += amount

    def injected(self, name):
        """Count one injected fault by name (a status, 'body', or a fault such as 'reset')."""
        with self._lock:
            faults = self._counters["injected_faults"]
            faults[name] = faults.get(name, 0) + 1

    def token(self, grant, api):
        with self._lock:
            tokens = self._counters["token_requests"]
            tokens[grant if grant in ("password", "refresh_token") else "other"] += 1
            tokens["total"] += 1
            tokens[api] += 1

    def read(self, kind):
        with self._lock:
            reads = self._counters["reads"]
            reads[kind] = reads.get(kind, 0) + 1

    def record(self, entry):
        """Account one finished request (a dict: method, path, query, status, kind, auth, ...)."""
        with self._lock:
            counters = self._counters
            counters["requests_total"] += 1
            status = str(entry["status"])
            counters["statuses"][status] = counters["statuses"].get(status, 0) + 1
            agent = entry.get("user_agent") or ""
            counters["user_agents"][agent] = counters["user_agents"].get(agent, 0) + 1
            if len(self._requests) == MAX_REQUESTS:
                counters["requests_dropped"] += 1
            self._requests.append(entry)

    def snapshot(self):
        with self._lock:
            result = copy.deepcopy(self._counters)
            result["requests"] = copy.deepcopy(list(self._requests))
            result["in_flight"] = self._in_flight
            result["since"] = self._started
            return result
