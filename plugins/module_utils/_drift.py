# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Drift: an audit's violations compared with those of an earlier audit's JSON report (the baseline).

Each violation of the audit is marked `new` or `unchanged`; the baseline's violations that are gone are `resolved`.
Violations are matched by identity (violation_identity), never by position. A baseline from another server or
another policy is refused; violations of rules that check differently now, or of domains that only one of the two
audits read, are not compared, so that a baseline never makes anything look resolved that was not looked at.
See docs/drift.md.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import collections
import errno
import json

from ansible_collections.netsapiens.pbx.plugins.module_utils._audit import NEW, REPORT_SCHEMA_VERSION, RESOLVED, UNCHANGED
from ansible_collections.netsapiens.pbx.plugins.module_utils._errors import NetSapiensConfigError
from ansible_collections.netsapiens.pbx.plugins.module_utils._records import field_text

SNAPSHOT_FORMAT = 'netsapiens.pbx audit snapshot'
# Rule keys of the report that say what a rule checks; a rule whose other keys (id, description, severity) change still
# finds the same violations.
NOT_THE_CHECK = frozenset(('id', 'description', 'severity'))


def reason_text(value):
    """A violation's actual value as text: a list (reason codes) in sorted order, any other value as field_text."""
    if isinstance(value, (list, tuple)):
        return ','.join(sorted(field_text(item) for item in value))
    return field_text(value)


def violation_identity(violation):
    """What makes a violation the same one in two audits: the rule, the subscriber (user@domain), the device (rules on
    devices) and the reason (the actual value)."""
    actual = violation.get('actual', '')
    return (violation.get('rule', ''), violation.get('user', ''), violation.get('domain', ''), violation.get('device', ''),
            actual if actual.__class__ is str else reason_text(actual))


def read_json_file(path, option, what):
    """The JSON value in a file named by an option, or a NetSapiensConfigError that names the option and the file."""
    try:
        with open(path, 'rb') as handle:
            data = handle.read()
    except OSError as exc:
        if exc.errno == errno.ENOENT:
            raise NetSapiensConfigError("Option '%s': there is no file '%s'; give %s." % (option, path, what))
        raise NetSapiensConfigError("Option '%s': cannot read '%s': %s." % (option, path, exc.strerror or type(exc).__name__))
    try:
        return json.loads(data.decode('utf-8-sig'))
    except UnicodeDecodeError:
        raise NetSapiensConfigError("Option '%s': '%s' is not %s: it is not UTF-8 text." % (option, path, what))
    except ValueError as exc:
        raise NetSapiensConfigError("Option '%s': '%s' is not %s: it is not valid JSON (%s)." % (option, path, what, exc))
    except RecursionError:
        raise NetSapiensConfigError("Option '%s': '%s' is not %s: its JSON is nested too deeply." % (option, path, what))


def server_of(data):
    """The api_url an earlier report or snapshot names, or None when it names none."""
    api_url = data.get('api_url')
    return api_url if isinstance(api_url, str) and api_url else None


def _is_violation(item):
    return (isinstance(item, dict) and isinstance(item.get('rule'), str) and isinstance(item.get('user'), str)
            and isinstance(item.get('domain'), str) and isinstance(item.get('severity'), str))


def _report_problem(data):
    """Why data is not an audit report this collection can compare with, or None."""
    if not isinstance(data, dict):
        return 'it holds a JSON %s, not an object' % type(data).__name__
    if data.get('format') == SNAPSHOT_FORMAT:
        return 'it is an audit snapshot (audit-snapshot.json); give it as baseline_snapshot'
    version = data.get('schema_version')
    if not isinstance(version, int) or isinstance(version, bool):
        return 'it has no schema_version'
    if version > REPORT_SCHEMA_VERSION:
        return 'it has schema_version %d, written by a newer netsapiens.pbx (this one reads up to %d)' % (version, REPORT_SCHEMA_VERSION)
    policy = data.get('policy')
    if not isinstance(policy, dict) or not isinstance(policy.get('name'), str) or not isinstance(policy.get('rules'), list):
        return 'it has no policy with a name and rules'
    if not isinstance(data.get('violations'), list) or not all(map(_is_violation, data['violations'])):
        return 'its violations are not a list of violations'
    if not isinstance(data.get('summary'), dict) or not isinstance(data['summary'].get('by_domain'), dict):
        return 'it has no summary of the domains it audited'
    return None


class Baseline(object):
    """An earlier audit's JSON report (audit-report.json), checked to be one."""

    def __init__(self, data, path):
        problem = _report_problem(data)
        if problem:
            raise NetSapiensConfigError("Option 'baseline': '%s' is not an audit report of netsapiens.pbx (audit-report.json): %s."
                                        % (path, problem))
        self.path = path
        self.generated_at = str(data.get('generated_at', ''))
        self.audit_date = str(data.get('audit_date', ''))
        self.policy = data['policy']['name']
        self.rules = dict((str(rule.get('id')), rule) for rule in data['policy']['rules'] if isinstance(rule, dict))
        self.api_url = server_of(data)
        domains = data.get('domains')
        self.domains = frozenset(domains if isinstance(domains, list) else data['summary']['by_domain'])
        self.violations = data['violations']

    @classmethod
    def load(cls, path):
        return cls(read_json_file(path, 'baseline', 'the JSON report of an earlier audit (audit-report.json)'), path)

    def check_policy(self, policy):
        """Refuse a baseline of another policy: its violations say nothing about this one's."""
        if self.policy != policy.name:
            raise NetSapiensConfigError(
                "Option 'baseline': '%s' is the report of policy '%s', this audit applies policy '%s'; violations of different "
                "policies cannot be compared. Give the report of an earlier audit with this policy, or run once without "
                "baseline to start a new one." % (self.path, self.policy, policy.name))

    def check_server(self, api_url):
        """Refuse a baseline of another server; a warning (or None) for a report that does not name its server."""
        if self.api_url is None:
            return ("The baseline '%s' does not name the server it audited (an older netsapiens.pbx wrote it); it is compared as "
                    "a report of %s." % (self.path, api_url))
        if self.api_url != api_url:
            raise NetSapiensConfigError(
                "Option 'baseline': '%s' is the report of an audit of %s, this audit reads %s; violations of different servers "
                "cannot be compared." % (self.path, self.api_url, api_url))
        return None


def same_check(old, new):
    """Whether two report rules (dicts) check the same thing: every key both have, except id, description and severity,
    is equal (a report written before a key existed is compared on the keys it has)."""
    shared = (set(old) & set(new)) - NOT_THE_CHECK
    return all(old[key] == new[key] for key in shared)


class Drift(object):
    """The comparison of an audit with its baseline: counts, the resolved violations, what was left out and why."""

    def __init__(self, baseline, new_only):
        self.baseline = baseline
        self.new_only = bool(new_only)
        self.counts = {NEW: 0, UNCHANGED: 0, RESOLVED: 0}
        self.resolved = []
        self.not_compared = 0
        self.warnings = []

    def summary(self):
        """The keys the audit's summary gains."""
        return {'new_violations': self.counts[NEW], 'unchanged_violations': self.counts[UNCHANGED],
                'resolved_violations': self.counts[RESOLVED], 'fail_on_new_only': self.new_only}

    def as_report(self):
        """The JSON report's `baseline` object."""
        return {
            'generated_at': self.baseline.generated_at, 'audit_date': self.baseline.audit_date, 'policy': self.baseline.policy,
            'new': self.counts[NEW], 'unchanged': self.counts[UNCHANGED], 'resolved': self.counts[RESOLVED],
            'not_compared': self.not_compared, 'warnings': list(self.warnings), 'resolved_violations': self.resolved,
        }


class _Scope(object):
    """Which rules and domains the audit and its baseline both checked the same way."""

    def __init__(self, result, baseline):
        current = dict((rule['id'], rule) for rule in result.policy.rules_as_dicts())
        self.current_rules, self.baseline_rules = set(current), set(baseline.rules)
        self.rules = set(rule_id for rule_id, rule in current.items()
                         if rule_id in baseline.rules and same_check(baseline.rules[rule_id], rule))
        self.current_domains, self.baseline_domains = set(result.audited_domains()), set(baseline.domains)
        self.domains = self.current_domains & self.baseline_domains

    def holds(self, violation):
        return violation['rule'] in self.rules and violation['domain'] in self.domains


def _names(values):
    return ', '.join("'%s'" % value for value in sorted(values))


def _scope_warnings(scope, new_outside, old_outside):
    """Warnings for violations that were not compared: (rules or domains, how many) on each side."""
    warnings = []
    changed = scope.current_rules - scope.rules
    if changed:
        warnings.append('Rule(s) %s are new or check differently than in the baseline: their %d violation(s) count as new.'
                        % (_names(changed), sum(1 for violation in new_outside if violation['rule'] in changed)))
    gone = scope.baseline_rules - scope.rules
    if gone:
        warnings.append('Rule(s) %s of the baseline are not in this policy or check differently now: their %d baseline '
                        'violation(s) are not compared (not counted as resolved).'
                        % (_names(gone), sum(1 for violation in old_outside if violation['rule'] in gone)))
    added = scope.current_domains - scope.baseline_domains
    if added:
        warnings.append('Domain(s) %s were not audited in the baseline: their violations count as new.' % _names(added))
    dropped = scope.baseline_domains - scope.current_domains
    if dropped:
        warnings.append('Domain(s) %s of the baseline are not audited now: their baseline violations are not compared '
                        '(not counted as resolved).' % _names(dropped))
    return warnings


def compare(result, baseline, new_only=False):
    """Mark each violation of an AuditResult `new` or `unchanged` against a Baseline, list the resolved ones, and set
    result.drift. Raises NetSapiensConfigError for a baseline of another server or policy."""
    baseline.check_policy(result.policy)
    drift = Drift(baseline, new_only)
    warning = baseline.check_server(result.api_url)
    if warning:
        drift.warnings.append(warning)
    scope = _Scope(result, baseline)
    compared = [(violation_identity(violation), violation) for violation in baseline.violations if scope.holds(violation)]
    remaining = collections.Counter(identity for identity, _violation in compared)
    new_outside = []
    for violation in result.violations:
        identity = violation_identity(violation) if scope.holds(violation) else None
        if identity is not None and remaining[identity] > 0:
            remaining[identity] -= 1
            violation['status'] = UNCHANGED
        else:
            violation['status'] = NEW
            if identity is None:
                new_outside.append(violation)
        drift.counts[violation['status']] += 1
    for identity, violation in compared:
        if remaining[identity] > 0:
            remaining[identity] -= 1
            drift.resolved.append(dict(violation, status=RESOLVED))
    drift.counts[RESOLVED] = len(drift.resolved)
    drift.not_compared = len(baseline.violations) - len(compared)
    drift.warnings.extend(_scope_warnings(scope, new_outside, [v for v in baseline.violations if not scope.holds(v)]))
    result.drift = drift
    return drift
