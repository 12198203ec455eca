# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The HTML report's "Changes since" section in a real browser: headless Chromium renders an audit compared with a
baseline and an earlier snapshot, runs the page's script, and the DOM it dumps holds the counts and the tables.

Chromium must be installed (`make test` installs it); without it these tests fail rather than skip.
"""

from __future__ import annotations

import datetime
import json
import os
import sys
from html.parser import HTMLParser

import pytest

from ansible.plugins.loader import init_plugin_loader

from test_html_report import POLICY, XSS, _chromium, _records, chromium  # noqa: F401  pylint: disable=unused-import

EARLIER, NOW = '2026-03-01T08:00:00Z', '2026-03-02T08:00:00Z'
TODAY = datetime.date(2026, 3, 2)


def _after(records):
    """The records of the second audit: one user's voicemail off, one user gone, one added, one time zone changed."""
    after = [dict(record) for record in records if (record['user'], record['domain']) != ('1003', 'delta.example')]
    for record in after:
        if (record['user'], record['domain']) == ('1001', 'acme.example'):
            record.update(vmail_enabled='no', time_zone='US/Central')
    after.append(dict(after[0], user='1999', first_name='Nia', vmail_enabled='no'))
    return after


class _ChangesDom(HTMLParser):
    """What the test needs from the dumped DOM: the header counts and the rows of each table, by table id."""

    def __init__(self, source):
        super().__init__()
        self.counts, self.tables, self.heading = {}, {}, ''
        self.sortable = None
        self._count = self._table = self._cell = None
        self._in_heading = False
        self.feed(source)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == 'section' and attrs.get('id') == 'changes':
            self._in_heading = None
        elif tag == 'h2' and self._in_heading is None:
            self._in_heading = True
        elif tag == 'span' and attrs.get('class') == 'chg':
            self._count = attrs['data-count']
        elif tag == 'table':
            self._table = attrs.get('id')
            self.tables[self._table] = []
            if self._table == 'violations':
                self.sortable = attrs.get('data-sortable')
        elif tag == 'tr' and self._table:
            self.tables[self._table].append([])
        elif tag == 'td' and self._table:
            self._cell = []

    def handle_endtag(self, tag):
        if tag == 'td' and self._cell is not None:
            self.tables[self._table][-1].append(''.join(self._cell))
            self._cell = None
        elif tag == 'table':
            self._table = None
        elif tag == 'h2' and self._in_heading:
            self._in_heading = False

    def handle_data(self, data):
        if self._in_heading:
            self.heading += data
        if self._count is not None:
            self.counts[self._count] = int(data.replace(',', ''))
            self._count = None
        if self._cell is not None:
            self._cell.append(data)

    def rows(self, table):
        return [row for row in self.tables.get(table, []) if row]


@pytest.fixture(scope='module')
def compared(tmp_path_factory, collections_path):
    # pylint: disable=import-outside-toplevel
    if not any(type(finder).__name__ == '_AnsibleCollectionFinder' for finder in sys.meta_path):
        init_plugin_loader([collections_path])
    from ansible_collections.netsapiens.pbx.plugins.module_utils._audit import evaluate
    from ansible_collections.netsapiens.pbx.plugins.module_utils._drift import Baseline, compare
    from ansible_collections.netsapiens.pbx.plugins.module_utils._policy import Policy
    from ansible_collections.netsapiens.pbx.plugins.module_utils._snapshot import PreviousSnapshot, compare_snapshots, take_snapshot
    from ansible_collections.netsapiens.pbx.plugins.plugin_utils._reports import write_reports

    def audit(records, at):
        result = evaluate(Policy(POLICY), records, TODAY)
        result.api_url, result.domains = 'https://pbx.example.com', sorted(set(record['domain'] for record in records))
        result.snapshot = take_snapshot({'subscribers': records}, result.api_url, result.domains, at)
        return result

    before = audit(_records(), EARLIER)
    result = audit(_after(_records()), NOW)
    compare(result, Baseline(json.loads(json.dumps(before.report('high', EARLIER))), 'baseline.json'), new_only=True)
    result.changes = compare_snapshots(PreviousSnapshot(json.loads(json.dumps(before.snapshot)), 'snapshot.json'), result.snapshot)
    directory = tmp_path_factory.mktemp('drift-report')
    path = write_reports(result, str(directory), ['html'], fail_on='high', generated_at=NOW)['html']
    return {'path': path, 'result': result, 'directory': directory}


def _dom(chromium, tmp_path, compared, fragment=''):
    return _ChangesDom(_chromium(chromium, tmp_path, '--dump-dom', 'file://%s%s' % (compared['path'], fragment)))


def test_changes_section_renders_with_counts_and_tables(chromium, compared, tmp_path):
    dom = _dom(chromium, tmp_path, compared)
    drift, changes = compared['result'].drift, compared['result'].changes
    assert dom.heading.startswith('Changes since %s' % EARLIER)
    subscribers = changes['subscribers']
    assert dom.counts == {'new': drift.counts['new'], 'resolved': drift.counts['resolved'], 'unchanged': drift.counts['unchanged'],
                          'added': 1, 'removed': 1, 'changed': 1, 'fields': 2}
    new = dom.rows('new-violations')
    assert len(new) == drift.counts['new'] and set(row[2] for row in new) == {'1001', '1999'}
    assert [(row[1], row[2], row[3]) for row in dom.rows('resolved-violations')] == [
        (v['rule'], v['user'], v['domain']) for v in drift.resolved]
    assert [row[:6] for row in dom.rows('record-changes')] == [
        ['subscribers', subscribers['added'][0], 'added', '', '', ''],
        ['subscribers', subscribers['removed'][0], 'removed', '', '', ''],
        ['subscribers', '1001@acme.example', 'changed', 'time_zone', 'Europe/Paris', 'US/Central'],
        ['subscribers', '1001@acme.example', 'changed', 'vmail_enabled', 'yes', 'no']]
    assert dom.sortable == 'ready', 'the table script did not run to the end with the status column'
    assert sorted(set(row[-1] for row in dom.rows('violations'))) == ['new', 'unchanged']
    assert any(row[2] == XSS for row in dom.rows('violations')), 'the hostile user name should show as text'


def test_status_column_sorts(chromium, compared, tmp_path):
    statuses = [row[-1] for row in _dom(chromium, tmp_path, compared, '#sort=status:asc').rows('violations')]
    assert statuses == sorted(statuses) and statuses[0] == 'new' and statuses[-1] == 'unchanged'


def test_screenshot_of_the_changes(chromium, compared, tmp_path):
    png = os.path.join(str(compared['directory']), 'audit-report-changes.png')
    _chromium(chromium, tmp_path, '--screenshot=%s' % png, '--window-size=1280,1600', 'file://%s' % compared['path'])
    assert os.path.getsize(png) > 10 * 1024, 'the screenshot is nearly empty (%d bytes)' % os.path.getsize(png)
