# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Phone numbers: a v1 DID Table rule and the same number from v2 make the same record; the v1 read's parameters."""

from __future__ import annotations

import pytest

from ansible_collections.netsapiens.pbx.plugins.module_utils._objects import OBJECTS
from ansible_collections.netsapiens.pbx.plugins.module_utils._objects.phonenumber import PHONENUMBER, matchrule_of
from ansible_collections.netsapiens.pbx.plugins.module_utils._records import compile_filters, normalise_v1, normalise_v2
from ansible_collections.netsapiens.pbx.plugins.module_utils._errors import NetSapiensConfigError

from .fakes import FakeResponse, make_client

KEY = {'api_key': 'nsr_key'}

# A v1 dial rule of the DID Table as the v1 API sends it, with the v1-only fields and "[*]" values.
RAW_V1 = {
    'matchrule': 'sip:18585551002@*', 'enable': 'yes', 'match_from': '*', 'dow': '*', 'tod_from': '*', 'tod_to': '*',
    'valid_from': '*', 'valid_to': '*', 'responder': 'sip:start@to-user', 'parameter': '', 'to_scheme': '[*]',
    'to_user': 1002, 'to_host': 'acme.12345.service', 'from_name': '[*]', 'from_scheme': '[*]', 'from_user': '[*]',
    'from_host': '[*]', 'dialplan': 'DID Table', 'domain': '*', 'dest_domain': 'acme.12345.service',
    'plan_description': 'Direct line of Alex Smith', 'domain_description': 'Acme Corp', 'domain_owner': 'reseller.demo',
}

# The same number as /ns-api/v2/domains/{domain}/phonenumbers sends it.
RAW_V2 = {
    'phonenumber': '18585551002', 'domain': 'acme.12345.service', 'enabled': 'yes', 'dial-rule-application': 'to-user',
    'dial-rule-parameter': '', 'dial-rule-translation-destination-user': '1002',
    'dial-rule-translation-destination-host': 'acme.12345.service', 'dial-rule-translation-source-name': '[*]',
    'dial-rule-description': 'Direct line of Alex Smith',
}

RECORD = {
    'matchrule': 'sip:18585551002@*', 'dest_domain': 'acme.12345.service', 'enable': 'yes', 'responder': 'sip:start@to-user',
    'parameter': '', 'to_user': '1002', 'to_host': 'acme.12345.service', 'from_name': '[*]',
    'plan_description': 'Direct line of Alex Smith',
}


def test_v1_and_v2_make_the_same_record():
    assert normalise_v1(PHONENUMBER, RAW_V1) == RECORD
    assert normalise_v2(PHONENUMBER, RAW_V2) == RECORD
    assert set(RECORD) == set(PHONENUMBER.fields)
    assert OBJECTS['phonenumber'] is PHONENUMBER


@pytest.mark.parametrize('application, responder', [
    ('to-callqueue', 'sip:start@call-queuing'), ('to-voicemail', 'sip:start@to-vmail'), ('available-number', 'AvailableDID'),
    ('to-user-notify-of-recording', 'ToUserRecordingNotice'), ('to-connection-no-timeout', 'sip:no-rna@to-connection'),
    # An application the table does not know (SPEC45's toggle-timeframe) is kept as the server sent it.
    ('toggle-timeframe', 'toggle-timeframe'),
])
def test_v2_applications_become_v1_responders(application, responder):
    record = normalise_v2(PHONENUMBER, dict(RAW_V2, **{'dial-rule-application': application}))
    assert record['responder'] == responder


def test_the_v2_number_becomes_the_v1_match_rule():
    assert matchrule_of('18585551002') == 'sip:18585551002@*'
    assert matchrule_of(18585551002) == 'sip:18585551002@*'
    assert matchrule_of('sip:611@*') == 'sip:611@*'
    assert matchrule_of(None) == ''


def test_a_secret_looking_field_only_with_include_sensitive():
    raw_v1 = dict(RAW_V1, auth_token='t0k3n')
    raw_v2 = dict(RAW_V2, **{'auth-token': 't0k3n'})
    assert 'auth_token' not in normalise_v1(PHONENUMBER, raw_v1) and 'auth_token' not in normalise_v2(PHONENUMBER, raw_v2)
    assert normalise_v1(PHONENUMBER, raw_v1, include_sensitive=True)['auth_token'] == 't0k3n'
    assert normalise_v2(PHONENUMBER, raw_v2, include_sensitive=True)['auth_token'] == 't0k3n'
    assert PHONENUMBER.is_sensitive('auth_token') and not any(PHONENUMBER.is_sensitive(name) for name in RECORD)


def test_an_unknown_filter_field_suggests_the_close_ones():
    with pytest.raises(NetSapiensConfigError, match="unknown phonenumber field 'touser'. Did you mean 'to_user'"):
        compile_filters({'touser': '1002'}, PHONENUMBER)


def did_table(total):
    """A fake v1 server whose DID Table routes `total` numbers to acme; every read must name the table and dest_domain."""
    rules = [dict(RAW_V1, matchrule='sip:1858555%04d@*' % index, to_user=str(index)) for index in range(total)]

    def answer(call):
        params = call['params']
        assert params['object'] == 'phonenumber' and params['dialplan'] == 'DID Table'
        assert params['dest_domain'] == 'acme' and 'domain' not in params
        if params['action'] == 'count':
            return FakeResponse(200, {'total': str(total)})
        start, limit = int(params['start']), min(int(params['limit']), 400)
        return FakeResponse(200, rules[start:start + limit])
    return answer


def test_v1_reads_the_did_table_of_the_domain_in_proven_pages():
    client, session = make_client(did_table(1001), **KEY)
    batch = client.read_domains(PHONENUMBER, ['acme'])[0]
    assert len(batch.records) == 1001 and batch.missing == []
    assert [record['matchrule'] for record in batch.records[:2]] == ['sip:18585550000@*', 'sip:18585550001@*']
    assert all('domain' not in record and 'dialplan' not in record for record in batch.records)
    # A count, then pages of 400 that overlap by one: 0-399, 399-798, 798-1000.
    assert [call['params'].get('start') for call in session.read_calls()] == [None, 0, 399, 798]


def test_v2_reads_the_phonenumbers_collection():
    def answer(call):
        if call['path'].endswith('/count'):
            return FakeResponse(200, {'total': 1})
        assert call['path'] == '/ns-api/v2/domains/acme/phonenumbers'
        return FakeResponse(200, [RAW_V2])
    client, session = make_client(answer, api_version='v2', **KEY)
    assert client.read_domains(PHONENUMBER, ['acme'])[0].records == [RECORD]
    assert [call['path'] for call in session.calls] == ['/ns-api/v2/domains/acme/phonenumbers/count',
                                                        '/ns-api/v2/domains/acme/phonenumbers']
