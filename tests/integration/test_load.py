# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Load: 20 forks reading at once, and one lookup over 2,000 terms.

Both run against an emulator with 20 ms of latency that answers 10 % of all requests (token requests and the version
probe included) with 503 or 429 and a 1 s Retry-After. Every record is compared with the emulator's own; every
logical request must have been answered exactly once (nothing lost, nothing read twice), every retry must show at
-vvv, and the injected errors must stay under a bound computed from the work.
"""

from __future__ import annotations

import json
import math
import random
import sys
import time

import pytest

from harness import check_server_untouched, expected_record
from netsapiens_emulator.process import Emulator

LATENCY_MS = 20
ERROR_RATE = 0.1
RETRIES = 5  # 10 % errors: 6 failures in a row (about one in a million per request) would fail a run
LOAD_SWITCHES = {'latency_ms': LATENCY_MS, 'error_rate': ERROR_RATE, 'error_statuses': [503, 429], 'retry_after': 1}
FORKS = 20
TERMS = 2000


def error_bound(logical):
    """Injected errors a run of `logical` requests may see: the mean of the geometric retries plus six standard deviations."""
    mean = logical * ERROR_RATE / (1 - ERROR_RATE)
    spread = math.sqrt(logical * ERROR_RATE) / (1 - ERROR_RATE)
    return int(math.ceil(mean + 6 * spread)) + 2


@pytest.fixture(name='load_server', scope='module')
def load_server_fixture():
    with Emulator(domains=4, users_per_domain=500, max_page=100, **LOAD_SWITCHES) as server:
        yield server
        check_server_untouched(server)


@pytest.fixture(name='load_env')
def load_env_fixture(load_server):
    load_server.configure(**LOAD_SWITCHES)
    load_server.reset()
    return {'NETSAPIENS_API_URL': load_server.url, 'NETSAPIENS_RETRIES': str(RETRIES)}


def check_run(server, result, logical):
    """Exactly `logical` answers besides the injected errors, within the bound; each retry visible; nothing secret shown."""
    stats = server.stats()
    injected = stats['injected_errors']
    assert stats['requests_total'] == logical + injected, (stats['requests_total'], logical, injected)
    assert injected <= error_bound(logical), (injected, error_bound(logical))
    # Besides the injected 503 and 429, only successes (and the 404 of the version probe on a server without v2).
    assert {request['status'] for request in stats['requests'] if request['kind'] != 'v2_disabled'} <= {200, 429, 503}
    assert result.output.count('; retry ') == injected
    for secret in server.issued_tokens():
        assert secret not in result.output
    return stats


@pytest.mark.scenario('20 forks reading at once', '20 hosts (ansible_connection=local, -f 20), each subscriber_info for its own user '
                      'and domain under 20 ms latency and 10 % 503/429: every record right, each host read once, every retry at -vvv, '
                      'injected errors within the computed bound')
def test_twenty_forks_at_once(run_playbook, load_server, load_env, tmp_path, happened):
    domains = sorted(load_server.domains())[:4]
    readers = [(domain, str(1001 + index)) for domain in domains for index in range(FORKS // len(domains))]
    lines = ['[readers]'] + ['reader%02d reader_domain=%s reader_user=%s' % (number, domain, user)
                             for number, (domain, user) in enumerate(readers, 1)]
    lines += ['', '[readers:vars]', 'ansible_connection=local', 'ansible_python_interpreter=%s' % sys.executable]
    inventory = tmp_path / 'readers.ini'
    inventory.write_text('\n'.join(lines) + '\n', encoding='utf-8')
    started = time.monotonic()
    result = run_playbook('load_forks.yml', env=load_env, args=('-i', str(inventory), '-f', str(FORKS)))
    elapsed = time.monotonic() - started
    assert result.rc == 0, result
    truth = {domain: {str(raw['user']): raw for raw in load_server.records(domain)} for domain in domains}
    for number, (domain, user) in enumerate(readers, 1):
        data = result.artifact('reader%02d.json' % number)
        assert data['subscribers'] == [expected_record(truth[domain][user])], (domain, user)
        assert data['missing'] == [] and data['api_version'] == 'v2'
    # Per host: a password grant, the version probe, one read.
    stats = check_run(load_server, result, 3 * FORKS)
    assert stats['token_requests']['total'] == FORKS and stats['reads']['v2_version'] == FORKS and stats['reads']['v2_user'] == FORKS
    assert stats['max_in_flight'] > 1
    happened('%d requests, %d injected errors (bound %d), up to %d in flight, %.0f s' % (
        stats['requests_total'], stats['injected_errors'], error_bound(3 * FORKS), stats['max_in_flight'], elapsed))


@pytest.mark.parametrize('api', ['v2', 'v1'])
@pytest.mark.scenario('A lookup over 2,000 terms ({api})', 'one netsapiens.pbx.subscriber lookup over 2,000 user@domain terms in random '
                      'order, 20 ms latency, 10 % 503/429, pages of 100: every record right and in term order, none lost or repeated, '
                      'each page read once, every retry at -vvv, injected errors within the computed bound')
def test_lookup_over_2000_terms(run_playbook, load_server, load_env, api, happened):
    load_server.configure(v1_only=api == 'v1')
    domains = sorted(load_server.domains())[:4]
    truth = {domain: {str(raw['user']): raw for raw in load_server.records(domain)} for domain in domains}
    terms = [(str(1001 + index), domain) for domain in domains for index in range(TERMS // len(domains))]
    random.Random(6).shuffle(terms)
    started = time.monotonic()
    result = run_playbook('lookup_to_file.yml', {'terms': ['%s@%s' % term for term in terms]}, env=load_env, verbosity=3)
    elapsed = time.monotonic() - started
    assert result.rc == 0, result
    records = result.artifact('result.json')
    assert len(records) == TERMS
    assert records == [expected_record(truth[domain][user]) for user, domain in terms]
    assert len({json.dumps(record, sort_keys=True) for record in records}) == TERMS
    pages = sum(-(-len(truth[domain]) // 100) for domain in domains)
    # One login, the version probe, then a count and every page of each domain.
    stats = check_run(load_server, result, 2 + len(domains) + pages)
    reads = stats['reads']
    if api == 'v2':
        assert (reads['v2_version'], reads['v2_users_count'], reads['v2_users_list'], reads['v2_user']) == (1, len(domains), pages, 0)
    else:
        assert (reads['v1_subscriber_count'], reads['v1_subscriber_read']) == (len(domains), pages)
    assert stats['token_requests']['total'] == 1
    # Retries are bounded per request: never more than RETRIES injected errors in a row (the lookup is sequential).
    streak = longest = 0
    for request in stats['requests']:
        streak = streak + 1 if request['kind'] == 'injected_error' else 0
        longest = max(longest, streak)
    assert longest <= RETRIES
    happened('%d requests, %d injected errors (bound %d), %.0f s' % (
        stats['requests_total'], stats['injected_errors'], error_bound(2 + len(domains) + pages), elapsed))
