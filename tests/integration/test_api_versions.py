# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Both API versions x every kind of authentication, identical records, the version probe, exact names."""

from __future__ import annotations

import pytest

from harness import READS, Emulator, expected_record

AWKWARD = ['a&b=c', 'hash#1', 'sl/ash', 'sp ace', 'per%cent', 'q?x', "o'neil", 'zo\u00eb', 'p+lus']

# kind -> (consumers, password grants, refresh grants)
AUTH_KINDS = {
    'password': (['module', 'lookup'], 2, 0),
    'api_key': (['module', 'lookup'], 0, 0),
    'token_string': (['module', 'lookup'], 1, 0),
    'login_dict': (['module', 'lookup'], 1, 0),
    # The login token expired on the server: the task gets a token of its own, never spending the shared refresh token.
    'expired_module': (['module'], 2, 0),
    'expired_lookup': (['lookup'], 2, 0),
}


@pytest.mark.parametrize('kind', sorted(AUTH_KINDS))
def test_every_auth_kind_on_both_versions(run_playbook, emulator, api, domains, kind):
    consumers, password_grants, refresh_grants = AUTH_KINDS[kind]
    env = {}
    if kind == 'api_key':
        # Servers without API v2 have no API keys; a v2 server also accepts keys on its v1 routes.
        emulator.configure(v1_only=False)
        env['NETSAPIENS_API_VERSION'] = api
    users = ['1001', '1002']
    result = run_playbook('auth_matrix.yml', {'auth_kind': kind, 'consumers': consumers, 'domain': domains[0], 'users': users,
                                              'emulator_url': emulator.url},
                          auth='api_key' if kind == 'api_key' else 'password', env=env)
    assert result.rc == 0, result
    data = result.artifact('result.json')
    truth = {str(raw['user']): raw for raw in emulator.records(domains[0])}
    expected = [expected_record(truth[user]) for user in users]
    for consumer in consumers:
        assert data[consumer] == expected, consumer
    if 'module' in consumers:
        assert data['api_version'] == api
    tokens = emulator.stats()['token_requests']
    assert (tokens['password'], tokens['refresh_token']) == (password_grants, refresh_grants)
    reads = emulator.stats()['reads']
    # Two named users: one read each, for each consumer.
    assert sum(reads[kind] for kind in set(READS[api].values())) == 2 * len(consumers)


def test_v1_and_v2_servers_give_identical_records(run_playbook, emulator, domains):
    results = {}
    for version in ('v1', 'v2'):
        emulator.configure(v1_only=version == 'v1')
        result = run_playbook('subscriber_info.yml', {'domains': domains})
        assert result.rc == 0, result
        data = result.artifact('result.json')
        assert data['api_version'] == version
        results[version] = sorted(data['subscribers'], key=lambda record: (record['domain'], record['user']))
    assert len(results['v1']) == sum(len(emulator.records(domain)) for domain in domains)
    assert results['v1'] == results['v2']
    assert all(set(record) == set(results['v1'][0]) for record in results['v1'] + results['v2'])


def test_auto_probes_the_version_once_per_run(run_playbook, emulator, domains):
    result = run_playbook('subscriber_info.yml', {'domains': domains[:3], 'users': ['1001', '1002']})
    assert result.rc == 0, result
    assert emulator.stats()['reads']['v2_version'] == 1


def test_login_token_carries_the_version_so_later_runs_do_not_probe(run_playbook, emulator, domains):
    result = run_playbook('login_reuse.yml', {'domains': domains})
    assert result.rc == 0, result
    assert result.artifact('result.json')['api_version'] == 'v2'
    # The login probes once; the two module runs and two lookups reuse the token's version.
    assert emulator.stats()['reads']['v2_version'] == 1


def test_awkward_user_names_reach_the_server_exactly(run_playbook, emulator, api, domains):
    result = run_playbook('one_by_one.yml', {'domain': domains[0], 'users': AWKWARD})
    assert result.rc == 0, result
    data = result.artifact('result.json')
    assert [record['user'] for record in data['module']] == AWKWARD
    assert [record['user'] for record in data['lookup']] == AWKWARD
    requests = [r for r in emulator.stats()['requests'] if r['kind'] == READS[api]['user']]
    if api == 'v1':
        sent = [(r['decoded_params']['user'], r['decoded_params']['domain']) for r in requests]
    else:
        sent = [tuple(reversed(r['decoded_path'][len('/ns-api/v2/domains/'):].split('/users/', 1))) for r in requests]
    # Each name arrived intact, once from the module and once from the lookup, and nothing else was asked.
    assert sorted(sent) == sorted([(user, domains[0]) for user in AWKWARD] * 2)


def test_api_key_run_makes_no_token_request_and_1500_users_cost_two_pages(run_playbook, tmp_path):
    with Emulator(domains=1, users_per_domain=5, big_domain_users=1500) as big:
        result = run_playbook('subscriber_info.yml', {'domains': ['big.99999.service']}, auth='api_key',
                              env={'NETSAPIENS_API_URL': big.url})
        assert result.rc == 0, result
        assert len(result.artifact('result.json')['subscribers']) == 1500
        stats = big.stats()
        assert stats['token_requests']['total'] == 0
        assert stats['reads']['v2_users_list'] == 2
        assert stats['reads']['v2_users_count'] == 1
        assert stats['reads']['v2_user'] == 0
