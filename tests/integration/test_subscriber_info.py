# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""netsapiens.pbx.subscriber_info through ansible-playbook, compared with the emulator's ground truth."""

from __future__ import annotations

import re

from harness import READS, emulator_auth, expected_record


def reads(stats):
    return stats['reads']


def test_one_user_matches_the_ground_truth(run_playbook, emulator, domains):
    result = run_playbook('subscriber_info.yml', {'domains': [domains[0]], 'users': ['1001']})
    assert result.rc == 0, result
    data = result.artifact('result.json')
    truth = {str(raw['user']): raw for raw in emulator.records(domains[0])}
    assert data['subscribers'] == [expected_record(truth['1001'])]
    assert data['missing'] == []
    assert 'pwd_hash' not in data['subscribers'][0] and 'subscriber_pin' not in data['subscribers'][0]
    assert all(isinstance(value, str) for value in data['subscribers'][0].values() if not isinstance(value, list))
    assert emulator.stats()['token_requests']['total'] == 1


def test_several_users_in_the_order_asked_and_missing_ones_listed(run_playbook, emulator, domains):
    users = ['1003', '1001', 'nobody-here', '1002']
    result = run_playbook('subscriber_info.yml', {'domains': [domains[1]], 'users': users})
    assert result.rc == 0, result
    data = result.artifact('result.json')
    assert [record['user'] for record in data['subscribers']] == ['1003', '1001', '1002']
    assert data['missing'] == ['nobody-here@%s' % domains[1]]


def test_whole_domains_are_complete_and_cost_one_page_each(run_playbook, emulator, api, domains):
    result = run_playbook('subscriber_info.yml', {'domains': domains[:2]})
    assert result.rc == 0, result
    data = result.artifact('result.json')
    for domain in domains[:2]:
        truth = sorted((expected_record(raw) for raw in emulator.records(domain)), key=lambda record: record['user'])
        got = sorted((record for record in data['subscribers'] if record['domain'] == domain), key=lambda record: record['user'])
        assert got == truth
    stats = reads(emulator.stats())
    # A count and one page per domain: never one request per user.
    assert stats[READS[api]['page']] == 2
    assert stats[READS[api]['count']] == 2
    assert data['api_version'] == api


def test_filters_keep_exact_matches(run_playbook, emulator, domains):
    result = run_playbook('subscriber_info.yml', {'domains': domains[:2], 'filters': {'scope': ['Office Manager', 'Site Manager'],
                                                                                      'vmail_enabled': True}})
    assert result.rc == 0, result
    got = {(record['user'], record['domain']) for record in result.artifact('result.json')['subscribers']}
    expected = {(str(raw['user']), domain) for domain in domains[:2] for raw in emulator.records(domain)
                if raw.get('scope') in ('Office Manager', 'Site Manager') and raw.get('vmail_enabled') == 'yes'}
    assert got == expected and got


def test_unknown_filter_field_fails_before_any_read(run_playbook, emulator, domains):
    result = run_playbook('subscriber_info.yml', {'domains': [domains[0]], 'filters': {'vmail_enable': 'yes'}})
    assert result.rc != 0
    assert "unknown subscriber field 'vmail_enable'" in result.output
    assert 'Traceback' not in result.output
    assert emulator.stats()['requests_total'] == 0


def test_check_mode_returns_the_same_records(run_playbook, emulator, domains):
    normal = run_playbook('subscriber_info.yml', {'domains': [domains[0]], 'users': ['1001', '1002']})
    checked = run_playbook('subscriber_info.yml', {'domains': [domains[0]], 'users': ['1001', '1002']}, check=True)
    assert normal.rc == 0 and checked.rc == 0, checked
    assert checked.artifact('result.json')['subscribers'] == normal.artifact('result.json')['subscribers']
    assert checked.artifact('result.json')['changed'] is False


def test_include_sensitive_returns_the_pin_but_hides_the_result(run_playbook, emulator, domains):
    result = run_playbook('subscriber_info.yml', {'domains': [domains[0]], 'users': ['1001'], 'include_sensitive': True}, verbosity=4)
    assert result.rc == 0, result
    record = result.artifact('result.json')['subscribers'][0]
    truth = {str(raw['user']): raw for raw in emulator.records(domains[0])}['1001']
    assert record['subscriber_pin'] == str(truth['subscriber_pin'])
    # The PIN as a value of its own (a short PIN also occurs inside random temp directory names, which is no leak).
    assert not re.search(r'(?<![0-9A-Za-z])%s(?![0-9A-Za-z])' % re.escape(record['subscriber_pin']), result.output.replace(domains[0], ''))
    assert 'subscriber_pin' not in result.output


def test_api_key_needs_no_token(run_playbook, emulator, domains):
    result = run_playbook('subscriber_info.yml', {'domains': [domains[0]], 'users': ['1001']}, auth='api_key')
    assert result.rc == 0, result
    assert result.artifact('result.json')['subscribers'][0]['user'] == '1001'
    assert emulator.stats()['token_requests']['total'] == 0


def test_scope_error_names_the_domain(run_playbook, emulator, domains):
    env = {'NETSAPIENS_USERNAME': '1001@%s' % domains[0], 'NETSAPIENS_PASSWORD': emulator_auth.OFFICE_MANAGER_PASSWORD}
    result = run_playbook('subscriber_info.yml', {'domains': [domains[1]]}, env=env)
    assert result.rc != 0
    assert "scope 'Office Manager'" in result.output and '403' in result.output
    assert 'Traceback' not in result.output


def test_unknown_domain_is_reported(run_playbook, emulator):
    result = run_playbook('subscriber_info.yml', {'domains': ['no-such.99999.service']})
    assert result.rc != 0
    assert "no-such.99999.service" in result.output and 'Traceback' not in result.output
