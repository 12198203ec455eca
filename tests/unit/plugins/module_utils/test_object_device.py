# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Devices: a v1 object and the same device from API v2 make one record; secrets; whole-domain v1 reads."""

from __future__ import annotations


import pytest

from ansible_collections.netsapiens.pbx.plugins.module_utils._errors import NetSapiensApiError, NetSapiensConfigError
from ansible_collections.netsapiens.pbx.plugins.module_utils._objects import OBJECTS
from ansible_collections.netsapiens.pbx.plugins.module_utils._objects.device import DEVICE
from ansible_collections.netsapiens.pbx.plugins.module_utils._records import compile_filters, normalise_v1, normalise_v2

from .fakes import FakeResponse, make_client

KEY = {'api_key': 'nsr_key'}

# One device as API v1 sends it: JSON numbers, null, '[*]', and fields v2 does not have.
RAW_V1 = {
    'aor': 'sip:1001a@acme', 'aor_user': '1001a', 'subscriber_name': '1001', 'subscriber_domain': 'acme',
    'mode': 'registered', 'user_agent': 'Yealink SIP-T54W 96.86.0.70', 'contact': 'sip:1001a@192.168.1.20:5061;transport=tls',
    'received_from': '198.51.100.7:40112', 'registration_time': '2024-05-02 09:14:37',
    'registration_expires_time': '2024-05-02 10:14:37', 'expires': 3600, 'server': 'core1', 'hostname': 'core2',
    'authentication_key': 'Sip-Pass-1234', 'auth_user': '1001a', 'auth_pass': 'Prov-Pass-5678', 'mac': '805EC04A1B2C',
    'model': 'Yealink T54W', 'transport': 'tls', 'overrides': 'device.auth.localAdminPassword="Adm1n-Pass"', 'line': 1,
    'callid_emgr': '[*]', 'address_id': '', 'sub_fullname': 'Dana Lopez', 'sub_login': '1001@acme', 'accept_agent': '',
    # only on v1
    'sub_scope': 'Office Manager', 'srv_code': '', 'address_pretty_print': '', 'address_ip': '', 'address_id_source': 'user',
    'is_endpoint_callid': False, 'call_processing_rule': 'Record', 'ndperror': None, 'owner': '1001', 'domain': 'acme',
}

# The same device from /ns-api/v2/domains/acme/users/1001/devices: v2 names and types, and fields v1 does not have.
RAW_V2 = {
    'device': '1001a', 'user': '1001', 'domain': 'acme', 'device-sip-registration-uri': 'sip:1001a@acme',
    'device-sip-registration-state': 'registered', 'device-sip-registration-user-agent': 'Yealink SIP-T54W 96.86.0.70',
    'device-sip-registration-contact': 'sip:1001a@192.168.1.20:5061;transport=tls',
    'device-sip-registration-ip-address': '198.51.100.7:40112', 'device-sip-registration-datetime': '2024-05-02 09:14:37',
    'device-sip-registration-expires-datetime': '2024-05-02 10:14:37', 'device-sip-registration-expiry-seconds': 3600,
    'device-provisioning-registration-core-server': 'core1', 'device-sip-registration-core-server': 'core2',
    'device-sip-registration-password': 'Sip-Pass-1234', 'device-provisioning-username': '1001a',
    'device-provisioning-password': 'Prov-Pass-5678', 'device-provisioning-mac-address': '805EC04A1B2C',
    'device-models-model': 'Yealink T54W', 'device-provisioning-sip-transport-protocol': 'tls',
    'device-provisioning-overrides': 'device.auth.localAdminPassword="Adm1n-Pass"', 'device-provisioning-line': 1,
    'caller-id-number-emergency': '[*]', 'emergency-address-id': None, 'name-full-name': 'Dana Lopez',
    'login-username': '1001@acme', 'device-sip-allowed-user-agent': '',
    # only on v2
    'device-push-enabled': 'yes', 'device-srtp-enabled': 'opportunistic', 'device-sip-nat-traversal-enabled': 'automatic',
    'device-level-call-recording-enabled': 'no', 'recording-configuration': 'no', 'device-sip-latency-seconds-current': 0.021,
    'device-sip-latency-seconds-average': 0.03, 'error-reading-from-endpoint-module': 'no', 'auto-answer-enabled': 'no',
}

RECORD = {
    'aor': 'sip:1001a@acme', 'aor_user': '1001a', 'subscriber_name': '1001', 'subscriber_domain': 'acme',
    'mode': 'registered', 'user_agent': 'Yealink SIP-T54W 96.86.0.70', 'contact': 'sip:1001a@192.168.1.20:5061;transport=tls',
    'received_from': '198.51.100.7:40112', 'registration_time': '2024-05-02 09:14:37',
    'registration_expires_time': '2024-05-02 10:14:37', 'expires': '3600', 'server': 'core1', 'hostname': 'core2',
    'mac': '805EC04A1B2C', 'model': 'Yealink T54W', 'transport': 'tls', 'line': '1', 'callid_emgr': '[*]', 'address_id': '',
    'sub_fullname': 'Dana Lopez', 'sub_login': '1001@acme', 'accept_agent': '',
}
SECRETS = {'authentication_key': 'Sip-Pass-1234', 'auth_user': '1001a', 'auth_pass': 'Prov-Pass-5678',
           'overrides': 'device.auth.localAdminPassword="Adm1n-Pass"'}


def test_a_v1_device_and_the_same_v2_device_make_the_same_record():
    assert normalise_v1(DEVICE, RAW_V1) == RECORD
    assert normalise_v2(DEVICE, RAW_V2) == RECORD


@pytest.mark.parametrize('normalise, raw', [(normalise_v1, RAW_V1), (normalise_v2, RAW_V2)], ids=['v1', 'v2'])
def test_passwords_provisioning_credentials_and_overrides_only_with_include_sensitive(normalise, raw):
    assert not set(SECRETS) & set(normalise(DEVICE, raw))
    assert normalise(DEVICE, raw, include_sensitive=True) == dict(RECORD, **SECRETS)
    assert all(DEVICE.is_sensitive(name) for name in SECRETS)
    assert not any(DEVICE.is_sensitive(name) for name in RECORD)


def test_the_core_server_field_of_44_1_servers_is_the_hostname():
    raw = dict(RAW_V2)
    raw['core-server'] = raw.pop('device-sip-registration-core-server')
    assert normalise_v2(DEVICE, raw) == RECORD


def test_filters_know_every_field_a_record_can_hold():
    assert DEVICE.fields == set(RECORD) | set(SECRETS)
    assert OBJECTS['device'] is DEVICE
    assert compile_filters({'transport': 'tls', 'line': 1}, DEVICE) == {'transport': {'tls'}, 'line': {'1'}}
    with pytest.raises(NetSapiensConfigError, match="unknown device field 'sub_scope'"):
        compile_filters({'sub_scope': 'Basic User'}, DEVICE)


def v1_server(devices, total=None):
    """A fake v1 server: the users 1002 and 1010 of domain acme, and these devices."""
    users = [{'user': '1002', 'domain': 'acme'}, {'user': '1010', 'domain': 'acme'}]

    def answer(call):
        params = call['params']
        rows = users if params['object'] == 'subscriber' else devices
        if 'user' in params:
            field = 'user' if params['object'] == 'subscriber' else 'subscriber_name'
            rows = [row for row in rows if row[field] == params['user']]
        if params['action'] == 'count':
            return FakeResponse(200, {'total': str(len(rows)) if total is None else total})
        return FakeResponse(200, rows[int(params.get('start', 0)):])
    return answer


DEVICES = [{'aor': 'sip:%s@acme' % name, 'aor_user': name, 'subscriber_name': name[:-1], 'expires': 60}
           for name in ('1010a', '1002b', '1002a')]


def test_v1_reads_a_whole_domain_with_a_count_and_a_page_sorted_by_owner_then_aor():
    client, session = make_client(v1_server(DEVICES), **KEY)
    batch = client.read_domains(DEVICE, ['acme'])[0]
    assert [record['aor_user'] for record in batch.records] == ['1002a', '1002b', '1010a']
    assert batch.records[0] == {'aor': 'sip:1002a@acme', 'aor_user': '1002a', 'subscriber_name': '1002', 'expires': '60'}
    assert [(call['params']['object'], call['params']['action']) for call in session.calls] == [('device', 'count'), ('device', 'read')]
    assert all(call['params']['domain'] == 'acme' and 'user' not in call['params'] for call in session.calls)


def test_v1_failures_of_a_whole_domain_read_name_the_devices_and_the_domain():
    client, _session = make_client(v1_server(DEVICES, total='many'), **KEY)
    with pytest.raises(NetSapiensApiError) as info:
        client.read_domains(DEVICE, ['acme'])
    assert "Counting devices of domain 'acme' (object=device, action=count) failed" in str(info.value)
    client, _session = make_client(v1_server(DEVICES, total='4'), **KEY)
    with pytest.raises(NetSapiensApiError) as info:
        client.read_domains(DEVICE, ['acme'])
    assert "Reading devices of domain 'acme' failed: the server counts 4 devices but returned 3" in str(info.value)


def test_v1_reads_named_users_devices_with_one_request_each_and_no_count():
    client, session = make_client(v1_server(DEVICES), **KEY)
    batch = client.read_domains(DEVICE, ['acme'], users=['1002', '1999'])[0]
    assert [record['aor_user'] for record in batch.records] == ['1002a', '1002b']
    assert batch.missing == ['1999']
    device_calls = [call['params'] for call in session.calls if call['params']['object'] == 'device']
    assert [(params['action'], params['user'], params['domain']) for params in device_calls] == [('read', '1002', 'acme')]
