# Copyright: netsapiens.pbx contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The benchmark's scenarios: what each one runs, against which emulator layout, and how its output is checked."""

from __future__ import annotations

import hashlib
import json
import os
import re

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
PLAYS = os.path.join(HERE, 'scenarios')

# Emulator layouts: 10 domains; the emulator adds 3 system users per domain and 10 odd users to the first one.
# The service-provider layouts (msp, msp_large) have many small domains, one device, one answer rule and one DID per
# user (--one-object-per-user), and msp sits 100 ms away; a layout's own latency_ms replaces --latency-ms.
LAYOUTS = {'1k': {'domains': 10, 'users_per_domain': 100},
           '10k': {'domains': 10, 'users_per_domain': 1000},
           '50k': {'domains': 10, 'users_per_domain': 5000},
           'msp': {'domains': 300, 'users_per_domain': 20, 'one_object_per_user': True, 'latency_ms': 100},
           'msp_large': {'domains': 1000, 'users_per_domain': 50, 'one_object_per_user': True}}
QUICK_LAYOUTS = {'1k': {'domains': 10, 'users_per_domain': 10},
                 '10k': {'domains': 10, 'users_per_domain': 100},
                 '50k': {'domains': 10, 'users_per_domain': 300},
                 'msp': {'domains': 12, 'users_per_domain': 4, 'one_object_per_user': True, 'latency_ms': 50},
                 'msp_large': {'domains': 40, 'users_per_domain': 5, 'one_object_per_user': True}}
SYSTEM_USERS_PER_DOMAIN = 3


class Scenario:
    """One measured command. `build(ctx)` returns (argv, expected count); `count(log, ctx)` reads the count it produced
    with `pattern` (a regular expression over the output, or a function of ctx; None: nothing to count).

    concurrency: the max_concurrency it runs with (NETSAPIENS_MAX_CONCURRENCY; None: the default, 8); emulator: runtime
    switches set for its runs only; digest: a function of ctx that fingerprints what the run produced (the audit report),
    to compare scenarios that must produce the same."""

    def __init__(self, ident, label, layout, build, pattern=None, floor=None, runs=None, kind='collection', concurrency=None,
                 emulator=None, digest=None):
        self.ident, self.label, self.layout, self.build = ident, label, layout, build
        self.pattern, self.floor, self.runs, self.kind = pattern, floor, runs, kind
        self.concurrency, self.emulator, self.digest = concurrency, emulator or {}, digest

    def env(self):
        """Environment variables of its runs besides the common ones."""
        return {'NETSAPIENS_MAX_CONCURRENCY': str(self.concurrency)} if self.concurrency else {}

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

# The packs of the service-provider audit (playbooks/audit.yml's default), and the three of issue 14's target.
ALL_PACKS = ['baseline', 'e911', 'toll_fraud', 'voicemail_pin', 'device_security']
COMPLIANCE_PACKS = ['e911', 'toll_fraud', 'voicemail_pin']
# max_concurrency of the msp sweep besides the default 8 (the chart: wall time against max_concurrency).
SWEEP = (1, 2, 4, 16, 32)
IN_FLIGHT_LIMIT = {'max_in_flight': 4, 'retry_after': 1}
# The 10 fields hosts keep in the inventory scenarios with record_fields (scenarios/inventory_fields.netsapiens.yml).
INVENTORY_FIELDS = 10


def floor_audit(concurrency=8, sequential=False, users_only=False):
    """The floor of an audit with the packs (benchmarks/floor_audit.py), or with users_only that of subscriber_info with
    domain: all (the domain list, then the users)."""
    def build(ctx):
        script = 'floor_audit_sequential.py' if sequential else 'floor_audit.py'
        argv = [ctx['python'], os.path.join(HERE, script)]
        argv += ['--all-domains', '--objects', 'users'] if users_only else ['--domains', ','.join(ctx['domains'])]
        argv += [] if sequential else ['--concurrency', str(concurrency)]
        return argv + (['--probe'] if ctx['probe'] else []), ctx['total']
    return build


def audit_with(packs):
    """The audit role over the layout's domains with these packs."""
    def build(ctx):
        argv, expected = audit(ctx)
        extra = json.loads(argv[-1])
        extra['packs'] = packs
        return argv[:-1] + [json.dumps(extra)], expected
    return build


# What audit_digest leaves out of the report: when it was made and the server's address (the emulators of runs made at
# the same time listen on different ports). Runs record it; runs without it hashed the address too.
DIGEST_LEAVES_OUT = ('generated_at', 'api_url')


def audit_digest(ctx):
    """sha256 of the audit's JSON report without DIGEST_LEAVES_OUT: the same for runs that found the same."""
    path = os.path.join(ctx['tmp'], 'audit-reports', 'audit-report.json')
    try:
        with open(path, encoding='utf-8') as handle:
            report = json.load(handle)
    except (OSError, ValueError):
        return None
    for name in DIGEST_LEAVES_OUT:
        report.pop(name, None)
    return hashlib.sha256(json.dumps(report, sort_keys=True).encode('utf-8')).hexdigest()[:16]


def subscriber_info_all(ctx):
    return [ctx['bin'] + 'ansible-playbook', os.path.join(PLAYS, 'subscriber_info_all.yml')], ctx['total']


def inventory_fields(graph=False):
    """ansible-inventory --list (or --graph) of the layout's domains, hosts keeping 10 fields of their records."""
    def build(ctx):
        argv = [ctx['bin'] + 'ansible-inventory', '-i', os.path.join(PLAYS, 'inventory_fields.netsapiens.yml')]
        if graph:
            argv.append('--graph')
        else:
            ctx['inventory_output'] = os.path.join(ctx['tmp'], 'inventory.json')
            argv += ['--list', '--output', ctx['inventory_output']]
        return argv, ctx['total'] - SYSTEM_USERS_PER_DOMAIN * len(ctx['domains'])
    return build


def service_provider_scenarios(with_inventory=True):
    """The scenarios of issues 14 and 16: the audit with the packs at 10,000 subscribers, hosts with 10 fields, and the
    msp layouts (a sweep of max_concurrency, a server that allows 4 requests at once, 50,000 subscribers in 1,000 domains)."""
    found = [
        Scenario('floor_packs_10k', 'floor: what the audit with the packs reads, 8 at once', '10k', floor_audit(), RECORDS, kind='floor'),
        Scenario('audit_packs_10k', 'audit role with e911, toll_fraud, voicemail_pin', '10k', audit_with(COMPLIANCE_PACKS), AUDITED,
                 floor='floor_packs_10k'),
    ]
    if with_inventory:
        found += [Scenario('inventory_fields_%s%s' % ('graph_' if graph else '', size), 'inventory plugin, %d record_fields: %s'
                           % (INVENTORY_FIELDS, 'ansible-inventory --graph' if graph else 'ansible-inventory --list'), size,
                           inventory_fields(graph), graph_hosts if graph else inventory_hosts, floor='floor_' + size,
                           runs=1 if size == '50k' else None)
                  for size in ('10k', '50k') for graph in (False, True)]
    return found + msp_scenarios()


def msp_scenarios():
    audit_label = 'audit role, baseline + 4 compliance packs'
    found = [
        Scenario('floor_msp', 'floor: what the audit reads, 8 at once', 'msp', floor_audit(), RECORDS, kind='floor'),
        Scenario('floor_msp_sequential', 'sequential floor: one request at a time', 'msp', floor_audit(sequential=True), RECORDS,
                 kind='floor', runs=1),
        Scenario('floor_msp_subscribers', 'floor: domain list and users, 8 at once', 'msp', floor_audit(users_only=True), RECORDS,
                 kind='floor'),
        Scenario('audit_msp', audit_label, 'msp', audit_with(ALL_PACKS), AUDITED, floor='floor_msp', concurrency=8,
                 digest=audit_digest),
        Scenario('subscriber_info_msp', 'subscriber_info, domain: all', 'msp', subscriber_info_all, r'subscribers: (\d+)',
                 floor='floor_msp_subscribers', concurrency=8),
        Scenario('audit_msp_inflight4', audit_label + ', max_concurrency 16, server allows 4 at once', 'msp', audit_with(ALL_PACKS),
                 AUDITED, concurrency=16, emulator=IN_FLIGHT_LIMIT, digest=audit_digest, runs=1),
    ]
    for level in SWEEP:
        floor = 'floor_msp_sequential' if level == 1 else 'floor_msp_c%d' % level
        if level != 1:
            found.append(Scenario(floor, 'floor: what the audit reads, %d at once' % level, 'msp', floor_audit(level), RECORDS,
                                  kind='floor', runs=1))
        found.append(Scenario('audit_msp_c%d' % level, '%s, max_concurrency %d' % (audit_label, level), 'msp', audit_with(ALL_PACKS),
                              AUDITED, floor=floor, concurrency=level, digest=audit_digest, runs=1))
    found += [
        Scenario('floor_msp_large', 'floor: what the audit reads, 8 at once', 'msp_large', floor_audit(), RECORDS, kind='floor', runs=1),
        Scenario('audit_msp_large', audit_label, 'msp_large', audit_with(ALL_PACKS), AUDITED, floor='floor_msp_large', concurrency=8,
                 runs=1),
    ]
    return found


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
    return found + service_provider_scenarios(with_inventory)
