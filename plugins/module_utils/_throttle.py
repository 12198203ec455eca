# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""How many requests may be in flight at once: max_concurrency at most, halved when the server says it is overloaded
(429 or 503), grown back by one after a run of answers, and paused for every request while a Retry-After runs.

The refusals of one burst count once: a request sent before the places were last halved does not halve them again.
A 429 (too many requests) also sets a ceiling, one below the requests that were in flight when it came: beyond it the
places grow back far more slowly, so that a server with a fixed limit is tried again now and then, not every few
requests. A 503 (a busy server) sets no ceiling."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import contextlib
import threading
import time

# After this many answers in a row per request slot, one more slot is allowed again.
GROW_AFTER = 4
# ... and this many times as many beyond the ceiling.
PROBE_AFTER = 16


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
        self.ceiling = most  # beyond this many places they grow back slowly: one below the last 429
        self._epoch = 0  # the number of decreases so far; a request remembers the one it was sent under
        self._condition = threading.Condition()
        self._waited = threading.local()  # per thread: the pause it has already waited out

    @contextlib.contextmanager
    def slot(self):
        """Hold one of the allowed places for the length of a request; gives the epoch to pass on to overloaded()."""
        self._wait_for_pause()
        with self._condition:
            while self.in_flight >= self.limit:
                self._condition.wait()
            self.in_flight += 1
            self.peak = max(self.peak, self.in_flight)
            epoch = self._epoch
        try:
            yield epoch
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

    def overloaded(self, wait, epoch=None, refused=False):
        """The server answered 429 (refused: True) or 503: hold every request back for `wait` seconds (the calling thread
        waits them itself, before its retry) and halve the places, unless the request was sent (epoch, from slot())
        before they were last halved: that decrease already answered the burst it was part of."""
        with self._condition:
            self._resume_at = max(self._resume_at, self._clock() + max(0.0, wait))
            self._waited.until = self._resume_at
            self._answers = 0
            if epoch is not None and epoch != self._epoch:
                return
            self._epoch += 1
            if refused:
                # The server refused this request while the others were in flight.
                self.ceiling = max(1, min(self.limit, self.in_flight + 1) - 1)
            if self.limit > 1:
                self.limit = max(1, self.limit // 2)
                self.log('the server is overloaded: at most %d request(s) in flight from now on' % self.limit)

    def answered(self):
        """A request was answered without overload: after a run of answers, one more place again."""
        with self._condition:
            if self.limit >= self.most:
                return
            self._answers += 1
            if self._answers >= GROW_AFTER * self.limit * (PROBE_AFTER if self.limit >= self.ceiling else 1):
                self._answers = 0
                self.limit += 1
                self._condition.notify_all()
