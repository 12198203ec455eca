# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What an audit keeps in memory: the objects of a few domains at a time, and of each device only what rules and reports
use; the facts and results stay the same."""

from __future__ import annotations

from ansible_collections.netsapiens.pbx.plugins.module_utils._client import Batch
from ansible_collections.netsapiens.pbx.plugins.module_utils._compliance import annotate_domain, domain_chunks, read_audit_data
from ansible_collections.netsapiens.pbx.plugins.module_utils._policy import Policy

DEVICE = {'aor': 'sip:1001a@acme', 'aor_user': '1001a', 'subscriber_name': '1001', 'subscriber_domain': 'acme', 'transport': 'udp',
          'model': 'Yealink T54W', 'user_agent': 'Yealink SIP-T54W 96.86.0.70', 'mac': '805EC0123456', 'callid_emgr': '[*]',
          'authentication_key': 'k9x2', 'registration_time': '2024-05-02 10:00:00', 'address_id': ''}
USER = {'user': '1001', 'domain': 'acme', 'scope': 'Basic User', 'site': 'HQ', 'group': '', 'srv_code': '', 'callid_emgr': '8585550100',
        'address_id': ''}


def batches(*sizes):
    return [Batch([{'user': str(index)} for index in range(size)], []) for size in sizes]


def test_domains_are_taken_a_few_thousand_subscribers_at_a_time():
    assert list(domain_chunks(batches(400, 700, 300, 1200, 50, 10), 1000)) == [slice(0, 2), slice(2, 4), slice(4, 6)]
    assert list(domain_chunks(batches(5000), 1000)) == [slice(0, 1)]
    assert list(domain_chunks(batches(), 1000)) == []


def test_a_device_record_keeps_the_fields_rules_and_reports_use_and_all_its_facts():
    fields = {'transport', 'sip_password_length', 'registered'}
    whole = annotate_domain([dict(USER)], {'device': [dict(DEVICE)]}, fields, 6)[1][0]
    kept = annotate_domain([dict(USER)], {'device': [dict(DEVICE)]}, fields, 6, device_fields=fields)[1][0]
    dropped = ('aor_user', 'subscriber_name', 'subscriber_domain', 'model', 'user_agent', 'mac', 'callid_emgr', 'registration_time',
               'address_id')
    assert kept == dict((name, value) for name, value in whole.items() if name not in dropped)
    assert (kept['aor'], kept['user'], kept['domain'], kept['transport'], kept['sip_password_length'], kept['registered'],
            kept['scope']) == ('sip:1001a@acme', '1001', 'acme', 'udp', '4', 'yes', 'Basic User')
    assert kept['callid_emgr_status'] == whole['callid_emgr_status'] and kept['address_status'] == whole['address_status']
    assert 'authentication_key' not in kept and 'model' not in kept


class ChunkedClient:
    """A client that serves subscribers and devices of many domains and notes which domains each read asked for."""

    api_version = 'v2'

    def __init__(self, users):
        self.users = users
        self.reads = []

    def read_domains(self, kind, domains, users=None, include_sensitive=False, known_users=None):
        self.reads.append((kind.name, len(domains)))
        if kind.name == 'subscriber':
            return [Batch([dict(USER, user=str(1000 + index), domain=domain) for index in range(self.users)], []) for domain in domains]
        return [Batch([dict(DEVICE, aor='sip:%sa@%s' % (user, domain), subscriber_name=user, subscriber_domain=domain)
                       for user in known_users[domain]], []) for domain in domains]

    @staticmethod
    def map(function, items):
        return [function(item) for item in items]


def test_the_audit_reads_devices_a_few_domains_at_a_time_and_keeps_every_device():
    client = ChunkedClient(400)
    domains = ['d%02d' % index for index in range(10)]
    rule = {'id': 'D-1', 'object': 'device', 'field': 'transport', 'equals': 'tls'}
    data = read_audit_data(client, domains, Policy({'name': 'p', 'rules': [rule]}).rules, 6)
    assert client.reads == [('subscriber', 10), ('device', 3), ('device', 3), ('device', 3), ('device', 1)]
    assert len(data.subscribers) == 4000 and len(data.devices) == 4000
    assert data.devices[-1]['aor'] == 'sip:1399a@d09' and 'model' not in data.devices[-1]


def test_an_audit_that_takes_a_snapshot_keeps_whole_device_records_still_read_in_chunks():
    client = ChunkedClient(400)
    domains = ['d%02d' % index for index in range(10)]
    rule = {'id': 'D-1', 'object': 'device', 'field': 'transport', 'equals': 'tls'}
    data = read_audit_data(client, domains, Policy({'name': 'p', 'rules': [rule]}).rules, 6, whole_records=True)
    assert client.reads == [('subscriber', 10), ('device', 3), ('device', 3), ('device', 3), ('device', 1)]
    last = data.devices[-1]
    assert (last['aor'], last['model'], last['mac']) == ('sip:1399a@d09', 'Yealink T54W', '805EC0123456')
    assert last['user_agent'] == 'Yealink SIP-T54W 96.86.0.70'
    assert 'authentication_key' not in last
    assert data.snapshot_objects()['devices'] is data.devices
