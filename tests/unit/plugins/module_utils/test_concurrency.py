# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Requests in parallel: the throttle's bound, slowing down on overload, ordered results, reads across domains."""

from __future__ import annotations

import threading
import time

import pytest

from ansible_collections.netsapiens.pbx.plugins.module_utils._pool import ordered_map
from ansible_collections.netsapiens.pbx.plugins.module_utils._throttle import GROW_AFTER, PROBE_AFTER, Throttle

from .fakes import FakeResponse, make_client


def test_the_throttle_never_lets_more_than_its_places_through():
    throttle = Throttle(3)

    def request(_item):
        with throttle.slot():
            time.sleep(0.01)
    ordered_map(request, range(40), workers=12)
    assert throttle.peak == 3 and throttle.in_flight == 0


def test_overload_halves_the_places_and_answers_grow_them_back():
    pauses = []
    throttle = Throttle(8, sleep=pauses.append)
    throttle.overloaded(2.0)
    throttle.overloaded(2.0)
    assert throttle.limit == 2
    for _answer in range(GROW_AFTER * 2):
        throttle.answered()
    assert throttle.limit == 3
    # Another thread waits out the pause before its next request; the thread that saw the overload does not wait twice.
    with throttle.slot():
        pass
    assert pauses == []
    other = threading.Thread(target=lambda: throttle.slot().__enter__())
    other.start()
    other.join()
    assert len(pauses) == 1 and 0 < pauses[0] <= 2.0


def test_ordered_map_keeps_the_order_and_raises_the_first_failure():
    assert ordered_map(lambda item: item * 2, range(50), workers=8) == [item * 2 for item in range(50)]

    def fails_on_seven(item):
        if item == 7:
            raise ValueError('seven')
        return item
    with pytest.raises(ValueError, match='seven'):
        ordered_map(fails_on_seven, range(20), workers=4)


def per_domain_server(domains, users):
    """A fake v2 server: `users` users in each domain, 2 devices per user, served per user."""
    lock = threading.Lock()
    in_flight = [0, 0]

    def answer(call):
        with lock:
            in_flight[0] += 1
            in_flight[1] = max(in_flight[1], in_flight[0])
        time.sleep(0.002)
        parts = call['path'].split('/')
        with lock:
            in_flight[0] -= 1
        domain = parts[4]
        if parts[-1] == 'count':
            return FakeResponse(200, {'total': users})
        if parts[-1] == 'users':
            start = int(call['params']['start'])
            return FakeResponse(200, [{'user': str(1000 + index), 'domain': domain} for index in range(users)][start:])
        user = parts[6]
        return FakeResponse(200, [{'device': '%s%s' % (user, suffix), 'user': user, 'domain': domain,
                                   'device-sip-registration-uri': 'sip:%s%s@%s' % (user, suffix, domain)}
                                  for suffix in ('b', 'a')])
    return answer, in_flight


@pytest.mark.parametrize('concurrency', [1, 4])
def test_per_user_reads_are_the_same_at_every_concurrency(concurrency):
    from ansible_collections.netsapiens.pbx.plugins.module_utils._objects._type import ObjectType  # pylint: disable=import-outside-toplevel
    device = ObjectType(name='device', plural='devices', key='aor', scope=('domain', 'user'), v1_object='device',
                        v2_collection='domains/{domain}/users/{user}/devices', fields=('aor', 'aor_user', 'subscriber_name'),
                        v2_names={'device-sip-registration-uri': 'aor', 'device': 'aor_user', 'user': 'subscriber_name'},
                        owner='subscriber_name')
    answer, in_flight = per_domain_server(['a', 'b'], 12)
    client, session = make_client(answer, api_key='k', api_version='v2', max_concurrency=concurrency)
    batches = client.read_domains(device, ['a', 'b'])
    aors = [record['aor'] for batch in batches for record in batch.records]
    assert aors[:4] == ['sip:1000a@a', 'sip:1000b@a', 'sip:1001a@a', 'sip:1001b@a'] and len(aors) == 48
    assert len(session.calls) == 2 * (1 + 1 + 12)
    assert in_flight[1] <= concurrency
    assert client.transport.throttle.peak <= concurrency
    assert (client.transport.throttle.peak > 1) is (concurrency > 1)


@pytest.mark.parametrize('concurrency, kept', [(1, 10), (8, 10), (32, 32), (64, 64)])
def test_the_session_keeps_a_connection_for_each_request_in_flight(concurrency, kept):
    """requests keeps 10 connections to a server by default: more requests at once would each open and drop their own."""
    from ansible_collections.netsapiens.pbx.plugins.module_utils._client import NetSapiensClient  # pylint: disable=import-outside-toplevel
    from ansible_collections.netsapiens.pbx.plugins.module_utils._options import ConnectionSettings  # pylint: disable=import-outside-toplevel
    for url in ('https://pbx.example.com', 'http://127.0.0.1:8080'):
        client = NetSapiensClient(ConnectionSettings.from_options({'api_url': url, 'api_key': 'k', 'max_concurrency': concurrency}))
        assert client.transport.session.get_adapter(url + '/ns-api/')._pool_maxsize == kept  # pylint: disable=protected-access


def test_the_refusals_of_one_burst_halve_the_places_once():
    throttle = Throttle(16, sleep=lambda seconds: None)
    epochs = []
    for _request in range(12):  # twelve requests sent at once, all refused
        with throttle.slot() as epoch:
            epochs.append(epoch)
    for epoch in epochs:
        throttle.overloaded(1.0, epoch, refused=True)
    assert throttle.limit == 8
    with throttle.slot() as later:
        pass
    throttle.overloaded(1.0, later, refused=True)
    assert throttle.limit == 4


def test_after_a_429_the_places_grow_back_quickly_to_the_ceiling_and_slowly_beyond():
    """A server that allows 4 requests at once refused the fifth: back to 4 places soon, a fifth tried only much later."""
    throttle = Throttle(16, sleep=lambda seconds: None)
    throttle.limit = 5
    others = [throttle.slot() for _other in range(4)]
    for other in others:
        other.__enter__()  # four requests in flight when the fifth is refused
    with throttle.slot() as epoch:
        pass
    throttle.overloaded(1.0, epoch, refused=True)
    for other in others:
        other.__exit__(None, None, None)
    assert (throttle.limit, throttle.ceiling) == (2, 4)
    answers = 0
    while throttle.limit < 4:
        throttle.answered()
        answers += 1
    assert answers == GROW_AFTER * (2 + 3)
    for _answer in range(GROW_AFTER * 4 * PROBE_AFTER - 1):
        throttle.answered()
    assert throttle.limit == 4
    throttle.answered()
    assert throttle.limit == 5


def test_a_503_sets_no_ceiling():
    throttle = Throttle(8, sleep=lambda seconds: None)
    with throttle.slot() as epoch:
        pass
    throttle.overloaded(1.0, epoch)
    assert (throttle.limit, throttle.ceiling) == (4, 8)
    for _answer in range(GROW_AFTER * (4 + 5 + 6 + 7)):
        throttle.answered()
    assert throttle.limit == 8


def test_against_a_server_that_allows_four_at_once_few_requests_are_refused():
    """16 places, a server that refuses a fifth request in flight: of 2,000 requests only a few dozen are refused."""
    server = threading.Semaphore(4)
    throttle = Throttle(16, sleep=lambda seconds: None)
    refused = []

    def request(_item):
        while True:
            with throttle.slot() as epoch:
                accepted = server.acquire(blocking=False)
                if accepted:
                    time.sleep(0.0005)
                    server.release()
            if accepted:
                throttle.answered()
                return
            refused.append(epoch)
            throttle.overloaded(0.0, epoch, refused=True)
    ordered_map(request, range(2000), workers=16)
    # The first burst (16 and then 8 places for a server of 4), then at most one refusal per probe beyond the ceiling.
    assert len(refused) <= (16 - 4) + (8 - 4) + 2000 // (GROW_AFTER * 4 * PROBE_AFTER), len(refused)
