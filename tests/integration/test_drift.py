# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Drift and the CI ratchet against the emulator: the CI sequence of docs/docsite/rst/ci.rst (playbooks/audit_ci.yml)
run three times around changes the emulator makes between runs, compared with a golden file and with the emulator's
ground truth, on API v1 and v2; and baselines that must be refused or only partly compared.

Every playbook runs at -vvvv and its whole output is checked for secrets; the `emulator` fixture checks after each test
that nothing tried to write. The `emu` fixture undoes the emulator's data changes after each test.
"""

from __future__ import annotations

import datetime
import json
import os
import re
import textwrap

import pytest
import yaml

from harness import REPO_ROOT, batch, clean_failure, data_requests
from netsapiens_emulator.compliance import ground_truth

scenario = pytest.mark.scenario

AUDIT_CI = os.path.join(REPO_ROOT, 'playbooks', 'audit_ci.yml')
POLICY_FILE = os.path.join(REPO_ROOT, 'playbooks', 'policies', 'baseline.yml')
POLICY_NAME = 'Baseline subscriber policy'
GOLDEN = os.path.join(os.path.dirname(__file__), 'drift_files', 'golden.json')
AUDIT_DATE = '2026-11-28'
FIRST = 'acme.12345.service'
# Between audit 1 and audit 2: a clean user's voicemail switched off, a user with violations removed, a user added who
# may dial internationally. Before audit 3 the first change is undone.
CHANGES = [
    {'domain': FIRST, 'user': '1021', 'set': {'vmail_enabled': 'no'}},
    {'domain': FIRST, 'user': '1015', 'remove': True},
    {'domain': FIRST, 'user': '1099',
     'add': {'first_name': 'Nia', 'last_name': 'Newcomer', 'scope': 'Basic User', 'dial_policy': 'Permit All (International)'}},
]
REVERT = {'domain': FIRST, 'user': '1021', 'set': {'vmail_enabled': 'yes'}}
# The variables the CI recipes (docs/docsite/rst/ci.rst, README.md) give netsapiens.pbx.audit_ci, as ci_run does.
RECIPE_VARIABLES = {'policy_file': 'policies/pbx.yml', 'baseline_dir': 'audit-baseline', 'report_dir': 'audit-reports', 'fail_on': 'high'}


def ci_run(run_playbook, tmp_path):
    """One CI run: the playbook and the variables of the CI recipes (RECIPE_VARIABLES), the baseline kept in tmp_path/baseline."""
    result = run_playbook(AUDIT_CI, {'policy_file': POLICY_FILE, 'baseline_dir': str(tmp_path / 'baseline'),
                                     'report_dir': str(tmp_path / 'reports'), 'fail_on': 'high',
                                     'subscriber_audit_audit_date': AUDIT_DATE})
    with open(tmp_path / 'reports' / 'audit-report.json', encoding='utf-8') as handle:
        return result, json.load(handle)


def truth(emu, domains):
    """(rule, user, domain) of every violation the emulator's data holds, by its own evaluator."""
    found = ground_truth({domain: emu.records(domain) for domain in domains}, datetime.date.fromisoformat(AUDIT_DATE))
    return set(tuple(item) for item in found['violations'])


def identities(violations):
    return sorted([v['rule'], v['user'], v['domain'], v['actual']] for v in violations)


def drift_view(report):
    """What the golden file holds of a report: the baseline counts and warnings, new and resolved violations, changes."""
    baseline = report['baseline']
    changes = dict(report['changes'])
    del changes['since']
    return {'counts': {key: baseline[key] for key in ('new', 'unchanged', 'resolved', 'not_compared')},
            'warnings': baseline['warnings'],
            'new': identities(v for v in report['violations'] if v['status'] == 'new'),
            'resolved': identities(baseline['resolved_violations']),
            'changes': changes}


def check_golden(name, report):
    """The drift of an audit of the sequence equals the golden file's entry `name`; NETSAPIENS_UPDATE_GOLDEN=1 rewrites the
    entry (review the diff of drift_files/golden.json before committing it)."""
    golden = {}
    if os.path.exists(GOLDEN):
        with open(GOLDEN, encoding='utf-8') as handle:
            golden = json.load(handle)
    if os.environ.get('NETSAPIENS_UPDATE_GOLDEN') == '1':
        golden[name] = drift_view(report)
        os.makedirs(os.path.dirname(GOLDEN), exist_ok=True)
        with open(GOLDEN, 'w', encoding='utf-8') as handle:
            json.dump(golden, handle, indent=1, sort_keys=True, ensure_ascii=False)
            handle.write('\n')
    assert name in golden, '%s has no %r; NETSAPIENS_UPDATE_GOLDEN=1 writes it' % (GOLDEN, name)
    assert drift_view(report) == golden[name], 'the drift differs from %s (NETSAPIENS_UPDATE_GOLDEN=1 rewrites it)' % GOLDEN
    return golden[name]


@scenario('CI ratchet on {api}: baseline, three users changed, one reverted',
          'audit 1 records and passes; audit 2 reports exactly the changes and new violations and fails; audit 3 reports the '
          'reverted one resolved and passes')
def test_ci_sequence(run_playbook, emu, api, domains, tmp_path, happened, stored_secrets):
    first, report = ci_run(run_playbook, tmp_path)
    assert first.rc == 0, first
    assert 'Baseline: none (every violation counts)' in first.output
    assert 'baseline' not in report and 'changes' not in report and 'status' not in report['violations'][0]
    assert report['summary']['by_severity']['high'] > 0, 'the first run passes although high violations exist'
    assert sorted(os.listdir(tmp_path / 'baseline')) == ['audit-report.json', 'audit-snapshot.json']
    snapshot = (tmp_path / 'baseline' / 'audit-snapshot.json').read_text(encoding='utf-8')
    assert len(json.loads(snapshot)['objects']['subscribers']) == report['summary']['subscribers']
    assert not any(left_out in snapshot for left_out in ('subscriber_pin', 'pwd_hash', '"presence"'))
    assert not any(secret in snapshot for secret in stored_secrets), 'a password hash reached the snapshot'
    before = truth(emu, domains)

    for change in CHANGES:
        emu.change(**change)
    second, report = ci_run(run_playbook, tmp_path)
    after = truth(emu, domains)
    assert second.rc != 0, second
    assert 'new violation(s) since the baseline' in second.output
    new = [v for v in report['violations'] if v['status'] == 'new']
    assert set((v['rule'], v['user'], v['domain']) for v in new) == after - before
    assert set((v['rule'], v['user'], v['domain']) for v in report['baseline']['resolved_violations']) == before - after
    assert report['summary']['passed'] is False and report['summary']['failing_violations'] == sum(
        1 for v in new if v['severity'] in ('high', 'critical'))
    assert 'Since the baseline: %d new' % len(new) in second.output
    golden_second = check_golden('audit 2', report)

    emu.change(**REVERT)
    third, report = ci_run(run_playbook, tmp_path)
    assert third.rc == 0, third
    assert 'No new violation at or above high since the baseline.' in third.output
    golden_third = check_golden('audit 3', report)
    happened('audit 2: %d new, %d resolved, %d field change(s); audit 3: %d resolved'
             % (len(golden_second['new']), len(golden_second['resolved']),
                sum(len(entry['fields']) for entry in golden_second['changes']['subscribers']['changed']), len(golden_third['resolved'])))


# -- baselines that must be refused, or compared only where they can be ------------------------------------------------

def _report(url, **changes):
    """A minimal audit report of the baseline policy, as an earlier audit of the emulator would write it."""
    report = {'schema_version': 1, 'generated_at': '2026-11-27T06:00:00Z', 'audit_date': '2026-11-27',
              'policy': {'name': POLICY_NAME, 'rules': []}, 'summary': {'by_domain': {FIRST: 0}}, 'violations': [],
              'api_url': url, 'domains': [FIRST]}
    report.update(changes)
    return report


def _snapshot(url):
    return {'format': 'netsapiens.pbx audit snapshot', 'snapshot_version': 1, 'generated_at': '2026-11-27T06:00:00Z',
            'api_url': url, 'domains': [FIRST], 'objects': {'subscribers': {}}}


def _write(directory, name, content):
    path = directory / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content if isinstance(content, str) else json.dumps(content), encoding='utf-8')
    return str(path)


def _vm_rule_changed(url):
    """A baseline whose VM-001 checked another value, with one VM-001 violation, and one of a domain not audited now."""
    rules = [{'id': 'VM-001', 'field': 'vmail_enabled', 'operator': 'equals', 'expected': "equals 'on'"}]
    violations = [{'rule': 'VM-001', 'severity': 'high', 'user': '1003', 'domain': FIRST, 'field': 'vmail_enabled', 'actual': 'no'},
                  {'rule': 'MAIL-001', 'severity': 'medium', 'user': '1001', 'domain': 'gone.example', 'actual': ''}]
    return _report(url, policy={'name': POLICY_NAME, 'rules': rules}, violations=violations,
                   domains=[FIRST, 'gone.example'])


BAD_BASELINES = {
    # label: (option, file content (url filled in), words of the message)
    'corrupt': ('baseline', '{"schema_version": 1, "violations": [', ['is not valid JSON']),
    'empty': ('baseline', '', ['is not valid JSON']),
    'not UTF-8': ('baseline', b'\xff\xfe{\x00}', ['is not UTF-8 text']),
    'foreign JSON': ('baseline', {'name': 'x', 'items': []}, ['is not an audit report of netsapiens.pbx', 'no schema_version']),
    'a list': ('baseline', [1, 2], ['it holds a JSON list']),
    'newer schema': ('baseline', lambda url: _report(url, schema_version=99), ['schema_version 99', 'newer netsapiens.pbx']),
    'snapshot as baseline': ('baseline', _snapshot, ['it is an audit snapshot', 'give it as baseline_snapshot']),
    'other policy': ('baseline', lambda url: _report(url, policy={'name': 'Security policy', 'rules': []}),
                     ["report of policy 'Security policy'", "applies policy '%s'" % POLICY_NAME, 'cannot be compared']),
    'other server': ('baseline', lambda url: _report('https://pbx.other.example'),
                     ['audit of https://pbx.other.example', 'cannot be compared']),
    'report as snapshot': ('baseline_snapshot', _report, ['is not an audit snapshot', 'give it as baseline']),
    'snapshot of other server': ('baseline_snapshot', lambda url: _snapshot('https://pbx.other.example'),
                                 ['snapshot of https://pbx.other.example', 'cannot be compared']),
    'missing file': ('baseline', None, ['there is no file']),
}


def run_audits(run_playbook, emu, attempts):
    """Audits with these options in one playbook run: (label -> result, the emulator's stats, the output)."""
    result = run_playbook('audit_attempts.yml', {'audit_attempts': attempts})
    assert result.rc == 0, result
    return {entry['item']['label']: entry for entry in result.artifact('result.json')}, emu.stats(), result.output


def refused_batch(run_playbook, emu, tmp_path):
    """Every attempt of BAD_BASELINES, in one playbook run."""
    def attempts():
        attempts = []
        for label, (option, content, _words) in BAD_BASELINES.items():
            path = str(tmp_path / 'absent.json') if content is None else _write(
                tmp_path, label.replace(' ', '-') + '.json', content(emu.url) if callable(content) else content)
            attempts.append({'label': label, 'options': {'domain': [FIRST], 'policy_file': POLICY_FILE, option: path}})
        return run_audits(run_playbook, emu, attempts)
    return batch('refused baselines', attempts)


@scenario('Baseline refused: {label}', 'the audit fails before any request with a message that names '
          'the option and the file; nothing is counted as resolved')
@pytest.mark.parametrize('label', sorted(BAD_BASELINES))
def test_refused_baselines(run_playbook, emu, tmp_path_factory, label):
    entries, stats, _output = refused_batch(run_playbook, emu, tmp_path_factory.mktemp('baselines'))
    option, _content, words = BAD_BASELINES[label]
    message = clean_failure(entries[label], "Option '%s'" % option, *words)
    assert 'resolved' not in entries[label]
    assert "Traceback" not in message
    assert stats['token_requests']['total'] == 0 and data_requests(stats) == []


@scenario('Baseline whose rule checks differently, with a domain not audited now',
          'a warning names the rule and the domain; the violations of the changed rule count as new, the baseline\'s are '
          'not compared, nothing is counted as resolved')
def test_partly_comparable_baseline(run_playbook, emu, tmp_path):
    entries, _stats, output = run_audits(run_playbook, emu, [{'label': 'rule changed', 'options': {
        'domain': [FIRST], 'policy_file': POLICY_FILE, 'audit_date': AUDIT_DATE, 'fail_on': 'high', 'fail_on_new_only': True,
        'baseline': _write(tmp_path, 'rule-changed.json', _vm_rule_changed(emu.url))}}])
    entry = entries['rule changed']
    summary = entry['summary']
    assert summary['resolved_violations'] == 0 and entry['resolved_violations'] == []
    assert summary['new_violations'] == summary['violations'] > 0, 'no rule of the policy checks as the baseline did'
    assert entry['failed'] and summary['failing_violations'] > 0
    assert "Rule(s) 'ACCT-001', 'CID-001'" in output and "are new or check differently than in the baseline" in output
    assert "Rule(s) 'VM-001' of the baseline are not in this policy or check differently now: their 1 baseline" in output
    assert "Domain(s) 'gone.example' of the baseline are not audited now" in output


# -- the CI recipes run what test_ci_sequence runs ------------------------------------------------------------------------

def _yaml_blocks(path, pattern):
    with open(os.path.join(REPO_ROOT, path), encoding='utf-8') as handle:
        text = handle.read()
    return [textwrap.dedent(block) for block in re.findall(pattern, text, re.S)]


def _audit_command(text):
    """(the playbook, {variable: value}) of the ansible-playbook command of a pipeline."""
    words = re.search(r'ansible-playbook (netsapiens\.pbx\.\w+)((?:\s+-e \S+)+)', text)
    return words.group(1), dict(item.split('=', 1) for item in words.group(2).split()[1::2])


def test_ci_recipes_run_the_tested_playbook():
    rst = _yaml_blocks('docs/docsite/rst/ci.rst', r'\.\. code-block:: yaml\n\n((?:  [^\n]*\n|\n)+)')
    readme = _yaml_blocks('README.md', r'```yaml\n(name: PBX compliance audit\n.*?|pbx-audit:\n.*?)```')
    assert [block.strip() for block in rst] == [block.strip() for block in readme], 'README.md and ci.rst show other pipelines'
    github, gitlab = (yaml.safe_load(block) for block in rst)
    steps = github['jobs']['audit']['steps']
    assert github['jobs']['audit']['env']['NETSAPIENS_API_KEY'] == '${{ secrets.NETSAPIENS_API_KEY }}'
    assert [step['with']['path'] for step in steps if 'actions/cache' in step.get('uses', '')] == ['audit-baseline'] * 2
    assert any(step.get('with', {}).get('report_paths') == 'audit-reports/audit-junit.xml' for step in steps)
    assert gitlab['pbx-audit']['cache'][0]['paths'] == ['audit-baseline/']
    assert gitlab['pbx-audit']['artifacts']['reports']['junit'] == 'audit-reports/audit-junit.xml'
    for command in (next(step['run'] for step in steps if 'ansible-playbook' in step.get('run', '')),
                    next(line for line in gitlab['pbx-audit']['script'] if 'ansible-playbook' in line)):
        assert _audit_command(command) == ('netsapiens.pbx.audit_ci', RECIPE_VARIABLES)
    with open(AUDIT_CI, encoding='utf-8') as handle:
        play = yaml.safe_load(handle)[0]
    assert set(RECIPE_VARIABLES) - {'baseline_dir'} <= set(play['vars']), 'the recipes set variables the playbook does not have'
