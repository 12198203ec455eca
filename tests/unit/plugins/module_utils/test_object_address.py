# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""E911 addresses: one address sent by v1 and by v2 becomes one record; secrets, derived fields, filters."""

from __future__ import annotations

import pytest

from ansible_collections.netsapiens.pbx.plugins.module_utils._errors import NetSapiensConfigError
from ansible_collections.netsapiens.pbx.plugins.module_utils._objects import OBJECTS
from ansible_collections.netsapiens.pbx.plugins.module_utils._objects.address import ADDRESS, complete_address, users_by_address
from ansible_collections.netsapiens.pbx.plugins.module_utils._records import compile_filters, matches, normalise_v1, normalise_v2
from ansible_collections.netsapiens.pbx.plugins.module_utils._specs import MODULE_SPECS

RAW_V1 = {
    'address_id': 'a-652487faeb24e_4', 'domain': 'acme', 'user': 1001, 'address_name': 'Dana Lopez',
    'callid_nmbr': 'Acme Corp', 'address_line_1': '9645 Scranton Rd', 'address_line_2': '', 'city': 'San Diego',
    'state_code': 'CA', 'zip': '92121-1761', 'country_code': 'US', 'location': None, 'carrier': 'bandwidth',
    'public_ip': '203.0.113.7', 'address-formatted-pidflo': {'country': 'US', 'A1': 'CA', 'A3': 'San Diego', 'HNO': 9645},
}
RAW_V2 = {
    'emergency-address-id': 'a-652487faeb24e_4', 'domain': 'acme', 'user': '1001', 'address-name': 'Dana Lopez',
    'caller-name': 'Acme Corp', 'address-line-1': '9645 Scranton Rd', 'address-line-2': None,
    'address-city': 'San Diego', 'address-state-province-abbreviation': 'CA', 'address-postal-code': '92121-1761',
    'address-country-abbreviation': 'US', 'address-location-description': None, 'carrier': 'bandwidth',
    'ip-address-public': '203.0.113.7', 'count-users-configured': 2, 'address-is-default-for-site': None,
    'address-formatted-pretty': '9645 Scranton Rd\r\nSan Diego, CA 92121-1761',
    'address-formatted-pidflo': '<presence><civicAddress><country>US</country></civicAddress></presence>',
}
SUBSCRIBERS = [{'user': '1001', 'address_id': 'a-652487faeb24e_4'}, {'user': '1002', 'address_id': ''},
               {'user': '1003', 'address_id': 'a-652487faeb24e_4'}, {'user': '1004', 'address_id': 'EA000000'}]
EXPECTED = {
    'address_id': 'a-652487faeb24e_4', 'domain': 'acme', 'user': '1001', 'address_name': 'Dana Lopez',
    'callid_nmbr': 'Acme Corp', 'address_line_1': '9645 Scranton Rd', 'address_line_2': '', 'city': 'San Diego',
    'state_code': 'CA', 'zip': '92121-1761', 'country_code': 'US', 'location': '', 'carrier': 'bandwidth',
    'validated': 'yes', 'assigned_users': ['1001', '1003'],
}


def completed(record):
    return complete_address(record, users_by_address(SUBSCRIBERS))


def test_v1_and_v2_give_the_same_record():
    assert completed(normalise_v1(ADDRESS, RAW_V1)) == EXPECTED
    assert completed(normalise_v2(ADDRESS, RAW_V2)) == EXPECTED


def test_public_ip_only_with_include_sensitive():
    for record in (normalise_v1(ADDRESS, RAW_V1, True), normalise_v2(ADDRESS, RAW_V2, True)):
        assert completed(record) == dict(EXPECTED, public_ip='203.0.113.7')
    assert ADDRESS.is_sensitive('public_ip') and not ADDRESS.is_sensitive('address_id')


@pytest.mark.parametrize('v1_value, v2_value', [(None, ''), ({}, None), ('', '')])
def test_no_pidflo_means_not_validated(v1_value, v2_value):
    assert completed(normalise_v1(ADDRESS, dict(RAW_V1, **{'address-formatted-pidflo': v1_value})))['validated'] == 'no'
    assert completed(normalise_v2(ADDRESS, dict(RAW_V2, **{'address-formatted-pidflo': v2_value})))['validated'] == 'no'
    without = dict(RAW_V2)
    del without['address-formatted-pidflo']
    assert completed(normalise_v2(ADDRESS, without))['validated'] == 'no'


def test_an_address_nobody_uses_has_no_assigned_users_and_v2_spellings_map():
    raw = dict(RAW_V2, **{'emergency-address-id': 'EA012345', 'user': '*', 'caller-id-number': 'Front desk',
                          'address-provisioned-carrier-name': 'inteliquent'})
    del raw['caller-name'], raw['carrier']
    record = completed(normalise_v2(ADDRESS, raw))
    assert record['assigned_users'] == [] and record['user'] == '*'
    assert record['callid_nmbr'] == 'Front desk' and record['carrier'] == 'inteliquent'


def test_filters_on_derived_fields():
    record = completed(normalise_v1(ADDRESS, RAW_V1))
    stale = complete_address(normalise_v1(ADDRESS, dict(RAW_V1, address_id='EA012345')), users_by_address(SUBSCRIBERS))
    unused = compile_filters({'assigned_users': ''}, ADDRESS)
    assert matches(stale, unused) and not matches(record, unused)
    assert matches(record, compile_filters({'validated': True, 'country_code': ['US', 'CA']}, ADDRESS))
    assert not matches(record, compile_filters({'validated': 'no'}, ADDRESS))


def test_unknown_filter_field_suggests_the_right_one():
    with pytest.raises(NetSapiensConfigError) as info:
        compile_filters({'validate': 'yes'}, ADDRESS)
    assert "unknown address field 'validate'. Did you mean 'validated'" in str(info.value)


def test_the_module_takes_no_user_option_and_the_object_is_listed():
    options = MODULE_SPECS['address_info'][0]
    assert sorted(options) == ['domain', 'filters', 'include_sensitive']
    assert OBJECTS['address'] is ADDRESS
