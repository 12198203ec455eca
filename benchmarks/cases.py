# Copyright: netsapiens.pbx contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The benchmark's scenarios: what each one runs, against which emulator layout, and how its output is checked."""

from __future__ import annotations

import json
import os
import re

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
PLAYS = os.path.join(HERE, 'scenarios')

# Emulator layouts: 10 domains; the emulator adds 3 system users per domain and 10 odd users to the first one.
LAYOUTS = {'1k': {'domains': 10, 'users_per_domain': 100},
           '10k': {'domains': 10, 'users_per_domain': 1000},
           '50k': {'domains': 10, 'users_per_domain': 5000}}
QUICK_LAYOUTS = {'1k': {'domains': 10, 'users_per_domain': 10},
                 '10k': {'domains': 10, 'users_per_domain': 100},
                 '50k': {'domains': 10, 'users_per_domain': 300}}
SYSTEM_USERS_PER_DOMAIN = 3


class Scenario:
    """One measured command. `build(ctx)` returns (argv, expected count); `count(log, ctx)` reads the count it produced
    with `pattern` (a regular expression over the output, or a function of ctx; None: nothing to count)."""

    def __init__(self, ident, label, layout, build, pattern=None, floor=None, runs=None, kind='collection'):
        self.ident, self.label, self.layout, self.build = ident, label, layout, build
        self.pattern, self.floor, self.runs, self.kind = pattern, floor, runs, kind

    def count(self, log_text, ctx):
        if self.pattern is None:
            return None
        if callable(self.pattern):
            return self.pattern(log_text, ctx)
        found = re.findall(self.pattern, log_text)
        return int(found[-1]) if found else None


def inventory_hosts(_log_text, ctx):
    """Hosts in the --list output file (removed afterwards: about 100 MB at 10,000 hosts)."""
    try:
        with open(ctx['inventory_output'], encoding='utf-8') as handle:
            return len(json.load(handle)['_meta']['hostvars'])
    except (OSError, ValueError, KeyError):
        return None
    finally:
        if os.path.exists(ctx['inventory_output']):
            os.remove(ctx['inventory_output'])


def _write_json(ctx, name, data):
    path = os.path.join(ctx['tmp'], name)
    with open(path, 'w', encoding='utf-8') as handle:
        json.dump(data, handle)
    return path


def floor(ctx):
    argv = [ctx['python'], os.path.join(HERE, 'floor.py'), '--domains', ','.join(ctx['domains'])]
    return argv + (['--probe'] if ctx['probe'] else []), ctx['total']


def trivial(ctx):
    return [ctx['bin'] + 'ansible-playbook', os.path.join(PLAYS, 'trivial.yml')], None


def audit(ctx):
    extra = {'subscriber_audit_fail_on': 'never', 'subscriber_audit_domains': ctx['domains'], 'packs': ['baseline'],
             'subscriber_audit_report_dir': os.path.join(ctx['tmp'], 'audit-reports')}
    return [ctx['bin'] + 'ansible-playbook', os.path.join(ROOT, 'playbooks', 'audit.yml'), '-e', json.dumps(extra)], ctx['total']


def subscriber_info(ctx):
    extra = json.dumps({'bench_domains': ctx['domains']})
    return [ctx['bin'] + 'ansible-playbook', os.path.join(PLAYS, 'subscriber_info_10k.yml'), '-e', extra], ctx['total']


def naive(ctx):
    per_domain = ctx['users_per_domain']
    users = [{'user': str(1001 + number), 'domain': domain} for domain in ctx['domains'] for number in range(per_domain)]
    users = users[:ctx['naive_users']]
    path = _write_json(ctx, 'naive-users.json', {'naive_users': users})
    return [ctx['bin'] + 'ansible-playbook', os.path.join(PLAYS, 'naive.yml'), '-e', '@' + path], len(users)


def lookup_terms(ctx, wanted=1000):
    """`wanted` user@domain terms, the same number in each domain, spread evenly over its regular users."""
    per_domain = min(wanted // len(ctx['domains']), ctx['users_per_domain'])
    step = max(1, ctx['users_per_domain'] // per_domain)
    return ['%d@%s' % (1001 + index * step, domain) for domain in ctx['domains'] for index in range(per_domain)]


def lookup(ctx):
    terms = lookup_terms(ctx)
    path = _write_json(ctx, 'lookup-terms.json', {'bench_terms': terms})
    return [ctx['bin'] + 'ansible-playbook', os.path.join(PLAYS, 'lookup_1000.yml'), '-e', '@' + path], len(terms)


def inventory(ctx):
    ctx['inventory_output'] = os.path.join(ctx['tmp'], 'inventory.json')
    argv = [ctx['bin'] + 'ansible-inventory', '-i', os.path.join(PLAYS, 'inventory_10k.netsapiens.yml'), '--list',
            '--output', ctx['inventory_output']]
    # System users (queues, auto attendants, voicemail) are not hosts by default.
    return argv, ctx['total'] - SYSTEM_USERS_PER_DOMAIN * len(ctx['domains'])


def inventory_graph(ctx):
    """The same inventory load without --list's JSON output: what the plugin and Ansible's host bookkeeping cost."""
    argv = [ctx['bin'] + 'ansible-inventory', '-i', os.path.join(PLAYS, 'inventory_10k.netsapiens.yml'), '--graph']
    return argv, ctx['total'] - SYSTEM_USERS_PER_DOMAIN * len(ctx['domains'])


def graph_hosts(log_text, _ctx):
    """Hosts in --graph output (each subscriber is in its domain group only)."""
    return len(re.findall(r'^[ |]*\|--(?!@).', log_text, re.MULTILINE)) or None


RECORDS = r'records: (\d+)'
AUDITED = r'Audited (\d+) subscribers'


def scenarios(with_inventory=True):
    """Every scenario, in the order they run within one repetition of a layout."""
    found = [
        Scenario('floor_1k', 'floor: requests script', '1k', floor, RECORDS, kind='floor'),
        Scenario('trivial', 'trivial playbook (Ansible start-up)', '1k', trivial, kind='floor'),
        Scenario('audit_1k', 'audit role (playbooks/audit.yml)', '1k', audit, AUDITED, floor='floor_1k'),
        Scenario('naive_1k', 'naive: uri per user + assert loop', '1k', naive, r'checked: (\d+)', floor='floor_1k', runs=1, kind='naive'),
        Scenario('floor_10k', 'floor: requests script', '10k', floor, RECORDS, kind='floor'),
        Scenario('audit_10k', 'audit role (playbooks/audit.yml)', '10k', audit, AUDITED, floor='floor_10k'),
        Scenario('subscriber_info_10k', 'subscriber_info, one task, registered', '10k', subscriber_info, r'subscribers: (\d+)',
                 floor='floor_10k'),
        Scenario('lookup_1000', 'lookup: one query() over 1,000 user@domain terms', '10k', lookup, RECORDS, floor='floor_10k'),
        Scenario('floor_50k', 'floor: requests script', '50k', floor, RECORDS, runs=1, kind='floor'),
        Scenario('audit_50k', 'audit role (playbooks/audit.yml)', '50k', audit, AUDITED, floor='floor_50k', runs=1),
    ]
    if with_inventory:
        found[8:8] = [
            Scenario('inventory_10k', 'inventory plugin: ansible-inventory --list', '10k', inventory, inventory_hosts, floor='floor_10k'),
            Scenario('inventory_graph_10k', 'inventory plugin: ansible-inventory --graph (no JSON output)', '10k', inventory_graph,
                     graph_hosts, floor='floor_10k'),
        ]
    return found
