# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Time the audit's policy evaluation alone, in one Python call, without any request:

- 10,000 records x 20 rules covering every operator and selectors (--packs off);
- with --packs, the compliance packs (e911, toll_fraud, voicemail_pin, device_security) over 10,000 subscribers with
  their devices, answer rules, phone numbers, E911 addresses and dial policies: the facts the audit derives
  (_compliance.annotate_domain) and the evaluation of every rule, as the audit does once the reads are done.

    python benchmarks/evaluation.py [--records 10000] [--repeat 5] [--packs]

Records come from the emulator's own data generator. Prints one JSON object: median, best and worst seconds, checks and
violations (with --packs also the devices and answer rules, and the median of the facts and of the rules apart).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import statistics
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)

RULES = [
    {'id': 'EQ-1', 'field': 'vmail_enabled', 'equals': 'yes', 'severity': 'high'},
    {'id': 'EQ-2', 'field': 'account_status', 'equals': 'standard', 'severity': 'low'},
    {'id': 'EQ-3', 'field': 'dir_list', 'equals': 'yes', 'select': {'scope': ['Basic User', 'Advanced User']}},
    {'id': 'IN-1', 'field': 'vmail_notify', 'in': ['attnew', 'attsave', 'briefattnew'], 'severity': 'low'},
    {'id': 'IN-2', 'field': 'language', 'in': ['en_US', 'fr_CA', 'es_MX']},
    {'id': 'IN-3', 'field': 'time_zone', 'in': ['US/Pacific', 'US/Eastern', 'US/Central', 'US/Mountain']},
    {'id': 'NOTIN-1', 'field': 'dial_policy', 'not_in': ['Permit All (International)'], 'severity': 'high'},
    {'id': 'NOTIN-2', 'field': 'vmail_transcribe', 'not_in': ['Voicebase']},
    {'id': 'RE-1', 'field': 'callid_emgr', 'regex': '^[0-9]{10}$', 'severity': 'critical'},
    {'id': 'RE-2', 'field': 'callid_nmbr', 'regex': '^[0-9]{10}$'},
    {'id': 'RE-3', 'field': 'email', 'regex': '^[^@;]+@[^@;]+$'},
    {'id': 'RANGE-1', 'field': 'no_answer_timeout', 'min': 15, 'max': 30},
    {'id': 'RANGE-2', 'field': 'data_limit', 'min': 50000},
    {'id': 'RANGE-3', 'field': 'call_limit', 'max': 10},
    {'id': 'REQ-1', 'field': 'email', 'required': True},
    {'id': 'REQ-2', 'field': 'site', 'required': True, 'select': {'scope': 'Site Manager'}},
    {'id': 'ABS-1', 'field': 'vmail_fwd_to', 'absent': True},
    {'id': 'ABS-2', 'field': 'message', 'absent': True, 'select': {'include_system_users': True}},
    {'id': 'EQ-4', 'field': 'rej_anony', 'equals': 'yes', 'select': {'group': ['Sales', 'Support']}},
    {'id': 'EQ-5', 'field': 'screen', 'equals': 'no', 'select': {'srv_code': ''}},
]


def _loader():
    """Make ansible_collections.netsapiens.pbx importable (the same way the unit tests do)."""
    root = tempfile.mkdtemp(prefix='netsapiens-bench-')
    os.makedirs(os.path.join(root, 'ansible_collections', 'netsapiens'))
    os.symlink(REPO, os.path.join(root, 'ansible_collections', 'netsapiens', 'pbx'))
    from ansible.plugins.loader import init_plugin_loader  # pylint: disable=import-outside-toplevel
    init_plugin_loader([root])


def _records(count):
    from netsapiens_emulator.data import Store  # pylint: disable=import-outside-toplevel
    from ansible_collections.netsapiens.pbx.plugins.module_utils._records import normalise_v1  # pylint: disable=import-outside-toplevel
    from ansible_collections.netsapiens.pbx.plugins.module_utils._objects.subscriber import SUBSCRIBER  # pylint: disable=import-outside-toplevel
    store = Store(seed=1, domains=10, users_per_domain=max(1, count // 10))
    records = [normalise_v1(SUBSCRIBER, raw) for users in store.users.values() for raw in users]
    return records[:count]


PACKS = ('e911', 'toll_fraud', 'voicemail_pin', 'device_security')
# emulator object -> (the collection's object, whether the audit reads it with include_sensitive)
PACK_OBJECTS = {'device': ('device', True), 'answerrule': ('answerrule', False), 'phonenumber': ('phonenumber', False),
                'address': ('address', False), 'permission': ('dialpolicy', False)}


def _domains(count):
    """[(subscribers, {object: records})] of 10 domains of count / 10 users (secrets in, as the audit reads them)."""
    # pylint: disable=import-outside-toplevel
    from netsapiens_emulator.data import Store
    from netsapiens_emulator.emulated import register_all
    from netsapiens_emulator.objects import build_all
    from ansible_collections.netsapiens.pbx.plugins.module_utils._objects import OBJECTS
    from ansible_collections.netsapiens.pbx.plugins.module_utils._objects.subscriber import SUBSCRIBER
    from ansible_collections.netsapiens.pbx.plugins.module_utils._records import normalise_v1
    store = Store(seed=1, domains=10, users_per_domain=max(1, count // 10 - 3))
    register_all()
    stored = build_all(store)
    domains = []
    for domain, users in store.users.items():
        objects = dict((name, [normalise_v1(OBJECTS[name], raw, sensitive) for raw in stored[emulated][domain]])
                       for emulated, (name, sensitive) in PACK_OBJECTS.items())
        domains.append(([normalise_v1(SUBSCRIBER, raw, True) for raw in users], objects))
    return domains


def _policy():
    # pylint: disable=import-outside-toplevel
    import yaml
    from ansible_collections.netsapiens.pbx.plugins.module_utils._policy import Policy
    policies = []
    for pack in PACKS:
        with open(os.path.join(REPO, 'playbooks', 'policies', pack + '.yml'), encoding='utf-8') as handle:
            policies.append(Policy(yaml.safe_load(handle), pack=pack))
    return Policy.combine(policies)


def measure_packs(count, repeat):
    """The facts and the rules of the packs over `count` subscribers with their objects, `repeat` times."""
    # pylint: disable=import-outside-toplevel
    from ansible_collections.netsapiens.pbx.plugins.module_utils._audit import evaluate
    from ansible_collections.netsapiens.pbx.plugins.module_utils._compliance import annotate_domain
    policy = _policy()
    fields = set(rule.field for rule in policy.rules)
    facts_times, rules_times, result, devices, rules = [], [], None, [], 0
    for _run in range(repeat):
        domains = _domains(count)  # annotate_domain changes the records: fresh ones for each run
        rules = sum(len(objects['answerrule']) for _users, objects in domains)
        started = time.perf_counter()
        users, devices = [], []
        for subscribers, objects in domains:
            domain_users, domain_devices = annotate_domain(subscribers, objects, fields, policy.parameters['pin_min_length'],
                                                           device_fields=fields)
            users.extend(domain_users)
            devices.extend(domain_devices)
        derived = time.perf_counter()
        result = evaluate(policy, users, datetime.date(2026, 11, 28), devices)
        facts_times.append(derived - started)
        rules_times.append(time.perf_counter() - derived)
    totals = [facts + rules_time for facts, rules_time in zip(facts_times, rules_times)]
    return {'packs': list(PACKS), 'records': len(users), 'devices': len(devices), 'answerrules': rules, 'rules': len(policy.rules),
            'checks': sum(result.checks.values()), 'violations': len(result.violations),
            'median_s': round(statistics.median(totals), 4), 'best_s': round(min(totals), 4), 'worst_s': round(max(totals), 4),
            'facts_median_s': round(statistics.median(facts_times), 4), 'rules_median_s': round(statistics.median(rules_times), 4)}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--records', type=int, default=10000)
    parser.add_argument('--repeat', type=int, default=5)
    parser.add_argument('--packs', action='store_true', help='the compliance packs over subscribers with their objects')
    args = parser.parse_args()
    _loader()
    if args.packs:
        print(json.dumps(measure_packs(args.records, args.repeat)))
        return
    from ansible_collections.netsapiens.pbx.plugins.module_utils._audit import evaluate  # pylint: disable=import-outside-toplevel
    from ansible_collections.netsapiens.pbx.plugins.module_utils._policy import Policy  # pylint: disable=import-outside-toplevel
    records = _records(args.records)
    policy = Policy({'name': 'benchmark', 'rules': RULES})
    times = []
    result = None
    for _run in range(args.repeat):
        started = time.perf_counter()
        result = evaluate(policy, records, datetime.date(2026, 11, 28))
        times.append(time.perf_counter() - started)
    print(json.dumps({'records': len(records), 'rules': len(RULES), 'checks': sum(result.checks.values()),
                      'violations': len(result.violations), 'median_s': round(statistics.median(times), 4),
                      'best_s': round(min(times), 4), 'worst_s': round(max(times), 4)}))


if __name__ == '__main__':
    main()
