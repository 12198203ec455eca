# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""netsapiens.pbx.device_info through ansible-playbook, compared with the devices the emulator stores (v1 form)."""

from __future__ import annotations

import re

from harness import Emulator

# Fields of the emulator's v1 devices that API v2 does not have: never in a record, whichever version served it.
V1_ONLY = frozenset(('sub_scope', 'srv_code', 'address_pretty_print', 'address_ip', 'address_id_source', 'is_endpoint_callid',
                     'call_processing_rule', 'ndperror'))
# Returned only with include_sensitive: the SIP password, the provisioning credentials, the provisioning overrides.
SENSITIVE = ('authentication_key', 'auth_pass', 'auth_user', 'overrides')
PASSWORDS = ('authentication_key', 'auth_pass', 'overrides')
BIG_DOMAIN = 'big.99999.service'


def natural(text):
    return tuple((0, int(part), '') if part.isdigit() else (1, 0, part) for part in re.findall(r'\d+|\D+', text))


def expected_devices(raws, include_sensitive=False):
    """The records the module should return for these stored devices, in its order (owner, then aor)."""
    records = []
    for raw in raws:
        record = {}
        for name, value in raw.items():
            if name in V1_ONLY or (name in SENSITIVE and not include_sensitive):
                continue
            record[name] = '' if value is None else str(value)
        records.append(record)
    return sorted(records, key=lambda record: (natural(record['subscriber_name']), natural(record['aor'])))


def stored(emulator, domains):
    return [raw for domain in domains for raw in emulator.objects('device', domain)]


def read(run_playbook, **variables):
    result = run_playbook('device_info.yml', variables)
    assert result.rc == 0, result.stdout[-3000:]
    return result, result.artifact('result.json')


def test_v1_and_v2_return_identical_records_equal_to_the_stored_devices(run_playbook, emulator, domains):
    wanted = domains[:2]
    by_version = {}
    for api in ('v1', 'v2'):
        emulator.configure(v1_only=api == 'v1')
        emulator.reset()
        _result, data = read(run_playbook, domains=wanted)
        assert data['api_version'] == api
        by_version[api] = (data['devices'], emulator.stats()['reads'])
    expected = [record for domain in wanted for record in expected_devices(emulator.objects('device', domain))]
    assert by_version['v1'][0] == by_version['v2'][0] == expected
    assert {record['subscriber_domain'] for record in expected} == set(wanted) and len(expected) > 100
    assert {record['callid_emgr'] for record in expected} >= {'[*]', ''} and {'registered', 'unregistered'} <= {
        record['mode'] for record in expected}
    v1_reads, v2_reads = by_version['v1'][1], by_version['v2'][1]
    # v1: a count and one page per domain. v2 (44.x): the users of each domain, then one request per user.
    assert (v1_reads['v1_device_count'], v1_reads['v1_device_read']) == (2, 2)
    users = sum(len(emulator.records(domain)) for domain in wanted)
    assert (v2_reads['v2_users_count'], v2_reads['v2_users_list'], v2_reads['v2_device_list']) == (2, 2, users)


def test_secrets_are_left_out_by_default(run_playbook, emulator, api, domains):
    result, data = read(run_playbook, domains=[domains[0]])
    assert data['devices'] and not any(name in record for record in data['devices'] for name in SENSITIVE)
    # auth_user is the device name here (shown as aor_user): the passwords and the overrides must not show.
    secrets = [str(raw[name]) for raw in emulator.objects('device', domains[0]) for name in PASSWORDS if len(str(raw[name])) >= 8]
    assert len(secrets) > 100 and any('localAdminPassword' in secret for secret in secrets)
    # The records are shown at -vvvv (nothing to hide), without a single password.
    assert 'sip:1001a@%s' % domains[0] in result.stdout
    assert not [secret for secret in secrets if secret in result.output]


def test_include_sensitive_returns_the_secrets_but_hides_the_result(run_playbook, emulator, api, domains):
    result, data = read(run_playbook, domains=[domains[0]], users=['1012', '1001'], include_sensitive=True)
    truth = [raw for raw in emulator.objects('device', domains[0]) if raw['subscriber_name'] in ('1001', '1012')]
    assert data['devices'] == expected_devices(truth, include_sensitive=True)
    case = [record for record in data['devices'] if record['aor_user'] == '1012a'][0]
    assert case['authentication_key'] == 'k9x2' and case['transport'] == 'udp'
    assert all(record['auth_pass'] and record['authentication_key'] for record in data['devices'])
    for record in data['devices']:
        for name in SENSITIVE:
            value = record[name]
            assert not value or not re.search(r'(?<![0-9A-Za-z])%s(?![0-9A-Za-z])' % re.escape(value), result.stdout), name
    assert 'authentication_key' not in result.output and 'aor_user' not in result.stdout
    assert "'no_log: true' was specified for this result" in result.stdout


def test_user_option_reads_only_those_users_and_lists_the_missing(run_playbook, emulator, api, domains):
    domain = domains[1]
    _result, data = read(run_playbook, domains=[domain], users=['1005', '1001', 'nobody-here', '8000'])
    truth = [raw for raw in emulator.objects('device', domain) if raw['subscriber_name'] in ('1001', '1005')]
    assert data['devices'] == expected_devices(truth)
    assert [record['aor_user'] for record in data['devices']] == ['1001a', '1005a', '1005b', '1005m']
    # 8000 (a queue) exists and has no devices: not missing.
    assert data['missing'] == ['nobody-here@%s' % domain]
    reads = emulator.stats()['reads']
    assert reads.get('v1_device_read', 0) + reads.get('v2_device_list', 0) == 3
    assert reads.get('v1_device_count', 0) + reads.get('v2_device_count', 0) == 0


def test_filters_keep_exact_matches(run_playbook, emulator, domains):
    filters = {'mode': 'registered', 'transport': ['tls']}
    _result, data = read(run_playbook, domains=domains[:2], filters=filters)
    expected = [record for domain in domains[:2] for record in expected_devices(emulator.objects('device', domain))
                if record['mode'] == 'registered' and record['transport'] == 'tls']
    assert data['devices'] == expected and len(expected) > 10
    _result, data = read(run_playbook, domains=domains[:2], filters={'transport': ['udp', 'tcp'], 'line': 1})
    assert {record['transport'] for record in data['devices']} == {'udp', 'tcp'}
    assert all(record['line'] == '1' for record in data['devices'])


def test_the_first_domains_device_cases_read_as_the_case_table_says(run_playbook, emulator, domains):
    owners = ['1009', '1010', '1011', '1012', '1013', '1014', '1020', '1021', '1022']
    _result, data = read(run_playbook, domains=[domains[0]], users=owners)
    devices = {record['subscriber_name']: record for record in data['devices']}
    assert sorted(devices, key=int) == owners and len(data['devices']) == len(owners)
    assert [devices[user]['callid_emgr'] for user in ('1009', '1010', '1011')] == ['6195550199', '', '[*]']
    assert devices['1012']['transport'] == 'udp'
    assert (devices['1013']['mode'], devices['1013']['registration_time'], devices['1013']['contact']) == ('unregistered', '', '')
    assert devices['1014']['address_id'] == ''
    for user in ('1020', '1021', '1022'):
        assert (devices[user]['transport'], devices[user]['mode'], devices[user]['callid_emgr']) == ('tls', 'registered', '[*]')


def test_unknown_filter_field_suggests_the_right_one_before_any_read(run_playbook, emulator, domains):
    result = run_playbook('device_info.yml', {'domains': [domains[0]], 'filters': {'transprot': 'tls'}})
    assert result.rc != 0
    assert "Option 'filters' names an unknown device field 'transprot'. Did you mean 'transport'?" in result.output
    assert 'Traceback' not in result.output
    assert emulator.stats()['requests_total'] == 0


def test_more_than_a_thousand_devices_of_one_domain_are_read_completely_on_v1(run_playbook):
    # 800 users: a desk phone each, and a second phone and a mobile app for every fifth, 1,120 devices.
    with Emulator(domains=1, users_per_domain=5, big_domain_users=800, v1_only=True) as big:
        result = run_playbook('device_info.yml', {'domains': [BIG_DOMAIN]}, env={'NETSAPIENS_API_URL': big.url}, verbosity=1)
        assert result.rc == 0, result.stdout[-3000:]
        devices = result.artifact('result.json')['devices']
        assert len(devices) == 1120
        assert devices == expected_devices(big.objects('device', BIG_DOMAIN))
        reads = big.stats()['reads']
        # Counted once, then two pages (1,000 and the rest, the second starting at the last device of the first).
        assert (reads['v1_device_count'], reads['v1_device_read']) == (1, 2)
        assert 'v2_device_list' not in reads
