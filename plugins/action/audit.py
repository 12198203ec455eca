# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""netsapiens.pbx.audit: read, evaluate and report on the controller, in one pass, without a module run."""

from __future__ import annotations

import collections
import datetime
import os

from ansible.errors import AnsibleError

from ansible_collections.netsapiens.pbx.plugins.module_utils._audit import evaluate, utc_timestamp, utc_today
from ansible_collections.netsapiens.pbx.plugins.module_utils._drift import Baseline, compare
from ansible_collections.netsapiens.pbx.plugins.module_utils._errors import NetSapiensConfigError
from ansible_collections.netsapiens.pbx.plugins.module_utils._compliance import read_audit_data
from ansible_collections.netsapiens.pbx.plugins.module_utils._policy import Policy
from ansible_collections.netsapiens.pbx.plugins.module_utils._snapshot import PreviousSnapshot, change_counts, compare_snapshots, take_snapshot
from ansible_collections.netsapiens.pbx.plugins.plugin_utils._action import ControllerAction
from ansible_collections.netsapiens.pbx.plugins.plugin_utils._reports import write_reports


# The compliance packs shipped with the collection (policies: [baseline, e911, ...]).
PACKS_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), 'playbooks', 'policies')


def shipped_packs():
    return sorted(os.path.splitext(name)[0] for name in os.listdir(PACKS_DIR) if name.endswith('.yml'))


def _audit_date(text):
    if not text:
        return utc_today()
    try:
        return datetime.datetime.strptime(text, '%Y-%m-%d').date()
    except ValueError:
        raise NetSapiensConfigError("Option 'audit_date' must be a date like 2026-11-28, got '%s'." % text) from None


# What prepare() checked before any request: the policy, the audit date, and the earlier report and snapshot (or None).
Prepared = collections.namedtuple('Prepared', 'policy today baseline previous_snapshot')


def _failure_message(policy, summary, reports):
    counts = ', '.join('%s %d' % (name, count) for name, count in reversed(list(summary['by_severity'].items())) if count)
    where = (' Reports: %s' % reports.get('html', reports.get('json'))) if reports else ''
    if summary.get('fail_on_new_only'):
        counts = (summary['failing_violations'], summary['fail_on'], summary['violations'], summary['new_violations'],
                  summary['unchanged_violations'], summary['resolved_violations'])
        return ('Policy "%s": %d new violation(s) at or above %s since the baseline (%d violation(s) in all: %d new, %d unchanged; '
                '%d resolved).%s' % ((policy.name,) + counts + (where,)))
    return ('Policy "%s": %d violation(s) at or above %s in %d subscriber(s) (%s).%s'
            % (policy.name, summary['failing_violations'], summary['fail_on'], summary['subscribers'], counts, where))


def _compare(audit, params, prepared, objects, generated_at):
    """Compare with the baseline (marks each violation) and the baseline snapshot (record changes); take the snapshot
    of objects (None: no snapshot wanted)."""
    if prepared.baseline is not None:
        compare(audit, prepared.baseline, params['fail_on_new_only'])
    if objects is not None:
        audit.snapshot = take_snapshot(objects, audit.api_url, audit.domains, generated_at)
    if prepared.previous_snapshot is not None:
        audit.changes = compare_snapshots(prepared.previous_snapshot, audit.snapshot)


def _drift_outcome(audit, limit):
    """What the task returns about the baseline and the snapshot comparison."""
    outcome = {}
    warnings = []
    if audit.drift is not None:
        outcome['resolved_violations'] = audit.drift.resolved[:limit]
        warnings.extend(audit.drift.warnings)
    if audit.changes is not None:
        outcome['changes'] = dict(change_counts(audit.changes), since=audit.changes['since'])
        warnings.extend(audit.changes['warnings'])
    if warnings:
        outcome['warnings'] = warnings
    return outcome


class ActionModule(ControllerAction):

    module = 'audit'

    def prepare(self, params):
        """Everything the user wrote is checked before the first request."""
        if params['max_violations'] < 0:
            raise NetSapiensConfigError("Option 'max_violations' must be 0 or more.")
        policy = self._load_policy(params)
        today = _audit_date(params['audit_date'])
        baseline = Baseline.load(params['baseline']) if params['baseline'] else None
        if baseline is not None:
            baseline.check_policy(policy)
        previous = PreviousSnapshot.load(params['baseline_snapshot']) if params['baseline_snapshot'] else None
        return Prepared(policy, today, baseline, previous)

    def _load_policy(self, params):
        if params['policy'] is not None:
            return Policy(params['policy'])
        if params['policies'] is not None:
            return Policy.combine([self._pack(entry) for entry in params['policies']])
        return Policy(self._load_file(params['policy_file'], 'policy_file'))

    def _pack(self, entry):
        """One entry of policies: a shipped pack by name, a policy file, or a policy as a mapping."""
        if isinstance(entry, dict):
            return Policy(entry)
        if not isinstance(entry, str) or not entry.strip():
            raise NetSapiensConfigError("Option 'policies': each entry is a pack name (%s), a policy file or a policy "
                                        "mapping, got %r." % (', '.join(shipped_packs()), entry))
        if entry in shipped_packs():
            return Policy(self._load_file(os.path.join(PACKS_DIR, entry + '.yml'), 'policies'), pack=entry)
        if '/' not in entry and not entry.endswith(('.yml', '.yaml')):
            raise NetSapiensConfigError("Option 'policies': '%s' is no pack of this collection (%s) and no file name."
                                        % (entry, ', '.join(shipped_packs())))
        return Policy(self._load_file(entry, 'policies'), pack=os.path.splitext(os.path.basename(entry))[0])

    def _load_file(self, path, option):
        candidates = [path] if os.path.isabs(path) else [self._loader.path_dwim(path)]
        if not os.path.isabs(path):
            try:
                candidates.append(self._find_needle('files', path))
            except AnsibleError:
                pass
        found = next((candidate for candidate in candidates if os.path.isfile(candidate)), None)
        if found is None:
            raise NetSapiensConfigError("%s: '%s' was not found (looked at %s)." % (option, path, ', '.join(candidates)))
        try:
            data = self._loader.load_from_file(found)
        except AnsibleError as exc:
            raise NetSapiensConfigError("%s: '%s' is not valid YAML: %s" % (option, found, exc.message)) from None
        return data

    def perform(self, client, params, prepared):
        policy = prepared.policy
        for earlier in (prepared.baseline, prepared.previous_snapshot):
            if earlier is not None:
                earlier.check_server(client.settings.api_url)  # before the first request
        domains = client.resolve_domains(params['domain'])
        snapshot = prepared.previous_snapshot is not None or 'snapshot' in params['report_formats']
        data = read_audit_data(client, domains, policy.rules, policy.parameters['pin_min_length'], whole_records=snapshot)
        audit = evaluate(policy, data.subscribers, prepared.today, data.devices)
        audit.api_url, audit.domains = client.settings.api_url, domains
        generated_at = utc_timestamp()
        _compare(audit, params, prepared, data.snapshot_objects() if snapshot else None, generated_at)
        reports = {}
        if params['report_dir'] and not self._task.check_mode:
            try:
                reports = write_reports(audit, params['report_dir'], params['report_formats'], params['fail_on'], generated_at)
            except OSError as exc:
                raise NetSapiensConfigError("Could not write the reports to '%s': %s" % (params['report_dir'], exc.strerror)) from None
        summary = audit.summary(params['fail_on'])
        limit = params['max_violations']
        outcome = {
            'changed': bool(reports),
            'summary': summary,
            'violations': audit.violations[:limit],
            'violations_truncated': len(audit.violations) > limit,
            'expired_exemptions': audit.expired_exemptions,
            'reports': reports,
            'api_version': client.api_version,
        }
        outcome.update(_drift_outcome(audit, limit))
        if not summary['passed']:
            outcome.update(failed=True, msg=_failure_message(prepared.policy, summary, reports))
        return outcome
