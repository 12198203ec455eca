# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Answer rules: v1 pairs and v2 nested features give the same record; reads per user on both versions."""

from __future__ import annotations

import pytest

from ansible_collections.netsapiens.pbx.plugins.module_utils._errors import NetSapiensConfigError
from ansible_collections.netsapiens.pbx.plugins.module_utils._objects.answerrule import ANSWERRULE, control_of
from ansible_collections.netsapiens.pbx.plugins.module_utils._records import compile_filters, matches, normalise_v1, normalise_v2

from .fakes import FakeResponse, make_client

OFF = {'enabled': 'no', 'parameters': []}

# One rule as a v1 server sends it (SPEC45 AnswerruleLegacy: user and priority JSON numbers, active a boolean, a stale
# JSON number on a disabled feature, pwd and pwd_hash from PM's copied subscriber schema).
RAW_V1 = {
    'domain': 'acme', 'user': 1007, 'time_frame': '*', 'priority': 1, 'enable': 'yes', 'active': True,
    'sim_control': 'e', 'sim_parameters': '1007 <OwnDevices> +447700900123;delay=15',
    'for_control': 'd', 'for_parameters': 18587645226, 'fbu_control': 'e', 'fbu_parameters': 'vmail_1007',
    'fna_control': 'd', 'fna_parameters': '', 'fnr_control': 'd', 'fnr_parameters': '',
    'foa_control': 'd', 'foa_parameters': '', 'fsp_control': 'd', 'fsp_parameters': '',
    'pna_control': 'd', 'pna_parameters': '', 'acp_control': 'd', 'acp_parameters': '',
    'rej_control': 'e', 'rej_parameters': 'anonymous unknown', 'dnd_control': 'd', 'scr_control': 'e',
    'pwd': 'plain-pass-1', 'pwd_hash': '$2y$10$abcdef',
}

# The same rule from API v2: nested features, numbers for digit strings, v2-only time ranges.
RAW_V2 = {
    'domain': 'acme', 'user': '1007', 'time-frame': '*', 'enabled': 'yes', 'is-active': True, 'order': 1,
    'simultaneous-ring': {'enabled': 'yes', 'parameters': [1007, '<OwnDevices>', '+447700900123;delay=15']},
    'forward-always': {'enabled': 'no', 'parameters': [18587645226]},
    'forward-on-busy': {'enabled': 'yes', 'parameters': ['vmail_1007']},
    'forward-no-answer': OFF, 'forward-when-unregistered': OFF, 'forward-on-active': OFF,
    'forward-on-spam-call': OFF, 'forward-on-dnd': OFF, 'phone-numbers-to-allow': {'enabled': 'no'},
    'phone-numbers-to-reject': {'enabled': 'yes', 'parameters': ['anonymous', 'unknown']},
    'do-not-disturb': {'enabled': 'no'}, 'call-screening': {'enabled': 'yes'},
    'time_range_data': [{'day-of-week-number': '*', 'start-time': '00:00', 'end-time': '23:59'}],
}


def test_a_v1_rule_and_the_same_rule_from_v2_give_the_same_record():
    record = normalise_v1(ANSWERRULE, RAW_V1)
    assert normalise_v2(ANSWERRULE, RAW_V2) == record
    assert record['user'] == '1007' and record['priority'] == '1' and record['active'] == 'yes'
    assert record['sim_parameters'] == '1007 <OwnDevices> +447700900123;delay=15'
    assert record['for_control'] == 'd' and record['for_parameters'] == '18587645226'
    assert record['acp_parameters'] == '' and record['scr_control'] == 'e'
    assert sorted(record) == sorted(ANSWERRULE.fields)


def test_other_spellings_of_v2_read_the_same():
    raw = dict(RAW_V2)
    raw['ordinal-priority'] = raw.pop('order')
    raw['enable'] = raw.pop('enabled')
    raw['simultaneous-ring'] = {'enable': 'yes', 'parameters': [1007, '<OwnDevices>', '+447700900123;delay=15']}
    raw['forward-on-busy'] = {'enable': True, 'parameters': 'vmail_1007'}
    assert normalise_v2(ANSWERRULE, raw) == normalise_v1(ANSWERRULE, RAW_V1)


@pytest.mark.parametrize('enabled, control', [('yes', 'e'), ('no', 'd'), (True, 'e'), (False, 'd'), ('e', 'e'), ('d', 'd'),
                                              ('', ''), (None, ''), ('sometimes', 'sometimes')])
def test_feature_switches_become_v1_controls(enabled, control):
    assert control_of(enabled) == control
    assert normalise_v2(ANSWERRULE, {'forward-always': {'enabled': enabled}}) == {'for_control': control, 'for_parameters': ''}


def test_features_without_destinations_have_only_a_control_and_missing_objects_read_as_unset():
    record = normalise_v2(ANSWERRULE, {'do-not-disturb': {'enabled': 'yes', 'parameters': ['x']}, 'forward-no-answer': None})
    assert record == {'dnd_control': 'e', 'fna_control': '', 'fna_parameters': ''}


def test_large_numbers_keep_every_digit():
    record = normalise_v2(ANSWERRULE, {'forward-always': {'enabled': 'yes', 'parameters': [18005551234, 18005551235.0, '011441632960123']}})
    assert record['for_parameters'] == '18005551234 18005551235 011441632960123'


def test_pwd_and_pwd_hash_are_never_returned_and_secret_looking_fields_only_with_include_sensitive():
    raw = dict(RAW_V1, sip_token='t0k3n-value')
    assert 'pwd' not in normalise_v1(ANSWERRULE, raw, include_sensitive=True)
    assert 'pwd_hash' not in normalise_v1(ANSWERRULE, raw, include_sensitive=True)
    assert 'sip_token' not in normalise_v1(ANSWERRULE, raw)
    assert normalise_v1(ANSWERRULE, raw, include_sensitive=True)['sip_token'] == 't0k3n-value'
    assert normalise_v2(ANSWERRULE, {'sip-token': 'x'}, include_sensitive=True) == {'sip_token': 'x'}
    assert ANSWERRULE.is_sensitive('sip_token') and not any(ANSWERRULE.is_sensitive(name) for name in ANSWERRULE.fields)


def test_filters_know_the_pair_names():
    compiled = compile_filters({'for_control': 'e', 'enable': True}, ANSWERRULE)
    assert not matches(normalise_v1(ANSWERRULE, RAW_V1), compiled)
    assert matches(normalise_v1(ANSWERRULE, dict(RAW_V1, for_control='e')), compiled)
    with pytest.raises(NetSapiensConfigError, match="unknown answerrule field 'for_parameter'. Did you mean 'for_parameters'"):
        compile_filters({'for_parameter': '1'}, ANSWERRULE)


def rules_server(version):
    """A fake server with users 1001, 1010 and 1002 in domain acme; 1010 has three rules, answered out of order."""
    rules = {
        '1001': [{'time_frame': '*', 'priority': 1}],
        '1002': [],
        '1010': [{'time_frame': '*', 'priority': 10}, {'time_frame': 'Lunch', 'priority': 9}, {'time_frame': 'After Hours', 'priority': 0}],
    }
    users = [{'user': '1001', 'domain': 'acme'}, {'user': '1010', 'domain': 'acme'}, {'user': '1002', 'domain': 'acme'}]

    def answer(call):
        params = call['params']
        if version == 'v1' and params['object'] == 'subscriber':
            return FakeResponse(200, {'total': '3'} if params['action'] == 'count' else users)
        if version == 'v1':
            user, domain = params['uid'].split('@')
            return FakeResponse(200, [dict(rule, user=int(user), domain=domain) for rule in rules[user]])
        parts = call['path'].split('/')
        if parts[-1] == 'count':
            return FakeResponse(200, {'total': 3})
        if parts[-1] == 'users':
            return FakeResponse(200, users[int(params['start']):])
        return FakeResponse(404, {'code': 404, 'message': 'Record not found'}) if not rules[parts[6]] else FakeResponse(
            200, [{'time-frame': rule['time_frame'], 'order': rule['priority'], 'user': parts[6], 'domain': 'acme'}
                  for rule in rules[parts[6]]])
    return answer


@pytest.mark.parametrize('version', ['v1', 'v2'])
def test_rules_are_read_user_by_user_and_ordered_by_user_then_priority_as_a_number(version):
    client, session = make_client(rules_server(version), api_key='k', api_version=version, max_concurrency=1)
    batch = client.read_domains(ANSWERRULE, ['acme'])[0]
    assert [(record['user'], record['priority'], record['time_frame']) for record in batch.records] == [
        ('1001', '1', '*'), ('1010', '0', 'After Hours'), ('1010', '9', 'Lunch'), ('1010', '10', '*')]
    rule_calls = [call for call in session.calls if 'answerrule' in call['path'] or call['params'].get('object') == 'answerrule']
    if version == 'v1':
        assert sorted(call['params']['uid'] for call in rule_calls) == ['1001@acme', '1002@acme', '1010@acme']
        assert all(call['params']['action'] == 'read' and 'domain' not in call['params'] for call in rule_calls)
    else:
        assert sorted(call['path'] for call in rule_calls) == ['/ns-api/v2/domains/acme/users/%s/answerrules' % user
                                                               for user in ('1001', '1002', '1010')]


def test_named_users_that_do_not_exist_are_missing():
    def answer(call):
        if call['path'].endswith('/users/1999'):
            return FakeResponse(404, {'code': 404, 'message': 'User not found'})
        if call['path'].endswith('/users/1010'):
            return FakeResponse(200, {'user': '1010', 'domain': 'acme'})
        return rules_server('v2')(call)
    client, _session = make_client(answer, api_key='k', api_version='v2')
    batch = client.read_domains(ANSWERRULE, ['acme'], users=['1999', '1010'])[0]
    assert [record['time_frame'] for record in batch.records] == ['After Hours', 'Lunch', '*']
    assert batch.missing == ['1999']
