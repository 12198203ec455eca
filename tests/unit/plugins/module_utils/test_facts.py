# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The facts compliance rules read: forward classes, emergency caller ID and address, PIN weakness."""

from __future__ import annotations

import pytest

from ansible_collections.netsapiens.pbx.plugins.module_utils._facts import (
    classify_destination,
    dial_policy_facts,
    emergency_address,
    emergency_callid,
    forward_facts,
    pin_weakness,
)

EXTENSIONS = frozenset(('1001', '1002', '8000'))


@pytest.mark.parametrize('token, expected', [
    ('vmail_1001', 'internal'), ('user_1002', 'internal'), ('queue_8000', 'internal'), ('<OwnDevices>', 'internal'),
    ('1001', 'internal'), ('1001a', 'internal'), ('1001wp', 'internal'), ('18005551234_voicemail_1001', 'internal'),
    ('8585550123', 'domestic'), ('18585550123', 'domestic'), ('+18585550123', 'domestic'), ('5550123', 'domestic'),
    ('confirm_18585550123', 'domestic'), ('18005551234_pstn_8585550123', 'domestic'), ('8585550123;delay=15', 'domestic'),
    ('011441632960123', 'international'), ('+447700900123', 'international'),
    ('19005550123', 'premium'), ('9005550123', 'premium'), ('+19765550123', 'premium'),
    ('AAMain', 'unknown'), ('12345', 'unknown'), ('', 'unknown'), ('+44abc', 'unknown'),
])
def test_destinations_are_classified(token, expected):
    assert classify_destination(token, EXTENSIONS, '858') == expected


def rule(features, enable='yes'):
    record = {'enable': enable}
    for prefix, (control, parameters) in features.items():
        record['%s_control' % prefix] = control
        record['%s_parameters' % prefix] = parameters
    return record


def test_only_enabled_features_of_enabled_rules_count():
    rules = [rule({'for': ('e', '011441632960123')}), rule({'fna': ('e', 'vmail_1001 19005550123')}),
             rule({'fbu': ('d', '011449999')}), rule({'sim': ('e', '+447700900123')}, enable='no'),
             rule({'acp': ('e', '011440000')})]
    facts = forward_facts(rules, EXTENSIONS, '858')
    assert facts == {'forward_internal': 'vmail_1001', 'forward_domestic': '', 'forward_international': '011441632960123',
                     'forward_premium': '19005550123', 'forward_unknown': ''}


def test_the_emergency_caller_id_is_the_device_s_unless_it_inherits():
    numbers = frozenset(('8585551011',))
    assert emergency_callid({'callid_emgr': '[*]'}, {'callid_emgr': '8585551011'}, numbers) == ('8585551011', 'user', 'ok')
    assert emergency_callid({'callid_emgr': '6195550199'}, {'callid_emgr': '8585551011'}, numbers) == \
        ('6195550199', 'device', 'foreign')
    assert emergency_callid({'callid_emgr': ''}, {'callid_emgr': ''}, numbers) == ('', 'none', 'missing')
    assert emergency_callid({'callid_emgr': '911'}, {}, numbers) == ('911', 'device', 'invalid')
    assert emergency_callid({'callid_emgr': '1234567890'}, {}, numbers)[2] == 'invalid'
    assert emergency_callid({}, {'callid_emgr': '+18585551011'}, numbers)[2] == 'ok'


def test_the_emergency_address_is_the_device_s_then_the_user_s():
    addresses = {'EA1': {'validated': 'yes', 'address_line_1': '1 Main St', 'city': 'San Diego', 'state_code': 'CA',
                         'zip': '92101', 'country_code': 'US'},
                 'EA2': {'validated': 'no'}, 'EA3': {'validated': 'yes', 'city': 'San Diego'}}
    assert emergency_address({'address_id': ''}, {'address_id': 'EA1'}, addresses) == ('EA1', 'user', 'ok')
    assert emergency_address({'address_id': 'EA2'}, {'address_id': 'EA1'}, addresses) == ('EA2', 'device', 'unvalidated')
    assert emergency_address({}, {'address_id': 'EA3'}, addresses)[2] == 'incomplete'
    addresses['EA4'] = dict(addresses['EA1'], address_line_1='   ')
    assert emergency_address({}, {'address_id': 'EA4'}, addresses)[2] == 'incomplete'
    assert emergency_address({}, {'address_id': 'EA9'}, addresses)[2] == 'dangling'
    assert emergency_address({}, {}, addresses) == ('', 'none', 'missing')


@pytest.mark.parametrize('pin, reasons', [
    ('739418', ''), ('', 'empty'), ('1234', 'common,sequence,too_short'), ('1018', 'extension,too_short'),
    ('8101', 'extension,too_short'), ('121212', 'common,repeated_pattern'), ('777777', 'one_digit'),
    ('987654', 'sequence'), ('12ab56', 'not_digits'), ('\uff11\uff12\uff13\uff14\uff15\uff16', 'not_digits'),
    ('2001', 'common,too_short'), ('551011', 'phone_number'), ('482915', ''),
])
def test_pin_weakness_gives_reason_codes_only(pin, reasons):
    assert pin_weakness(pin, '1018', ['8585551011'], min_length=6) == reasons


POLICIES = {
    'US and Canada': [{'dial_match': '911', 'mode': 'permit'}, {'dial_match': '933', 'mode': 'permit'},
                      {'dial_match': '1900*', 'mode': 'deny'}, {'dial_match': '1976*', 'mode': 'deny'},
                      {'dial_match': '1??????????', 'mode': 'permit'},
                      {'dial_match': '011*', 'mode': 'deny'}, {'dial_match': '*', 'mode': 'deny'}],
    'Permit All (International)': [{'dial_match': 'sip:011*@*', 'mode': 'permit'}, {'dial_match': '*', 'mode': 'permit'}],
    'No Emergency': [{'dial_match': '911', 'mode': 'deny'}, {'dial_match': '933', 'mode': 'deny'}],
    'Odd': [{'dial_match': '[0-9]{3}', 'mode': 'permit'}],
    'Blocks 1-900 only': [{'dial_match': '1900*', 'mode': 'deny'}, {'dial_match': '1976*', 'mode': 'permit'}],
    'Allow is no mode': [{'dial_match': '*', 'mode': 'allow'}],
}


@pytest.mark.parametrize('policy, expected', [
    ('US and Canada', {'international': 'no', 'premium': 'no', '911': 'yes', '933': 'yes'}),
    ('Permit All (International)', {'international': 'yes', 'premium': 'yes', '911': 'yes', '933': 'yes'}),
    ('No Emergency', {'international': 'no_rule', 'premium': 'no_rule', '911': 'no', '933': 'no'}),
    ('Blocks 1-900 only', {'international': 'no_rule', 'premium': 'yes', '911': 'no_rule', '933': 'no_rule'}),
    ('Allow is no mode', {'international': 'undetermined', 'premium': 'undetermined', '911': 'undetermined',
                          '933': 'undetermined'}),
    ('Odd', {'international': 'undetermined', 'premium': 'undetermined', '911': 'undetermined', '933': 'undetermined'}),
    ('Missing', {'international': 'unknown_policy', 'premium': 'unknown_policy', '911': 'unknown_policy',
                 '933': 'unknown_policy'}),
])
def test_what_a_dial_policy_permits(policy, expected):
    facts = dial_policy_facts(policy, POLICIES)
    assert facts == dict(('dial_policy_permits_%s' % probe, verdict) for probe, verdict in expected.items())
