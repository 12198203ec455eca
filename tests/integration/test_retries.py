# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Retries: 429 and 5xx answers, Retry-After (honoured and capped), backoff without it, giving up after `retries`.

Each test is a row of the reliability scenario table (tests/integration/scenarios.py). Every playbook runs at -vvv or -vvvv
and its whole output is checked for secrets; the `emulator` fixture checks after each test that nothing tried to write
and that no credential travelled in a URL. All traffic stays on 127.0.0.0/8.
"""

from __future__ import annotations

import time

import pytest

from harness import SHOW_EXCEPTIONS, by_label, clean_failure, data_requests, emulator_auth, expected_record

scenario = pytest.mark.scenario


@scenario('429 with Retry-After', 'the lookup waited the advertised Retry-After (measured on the server), logged the retry at -vvv, '
          'then returned the right record')
def test_429_with_retry_after(run_playbook, emu, domains, truth, happened):
    emu.configure(fail_next=[{'status': 429, 'retry_after': 1}])
    result = run_playbook('lookup.yml', {'terms': ['1001@%s' % domains[0]]}, verbosity=3)
    assert result.rc == 0, result
    assert result.artifact('result.json') == [expected_record(truth[domains[0]]['1001'])]
    refused, served = data_requests(emu.stats())
    assert (refused['status'], served['status']) == (429, 200)
    gap = served['time'] - refused['time'] - served['duration_ms'] / 1000.0
    assert 0.95 <= gap < 5, gap
    assert 'answered 429 Too Many Requests; retry 1 of 3 in 1.0s' in result.output
    happened('Retry-After: 1, next request %.1f s later' % gap)


@scenario('Retry-After larger than the cap', 'each wait capped at 30 s (Retry-After: 3600 asked for an hour): 4 requests, 3 waits of '
          '30 s, then a clear 429 error; retries are bounded in count and total time')
def test_retry_after_is_capped(core, emu, domains, happened):
    emu.configure(fail_next=[{'status': 429, 'retry_after': 3600}] * 4)
    waits, logs = [], []
    client = core.new_client(emu.url, api_key=emulator_auth.RESELLER_API_KEY, api_version='v1', retries=3, log=logs.append,
                             sleep=waits.append)
    with pytest.raises(core.errors.NetSapiensApiError) as failure:
        client.read_subscribers(domains[0], ['1001'])
    assert waits == [30.0, 30.0, 30.0]
    assert '429 Too Many Requests' in str(failure.value) and 'Injected fault' in str(failure.value)
    # Besides the retries, the log says how far the requests in flight were cut ('the server is overloaded: ...').
    assert [line.split('; ', 1)[1] for line in logs if '; retry ' in line] == ['retry %d of 3 in 30.0s' % attempt for attempt in (1, 2, 3)]
    assert len(data_requests(emu.stats())) == 4
    happened('waits %s s' % ', '.join('%g' % wait for wait in waits))


@scenario('Burst of 500, 502, 503, 504', 'each status retried after its Retry-After with one -vvv line each, then the record arrived '
          '(retries: 4, 5 requests for one read)')
def test_burst_of_5xx_within_retries(run_playbook, emu, domains, truth):
    emu.configure(fail_next=[500, 502, 503, 504], retry_after=0)
    result = run_playbook('subscriber_info.yml', {'domains': [domains[0]], 'users': ['1001']}, env={'NETSAPIENS_RETRIES': '4'})
    assert result.rc == 0, result
    assert result.artifact('result.json')['subscribers'] == [expected_record(truth[domains[0]]['1001'])]
    for attempt, status in enumerate(('500 Internal Server Error', '502 Bad Gateway', '503 Service Unavailable', '504 Gateway Timeout'), 1):
        assert 'answered %s; retry %d of 4 in 0.0s' % (status, attempt) in result.output
    stats = emu.stats()
    assert stats['injected_errors'] == 4 and len(data_requests(stats)) == 5


@scenario('Burst of 5xx longer than the retries', 'gave up after retries + 1 requests (retries: 2, 3 requests, 2 s of Retry-After) '
          'with the method, path, status and server words; no traceback')
def test_burst_longer_than_retries(run_playbook, emu, domains, happened):
    emu.configure(fail_next=[503] * 5, retry_after=1)
    started = time.monotonic()
    result = run_playbook('attempts.yml', {'module_attempts': [{'label': 'burst', 'domain': [domains[0]], 'user': ['1001'], 'retries': 2}]},
                          env=SHOW_EXCEPTIONS)
    elapsed = time.monotonic() - started
    message = clean_failure(by_label(result.artifact('result.json'))['burst'], '503 Service Unavailable', 'Injected fault',
                            "Reading subscriber '1001' of domain '%s'" % domains[0], '/users/1001')
    requests = data_requests(emu.stats())
    assert len(requests) == 3 and all(request['status'] == 503 for request in requests)
    assert 1.9 <= requests[-1]['time'] - requests[0]['time'] < 10
    assert 'retry 2 of 2' in result.output and 'retry 3 of' not in result.output
    happened('%d requests, playbook done in %.1f s: "%s..."' % (len(requests), elapsed, message[:60]))


@scenario('5xx without Retry-After', 'exponential backoff with jitter: waits about 0.5, 1 and 2 s, each logged, then a clear error '
          'after 4 requests')
def test_backoff_without_retry_after(core, emu, domains, happened):
    emu.configure(fail_next=[502] * 4, retry_after=None)
    waits, logs = [], []
    client = core.new_client(emu.url, api_key=emulator_auth.RESELLER_API_KEY, api_version='v2', retries=3, log=logs.append,
                             sleep=waits.append)
    with pytest.raises(core.errors.NetSapiensApiError) as failure:
        client.read_subscribers(domains[0], ['1001'])
    assert '502 Bad Gateway' in str(failure.value)
    assert len(waits) == 3 and len(logs) == 3
    for wait, nominal in zip(waits, (0.5, 1.0, 2.0)):
        assert nominal * 0.8 <= wait <= nominal * 1.2, waits
    happened('waits %s s' % ', '.join('%.2f' % wait for wait in waits))
