# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The inventory plugin's record_fields option: hosts keep only the chosen fields, groups still see every field, and a
wrong field name fails before any request."""

from __future__ import annotations

import json

import yaml

from harness import assert_no_secret_in, expected_record, plain

PLUGIN = 'netsapiens.pbx.subscribers'
FIELDS = ['user', 'domain', 'first_name', 'last_name', 'email', 'scope', 'site', 'group', 'vmail_enabled', 'dial_policy']


def write_config(tmp_path, options):
    path = tmp_path / 'fields.netsapiens.yml'
    path.write_text(yaml.safe_dump(dict({'plugin': PLUGIN}, **options), sort_keys=False), encoding='utf-8')
    return path


def listed(result):
    """The JSON of `ansible-inventory --list`; at -vvv messages come first on stdout."""
    assert result.rc == 0, result
    lines = result.stdout.splitlines()
    return plain(json.loads('\n'.join(lines[lines.index('{'):])))


def test_hosts_keep_only_the_chosen_fields_and_groups_see_every_field(run_inventory, emulator, api, domains, tmp_path, stored_secrets):
    domain = domains[1]
    config = write_config(tmp_path, {'domains': [domain], 'record_fields': FIELDS,
                                     'keyed_groups': [{'key': 'account_status', 'prefix': 'status'}]})
    result = run_inventory(config, verbosity=3)
    assert_no_secret_in(result.output, emulator, stored_secrets)
    inventory = listed(result)
    hostvars = inventory['_meta']['hostvars']
    truth = [raw for raw in emulator.records(domain) if not str(raw.get('srv_code') or '').startswith('system-')]
    assert len(hostvars) == len(truth)
    for raw in truth:
        expected = expected_record(raw)
        host = hostvars['%s@%s' % (raw['user'], domain)]
        assert host['netsapiens_subscriber'] == dict((name, expected[name]) for name in FIELDS)
        assert (host['netsapiens_user'], host['netsapiens_domain']) == (expected['user'], domain)
        # account_status is not kept, but the groups are made from every field.
        assert '%s@%s' % (raw['user'], domain) in inventory['status_' + expected['account_status'].replace(' ', '_')]['hosts']


def test_an_unknown_field_fails_the_load_before_any_request(run_inventory, emulator, domains, tmp_path, stored_secrets):
    config = write_config(tmp_path, {'domains': [domains[0]], 'record_fields': ['user', 'vmail_enable']})
    emulator.reset()
    result = run_inventory(config, verbosity=3)
    assert_no_secret_in(result.output, emulator, stored_secrets)
    assert result.rc != 0
    assert "option 'record_fields' names an unknown subscriber field 'vmail_enable'. Did you mean 'vmail_enabled'" in result.output
    assert 'Traceback' not in result.output
    assert emulator.stats()['requests_total'] == 0
