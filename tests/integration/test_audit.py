# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The subscriber_audit role and playbooks against the emulator, compared with its ground truth."""

from __future__ import annotations

import csv
import datetime
import json
import os
from xml.etree import ElementTree

import pytest

from harness import REPO_ROOT
from netsapiens_emulator.compliance import BASELINE_RULES, ground_truth

AUDIT = os.path.join(REPO_ROOT, 'playbooks', 'audit.yml')
EXPORT = os.path.join(REPO_ROOT, 'playbooks', 'export.yml')
AUDIT_DATE = '2026-11-28'


def audit_vars(tmp_path, **extra):
    variables = {'subscriber_audit_report_dir': str(tmp_path / 'reports'), 'subscriber_audit_audit_date': AUDIT_DATE,
                 'subscriber_audit_fail_on': 'never', 'packs': ['baseline']}
    variables.update(extra)
    return variables


def load_report(tmp_path):
    with open(tmp_path / 'reports' / 'audit-report.json', encoding='utf-8') as handle:
        return json.load(handle)


def test_demo_audit_counts_equal_the_ground_truth(run_playbook, emulator, api, domains, tmp_path):
    result = run_playbook(AUDIT, audit_vars(tmp_path))
    assert result.rc == 0, result
    report = load_report(tmp_path)
    truth = ground_truth({domain: emulator.records(domain) for domain in domains}, datetime.date.fromisoformat(AUDIT_DATE))
    assert report['summary']['by_rule'] == truth['by_rule']
    assert report['summary']['by_domain'] == truth['by_domain']
    assert sorted([v['rule'], v['user'], v['domain']] for v in report['violations']) == truth['violations']
    assert report['summary']['exempted'] == truth['exempted'] == 1
    assert [e['subscriber'] for e in report['expired_exemptions']] == ['1005@acme.12345.service']
    assert sorted(rule['id'] for rule in report['policy']['rules']) == sorted(BASELINE_RULES)
    # One authentication and one page per domain (plus its count), whatever the number of users.
    stats = emulator.stats()
    assert stats['token_requests']['total'] == 1
    assert 'Violations: %d' % report['summary']['violations'] in result.output


def test_junit_failures_equal_the_json_report(run_playbook, emulator, tmp_path):
    result = run_playbook(AUDIT, audit_vars(tmp_path))
    assert result.rc == 0, result
    report = load_report(tmp_path)
    root = ElementTree.parse(tmp_path / 'reports' / 'audit-junit.xml').getroot()
    failures = root.findall('.//testcase/failure')
    assert len(failures) == report['summary']['violations'] > 0
    assert len(root.findall('.//testcase')) == report['summary']['checks']
    with open(tmp_path / 'reports' / 'audit-subscribers.csv', encoding='utf-8-sig') as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == report['summary']['subscribers']
    assert sum(int(row['violations']) for row in rows) == report['summary']['violations']
    assert 'subscriber_pin' not in rows[0]


@pytest.mark.parametrize('fail_on, fails', [('critical', True), ('high', True), ('never', False)])
def test_baseline_threshold(run_playbook, emulator, tmp_path, fail_on, fails):
    result = run_playbook(AUDIT, audit_vars(tmp_path, subscriber_audit_fail_on=fail_on))
    assert (result.rc != 0) == fails, result
    if fails:
        assert "at or above '%s'" % fail_on in result.output
        assert os.path.exists(tmp_path / 'reports' / 'audit-report.html'), 'reports are written before the play fails'


LOW_ONLY = {'name': 'Low only', 'rules': [{'id': 'ACCT-001', 'severity': 'low', 'field': 'account_status', 'equals': 'standard'}]}


@pytest.mark.parametrize('fail_on, fails', [('medium', False), ('low', True)])
def test_threshold_counts_only_violations_at_or_above_it(run_playbook, emulator, tmp_path, fail_on, fails):
    result = run_playbook('role_inline_policy.yml', audit_vars(tmp_path, subscriber_audit_fail_on=fail_on, policy=LOW_ONLY))
    assert (result.rc != 0) == fails, result
    assert load_report(tmp_path)['summary']['violations'] > 0


@pytest.mark.parametrize('rule, words', [
    ({'id': 'X-1', 'field': 'vmail_enabled', 'same_as': 'yes'}, "rule 'X-1': unknown key(s) 'same_as'"),
    ({'id': 'X-2', 'field': 'callid_emgr', 'regex': '[0-9'}, "rule 'X-2': bad regex '[0-9'"),
    ({'id': 'X-3', 'field': 'voicemail', 'equals': 'yes'}, "rule 'X-3': unknown subscriber field 'voicemail'"),
    ({'id': 'X-4', 'field': 'no_answer_timeout', 'max': [30]}, "rule 'X-4': 'max' must be a number"),
    ({'id': 'X-5', 'field': 'email', 'required': True, 'severity': 'severe'}, "rule 'X-5': unknown severity 'severe'"),
])
def test_invalid_policy_fails_before_any_request(run_playbook, emulator, tmp_path, rule, words):
    result = run_playbook('role_inline_policy.yml', audit_vars(tmp_path, policy={'name': 'bad', 'rules': [rule]}))
    assert result.rc != 0
    assert words in result.output and 'Traceback' not in result.output
    assert emulator.stats()['requests_total'] == 0


def test_missing_policy_file_is_named(run_playbook, emulator, tmp_path):
    result = run_playbook(AUDIT, audit_vars(tmp_path, packs=['/nonexistent/policy.yml']))
    assert result.rc != 0
    assert "policies: '/nonexistent/policy.yml' was not found" in result.output
    assert emulator.stats()['requests_total'] == 0


def test_check_mode_writes_no_report(run_playbook, emulator, tmp_path):
    result = run_playbook(AUDIT, audit_vars(tmp_path), check=True)
    assert result.rc == 0, result
    assert not os.path.exists(tmp_path / 'reports' / 'audit-report.json')


def test_export_writes_every_subscriber(run_playbook, emulator, domains, tmp_path):
    result = run_playbook(EXPORT, {'export_dir': str(tmp_path / 'export')})
    assert result.rc == 0, result
    total = sum(len(emulator.records(domain)) for domain in domains)
    with open(tmp_path / 'export' / 'subscribers.json', encoding='utf-8') as handle:
        exported = json.load(handle)
    with open(tmp_path / 'export' / 'subscribers.csv', encoding='utf-8') as handle:
        rows = list(csv.DictReader(handle))
    assert len(exported) == len(rows) == total
    assert {(r['user'], r['domain']) for r in rows} == {(r['user'], r['domain']) for r in exported}
    assert 'subscriber_pin' not in rows[0] and 'pwd_hash' not in rows[0]
