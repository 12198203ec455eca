# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pages of one scope read at once: the count with the first page, then every page the count calls for; the same records
and the same requests as one at a time, and every completeness guard kept."""

from __future__ import annotations

import collections
import threading
import time

import pytest

from ansible_collections.netsapiens.pbx.plugins.module_utils._errors import NetSapiensApiError, NetSapiensNotFoundError
from ansible_collections.netsapiens.pbx.plugins.module_utils._objects.subscriber import SUBSCRIBER

from .fakes import FakeResponse, make_client

KEY = {'api_key': 'nsr_key', 'api_version': 'v2'}
USERS = '/ns-api/v2/domains/acme/users'


class PagedServer:
    """A fake v2 server for the users of one domain: pages capped at max_page, a short page at short_at (offset -> size).
    The requests named in `meet` (page offsets, 'count') wait for each other (up to 2 s) the first time, so that a
    client that sends them at once surely has them in flight together, and one that does not is seen in `peak`."""

    def __init__(self, total, max_page=1000, short_at=None, meet=(), ignores_start=False, count=None):
        self.users = [{'user': str(1000 + index), 'domain': 'acme'} for index in range(total)]
        self.max_page, self.short_at, self.ignores_start = max_page, short_at or {}, ignores_start
        self.count = count
        self.lock = threading.Condition()
        self.in_flight = 0
        self.peak = 0
        self.requests = []
        self.meet, self.arrived = set(meet), set()
        self.after_first_page = None  # called once, right after the first page was served

    def __call__(self, call):
        name = call['params'].get('start', 'count')
        with self.lock:
            self.in_flight += 1
            self.peak = max(self.peak, self.in_flight)
            self.requests.append(call['params'].get('start'))
            if name in self.meet:
                self.arrived.add(name)
                self.lock.notify_all()
                self.lock.wait_for(lambda: self.arrived >= self.meet, timeout=2)
        try:
            time.sleep(0.002)
            return self.answer(call)
        finally:
            with self.lock:
                self.in_flight -= 1
                self.meet.discard(name)

    def answer(self, call):
        if call['path'] == USERS + '/count':
            return FakeResponse(200, {'total': len(self.users) if self.count is None else self.count})
        start = 0 if self.ignores_start else int(call['params']['start'])
        size = min(int(call['params']['limit']), self.short_at.get(start, self.max_page))
        page = self.users[start:start + size]
        if start == 0 and self.after_first_page:
            change, self.after_first_page = self.after_first_page, None
            change(self.users)
        return FakeResponse(200, page)


def offsets(server):
    """The offsets of the pages the server was asked for, sorted, then 'count' for each count."""
    return sorted(start for start in server.requests if start is not None) + ['count'] * server.requests.count(None)


def read_users(server, concurrency):
    client, _session = make_client(server, max_concurrency=concurrency, **KEY)
    return [record['user'] for record in client.read_subscribers('acme').records], client


@pytest.mark.parametrize('total, max_page', [(2500, 1000), (250, 100), (1000, 1000), (1, 1000), (7, 3)])
def test_every_concurrency_reads_the_same_users_with_the_same_requests(total, max_page):
    results, peaks = {}, {}
    for concurrency in (1, 2, 8, 32):
        server = PagedServer(total, max_page=max_page, meet=('count', 0) if concurrency > 1 else ())
        users, _client = read_users(server, concurrency)
        results[concurrency] = (users, collections.Counter(server.requests))
        peaks[concurrency] = server.peak
    assert results[1][0] == [str(1000 + index) for index in range(total)]
    assert all(result == results[1] for result in results.values())
    assert peaks[1] == 1 and all(peaks[concurrency] > 1 for concurrency in (2, 8, 32))


def test_the_count_and_the_first_page_are_asked_at_once():
    server = PagedServer(20, meet=('count', 0))
    users, _client = read_users(server, 8)
    assert len(users) == 20 and server.peak == 2
    assert offsets(server) == [0, 'count']


def test_the_pages_after_the_first_are_asked_at_once_once_the_count_is_known():
    server = PagedServer(2500, meet=(999, 1998))
    users, client = read_users(server, 8)
    assert len(users) == 2500
    # Each later page still starts at the last user of the page before (999, 1998): the same requests as one at a time.
    assert offsets(server) == [0, 999, 1998, 'count']
    assert server.peak == 2 and client.transport.throttle.peak == 2


def test_many_pages_are_never_more_in_flight_than_max_concurrency():
    server = PagedServer(1000, max_page=10, meet=(9, 18, 27, 36))
    users, client = read_users(server, 4)
    assert len(users) == 1000 and len(server.requests) == 1 + 1 + 990 // 9
    assert server.peak == 4 and client.transport.throttle.peak == 4


def test_an_empty_domain_costs_the_count_alone_one_at_a_time_and_the_count_and_the_first_page_at_once():
    server = PagedServer(0)
    assert read_users(server, 1)[0] == [] and offsets(server) == ['count']
    server = PagedServer(0)
    assert read_users(server, 8)[0] == [] and offsets(server) == [0, 'count']


def test_a_failing_first_page_is_ignored_when_the_count_is_zero_and_reported_otherwise():
    def server_of(total):
        def answer(call):
            if call['path'].endswith('/count'):
                return FakeResponse(200, {'total': total})
            return FakeResponse(400, {'code': 400, 'message': 'bad page'})
        return answer
    client, session = make_client(server_of(0), max_concurrency=8, **KEY)
    assert client.read_subscribers('acme').records == []
    assert sorted(call['path'] for call in session.calls) == [USERS, USERS + '/count']
    client, _session = make_client(server_of(5), max_concurrency=8, **KEY)
    with pytest.raises(NetSapiensApiError, match='Reading subscribers of domain .acme. failed: .*bad page'):
        client.read_subscribers('acme')


def test_a_missing_domain_is_reported_by_the_count_even_when_its_page_fails_too():
    def answer(call):
        if call['path'].endswith('/count'):
            time.sleep(0.05)  # the page is asked (and fails) before the count fails
        return FakeResponse(404, {'code': 404, 'message': 'Domain nope does not exist'})
    client, session = make_client(answer, max_concurrency=8, **KEY)
    with pytest.raises(NetSapiensNotFoundError, match="Domain 'nope' does not exist on the server"):
        client.read_subscribers('nope')
    assert len(session.calls) == 2


def test_a_page_shorter_than_the_one_before_makes_paging_go_on_from_where_it_ended():
    # The page at 99 holds 50 users instead of 100: the pages asked at once after it start at the wrong offsets, so they
    # are dropped and paging goes on from 148.
    server = PagedServer(400, max_page=100, short_at={99: 50}, meet=(99, 198))
    users, client = read_users(server, 8)
    assert users == [str(1000 + index) for index in range(400)]
    assert {0, 99, 148, 247, 346} <= set(server.requests)
    assert any('a page was not as long as the one before; paging on from offset 148' in line for line in client.test_logs)
    assert server.peak > 1


def test_a_shift_between_pages_read_at_once_is_caught_and_the_domain_read_again():
    server = PagedServer(300, max_page=100, meet=(99, 198))

    def remove_the_sixth_user(users):
        del users[5]
        users.append({'user': '8999', 'domain': 'acme'})
    server.after_first_page = remove_the_sixth_user
    users, client = read_users(server, 8)
    assert users == [user['user'] for user in server.users] and '1005' not in users and users[-1] == '8999'
    assert any('the subscribers moved between two pages (offset 99 held 1100, not 1099)' in line for line in client.test_logs)
    assert server.peak > 1


def test_fewer_users_than_counted_still_fail_when_read_at_once():
    server = PagedServer(250, max_page=100, count=400, meet=(99, 198))
    with pytest.raises(NetSapiensApiError, match='the server counts 400 subscribers but returned 250, on each of 3 attempts'):
        read_users(server, 8)
    assert server.peak > 1


def test_a_server_that_ignores_start_is_caught_when_read_at_once():
    server = PagedServer(250, max_page=100, ignores_start=True, meet=(99, 198))
    with pytest.raises(NetSapiensApiError, match="asked for subscribers from offset 99, the server sent again only subscribers"):
        read_users(server, 8)
    assert server.peak > 1


@pytest.mark.parametrize('concurrency', [1, 4])
def test_each_page_is_made_records_as_it_arrives_not_after_the_last(concurrency):
    server = PagedServer(2500, max_page=1000)
    client, _session = make_client(server, max_concurrency=concurrency, **KEY)
    reader = client.reader()
    pages_served_when_converted = {}

    def convert(raw):
        pages_served_when_converted.setdefault(raw['user'], len([start for start in server.requests if start is not None]))
        return raw['user']
    users = reader.read_all(SUBSCRIBER, {'domain': 'acme'}, convert=convert)
    assert users == [user['user'] for user in server.users]
    # The first page's users were made records before every page had been asked for.
    assert pages_served_when_converted['1000'] < len([start for start in server.requests if start is not None])
