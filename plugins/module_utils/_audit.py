# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Evaluate a policy over records in one pass, and summarise the outcome (the JSON report's content)."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import datetime

from ansible_collections.netsapiens.pbx.plugins.module_utils._policy import SEVERITIES, SEVERITY_RANK, is_system_user
from ansible_collections.netsapiens.pbx.plugins.module_utils._records import field_text

REPORT_SCHEMA_VERSION = 1
# A rule's outcome for one record it selects: (PASS, None), (VIOLATION, the violation dict) or (EXEMPT, the Exemption).
PASS, VIOLATION, EXEMPT = 'pass', 'violation', 'exempt'
PASSED = (PASS, None)
# A violation's mark against a baseline (see _drift): in the baseline too, not in it, or in the baseline only.
NEW, UNCHANGED, RESOLVED = 'new', 'unchanged', 'resolved'


class AuditResult(object):
    """Violations, exemptions and counts. `checks[rule_id]` is how many records the rule applied to.

    `outcomes[rule_id]` lists, for each record in order, None (the rule does not select it) or its outcome:
    PASSED, (VIOLATION, violation) with the dict also in `violations`, or (EXEMPT, Exemption).

    The caller may add where the records came from (`api_url`, the audited `domains`), the comparison with a baseline
    (`drift`, a _drift.Drift that marks each violation's `status`), the snapshot of the records (`snapshot`) and its
    changes since an earlier one (`changes`); the reports show what is there.
    """

    def __init__(self, policy, records, today, devices=None):
        self.policy = policy
        self.records = records
        self.devices = devices or []
        self.today = today
        self.violations = []
        self.exempted = []
        self.expired_exemptions = []
        self.checks = dict((rule.id, 0) for rule in policy.rules)
        self.outcomes = dict((rule.id, []) for rule in policy.rules)
        self.api_url = ''
        self.domains = None
        self.drift = None
        self.snapshot = None
        self.changes = None

    def audited_domains(self):
        """The domains audited: as given, else those of the records."""
        if self.domains is not None:
            return sorted(self.domains)
        return sorted(set(record.get('domain', '') for record in self.records))

    @property
    def new_only(self):
        """Whether only new violations count against fail_on (fail_on_new_only with a baseline)."""
        return self.drift is not None and self.drift.new_only

    def records_of(self, rule):
        """The records a rule is checked against: the subscribers, or the devices for a rule on devices."""
        return self.devices if rule.object == 'device' else self.records

    def counts_by(self, key, at_least=None):
        counts = {}
        for violation in self.violations:
            if at_least is None or SEVERITY_RANK[violation['severity']] >= SEVERITY_RANK[at_least]:
                counts[violation[key]] = counts.get(violation[key], 0) + 1
        return counts

    def failing(self, fail_on):
        """How many violations are at or above the severity fail_on (None: never fail); only new ones with new_only."""
        if not fail_on or fail_on == 'never':
            return 0
        threshold, new_only = SEVERITY_RANK[fail_on], self.new_only
        return sum(1 for violation in self.violations
                   if SEVERITY_RANK[violation['severity']] >= threshold and (not new_only or violation.get('status') == NEW))

    def summary(self, fail_on=None):
        domains = sorted(set(record.get('domain', '') for record in self.records))
        by_severity = dict((name, 0) for name in SEVERITIES)
        by_severity.update(self.counts_by('severity'))
        by_domain = dict((domain, 0) for domain in domains)
        by_domain.update(self.counts_by('domain'))
        by_rule = dict((rule.id, 0) for rule in self.policy.rules)
        by_rule.update(self.counts_by('rule'))
        failing = self.failing(fail_on)
        summary = {
            'policy': self.policy.name,
            'subscribers': len(self.records),
            'domains': len(domains),
            'rules': len(self.policy.rules),
            'checks': sum(self.checks.values()),
            'violations': len(self.violations),
            'violating_subscribers': len(set((v['user'], v['domain']) for v in self.violations)),
            'by_severity': by_severity,
            'by_rule': by_rule,
            'by_domain': by_domain,
            'exempted': len(self.exempted),
            'expired_exemptions': len(self.expired_exemptions),
            'fail_on': fail_on or 'never',
            'failing_violations': failing,
            'passed': failing == 0,
            'by_pack': self.by_pack(fail_on),
        }
        if self.devices:
            summary['devices'] = len(self.devices)
        if self.drift is not None:
            summary.update(self.drift.summary())
        return summary

    def by_pack(self, fail_on=None):
        """pack -> its policy's name, rules, checks, violations and failing violations (several packs audited at once)."""
        packs = {}
        rule_pack = dict((rule.id, rule.pack) for rule in self.policy.rules)
        for pack in self.policy.packs:
            packs[pack['pack']] = {'name': pack['name'], 'rules': len(pack['rules']),
                                   'checks': sum(self.checks.get(rule, 0) for rule in pack['rules']),
                                   'violations': 0, 'failing_violations': 0}
        threshold = SEVERITY_RANK.get(fail_on) if fail_on and fail_on != 'never' else None
        for violation in self.violations:
            counts = packs[rule_pack[violation['rule']]]
            counts['violations'] += 1
            if threshold is not None and SEVERITY_RANK[violation['severity']] >= threshold:
                counts['failing_violations'] += 1
        return packs

    def report(self, fail_on=None, generated_at=None):
        """The whole JSON report (schema in docs/audit-report.md)."""
        report = {
            'schema_version': REPORT_SCHEMA_VERSION,
            'generated_at': generated_at or utc_timestamp(),
            'audit_date': self.today.isoformat(),
            'policy': {'name': self.policy.name, 'description': self.policy.description, 'rules': self.policy.rules_as_dicts()},
            'summary': self.summary(fail_on),
            'checks_by_rule': dict(self.checks),
            'violations': self.violations,
            'exempted': self.exempted,
            'expired_exemptions': self.expired_exemptions,
            'api_url': self.api_url,
            'domains': self.audited_domains(),
        }
        if self.drift is not None:
            report['baseline'] = self.drift.as_report()
        if self.changes is not None:
            report['changes'] = self.changes
        return report


def utc_timestamp():
    """Now in UTC as the reports show it (generated_at): YYYY-MM-DDTHH:MM:SSZ."""
    return datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ')


def utc_today():
    """Today's date in UTC: the day the reports' timestamps (generated_at) name, whatever the controller's time zone."""
    return datetime.datetime.now(datetime.timezone.utc).date()


def _active_exemptions(policy, today, result):
    """(rule id, user, domain) -> Exemption for the exemptions still valid today; the others go to expired_exemptions."""
    active = {}
    for exemption in policy.exemptions:
        if exemption.expires is not None and exemption.expires < today:
            result.expired_exemptions.append(exemption.as_dict())
        else:
            active[(exemption.rule, exemption.user, exemption.domain)] = exemption
    return active


def _evaluate_rule(rule, records, system_users, active, result):
    """The rule's outcome for each record (None where the rule does not select it); fills result's lists and counts."""
    rule_id, field, severity, expected, description = rule.id, rule.field, rule.severity, rule.expected(), rule.description
    device = rule.object == 'device'
    selects, passes, skip_system = rule.selects, rule.passes, not rule.include_system_users
    violations, exempted = result.violations, result.exempted
    outcomes = []
    add = outcomes.append
    for record, system_user in zip(records, system_users):
        if (skip_system and system_user) or not selects(record):
            add(None)
            continue
        value = record.get(field, '')
        if value.__class__ is not str:
            value = field_text(value)
        if passes(value):
            add(PASSED)
            continue
        user, domain = record.get('user', ''), record.get('domain', '')
        exemption = active.get((rule_id, user, domain)) if active else None
        if exemption is not None:
            exempted.append(dict(exemption.as_dict(), actual=value))
            add((EXEMPT, exemption))
            continue
        violation = {'rule': rule_id, 'severity': severity, 'user': user, 'domain': domain, 'field': field,
                     'actual': value, 'expected': expected, 'description': description}
        if device:
            violation['device'] = record.get('aor', '')
        violations.append(violation)
        add((VIOLATION, violation))
    result.checks[rule_id] = len(outcomes) - outcomes.count(None)
    return outcomes


def evaluate(policy, records, today=None, devices=None):
    """Check every record against every rule that selects it, once. Linear in records x rules.

    records are subscribers; devices (with their owners' user, domain, scope, site, group and srv_code) are what rules
    with `object: device` check. today: the audit date for exemption expiry (default: today in UTC). The result holds,
    per rule, each record's outcome (see AuditResult.outcomes); the report writers only render it.
    """
    result = AuditResult(policy, records, today or utc_today(), devices)
    active = _active_exemptions(policy, result.today, result)
    system = {'subscriber': [is_system_user(record) for record in records],
              'device': [is_system_user(record) for record in result.devices]}
    for rule in policy.rules:
        result.outcomes[rule.id] = _evaluate_rule(rule, result.records_of(rule), system[rule.object], active, result)
    return result
