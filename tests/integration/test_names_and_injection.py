# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""User and domain names that could change a request (&, =, #, ?, /, %, ".", ".."), and a list of 5,000 names.

Each test is a row of the reliability scenario table (tests/integration/scenarios.py). Every playbook runs at -vvv or -vvvv
and its whole output is checked for secrets; the `emulator` fixture checks after each test that nothing tried to write
and that no credential travelled in a URL. All traffic stays on 127.0.0.0/8.
"""

from __future__ import annotations

import re

import pytest

from harness import clean_failure, data_requests, expected_record, run_attempts

scenario = pytest.mark.scenario


INJECTION_NAMES = ['1001&domain=globex.23456.service', '1001?domain=globex.23456.service', '1001#domain=globex.23456.service',
                   '1001/../../globex.23456.service/users/1001', '1001%26domain%3Dglobex.23456.service', '1001;domain=globex.23456.service',
                   '1001 OR 1=1', '1001\'"', '1001\\', '1001+1', '1001\u00e9\u4e2d', 'a&b=c', 'sp ace', 'q?x']


@scenario('User names with &, =, #, ?, /, %, spaces, quotes, non-ASCII ({api})', 'the server received exactly each name in the first '
          'domain, through the module and the lookup; "1001&domain=globex..." read nothing of globex; existing odd names found')
def test_user_names_are_not_injected(run_playbook, emu, api, domains, truth):
    emu.configure(v1_only=api == 'v1')
    modules = [{'label': 'module %d' % index, 'domain': [domains[0]], 'user': [name]} for index, name in enumerate(INJECTION_NAMES)]
    lookups = [{'label': 'lookup %d' % index, 'terms': ['%s@%s' % (name, domains[0])], 'options': {'on_missing': 'ignore'}}
               for index, name in enumerate(INJECTION_NAMES)]
    found = run_attempts(run_playbook, emu, modules, lookups)
    existing = {name: [expected_record(truth[domains[0]][name])] if name in truth[domains[0]] else [] for name in INJECTION_NAMES}
    for index, name in enumerate(INJECTION_NAMES):
        assert found.entries['module %d' % index]['subscribers'] == existing[name], name
        assert found.entries['lookup %d' % index]['ansible_facts']['looked_up'] == existing[name], name
    sent = []
    for request in data_requests(found.stats):
        if api == 'v1':
            sent.append((request['decoded_params'].get('user'), request['decoded_params'].get('domain')))
        else:
            domain, _users, user = request['path'][len('/ns-api/v2/domains/'):].split('/', 2)
            sent.append((user, domain))
    if api == 'v2':
        from urllib.parse import unquote  # pylint: disable=import-outside-toplevel
        sent = [(unquote(user), unquote(domain)) for user, domain in sent]
    # Each name arrived intact and in the first domain, once from the module and once from the lookup; nothing else was read.
    assert sorted(sent) == sorted((name, domains[0]) for name in INJECTION_NAMES * 2)


@scenario('User or domain names "." and ".." (API v2)', 'no request for another resource: "." and ".." users are missing without '
          'reading /users/ or the domain, a ".." domain is refused as not a valid domain name')
def test_dot_segment_names(run_playbook, emu, domains):
    attempts = [{'label': 'user .', 'domain': [domains[0]], 'user': ['.'], 'api_version': 'v2'},
                {'label': 'user ..', 'domain': [domains[0]], 'user': ['..'], 'api_version': 'v2'},
                {'label': 'domain ..', 'domain': ['..'], 'user': ['1001'], 'api_version': 'v2'}]
    found = run_attempts(run_playbook, emu, attempts)
    clean_failure(found.entries['domain ..'], 'not a valid domain name')
    for label in ('user .', 'user ..'):
        entry = found.entries[label]
        assert not entry.get('failed') and entry['subscribers'] == [], label
    assert all(re.match(r'^/ns-api/v2/domains/[^/]+/users/[^/]+$', request['path']) for request in data_requests(found.stats)), \
        [request['path'] for request in data_requests(found.stats)]


@scenario('A list of 5,000 user names', 'worked with 4 requests (token, version probe, count, one page): 40 records in the order asked, '
          '4,960 listed as missing')
def test_huge_user_list(run_playbook, emu, domains, truth):
    names = [str(number) for number in range(6000, 1000, -1)]
    result = run_playbook('subscriber_info.yml', {'domains': [domains[0]], 'users': names})
    assert result.rc == 0, result
    data = result.artifact('result.json')
    present = [name for name in names if name in truth[domains[0]]]
    assert data['subscribers'] == [expected_record(truth[domains[0]][name]) for name in present]
    assert len(data['missing']) == len(names) - len(present) and len(present) == 40
    stats = emu.stats()
    assert stats['requests_total'] == 4
    assert (stats['reads']['v2_users_count'], stats['reads']['v2_users_list'], stats['reads']['v2_user']) == (1, 1, 0)
