# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The records lookup (any object, the subscriber lookup's term grammar) and the inventory's attach option."""

from __future__ import annotations

import json

import yaml
from harness import plain

PLUGIN = 'netsapiens.pbx.subscribers'


def test_records_lookup_equals_the_module(run_playbook, emulator, api, domains):
    domain = domains[0]
    result = run_playbook('records_lookup.yml', {'terms': ['1001@%s' % domain, '1005@%s' % domain], 'object': 'device',
                                                 'domain': domain, 'users': ['1001', '1005']})
    assert result.rc == 0, result
    data = result.artifact('result.json')
    assert data['lookup'] == data['module'] and len(data['lookup']) == 4  # 1001a; 1005a, 1005b, 1005m
    assert not any('authentication_key' in record for record in data['lookup'])


def test_records_lookup_whole_domains_and_missing_users(run_playbook, emulator, api, domains):
    terms = [domains[1], 'ghost@%s' % domains[0], '1002@%s' % domains[0]]
    result = run_playbook('records_lookup.yml', {'terms': terms, 'object': 'answerrule', 'on_missing': 'warn',
                                                 'domain': domains[0], 'users': []})
    assert result.rc == 0, result
    rules = result.artifact('result.json')['lookup']
    assert "user 'ghost@%s' does not exist" % domains[0] in result.output
    stored = emulator.objects('answerrule', domains[1])
    assert len([rule for rule in rules if rule['domain'] == domains[1]]) == len(stored)
    assert [rule['user'] for rule in rules if rule['domain'] == domains[0]] == ['1002']


def test_records_lookup_refuses_user_terms_for_domain_objects(run_playbook, emulator, domains):
    result = run_playbook('records_lookup.yml', {'terms': ['1001@%s' % domains[0]], 'object': 'phonenumber',
                                                 'domain': domains[0], 'users': []})
    assert result.rc != 0
    assert 'phonenumber records belong to a domain, not to a user; give domain terms' in result.output


def test_inventory_attaches_devices_and_answer_rules(run_inventory, emulator, api, domains, tmp_path):
    config = tmp_path / 'attach.netsapiens.yml'
    config.write_text(yaml.safe_dump({
        'plugin': PLUGIN, 'domain': [domains[0]], 'attach': ['devices', 'answerrules'],
        'keyed_groups': [{'key': "netsapiens_devices | map(attribute='transport') | list", 'prefix': 'transport'}],
        'groups': {'external_forward': "netsapiens_answerrules | selectattr('for_control', 'equalto', 'e') "
                                       "| map(attribute='for_parameters') | select('match', '^(011|[+])') | list | length > 0"},
    }), encoding='utf-8')
    result = run_inventory(str(config))
    assert result.rc == 0, result
    inventory = plain(json.loads(result.stdout))
    hostvars = inventory['_meta']['hostvars']
    first = hostvars['1012@%s' % domains[0]]
    assert [device['transport'] for device in first['netsapiens_devices']] == ['udp']
    assert all('authentication_key' not in device for host in hostvars.values() for device in host['netsapiens_devices'])
    assert hostvars['1001@%s' % domains[0]]['netsapiens_answerrules'][0]['time_frame']
    assert '1012@%s' % domains[0] in inventory['transport_udp']['hosts']
    assert sorted(inventory['external_forward']['hosts']) == ['1002@%s' % domains[0]]
