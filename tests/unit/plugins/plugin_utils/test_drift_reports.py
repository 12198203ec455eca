# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The reports of an audit compared with a baseline and an earlier snapshot: JSON marks, JUnit messages, the CSV status
column, the HTML "Changes since" section, and the snapshot file."""

from __future__ import annotations

import csv
import datetime
import html
import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest

from ansible_collections.netsapiens.pbx.plugins.module_utils._audit import evaluate
from ansible_collections.netsapiens.pbx.plugins.module_utils._drift import Baseline, compare
from ansible_collections.netsapiens.pbx.plugins.module_utils._policy import Policy
from ansible_collections.netsapiens.pbx.plugins.module_utils._snapshot import PreviousSnapshot, compare_snapshots, take_snapshot
from ansible_collections.netsapiens.pbx.plugins.plugin_utils._reports import EXTRA_FORMATS, FORMATS, write_reports
from ansible_collections.netsapiens.pbx.plugins.plugin_utils._reports._html_assets import CSS, csp_hash

TODAY = datetime.date(2026, 3, 2)
URL = 'https://pbx.example.com'
EARLIER, NOW = '2026-03-01T08:00:00Z', '2026-03-02T08:00:00Z'
POLICY = Policy({'name': 'Acme', 'rules': [
    {'id': 'VM-1', 'description': 'Voicemail is enabled', 'severity': 'high', 'field': 'vmail_enabled', 'equals': 'yes'},
    {'id': 'EM-1', 'description': 'E-mail is set', 'severity': 'low', 'field': 'email', 'required': True},
]})


def record(user, **fields):
    return dict({'user': user, 'domain': 'acme', 'first_name': 'F%s' % user, 'srv_code': '', 'vmail_enabled': 'yes',
                 'email': '%s@example.com' % user, 'subscriber_pin': '4321'}, **fields)


BEFORE = [record('1001', vmail_enabled='no'), record('1002', email=''), record('1003', vmail_enabled='no'), record('1005')]
AFTER = [record('1001', vmail_enabled='no'), record('1002', email=''), record('1003'), record('1004', vmail_enabled='no', email='')]


def audited(records, at):
    result = evaluate(POLICY, [dict(item) for item in records], TODAY)
    result.api_url, result.domains = URL, ['acme']
    result.snapshot = take_snapshot({'subscribers': result.records}, URL, ['acme'], at)
    return result


@pytest.fixture(name='compared')
def compared_fixture():
    before = audited(BEFORE, EARLIER)
    result = audited(AFTER, NOW)
    compare(result, Baseline(json.loads(json.dumps(before.report('high', EARLIER))), 'baseline.json'), new_only=True)
    earlier = PreviousSnapshot(json.loads(json.dumps(before.snapshot)), 'snapshot.json')
    result.changes = compare_snapshots(earlier, result.snapshot)
    return result


@pytest.fixture(name='written')
def written_fixture(compared, tmp_path):
    paths = write_reports(compared, tmp_path, FORMATS + EXTRA_FORMATS, fail_on='high', generated_at=NOW)
    return dict((name, open(path, encoding='utf-8-sig').read()) for name, path in paths.items())


def test_json_carries_the_marks_the_resolved_and_the_changes(written):
    report = json.loads(written['json'])
    assert [(v['rule'], v['user'], v['status']) for v in report['violations']] == [
        ('VM-1', '1001', 'unchanged'), ('VM-1', '1004', 'new'), ('EM-1', '1002', 'unchanged'), ('EM-1', '1004', 'new')]
    baseline = report['baseline']
    assert (baseline['generated_at'], baseline['new'], baseline['unchanged'], baseline['resolved'], baseline['not_compared']) == (
        EARLIER, 2, 2, 1, 0)
    assert [(v['rule'], v['user'], v['status']) for v in baseline['resolved_violations']] == [('VM-1', '1003', 'resolved')]
    assert report['summary']['failing_violations'] == 1 and report['summary']['fail_on_new_only'] is True
    assert report['changes']['since'] == EARLIER
    assert report['changes']['subscribers'] == {
        'added': ['1004@acme'], 'removed': ['1005@acme'],
        'changed': [{'key': '1003@acme', 'fields': [{'field': 'vmail_enabled', 'old': 'no', 'new': 'yes'}]}]}


def test_junit_marks_new_failures_in_their_message(written):
    failures = ET.fromstring(written['junit'].encode('utf-8')).findall('.//failure')
    messages = sorted(failure.get('message') for failure in failures)
    assert messages == ["EM-1: email is '', expected not empty", "NEW: EM-1: email is '', expected not empty",
                        "NEW: VM-1: vmail_enabled is 'no', expected equals 'yes'", "VM-1: vmail_enabled is 'no', expected equals 'yes'"]
    texts = [failure.text for failure in failures]
    assert sum('status: new (not in the baseline)' in text for text in texts) == 2
    assert sum('status: unchanged (also in the baseline)' in text for text in texts) == 2


def test_csv_gets_a_status_column(written):
    rows = list(csv.DictReader(written['csv'].splitlines()))
    assert list(rows[0])[-3:] == ['violations', 'violated_rules', 'status']
    assert dict((row['user'], row['status']) for row in rows) == {'1001': 'unchanged', '1002': 'unchanged', '1003': 'resolved',
                                                                  '1004': 'new'}
    assert 'subscriber_pin' not in rows[0]


def test_without_a_baseline_the_reports_are_as_before(tmp_path):
    result = evaluate(POLICY, [dict(item) for item in AFTER], TODAY)
    paths = write_reports(result, tmp_path, FORMATS, fail_on='high', generated_at=NOW)
    with open(paths['csv'], encoding='utf-8-sig') as handle:
        assert list(csv.DictReader(handle).fieldnames)[-2:] == ['violations', 'violated_rules']
    with open(paths['html'], encoding='utf-8') as handle:
        page = handle.read()
    assert 'id="changes"' not in page and 'data-key="status"' not in page
    junit = open(paths['junit'], encoding='utf-8').read()
    assert 'NEW: ' not in junit and 'status: ' not in junit


class _Changes(HTMLParser):
    """The counts in the header of the changes section and the rows of its tables."""

    def __init__(self, page):
        super().__init__()
        self.counts, self.rows, self.headings = {}, {}, []
        self._count, self._table, self._text = None, None, None
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == 'span' and attrs.get('class') == 'chg':
            self._count = attrs['data-count']
        elif tag == 'table':
            self._table = attrs.get('id')
            self.rows[self._table] = []
        elif tag == 'tr' and self._table and self.rows[self._table] is not None:
            self.rows[self._table].append([])
        elif tag == 'td' and self._table:
            self._text = []
        elif tag == 'h2':
            self._text = []

    def handle_endtag(self, tag):
        if tag == 'td' and self._text is not None and self._table:
            self.rows[self._table][-1].append(''.join(self._text))
            self._text = None
        elif tag == 'h2' and self._text is not None:
            self.headings.append(''.join(self._text))
            self._text = None
        elif tag == 'table':
            self._table = None

    def handle_data(self, data):
        if self._count is not None:
            self.counts[self._count] = int(data.replace(',', ''))
            self._count = None
        if self._text is not None:
            self._text.append(data)


def test_html_has_a_changes_section_with_counts_in_its_header(written):
    page = written['html']
    found = _Changes(page)
    assert found.counts == {'new': 2, 'resolved': 1, 'unchanged': 2, 'added': 1, 'removed': 1, 'changed': 1, 'fields': 1}
    assert found.headings[0].startswith('Changes since %s' % EARLIER)
    assert [row[2] for row in found.rows['new-violations'][1:]] == ['1004', '1004']
    assert [(row[1], row[2]) for row in found.rows['resolved-violations'][1:]] == [('VM-1', '1003')]
    assert [row[:6] for row in found.rows['record-changes'][1:]] == [
        ['subscribers', '1004@acme', 'added', '', '', ''], ['subscribers', '1005@acme', 'removed', '', '', ''],
        ['subscribers', '1003@acme', 'changed', 'vmail_enabled', 'no', 'yes']]
    assert [row[-1] for row in found.rows['violations'][1:]] == ['unchanged', 'new', 'unchanged', 'new']
    assert 'FAILED <span>1 new violation at or above severity high since the baseline (of 4 in all)' in page
    # The page's stylesheet is still the one its Content-Security-Policy allows.
    assert csp_hash(CSS) in html.unescape(page) and re.search(r'<style>(.*?)</style>', page, re.S).group(1) == CSS


def test_snapshot_file_is_stable_json_without_secrets(written, compared):
    text = written['snapshot']
    assert text == json.dumps(compared.snapshot, indent=1, sort_keys=True, ensure_ascii=False) + '\n'
    assert '4321' not in text and 'subscriber_pin' not in text
    assert sorted(json.loads(text)['objects']['subscribers']) == ['1001@acme', '1002@acme', '1003@acme', '1004@acme']


def test_snapshot_is_written_only_when_asked_for(tmp_path):
    result = evaluate(POLICY, [dict(item) for item in AFTER], TODAY)
    assert sorted(write_reports(result, tmp_path, None)) == sorted(FORMATS)
    written = write_reports(result, tmp_path, ['snapshot'], generated_at=NOW)
    with open(written['snapshot'], encoding='utf-8') as handle:
        snapshot = json.load(handle)
    assert snapshot['generated_at'] == NOW and sorted(snapshot['objects']) == ['subscribers']
    with pytest.raises(ValueError, match="use any of json, junit, html, csv, snapshot"):
        write_reports(result, tmp_path, ['pdf'])
