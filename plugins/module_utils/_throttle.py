# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""How many requests may be in flight at once: max_concurrency at most, halved when the server says it is overloaded
(429 or 503), grown back by one after a run of answers, and paused for every request while a Retry-After runs."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import contextlib
import threading
import time

# After this many answers in a row per request slot, one more slot is allowed again.
GROW_AFTER = 4


class Throttle(object):
    """Shared by every thread of one client. peak is the most requests that were ever in flight at once."""

    def __init__(self, most, log=None, clock=time.monotonic, sleep=time.sleep):
        self.most = most
        self.limit = most
        self.in_flight = 0
        self.peak = 0
        self.log = log or (lambda message: None)
        self._clock = clock
        self._sleep = sleep
        self._resume_at = 0.0
        self._answers = 0
        self._condition = threading.Condition()
        self._waited = threading.local()  # per thread: the pause it has already waited out

    @contextlib.contextmanager
    def slot(self):
        """Hold one of the allowed places for the length of a request."""
        self._wait_for_pause()
        with self._condition:
            while self.in_flight >= self.limit:
                self._condition.wait()
            self.in_flight += 1
            self.peak = max(self.peak, self.in_flight)
        try:
            yield
        finally:
            with self._condition:
                self.in_flight -= 1
                self._condition.notify_all()

    def _wait_for_pause(self):
        with self._condition:
            resume_at = self._resume_at
        if resume_at <= getattr(self._waited, 'until', 0.0):
            return
        self._waited.until = resume_at
        wait = resume_at - self._clock()
        if wait > 0:
            self._sleep(wait)

    def overloaded(self, wait):
        """The server answered 429 or 503: halve the places, and hold every request back for `wait` seconds (the calling
        thread waits them itself, before its retry)."""
        with self._condition:
            self._resume_at = max(self._resume_at, self._clock() + max(0.0, wait))
            self._waited.until = self._resume_at
            self._answers = 0
            if self.limit > 1:
                self.limit = max(1, self.limit // 2)
                self.log('the server is overloaded: at most %d request(s) in flight from now on' % self.limit)

    def answered(self):
        """A request was answered without overload: after a run of answers, one more place again."""
        with self._condition:
            if self.limit >= self.most:
                return
            self._answers += 1
            if self._answers >= GROW_AFTER * self.limit:
                self._answers = 0
                self.limit += 1
                self._condition.notify_all()
