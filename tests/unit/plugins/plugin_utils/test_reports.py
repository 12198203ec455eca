# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The audit report writers: JSON, JUnit XML, HTML and CSV."""

from __future__ import annotations

import csv
import datetime
import json
import os
import re
import stat
import time
import xml.etree.ElementTree as ET

import pytest

from ansible_collections.netsapiens.pbx.plugins.module_utils._audit import evaluate
from ansible_collections.netsapiens.pbx.plugins.module_utils._policy import Policy
from ansible_collections.netsapiens.pbx.plugins.plugin_utils import _reports
from ansible_collections.netsapiens.pbx.plugins.plugin_utils._reports import FORMATS, write_reports

TODAY = datetime.date(2026, 3, 1)
GENERATED_AT = '2026-03-01T08:00:00Z'
XSS = '<script>alert(1)</script>'
POLICY = {
    'name': 'Acme <baseline>',
    'description': 'Voicemail & timeouts',
    'rules': [
        {'id': 'VM-1', 'description': 'Voicemail is enabled', 'severity': 'high', 'field': 'vmail_enabled', 'equals': 'yes'},
        {'id': 'NA-1', 'description': 'No-answer timeout 10..60 s', 'severity': 'medium', 'field': 'no_answer_timeout',
         'min': 10, 'max': 60},
        {'id': 'EM-1', 'description': 'E-mail is set', 'severity': 'low', 'field': 'email', 'required': True,
         'select': {'scope': ['Basic User', 'Office Manager']}},
    ],
    'exemptions': [
        {'subscriber': '1003@acme', 'rule': 'VM-1', 'reason': 'lobby phone', 'expires': '2027-01-31'},
        {'subscriber': '1001@beta', 'rule': 'NA-1', 'reason': 'old "temporary" fix', 'expires': '2025-12-31'},
    ],
}


def record(user, domain, **fields):
    base = {'user': user, 'domain': domain, 'first_name': 'First%s' % user, 'last_name': 'Last', 'scope': 'Basic User',
            'srv_code': '', 'vmail_enabled': 'yes', 'no_answer_timeout': '25', 'email': '%s@example.com' % user}
    base.update(fields)
    return base


RECORDS = [
    record('1001', 'acme'),
    record('1002', 'acme', vmail_enabled='no', no_answer_timeout='90'),
    record('1003', 'acme', vmail_enabled='no'),
    record(XSS, 'acme', first_name='=HYPERLINK("http://evil.example","x")', last_name='@SUM(1+1)', email=''),
    record('1001', 'beta', no_answer_timeout='5', email='-2+3', subscriber_pin='4321', callid_nmbr='+15551234567'),
    record('1002', 'beta', scope='Reseller', email='', dir=['a', 'b'], area_code='-5'),
    record('system-aa', 'beta', srv_code='system-aa', vmail_enabled='no'),
]


@pytest.fixture
def result():
    return evaluate(Policy(POLICY), [dict(item) for item in RECORDS], TODAY)


@pytest.fixture
def written(result, tmp_path):
    return write_reports(result, str(tmp_path / 'out' / 'nested'), FORMATS, fail_on='high', generated_at=GENERATED_AT)


def test_writes_every_format(written, tmp_path):
    directory = tmp_path / 'out' / 'nested'
    assert written == {name: str(directory / _reports.FILENAMES[name]) for name in FORMATS}
    assert sorted(os.listdir(directory)) == ['audit-junit.xml', 'audit-report.html', 'audit-report.json', 'audit-subscribers.csv']
    for path in written.values():
        assert os.path.isabs(path)
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o644


def test_subset_and_unknown_format(result, tmp_path):
    assert list(write_reports(result, tmp_path, ['csv'])) == ['csv']
    assert list(write_reports(result, tmp_path, 'json')) == ['json']
    assert sorted(os.listdir(tmp_path)) == ['audit-report.json', 'audit-subscribers.csv']
    assert list(write_reports(result, tmp_path / 'all', None)) == list(FORMATS)
    with pytest.raises(ValueError, match="'pdf'"):
        write_reports(result, tmp_path / 'never', ['json', 'pdf'])
    assert not (tmp_path / 'never').exists()
    with pytest.raises(ValueError, match="'urgent'"):
        write_reports(result, tmp_path, ['json'], fail_on='urgent')


def test_failed_write_leaves_no_partial_file(result, tmp_path, monkeypatch):
    write_reports(result, tmp_path, ['json'], generated_at=GENERATED_AT)
    before = (tmp_path / 'audit-report.json').read_bytes()

    def broken(stream, *_args):
        stream.write('{"half": ')
        raise RuntimeError('disk on fire')

    monkeypatch.setattr(_reports.WRITERS['json'], 'write', broken)
    with pytest.raises(RuntimeError):
        write_reports(result, tmp_path, ['json'])
    assert os.listdir(tmp_path) == ['audit-report.json']
    assert (tmp_path / 'audit-report.json').read_bytes() == before


def test_json_is_the_report(result, written):
    with open(written['json'], encoding='utf-8') as handle:
        text = handle.read()
    assert json.loads(text) == json.loads(json.dumps(result.report('high', GENERATED_AT)))
    assert text.startswith('{\n  "schema_version": 1,\n  "generated_at": "2026-03-01T08:00:00Z"')
    assert json.loads(text)['summary']['passed'] is False


def test_junit_counts(result, written):
    root = ET.parse(written['junit']).getroot()
    assert root.tag == 'testsuites'
    assert root.get('name') == 'Acme <baseline>'
    cases = root.findall('testsuite/testcase')
    assert len(cases) == sum(result.checks.values()) == int(root.get('tests'))
    assert len(root.findall('testsuite/testcase/failure')) == len(result.violations) == int(root.get('failures'))
    assert len(root.findall('testsuite/testcase/skipped')) == len(result.exempted) == int(root.get('skipped'))
    suites = root.findall('testsuite')
    assert [suite.get('name') for suite in suites] == [rule['id'] for rule in POLICY['rules']]
    for suite in suites:
        assert int(suite.get('tests')) == result.checks[suite.get('name')] == len(suite.findall('testcase'))
        assert int(suite.get('failures')) == len(suite.findall('testcase/failure'))
        assert int(suite.get('skipped')) == len(suite.findall('testcase/skipped'))


def test_junit_cases(written):
    root = ET.parse(written['junit']).getroot()
    vm = root.find("testsuite[@name='VM-1']")
    # The system user is not selected; the order is the records' order.
    assert [case.get('name') for case in vm.findall('testcase')] == [
        '1001@acme', '1002@acme', '1003@acme', XSS + '@acme', '1001@beta', '1002@beta']
    assert all(case.get('classname') in ('acme', 'beta') for case in vm.findall('testcase'))
    failure = vm.find("testcase[@name='1002@acme']/failure")
    assert failure.get('type') == 'high'
    assert failure.get('message') == "VM-1: vmail_enabled is 'no', expected equals 'yes'"
    assert 'actual: no' in failure.text and "expected: equals 'yes'" in failure.text
    skipped = vm.find("testcase[@name='1003@acme']/skipped")
    assert skipped.get('message') == 'exempt: lobby phone (until 2027-01-31)'
    assert vm.find("testcase[@name='1001@acme']").findall('*') == []
    # The expired exemption does not apply: a failure, not a skip.
    assert root.find("testsuite[@name='NA-1']/testcase[@name='1001@beta']/failure") is not None


def test_junit_duplicate_records(tmp_path):
    # The same subscriber twice (say, from overlapping lookup terms), passing once and failing once.
    records = [record('1001', 'acme'), record('1001', 'acme', vmail_enabled='no')]
    result = evaluate(Policy(POLICY), records, TODAY)
    root = ET.parse(write_reports(result, tmp_path, ['junit'])['junit']).getroot()
    cases = root.findall("testsuite[@name='VM-1']/testcase")
    assert [case.find('failure') is not None for case in cases] == [False, True]


def test_junit_survives_control_characters(tmp_path):
    records = [record('10\x0001', 'acme', vmail_enabled='n\x1bo')]
    result = evaluate(Policy(POLICY), records, TODAY)
    path = write_reports(result, tmp_path, ['junit'])['junit']
    root = ET.parse(path).getroot()
    assert root.find('testsuite/testcase').get('name') == '10\ufffd01@acme'
    assert int(root.get('failures')) == len(result.violations) == 1


def test_html_escapes_everything(written):
    with open(written['html'], encoding='utf-8') as handle:
        page = handle.read()
    assert XSS not in page
    assert html_escaped(XSS) in page
    assert 'Acme &lt;baseline&gt;' in page and 'Acme <baseline>' not in page
    assert 'old &quot;temporary&quot; fix' in page
    assert page.count('<script>') == 1
    assert '<svg' in page and '<rect' in page
    for forbidden in ('http://', 'https://', '<link', 'src='):
        assert forbidden not in page.replace('http://www.w3.org/2000/svg', '').replace('http://evil.example', '')


def html_escaped(text):
    return text.replace('&', '&amp;').replace('<', '&lt;').replace('>', '&gt;').replace('"', '&quot;').replace("'", '&#x27;')


def test_html_content(result, written):
    with open(written['html'], encoding='utf-8') as handle:
        page = handle.read()
    body = re.search(r'<table id="violations">.*?<tbody>(.*?)</tbody>', page, re.S).group(1)
    assert body.count('<tr>') == len(result.violations)
    assert 'FAILED' in page
    assert page.count('<svg') == 2
    assert re.search(r'<section><h2>Violations per rule</h2>.*?VM-1 Voicemail is enabled', page, re.S)
    expired = re.search(r'<table id="expired">.*?</table>', page, re.S).group(0)
    assert '1001@beta' in expired and '2025-12-31' in expired


def test_html_caps_rows(tmp_path, monkeypatch):
    monkeypatch.setattr('ansible_collections.netsapiens.pbx.plugins.plugin_utils._reports._html.MAX_ROWS', 3)
    result = evaluate(Policy(POLICY), [record(str(2000 + n), 'acme', vmail_enabled='no') for n in range(10)], TODAY)
    write_reports(result, tmp_path, ['html'])
    page = (tmp_path / 'audit-report.html').read_text(encoding='utf-8')
    body = re.search(r'<table id="violations">.*?<tbody>(.*?)</tbody>', page, re.S).group(1)
    assert body.count('<tr>') == 3
    assert 'shows the 3 most severe of 10 violations' in page


def test_csv(result, written):
    with open(written['csv'], encoding='utf-8-sig', newline='') as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == len(result.records)
    header = list(rows[0])
    assert header[:4] == ['user', 'domain', 'first_name', 'last_name']
    assert header[-2:] == ['violations', 'violated_rules']
    assert header[4:-2] == sorted(header[4:-2])
    assert 'subscriber_pin' not in header
    assert '4321' not in open(written['csv'], encoding='utf-8-sig').read()
    by_user = dict(((row['user'], row['domain']), row) for row in rows)
    evil = by_user[(XSS, 'acme')]
    assert evil['first_name'] == '\'=HYPERLINK("http://evil.example","x")'
    assert evil['last_name'] == "'@SUM(1+1)"
    assert evil['violations'] == '1' and evil['violated_rules'] == 'EM-1'
    beta = by_user[('1001', 'beta')]
    assert beta['email'] == "'-2+3"
    assert beta['callid_nmbr'] == '+15551234567'  # a plain number is left alone
    assert beta['violations'] == '1' and beta['violated_rules'] == 'NA-1'
    assert by_user[('1002', 'beta')]['dir'] == 'a,b'
    assert by_user[('1002', 'beta')]['area_code'] == '-5'
    assert by_user[('1002', 'acme')]['violated_rules'] == 'VM-1;NA-1'
    assert by_user[('1003', 'acme')]['violations'] == '0'  # exempted
    assert sum(int(row['violations']) for row in rows) == len(result.violations)


def test_no_violations(tmp_path):
    result = evaluate(Policy(POLICY), [record('1001', 'acme')], TODAY)
    written = write_reports(result, tmp_path, FORMATS, fail_on='low')
    page = open(written['html'], encoding='utf-8').read()
    assert 'PASSED' in page and 'No violations.' in page
    root = ET.parse(written['junit']).getroot()
    assert root.get('failures') == '0' and root.get('tests') == '3'


def big_audit(records=10000, rules=20):
    fields = ('vmail_enabled', 'no_answer_timeout', 'scope', 'email', 'language', 'time_zone', 'dial_policy', 'area_code',
              'callid_nmbr', 'site')
    specs = []
    for index in range(rules):
        field = fields[index % len(fields)]
        specs.append({'id': 'R-%02d' % index, 'description': 'rule %d on %s' % (index, field),
                      'severity': ('info', 'low', 'medium', 'high', 'critical')[index % 5], 'field': field, 'regex': '^ok'})
    data = []
    for number in range(records):
        item = {'user': str(10000 + number), 'domain': 'domain%02d.example' % (number % 40), 'first_name': 'First %d' % number,
                'last_name': 'Last', 'srv_code': ''}
        for offset, field in enumerate(fields):
            item[field] = 'bad' if (number + offset) % 10 == 0 else 'ok-%d' % number
        data.append(item)
    return evaluate(Policy({'name': 'big', 'rules': specs}), data, TODAY)


def test_timing_10000_records_20_rules(tmp_path):
    result = big_audit()
    assert 0.08 < len(result.violations) / sum(result.checks.values()) < 0.12
    timings = {}
    for name in FORMATS:
        start = time.perf_counter()
        write_reports(result, tmp_path, [name], fail_on='high', generated_at=GENERATED_AT)
        timings[name] = time.perf_counter() - start
    print('\nreports for 10,000 records x 20 rules (%d checks, %d violations): %s, total %.2f s'
          % (sum(result.checks.values()), len(result.violations),
             ', '.join('%s %.2f s' % item for item in timings.items()), sum(timings.values())))
    root = ET.parse(str(tmp_path / 'audit-junit.xml')).getroot()
    assert root.get('failures') == str(len(result.violations))


def test_csv_header_cells_and_secret_columns(tmp_path):
    from ansible_collections.netsapiens.pbx.plugins.filter.to_csv import to_csv
    records = [record('1001', 'acme', **{'=cmd|x': '1', 'sip_password': 'hunter2', 'api_key': 'k', 'subscriber_pin': '4321'})]
    path = write_reports(evaluate(Policy(POLICY), records, TODAY), tmp_path, ['csv'])['csv']
    with open(path, encoding='utf-8-sig', newline='') as handle:
        audit_header = next(csv.reader(handle))
    filter_header = next(csv.reader(to_csv(records).splitlines()))
    assert audit_header[:-2] == filter_header
    assert filter_header[:5] == ['user', 'domain', 'first_name', 'last_name', "'=cmd|x"]
    assert not {'sip_password', 'api_key', 'subscriber_pin'} & set(filter_header)
    assert 'hunter2' not in to_csv(records, ['user', 'sip_password'])
