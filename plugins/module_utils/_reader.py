# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The reader interface that API v1 and v2 implement, and the paging loop they share.

A reader reads raw objects of any ObjectType (see _objects) within a scope: a dict of the path parameters the
type names, {} for domains, {'domain': 'acme'} for subscribers. Subclasses (one per API version) give:

    token_endpoint               the class that requests tokens on that version
    count(kind, scope)           how many objects the scope holds (raises NetSapiensNotFoundError for a missing scope)
    read_page(kind, scope, start, limit, doing)
                                 the raw objects from offset start, at most limit of them, as the server sends them
    read_one(kind, scope, key)   one raw object, or None when it does not exist
    normalise(kind, raw, include_sensitive)
                                 a raw object as a record (v1 names, string values, secrets left out)
    key_of(kind, raw)            the object's key as text, to tell objects apart

and inherit read_all(kind, scope, convert=None), which proves the read complete or fails. convert (a raw object ->
what the read returns of it, e.g. its record) runs on each page as it arrives, so that the raw pages of a large scope are
never all held at once.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import re

from ansible_collections.netsapiens.pbx.plugins.module_utils._errors import (
    NetSapiensApiError,
    NetSapiensError,
    NetSapiensNotFoundError,
    capitalised,
)
from ansible_collections.netsapiens.pbx.plugins.module_utils._pool import ordered_map

PAGE_SIZE = 1000  # the largest page API v2 documents; servers that serve less are paged on from where they stopped
# Whole reads that saw the objects change under them (a shift between pages, fewer objects than counted) are started
# again, at most this many times in all.
READ_ATTEMPTS = 3

_DOMAIN_MISSING = re.compile(r'\bdomain\b.*\b(not found|does not exist|unknown|no such)\b|\b(unknown|no such) domain\b')
_NAMES_SOMETHING_ELSE = re.compile(r'\b(user|users|subscriber|extension|device|answer ?rule|number)\b')


def says_domain_missing(reply):
    """True when an error reply says the domain itself does not exist (not a user or other object in it)."""
    words = reply.server_message().lower()
    return bool(_DOMAIN_MISSING.search(words)) and not _NAMES_SOMETHING_ELSE.search(words)


def domain_missing(domain, reply):
    return NetSapiensNotFoundError("Domain '%s' does not exist on the server: %s" % (domain, reply.describe()), status=reply.status)


class _ObjectsChanged(Exception):
    """The objects changed while they were read; the read starts again."""


class _Pass(object):
    """One pass over the pages of a scope, fed the pages in offset order, each as (key, converted object) pairs. Each page
    after the first must start at the last object of the one before, so that a shift of the offsets (an object removed
    or added in front between two pages) shows and is never a silent loss."""

    def __init__(self, reader, kind, total, doing):
        self.reader, self.kind, self.total, self.doing = reader, kind, total, doing
        self.found = {}
        self.start = 0  # the offset of the next page
        self.previous_last = None  # the key the next page must start with (None: the pages do not overlap)
        self.stride = None  # the objects a page brings beyond its first, as the last page showed
        self.ended = False
        self.requests = 0
        # Each request must bring something new, so a complete read never needs more than this.
        self.most_requests = total + 2

    def done(self):
        return self.ended or len(self.found) >= self.total

    def next_starts(self):
        """The offsets of the pages still needed if the server keeps serving pages as long as the last one; just the next
        page while that length is unknown. Never more than the request bound allows."""
        if self.requests >= self.most_requests:
            raise NetSapiensApiError('%s failed: %d requests brought %d of %d %s; the server does not page as documented.'
                                     % (capitalised(self.doing), self.requests, len(self.found), self.total, self.kind.plural))
        if self.previous_last is None or not self.stride:
            return [self.start]
        pages = -(-(self.total - len(self.found)) // self.stride)
        return [self.start + index * self.stride for index in range(max(1, min(pages, self.most_requests - self.requests)))]

    def take(self, page):
        """Account one page read at self.start; an empty page, or one that holds only the object before, ends the read."""
        self.requests += 1
        if not page:
            self.ended = True
            return
        keys = [key for key, _item in page]
        if self.previous_last is not None:
            if keys[0] != self.previous_last:
                if all(key in self.found for key in keys):
                    raise self.reader.ignores_start(self.kind, self.start, self.doing)
                raise _ObjectsChanged('the %s moved between two pages (offset %d held %s, not %s)'
                                      % (self.kind.plural, self.start, keys[0], self.previous_last))
            if len(page) == 1:
                self.ended = True
                return
        new = 0
        for key, item in page:
            if key not in self.found:
                self.found[key] = item
                new += 1
        if not new:
            raise self.reader.ignores_start(self.kind, self.start, self.doing)
        overlap = len(page) > 1
        self.stride = len(page) - 1 if overlap else None
        self.start += len(page) - 1 if overlap else len(page)
        self.previous_last = keys[-1] if overlap else None

    def result(self):
        if len(self.found) < self.total:
            raise _ObjectsChanged('the server counts %d %s but returned %d' % (self.total, self.kind.plural, len(self.found)))
        return list(self.found.values())


class Reader(object):
    """Base of the version readers: the paging loop, bounded and proven complete against the count. Up to `workers`
    requests of one read are sent at once: the count with the first page, then the pages the count calls for."""

    page_size = PAGE_SIZE
    token_endpoint = None

    def __init__(self, api, log=None, workers=1):
        self.api = api
        self.log = log or (lambda message: None)
        self.workers = workers

    def read_all(self, kind, scope, total=None, convert=None):
        """Every raw object of the scope (or what convert makes of each), in server order, or an error: never a silently
        short list."""
        convert = convert or (lambda raw: raw)
        doing = 'reading %s of %s' % (kind.plural, kind.describe_scope(scope)) if scope else 'listing %s' % kind.plural
        if kind.unpaged or 'user' in scope:
            return [convert(raw) for raw in self._read_unpaged(kind, scope, doing)]
        for attempt in range(1, READ_ATTEMPTS + 1):
            try:
                return self._read_pages(kind, scope, total, doing, convert)
            except _ObjectsChanged as change:
                if attempt == READ_ATTEMPTS:
                    raise NetSapiensApiError('%s failed: %s, on each of %d attempts. Nothing was returned rather than an '
                                             'incomplete list; try again when the %s stop changing.'
                                             % (capitalised(doing), change, READ_ATTEMPTS, kind.plural))
                self.log('%s: %s; reading again (attempt %d of %d)' % (doing, change, attempt + 1, READ_ATTEMPTS))
                total = None
        return []  # not reached

    def _page(self, kind, scope, start, doing, convert):
        """The page from offset start as (key, converted object) pairs, converted by the thread that read it."""
        return [(self.key_of(kind, raw), convert(raw)) for raw in self.read_page(kind, scope, start, self.page_size, doing)]

    def _read_pages(self, kind, scope, total, doing, convert):
        """One pass: the count (unless given) and the pages, as many at once as the workers allow. Pages read at once
        are checked in order as if read one after the other; when one is shorter than the one before, the pages read
        after it are dropped and paging goes on from where it ended."""
        first = None
        if total is None:
            total, first = self._count_and_first_page(kind, scope, doing, convert)
        run = _Pass(self, kind, total, doing)
        if first is not None and not run.done():
            run.take(first)
        while not run.done():
            starts = run.next_starts()
            pages = ordered_map(lambda start: self._page(kind, scope, start, doing, convert), starts, self.workers)
            for start, page in zip(starts, pages):
                if run.done():
                    break
                if start != run.start:
                    self.log('%s: a page was not as long as the one before; paging on from offset %d' % (doing, run.start))
                    break
                run.take(page)
        return run.result()

    def _count_and_first_page(self, kind, scope, doing, convert):
        """(the count, the first page or None). With more than one worker both are asked at once (the page is not used
        when the count is 0, and its failure counts only if the count calls for it); with one, only the count."""
        if self.workers <= 1:
            return self.count(kind, scope), None

        def first_page():
            try:
                return self._page(kind, scope, 0, doing, convert), None
            except NetSapiensError as exc:
                return None, exc
        total, (page, failure) = ordered_map(lambda ask: ask(), [lambda: self.count(kind, scope), first_page], 2)
        if total and failure is not None:
            raise failure
        return total, page

    def _read_unpaged(self, kind, scope, doing):
        """A user's own list (devices, answer rules) or a list of an unpaged kind (dial policies): one request, since such
        lists have no count to page against. A page of exactly the size asked for cannot be proven complete, so it fails;
        more than asked for means the server does not page the list (v1 dial policies, the v2 list of every dial policy
        a reseller of a thousand domains can see): that is the whole list."""
        page = self.read_page(kind, scope, 0, self.page_size, doing)
        if len(page) == self.page_size:
            raise NetSapiensApiError('%s failed: the server sent %d %s, as many as one request may bring, and has no count '
                                     'to prove the list complete. Nothing was returned rather than an incomplete list.'
                                     % (capitalised(doing), len(page), kind.plural))
        return page

    @staticmethod
    def ignores_start(kind, start, doing):
        return NetSapiensApiError("%s failed: asked for %s from offset %d, the server sent again only %s it had sent already "
                                  "(it ignores 'start'). Nothing was returned rather than an incomplete list."
                                  % (capitalised(doing), kind.plural, start, kind.plural))

    def key_of(self, kind, raw):
        return str(raw.get(kind.key))

    def count(self, kind, scope):
        raise NotImplementedError

    def read_page(self, kind, scope, start, limit, doing):
        raise NotImplementedError

    def read_one(self, kind, scope, key):
        raise NotImplementedError

    def normalise(self, kind, raw, include_sensitive=False):
        raise NotImplementedError
