# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Violations compared with a baseline report: identity, marks, resolved ones, and what is refused or left out."""

from __future__ import annotations

import datetime
import json

import pytest

from ansible_collections.netsapiens.pbx.plugins.module_utils._audit import evaluate
from ansible_collections.netsapiens.pbx.plugins.module_utils._drift import Baseline, compare, reason_text, violation_identity
from ansible_collections.netsapiens.pbx.plugins.module_utils._errors import NetSapiensConfigError
from ansible_collections.netsapiens.pbx.plugins.module_utils._policy import Policy

TODAY = datetime.date(2026, 3, 1)
URL = 'https://pbx.example.com'
POLICY = {'name': 'Acme', 'rules': [
    {'id': 'VM-1', 'severity': 'high', 'field': 'vmail_enabled', 'equals': 'yes'},
    {'id': 'NA-1', 'severity': 'medium', 'field': 'no_answer_timeout', 'min': 10, 'max': 60},
]}


def record(user, domain='acme', **fields):
    return dict({'user': user, 'domain': domain, 'vmail_enabled': 'yes', 'no_answer_timeout': '25', 'srv_code': ''}, **fields)


def audit(records, policy=None, domains=('acme',)):
    result = evaluate(Policy(policy or POLICY), records, TODAY)
    result.api_url, result.domains = URL, list(domains)
    return result


def baseline_of(result, path='earlier/audit-report.json'):
    """The JSON report of an audit, read back as a Baseline (what a later audit gets)."""
    return Baseline(json.loads(json.dumps(result.report('high', '2026-02-28T06:00:00Z'))), path)


def test_identity_is_rule_subscriber_device_and_reason():
    violation = {'rule': 'PIN-1', 'user': '1001', 'domain': 'acme', 'device': 'sip:1001a@acme', 'actual': ['sequence', 'common'],
                 'severity': 'high', 'field': 'pin', 'expected': 'strong', 'description': 'x'}
    assert violation_identity(violation) == ('PIN-1', '1001', 'acme', 'sip:1001a@acme', 'common,sequence')
    assert violation_identity(dict(violation, actual=['common', 'sequence'], severity='low')) == violation_identity(violation)
    assert violation_identity({'rule': 'VM-1', 'user': '1001', 'domain': 'acme', 'actual': 'no'}) == ('VM-1', '1001', 'acme', '', 'no')
    assert reason_text(None) == '' and reason_text(25) == '25'


def test_new_unchanged_and_resolved_are_matched_by_identity_not_position():
    before = audit([record('1001', vmail_enabled='no'), record('1002', no_answer_timeout='90'), record('1003', vmail_enabled='no')])
    # Records in another order; 1002's value changed (a new reason), 1003 fixed, 1004 new.
    after = audit([record('1004', vmail_enabled='no'), record('1002', no_answer_timeout='95'), record('1001', vmail_enabled='no'),
                   record('1003')])
    drift = compare(after, baseline_of(before), new_only=True)
    marks = dict(((v['rule'], v['user']), v['status']) for v in after.violations)
    assert marks == {('VM-1', '1004'): 'new', ('VM-1', '1001'): 'unchanged', ('NA-1', '1002'): 'new'}
    assert [(v['rule'], v['user'], v['actual'], v['status']) for v in drift.resolved] == [
        ('VM-1', '1003', 'no', 'resolved'), ('NA-1', '1002', '90', 'resolved')]
    assert drift.counts == {'new': 2, 'unchanged': 1, 'resolved': 2} and drift.warnings == [] and drift.not_compared == 0
    summary = after.summary('high')
    assert (summary['new_violations'], summary['unchanged_violations'], summary['resolved_violations']) == (2, 1, 2)
    # fail_on_new_only: only the new VM-1 (high) counts against high; NA-1 is medium.
    assert summary['fail_on_new_only'] is True and summary['failing_violations'] == 1 and not summary['passed']


def test_without_new_only_every_violation_counts_and_the_same_audit_resolves_nothing():
    records = [record('1001', vmail_enabled='no'), record('1002', vmail_enabled='no')]
    after = audit([dict(item) for item in records])
    compare(after, baseline_of(audit(records)), new_only=False)
    summary = after.summary('high')
    assert summary['failing_violations'] == 2 and summary['unchanged_violations'] == 2 and summary['resolved_violations'] == 0


def test_duplicate_identities_are_counted():
    before = audit([record('1001', vmail_enabled='no')])
    after = audit([record('1001', vmail_enabled='no'), record('1001', vmail_enabled='no')])
    compare(after, baseline_of(before))
    assert [v['status'] for v in after.violations] == ['unchanged', 'new']


def test_no_baseline_leaves_the_report_as_it_was():
    result = audit([record('1001', vmail_enabled='no')])
    report = result.report('high', 'T')
    assert 'baseline' not in report and 'changes' not in report and 'status' not in report['violations'][0]
    assert 'new_violations' not in report['summary'] and report['summary']['failing_violations'] == 1
    assert report['api_url'] == URL and report['domains'] == ['acme']
    assert report['policy']['rules'][0]['select'] == {'include_system_users': False}


def test_a_rule_that_checks_differently_is_not_compared():
    before = audit([record('1001', vmail_enabled='no', no_answer_timeout='90')])
    changed = {'name': 'Acme', 'rules': [
        dict(POLICY['rules'][0], severity='critical', description='renamed'), dict(POLICY['rules'][1], max=45),
        {'id': 'EM-1', 'field': 'email', 'required': True}]}
    after = audit([record('1001', vmail_enabled='no', no_answer_timeout='90')], changed)
    drift = compare(after, baseline_of(before))
    marks = dict((v['rule'], v['status']) for v in after.violations)
    # Severity and description do not change what a rule finds; a new bound and a new rule do.
    assert marks == {'VM-1': 'unchanged', 'NA-1': 'new', 'EM-1': 'new'}
    assert drift.resolved == [] and drift.not_compared == 1
    assert drift.warnings == [
        "Rule(s) 'EM-1', 'NA-1' are new or check differently than in the baseline: their 2 violation(s) count as new.",
        "Rule(s) 'NA-1' of the baseline are not in this policy or check differently now: their 1 baseline violation(s) are not "
        "compared (not counted as resolved)."]


def test_a_selector_change_makes_a_rule_not_comparable():
    before = audit([record('1001', vmail_enabled='no')])
    selective = {'name': 'Acme', 'rules': [dict(POLICY['rules'][0], select={'scope': 'Basic User'})]}
    after = audit([record('1001', vmail_enabled='no', scope='Basic User')], selective)
    compare(after, baseline_of(before))
    assert after.violations[0]['status'] == 'new'


def test_domains_only_one_audit_read_are_not_compared():
    before = audit([record('1001', vmail_enabled='no'), record('1001', 'beta', vmail_enabled='no')], domains=('acme', 'beta'))
    after = audit([record('1001', vmail_enabled='no'), record('1001', 'gamma', vmail_enabled='no')], domains=('acme', 'gamma'))
    drift = compare(after, baseline_of(before))
    assert [(v['domain'], v['status']) for v in after.violations] == [('acme', 'unchanged'), ('gamma', 'new')]
    assert drift.resolved == [] and drift.not_compared == 1
    assert drift.warnings == [
        "Domain(s) 'gamma' were not audited in the baseline: their violations count as new.",
        "Domain(s) 'beta' of the baseline are not audited now: their baseline violations are not compared (not counted as resolved)."]


def test_a_domain_whose_subscribers_are_all_gone_resolves_its_violations():
    before = audit([record('1001', 'beta', vmail_enabled='no')], domains=('acme', 'beta'))
    after = audit([record('1001')], domains=('acme', 'beta'))
    drift = compare(after, baseline_of(before))
    assert [(v['user'], v['domain']) for v in drift.resolved] == [('1001', 'beta')] and drift.warnings == []


def test_baseline_of_another_policy_or_server_is_refused():
    before = audit([record('1001', vmail_enabled='no')])
    with pytest.raises(NetSapiensConfigError, match="is the report of policy 'Acme', this audit applies policy 'Other'"):
        compare(audit([record('1001')], dict(POLICY, name='Other')), baseline_of(before))
    other = audit([record('1001')])
    other.api_url = 'https://pbx.other.example'
    with pytest.raises(NetSapiensConfigError, match="is the report of an audit of https://pbx.example.com, this audit reads "
                                                    "https://pbx.other.example"):
        compare(other, baseline_of(before))


def test_an_older_report_is_compared_with_a_warning():
    data = json.loads(json.dumps(audit([record('1001', vmail_enabled='no')]).report('high', 'T')))
    for key in ('api_url', 'domains'):
        del data[key]
    for rule in data['policy']['rules']:
        del rule['select']
    after = audit([record('1001', vmail_enabled='no')])
    drift = compare(after, Baseline(data, 'old.json'))
    assert after.violations[0]['status'] == 'unchanged'
    assert drift.warnings == ["The baseline 'old.json' does not name the server it audited (an older netsapiens.pbx wrote it); "
                              "it is compared as a report of https://pbx.example.com."]
    # A report whose writer was not told the server (write_reports used directly) names none either.
    assert Baseline(dict(data, api_url=''), 'x.json').check_server(URL).startswith("The baseline 'x.json' does not name")


@pytest.mark.parametrize('content, words', [
    ('{"schema_version": 1, "violations": [', 'is not valid JSON (Expecting'),
    ('', 'is not valid JSON'),
    ('[' * 100000, 'nested too deeply'),
    ('"text"', 'it holds a JSON str, not an object'),
    ('{"schema_version": "1"}', 'it has no schema_version'),
    ('{"schema_version": 2, "policy": {}}', 'schema_version 2, written by a newer netsapiens.pbx'),
    ('{"schema_version": 1, "violations": []}', 'it has no policy with a name and rules'),
    ('{"schema_version": 1, "policy": {"name": "Acme", "rules": []}, "violations": [{"rule": 1}]}', 'not a list of violations'),
    ('{"schema_version": 1, "policy": {"name": "Acme", "rules": []}, "violations": []}', 'no summary of the domains'),
    ('{"format": "netsapiens.pbx audit snapshot"}', 'give it as baseline_snapshot'),
])
def test_files_that_are_not_a_report(tmp_path, content, words):
    path = tmp_path / 'audit-report.json'
    path.write_text(content, encoding='utf-8')
    with pytest.raises(NetSapiensConfigError) as caught:
        Baseline.load(str(path))
    assert str(caught.value).startswith("Option 'baseline': '%s'" % path) and words in str(caught.value)


def test_unreadable_or_missing_files(tmp_path):
    with pytest.raises(NetSapiensConfigError, match="there is no file '.*absent.json'; give the JSON report of an earlier audit"):
        Baseline.load(str(tmp_path / 'absent.json'))
    with pytest.raises(NetSapiensConfigError, match="cannot read '.*': Is a directory"):
        Baseline.load(str(tmp_path))
    (tmp_path / 'latin1.json').write_bytes(b'{"name": "M\xfcller"}')
    with pytest.raises(NetSapiensConfigError, match='it is not UTF-8 text'):
        Baseline.load(str(tmp_path / 'latin1.json'))
