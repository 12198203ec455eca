# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The compliance packs (e911, toll_fraud, voicemail_pin, device_security) audited through the subscriber_audit role,
compared with the emulator's independent ground truth (netsapiens_emulator.compliance_packs) per rule, per subscriber
or device and per reason, on API v1 and v2; no voicemail PIN or SIP password anywhere; packs given by name, file or
mapping, and packs that cannot go together refused before any request."""

from __future__ import annotations

import html
import json
import os
import re
from xml.etree import ElementTree

import pytest
import yaml

from harness import REPO_ROOT
from netsapiens_emulator.compliance_packs import PACKS, pack_truth
from netsapiens_emulator.emulated.cases import CLEAN, DANGLING_ADDRESS, DEVICES, FORWARDS, SUBSCRIBERS

PLAYBOOK = 'audit_packs.yml'
PACK_NAMES = list(PACKS)
REPORTS = ('audit-report.json', 'audit-junit.xml', 'audit-report.html', 'audit-subscribers.csv')
CASE_USERS = sorted(set(FORWARDS) | set(DEVICES) | set(SUBSCRIBERS) | set(CLEAN) | {DANGLING_ADDRESS[0]})
DEVICE_PASSWORDS = ('authentication_key', 'auth_pass')


def audit(run_playbook, tmp_path, packs=None):
    """Run the role with the packs; (the playbook result, the JSON report or None when the run failed)."""
    variables = {'packs': PACK_NAMES if packs is None else packs, 'subscriber_audit_fail_on': 'never',
                 'subscriber_audit_report_dir': str(tmp_path / 'reports'), 'subscriber_audit_audit_date': '2026-11-28'}
    result = run_playbook(PLAYBOOK, variables)
    path = tmp_path / 'reports' / 'audit-report.json'
    if result.rc != 0 or not path.exists():
        return result, None
    with open(path, encoding='utf-8') as handle:
        return result, json.load(handle)


def findings(report, rules=None):
    """[rule, user, domain, device ('' for rules on users), actual] of every violation of the report, sorted."""
    return sorted([violation['rule'], violation['user'], violation['domain'], violation.get('device', ''), violation['actual']]
                  for violation in report['violations'] if rules is None or violation['rule'] in rules)


def expected_findings(emulator, domains, pin_min_length=6):
    return pack_truth({domain: emulator.records(domain) for domain in domains}, emulator.objects, pin_min_length)


def pack_file(pack):
    with open(os.path.join(REPO_ROOT, 'playbooks', 'policies', pack + '.yml'), encoding='utf-8') as handle:
        return yaml.safe_load(handle)


def device_of(user, domain):
    return 'sip:%sa@%s' % (user, domain)


def test_pack_findings_equal_the_truth(run_playbook, emulator, api, domains, tmp_path):
    result, report = audit(run_playbook, tmp_path)
    assert result.rc == 0 and report, result
    truth = expected_findings(emulator, domains)
    assert findings(report) == truth['violations']
    assert {rule: report['summary']['by_rule'][rule] for rule in truth['by_rule']} == truth['by_rule']
    assert {rule: report['checks_by_rule'][rule] for rule in truth['checks']} == truth['checks']
    for pack, rules in PACKS.items():
        assert report['summary']['by_pack'][pack] == {
            'name': pack_file(pack)['name'], 'rules': len(rules), 'checks': sum(truth['checks'][rule] for rule in rules),
            'violations': sum(truth['by_rule'][rule] for rule in rules), 'failing_violations': 0}
    assert 'Violations: %d' % len(truth['violations']) in result.output


def test_each_case_has_its_finding_and_the_controls_none(run_playbook, emulator, domains, tmp_path):
    _result, report = audit(run_playbook, tmp_path)
    first = domains[0]
    found = [finding for finding in findings(report) if finding[2] == first]
    cases = [
        ['TF-FWD-INTL', '1002', first, '', '011441632960123'], ['TF-FWD-PREMIUM', '1003', first, '', '19005550123'],
        ['TF-FWD-INTL', '1007', first, '', '+447700900123'], ['TF-FWD-PREMIUM', '1008', first, '', '+19765550123'],
        ['E911-CALLBACK', '1009', first, device_of('1009', first), 'foreign'],
        ['E911-CALLBACK', '1010', first, device_of('1010', first), 'missing'],
        ['DEV-TLS', '1012', first, device_of('1012', first), 'udp'],
        ['DEV-SIP-PASSWORD', '1012', first, device_of('1012', first), '4'],
        ['DEV-REGISTERED', '1013', first, device_of('1013', first), 'no'],
        ['E911-LOCATION', '1014', first, device_of('1014', first), 'missing'],
        ['TF-DIAL-INTL', '1015', first, '', 'yes'], ['E911-DIAL', '1016', first, '', 'no'],
        ['VMPIN-WEAK', '1017', first, '', 'common,sequence,too_short'],
        ['VMPIN-WEAK', '1018', first, '', 'extension,phone_number,too_short'],
        ['VMPIN-WEAK', '1019', first, '', 'common,repeated_pattern'],
        ['E911-LOCATION', '1023', first, device_of('1023', first), 'dangling'],
    ]
    assert [case for case in cases if case not in found] == []
    # A domestic forward (1004), a forward to voicemail (1005), a disabled forward abroad (1006), a device inheriting
    # its user's DID with [*] (1011) do not count; the clean users break no rule of any pack.
    assert [finding for finding in found if finding[0].startswith('TF-FWD') and finding[1] in ('1004', '1005', '1006')] == []
    assert [finding for finding in found if finding[0] == 'E911-CALLBACK' and finding[1] == '1011'] == []
    assert [finding for finding in found if finding[1] in CLEAN] == []


def delimited(value):
    """A secret as a whole token: not preceded or followed by a letter or digit (PINs are short numbers)."""
    return re.compile(r'(?<![0-9A-Za-z])%s(?![0-9A-Za-z])' % re.escape(value))


def shown_texts(result, tmp_path):
    """Everything the audit showed: the -vvvv output, the four reports and the task's registered result."""
    texts = {'output': result.output}
    for name in REPORTS + ('result.json',):
        path = tmp_path / 'artifacts' / name if name == 'result.json' else tmp_path / 'reports' / name
        texts[name] = path.read_text(encoding='utf-8')
    return texts


def test_no_pin_or_sip_password_in_output_reports_or_result(run_playbook, emulator, api, domains, tmp_path):
    result, report = audit(run_playbook, tmp_path)
    assert result.rc == 0 and report, result
    texts = shown_texts(result, tmp_path)
    users = {str(record['user']): record for record in emulator.records(domains[0])}
    # 1018's PIN is its extension (the reason says so): the user id is not a secret.
    pins = {str(users[user]['subscriber_pin']) for user in CASE_USERS if str(users[user]['subscriber_pin']) != user}
    assert {'1234', '121212', '739418', '582047', '906153'} <= pins
    passwords = {str(device[name]) for domain in domains for device in emulator.objects('device', domain)
                 for name in DEVICE_PASSWORDS if device.get(name)}
    assert 'k9x2' in passwords and len(passwords) > 300
    leaks = [(where, 'a PIN' if secret in pins else 'a SIP password', len(secret))
             for where, text in texts.items() for secret in pins | passwords if delimited(secret).search(text)]
    assert leaks == []
    for where, text in texts.items():
        assert not {'subscriber_pin', 'authentication_key', 'auth_pass'} & set(re.findall(r'[a-z_]+', text)), where
    assert 'VMPIN-WEAK' in texts['result.json'] and 'DEV-SIP-PASSWORD' in texts['audit-junit.xml']


def test_reports_carry_each_rules_reference_and_remediation(run_playbook, emulator, tmp_path):
    _result, report = audit(run_playbook, tmp_path)
    rules = {rule['id']: rule for rule in report['policy']['rules']}
    suites = {suite.get('name'): {prop.get('name'): prop.get('value') for prop in suite.iter('property')}
              for suite in ElementTree.parse(tmp_path / 'reports' / 'audit-junit.xml').getroot().iter('testsuite')}
    for pack in PACK_NAMES:
        for spec in pack_file(pack)['rules']:
            shown = {name: spec[name] for name in ('reference', 'reference_url', 'remediation')}
            assert all(shown.values()) and shown['reference_url'].startswith('https://'), spec['id']
            assert {name: rules[spec['id']][name] for name in shown} == shown
            assert {name: suites[spec['id']][name] for name in shown} == shown
            assert (rules[spec['id']]['pack'], suites[spec['id']]['pack']) == (pack, pack)
    assert sorted(report['summary']['by_pack']) == sorted(PACK_NAMES)
    # The HTML report: a table of the packs, and each rule's reference as a link and its remediation.
    page = (tmp_path / 'reports' / 'audit-report.html').read_text(encoding='utf-8')
    packs_table = page.split('<table id="packs">', 1)[1].split('</table>', 1)[0]
    for pack in PACK_NAMES:
        assert '<td class="id">%s</td>' % pack in packs_table
    for pack in PACK_NAMES:
        for spec in pack_file(pack)['rules']:
            assert '<a href="%s" rel="noopener noreferrer">%s</a>' % (html.escape(spec['reference_url']), html.escape(spec['reference'])) in page
            assert '<div class="fix">%s</div>' % html.escape(spec['remediation']) in page


def test_the_role_takes_packs_by_name_file_and_mapping(run_playbook, emulator, domains, tmp_path):
    ring = tmp_path / 'ring_time.yml'
    ring.write_text(yaml.safe_dump({'name': 'Ring time', 'rules': [
        {'id': 'RT-1', 'field': 'no_answer_timeout', 'max': 30}]}), encoding='utf-8')
    short_pins = {'name': 'Four-digit PINs', 'pack': 'short_pins', 'parameters': {'pin_min_length': 4},
                  'rules': [{'id': 'PIN-4', 'field': 'vmail_pin_weakness', 'absent': True}]}
    result, report = audit(run_playbook, tmp_path, ['e911', str(ring), short_pins])
    assert result.rc == 0 and report, result
    by_pack = report['summary']['by_pack']
    assert list(by_pack) == ['e911', 'ring_time', 'short_pins']
    assert [by_pack[pack]['name'] for pack in by_pack] == [pack_file('e911')['name'], 'Ring time', 'Four-digit PINs']
    assert [rule['pack'] for rule in report['policy']['rules']] == ['e911'] * 3 + ['ring_time', 'short_pins']
    truth = expected_findings(emulator, domains, pin_min_length=4)
    assert findings(report, PACKS['e911']) == [finding for finding in truth['violations'] if finding[0] in PACKS['e911']]
    # The mapping's pin_min_length (4) applies: a 4- or 5-digit PIN is no longer too short.
    assert findings(report, ('PIN-4',)) == [['PIN-4'] + finding[1:] for finding in truth['violations'] if finding[0] == 'VMPIN-WEAK']
    assert ['PIN-4', '1019', domains[0], '', 'common,repeated_pattern'] in findings(report)
    slow = sorted([str(record['user']), domain] for domain in domains for record in emulator.records(domain)
                  if not str(record['srv_code']).startswith('system-') and float(record['no_answer_timeout']) > 30)
    assert [finding[1:3] for finding in findings(report, ('RT-1',))] == slow and slow


@pytest.mark.parametrize('second, words', [
    ({'name': 'Mine', 'pack': 'mine', 'rules': [{'id': 'VMPIN-WEAK', 'field': 'email', 'required': True}]},
     "Invalid policy: rule 'VMPIN-WEAK': the id is used by the packs 'voicemail_pin' and 'mine'"),
    ({'name': 'Strict PINs', 'pack': 'strict', 'parameters': {'pin_min_length': 8},
      'rules': [{'id': 'ST-1', 'field': 'email', 'required': True}]},
     "Invalid policy: policy: the packs disagree on parameter 'pin_min_length' (6, and 8 in 'strict')"),
])
def test_packs_that_cannot_go_together_fail_before_any_request(run_playbook, emulator, tmp_path, second, words):
    result, report = audit(run_playbook, tmp_path, ['voicemail_pin', second])
    assert result.rc != 0 and report is None
    assert words in result.output and 'Traceback' not in result.output
    assert emulator.stats()['requests_total'] == 0
