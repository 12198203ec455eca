# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest

from ansible_collections.netsapiens.pbx.plugins.module_utils._errors import NetSapiensConfigError
from ansible_collections.netsapiens.pbx.plugins.module_utils._objects.subscriber import SUBSCRIBER
from ansible_collections.netsapiens.pbx.plugins.module_utils._records import compile_filters, matches, normalise_v1, normalise_v2

RAW_V1 = {
    'user': 1001, 'domain': 'acme', 'no_answer_timeout': 25, 'data_limit': 50000.0, 'message': None,
    'vmail_enabled': 'yes', 'callid_nmbr': '[*]', 'pwd_hash': 'abc', 'subscriber_pin': 4321, 'extra_list': ['a', 2],
    'gauSession': 0, 'sso_ids': ['x'],
}


def test_v1_values_become_strings_and_secrets_go():
    record = normalise_v1(SUBSCRIBER, RAW_V1)
    assert record['user'] == '1001'
    assert record['no_answer_timeout'] == '25'
    assert record['data_limit'] == '50000'
    assert record['message'] == ''
    assert record['callid_nmbr'] == '[*]'
    assert record['extra_list'] == ['a', '2']
    assert 'gauSession' not in record and 'sso_ids' not in record
    assert 'pwd_hash' not in record
    assert 'subscriber_pin' not in record


def test_pin_only_with_include_sensitive():
    record = normalise_v1(SUBSCRIBER, RAW_V1, include_sensitive=True)
    assert record['subscriber_pin'] == '4321'
    assert 'pwd_hash' not in record


def test_v2_names_map_to_v1_names():
    raw = {'user': '1001', 'name-first-name': 'Dana', 'ring-no-answer-timeout-seconds': 25, 'email-address': 'd@x',
           'directory-annouce-in-dial-by-name-enabled': 'yes', 'voicemail-login-pin': 1234, 'recording-configuration': 'no',
           'some-new-field': True}
    record = normalise_v2(SUBSCRIBER, raw)
    assert record == {'user': '1001', 'first_name': 'Dana', 'no_answer_timeout': '25', 'email': 'd@x', 'dir_anc': 'yes',
                      'some_new_field': 'yes'}


def test_filters_match_strings_and_yaml_booleans():
    compiled = compile_filters({'vmail_enabled': True, 'no_answer_timeout': [20, '25']}, SUBSCRIBER)
    assert matches({'vmail_enabled': 'yes', 'no_answer_timeout': '25'}, compiled)
    assert not matches({'vmail_enabled': 'no', 'no_answer_timeout': '25'}, compiled)
    assert not matches({'vmail_enabled': 'yes', 'no_answer_timeout': '30'}, compiled)


def test_unknown_filter_field_suggests_the_right_one():
    with pytest.raises(NetSapiensConfigError) as info:
        compile_filters({'vmail_enable': 'yes'}, SUBSCRIBER)
    assert "unknown subscriber field 'vmail_enable'" in str(info.value)
    assert "'vmail_enabled'" in str(info.value)


def test_filters_must_be_a_dict():
    with pytest.raises(NetSapiensConfigError, match='must be a dictionary'):
        compile_filters(['scope'], SUBSCRIBER)


def test_filters_refuse_nested_lists_and_match_list_values():
    with pytest.raises(NetSapiensConfigError, match="Option 'filters': the values for 'scope' must be strings or numbers"):
        compile_filters({'scope': [['Basic User']]}, SUBSCRIBER)
    wanted = compile_filters({'group': 'Sales,Support'}, SUBSCRIBER)
    assert matches({'group': ['Sales', 'Support']}, wanted)
    assert not matches({'group': {'name': 'Sales'}}, wanted)
