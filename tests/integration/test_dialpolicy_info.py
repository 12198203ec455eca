# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""netsapiens.pbx.dialpolicy_info through ansible-playbook, compared with the emulator's stored policies and rows."""

from __future__ import annotations

from netsapiens_emulator.emulated.cases import SUBSCRIBERS

from harness import emulator_auth

SHARED = '*'
SECRET = 'policy-S3cr3t-of-the-rows'


def expected(server, domain, shared=True):
    """One record per stored permission row: the domain's own policies, then the shared ones, by name; rows in order."""
    policies = [policy for policy in server.objects('dialpolicy', domain) if shared or policy['domain'] != SHARED]
    rows = server.objects('permission', domain)
    records = []
    for policy in sorted(policies, key=lambda policy: (policy['domain'] == SHARED, policy['dialpolicy'])):
        own = [row for row in rows if (row['domain'], row['dialpolicy']) == (policy['domain'], policy['dialpolicy'])]
        records.extend({'domain': policy['domain'], 'dialpolicy': policy['dialpolicy'], 'policy_description': policy['policy_description'],
                        'order': str(order), 'dial_match': row['dial_match'], 'mode': row['mode'], 'reason': row['reason']}
                       for order, row in enumerate(own, 1))
    return records


def read(run_playbook, variables, version=None, **options):
    env = dict(options.pop('env', {}), **({'NETSAPIENS_API_VERSION': version} if version else {}))
    result = run_playbook('dialpolicy_info.yml', variables, env=env, **options)
    assert result.rc == 0, result
    return result, result.artifact('result.json')


def test_v1_and_v2_return_identical_records_equal_to_the_stored_policies(run_playbook, emulator, domains):
    _result, v1 = read(run_playbook, {'domains': domains[:2]}, 'v1')
    v1_reads = emulator.stats()['reads']
    emulator.reset()
    _result, v2 = read(run_playbook, {'domains': domains[:2]}, 'v2')
    v2_reads = emulator.stats()['reads']
    assert v1['dialpolicies'] == v2['dialpolicies'] == expected(emulator, domains[0]) + expected(emulator, domains[1])
    assert (v1['api_version'], v2['api_version']) == ('v1', 'v2') and 'missing' not in v1
    # One list per domain, and each policy's rows once: the 3 shared policies for both domains, then each domain's own
    # (Internal Only in both, No Emergency in the first).
    assert (v1_reads['v1_dialpolicy_read'], v1_reads['v1_permission_read']) == (2, 6)
    assert not v1_reads.get('v1_dialpolicy_count') and not v1_reads.get('v1_permission_count')
    # v2: the system list once, then one list per domain.
    assert (v2_reads['v2_dialpolicy_list'], v2_reads['v2_permission_list']) == (3, 6)


def test_every_policy_permits_911_first_but_the_one_user_1016_has(run_playbook, emulator, api, domains):
    _result, data = read(run_playbook, {'domains': [domains[0]], 'filters': {'dial_match': ['911', '933']}})
    verdicts = {(record['dialpolicy'], record['dial_match']): (record['mode'], record['order']) for record in data['dialpolicies']}
    blocked = SUBSCRIBERS['1016']['dial_policy']
    assert verdicts.pop((blocked, '911')) == ('deny', '1') and verdicts.pop((blocked, '933')) == ('deny', '2')
    assert verdicts == {(name, match): ('permit', order) for name in ('Internal Only', 'US and Canada', 'Permit All',
                                                                      'Permit All (International)')
                        for match, order in (('911', '1'), ('933', '2'))}


def test_only_the_international_policy_permits_011_in_every_domain(run_playbook, emulator, api, domains):
    _result, data = read(run_playbook, {'domains': 'all', 'filters': {'dial_match': '011*', 'mode': 'permit'}})
    assert [(record['domain'], record['dialpolicy']) for record in data['dialpolicies']] == [
        (SHARED, SUBSCRIBERS['1015']['dial_policy'])] * len(domains)


def test_unknown_filter_field_says_which_fields_exist(run_playbook, emulator, domains):
    result = run_playbook('dialpolicy_info.yml', {'domains': [domains[0]], 'filters': {'dial_mach': '911'}})
    assert result.rc != 0
    assert "Option 'filters' names an unknown dialpolicy field 'dial_mach'. Did you mean 'dial_match'?" in result.output
    assert 'Traceback' not in result.output
    assert emulator.stats()['requests_total'] == 0


def test_an_office_manager_gets_the_domains_own_policies_and_is_told_why_not_the_shared_ones(run_playbook, emulator, api, domains):
    env = {'NETSAPIENS_USERNAME': '1001@%s' % domains[0], 'NETSAPIENS_PASSWORD': emulator_auth.OFFICE_MANAGER_PASSWORD}
    result, data = read(run_playbook, {'domains': [domains[0]]}, env=env, verbosity=3)
    assert data['dialpolicies'] == expected(emulator, domains[0], shared=False)
    assert {record['dialpolicy'] for record in data['dialpolicies']} == {'Internal Only', 'No Emergency'}
    assert 'left out' in result.output and '403' in result.output


def test_a_secret_looking_field_only_with_include_sensitive_and_never_in_output(run_playbook, emu, api, domains):
    emu.configure(extra_object_fields={'v1': {'policy_api_key': SECRET}, 'v2': {'policy-api-key': SECRET}})
    _result, data = read(run_playbook, {'domains': [domains[0]]})
    assert data['dialpolicies'] and not any('policy_api_key' in record for record in data['dialpolicies'])
    result, data = read(run_playbook, {'domains': [domains[0]], 'include_sensitive': True}, verbosity=4)
    assert data['dialpolicies'] and all(record['policy_api_key'] == SECRET for record in data['dialpolicies'])
    assert SECRET not in result.stdout and SECRET not in result.output
    assert 'policy_api_key' not in result.output
