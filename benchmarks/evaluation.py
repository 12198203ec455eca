# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Time the audit's policy evaluation alone: 10,000 records x 20 rules, in one Python call.

    python benchmarks/evaluation.py [--records 10000] [--repeat 5]

Records come from the emulator's own data generator; the policy has 20 rules covering every operator and
selectors. Prints one JSON object: median, best and worst seconds, checks and violations.
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


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--records', type=int, default=10000)
    parser.add_argument('--repeat', type=int, default=5)
    args = parser.parse_args()
    _loader()
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
