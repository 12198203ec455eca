# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Snapshots of the records an audit read: no secrets, stable JSON, and the changes between two of them."""

from __future__ import annotations

import json

import pytest

from ansible_collections.netsapiens.pbx.plugins.module_utils._errors import NetSapiensConfigError
from ansible_collections.netsapiens.pbx.plugins.module_utils._objects import OBJECTS
from ansible_collections.netsapiens.pbx.plugins.module_utils._snapshot import (
    PreviousSnapshot, change_counts, compare_snapshots, snapshot_text, take_snapshot)

URL = 'https://pbx.example.com'


def subscriber(user, domain='acme', **fields):
    return dict({'user': user, 'domain': domain, 'first_name': 'Ann', 'vmail_enabled': 'yes', 'presence': 'open',
                 'last_update': '2026-01-01 10:00:00'}, **fields)


def snap(objects, domains=('acme',), url=URL, at='2026-03-01T08:00:00Z'):
    return take_snapshot(objects, url, domains, at)


def previous(snapshot, path='earlier/audit-snapshot.json'):
    """A snapshot as a later audit reads it back from its file."""
    return PreviousSnapshot(json.loads(''.join(snapshot_text(snapshot))), path)


def test_secret_and_volatile_fields_never_reach_a_snapshot():
    records = [subscriber('1001', subscriber_pin='4321', pwd_hash='$2y$...', sipPassword='x', api_key='k', voicemail_pin='1',
                          pin_weak_reasons=['sequence'], dir='266')]
    devices = [{'aor': 'sip:1001a@acme', 'subscriber_domain': 'acme', 'authentication_key': 'k9x2', 'auth_pass': 'p',
                'auth_user': 'prov', 'overrides': 'admin_password=1', 'model': 'T54W', 'mode': 'registered',
                'registration_time': '2026-03-01 07:59:00', 'contact': 'sip:1001a@10.0.0.5'}]
    rules = [{'user': '1001', 'domain': 'acme', 'time_frame': '*', 'active': 'yes', 'for_control': 'e'}]
    snapshot = snap({'subscribers': records, 'devices': devices, 'answerrules': rules})
    assert snapshot['objects']['subscribers'] == {'1001@acme': {'user': '1001', 'domain': 'acme', 'first_name': 'Ann',
                                                                'vmail_enabled': 'yes', 'dir': '266'}}
    # The name rule catches the SIP and provisioning passwords; the device object (once registered) its other sensitive fields.
    device = {'aor': 'sip:1001a@acme', 'subscriber_domain': 'acme', 'model': 'T54W'}
    if 'device' not in OBJECTS:
        device.update(auth_user='prov', overrides='admin_password=1')
    assert snapshot['objects']['devices'] == {'sip:1001a@acme': device}
    assert snapshot['objects']['answerrules'] == {'1001@acme (*)': {'user': '1001', 'domain': 'acme', 'time_frame': '*',
                                                                    'for_control': 'e'}}
    assert records[0]['subscriber_pin'] == '4321', 'the records themselves are left as they are'


def test_snapshot_text_is_json_with_sorted_keys_and_one_field_per_line():
    records = [subscriber('1002', email='b@example.com', dir=['a', 'b'], extra={'z': '1', 'a': '2'}),
               subscriber('1001', first_name='Zo\u00eb "Q"')]
    snapshot = snap({'subscribers': records, 'devices': []}, domains=('beta', 'acme'))
    text = ''.join(snapshot_text(snapshot))
    assert text == json.dumps(snapshot, indent=1, sort_keys=True, ensure_ascii=False)
    assert '\n   "1001@acme": {\n    "domain": "acme",\n    "first_name": "Zo\u00eb \\"Q\\"",\n' in text
    assert snapshot['domains'] == ['acme', 'beta'] and snapshot['objects']['devices'] == {}
    assert ''.join(snapshot_text(snap({'subscribers': list(reversed(records)), 'devices': []}, domains=('acme', 'beta')))) == text


def test_the_same_key_twice_is_kept_twice():
    snapshot = snap({'subscribers': [subscriber('1001'), subscriber('1001', first_name='Bo'), subscriber('1001', first_name='Cy')]})
    assert sorted(snapshot['objects']['subscribers']) == ['1001@acme', '1001@acme #2', '1001@acme #3']


def test_unknown_kinds_are_a_programming_error():
    with pytest.raises(ValueError, match='unknown kind'):
        snap({'phonenumbers': []})


def test_changes_added_removed_and_changed_fields():
    before = snap({'subscribers': [subscriber('1001'), subscriber('1002'), subscriber('1010', email='a@x')]})
    after = snap({'subscribers': [subscriber('1002', vmail_enabled='no', presence='closed'), subscriber('1010'),
                                  subscriber('1003'), subscriber('999')]}, at='2026-03-02T08:00:00Z')
    changes = compare_snapshots(previous(before), after)
    assert changes == {'since': '2026-03-01T08:00:00Z', 'warnings': [], 'subscribers': {
        'added': ['999@acme', '1003@acme'], 'removed': ['1001@acme'],
        'changed': [{'key': '1002@acme', 'fields': [{'field': 'vmail_enabled', 'old': 'yes', 'new': 'no'}]},
                    {'key': '1010@acme', 'fields': [{'field': 'email', 'old': 'a@x', 'new': None}]}]}}
    assert change_counts(changes) == {'subscribers': {'added': 2, 'removed': 1, 'changed': 2, 'fields': 2}}


def test_only_kinds_and_domains_both_read_are_compared():
    before = snap({'subscribers': [subscriber('1001'), subscriber('1001', 'beta')], 'devices': []}, domains=('acme', 'beta'))
    after = snap({'subscribers': [subscriber('1002'), subscriber('1001', 'gamma')], 'answerrules': []}, domains=('acme', 'gamma'))
    changes = compare_snapshots(previous(before), after)
    assert changes['subscribers'] == {'added': ['1002@acme'], 'removed': ['1001@acme'], 'changed': []}
    assert 'devices' not in changes and 'answerrules' not in changes
    assert changes['warnings'] == [
        'The devices were not read by this audit: they are not compared.',
        'The answerrules were not read by the baseline snapshot: they are not compared.',
        "Domain(s) 'beta' were not read by this audit: their records are not compared.",
        "Domain(s) 'gamma' were not read by the baseline snapshot: their records are not compared."]


def test_a_snapshot_of_another_server_is_refused():
    with pytest.raises(NetSapiensConfigError, match="Option 'baseline_snapshot': 'earlier/audit-snapshot.json' is a snapshot of "
                                                    "https://pbx.other.example, this audit reads https://pbx.example.com"):
        compare_snapshots(previous(snap({'subscribers': []}, url='https://pbx.other.example')), snap({'subscribers': []}))


@pytest.mark.parametrize('content, words', [
    ('{"format": "netsapiens.pbx audit snapshot", "snapshot_version": 1, "objects": {', 'is not valid JSON'),
    ('{"schema_version": 1, "violations": []}', 'it is an audit report (audit-report.json); give it as baseline'),
    ('{"format": "other"}', "it has no 'format': 'netsapiens.pbx audit snapshot'"),
    ('{"format": "netsapiens.pbx audit snapshot", "snapshot_version": 2}', 'its snapshot_version is 2'),
    ('{"format": "netsapiens.pbx audit snapshot", "snapshot_version": 1}', 'it has no objects and domains'),
    ('{"format": "netsapiens.pbx audit snapshot", "snapshot_version": 1, "domains": [], "objects": {"subscribers": []}}',
     "its 'subscribers' are not records by key"),
])
def test_files_that_are_not_a_snapshot(tmp_path, content, words):
    path = tmp_path / 'audit-snapshot.json'
    path.write_text(content, encoding='utf-8')
    with pytest.raises(NetSapiensConfigError) as caught:
        PreviousSnapshot.load(str(path))
    assert str(caught.value).startswith("Option 'baseline_snapshot': '%s'" % path) and words in str(caught.value)
