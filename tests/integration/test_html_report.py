# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The HTML audit report in a real browser: headless Chromium renders the charts and runs the table script.

Chromium must be installed (`make test` installs it); without it this test fails rather than skips.
"""

from __future__ import annotations

import datetime
import os
import shutil
import subprocess
import sys
from html.parser import HTMLParser

import pytest

from ansible.plugins.loader import init_plugin_loader

TODAY = datetime.date(2026, 3, 1)
XSS = '<img src=x onerror=alert(1)><script>alert(1)</script>'
POLICY = {
    'name': 'Acme telephony baseline',
    'description': 'Voicemail, timeouts and caller ID for every office phone.',
    'rules': [
        {'id': 'VM-1', 'description': 'Voicemail is enabled', 'severity': 'high', 'field': 'vmail_enabled', 'equals': 'yes'},
        {'id': 'NA-1', 'description': 'No-answer timeout between 15 and 45 s', 'severity': 'medium',
         'field': 'no_answer_timeout', 'min': 15, 'max': 45},
        {'id': 'CID-1', 'description': 'Caller ID number is set', 'severity': 'critical', 'field': 'callid_nmbr', 'required': True},
        {'id': 'EM-1', 'description': 'E-mail address is set', 'severity': 'low', 'field': 'email', 'regex': '@'},
        {'id': 'TZ-1', 'description': 'Time zone is a US zone', 'severity': 'info', 'field': 'time_zone', 'regex': '^US/'},
        {'id': 'SC-1', 'description': 'Office managers only at HQ', 'severity': 'medium', 'field': 'site', 'equals': 'HQ',
         'select': {'scope': 'Office Manager'}},
    ],
    'exemptions': [
        {'subscriber': '1007@acme.example', 'rule': 'VM-1', 'reason': 'lobby phone', 'expires': '2027-01-31'},
        {'subscriber': '1007@beta.example', 'rule': 'NA-1', 'reason': 'call centre queue', 'expires': '2025-06-30'},
    ],
}
DOMAINS = ('acme.example', 'beta.example', 'gamma.example', 'delta.example')


def _records():
    records = []
    for number in range(240):
        domain = DOMAINS[number % len(DOMAINS)]
        records.append({
            'user': str(1000 + number // len(DOMAINS)), 'domain': domain, 'first_name': 'User%d' % number, 'last_name': 'Example',
            'scope': 'Office Manager' if number % 17 == 0 else 'Basic User', 'site': 'HQ' if number % 3 else 'Branch',
            'srv_code': '', 'vmail_enabled': 'no' if number % 7 == 0 else 'yes',
            'no_answer_timeout': str((number * 7) % 70), 'callid_nmbr': '' if number % 29 == 0 else '+1555%07d' % number,
            'email': 'user%d@%s' % (number, domain) if number % 5 else '', 'time_zone': 'US/Eastern' if number % 4 else 'Europe/Paris',
        })
    records.append(dict(records[1], user=XSS, vmail_enabled='no'))
    return records


class _Dom(HTMLParser):
    """Counts what the test needs from the DOM Chromium dumped after running the page's script."""

    def __init__(self):
        super().__init__()
        self.svgs = 0
        self.bars = 0
        self.table = None
        self.rows = []
        self.hidden_rows = 0
        self._in_body = False
        self._cell = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == 'svg':
            self.svgs += 1
        elif tag == 'rect' and 'seg' in (attrs.get('class') or ''):
            self.bars += 1
        elif tag == 'table' and attrs.get('id') == 'violations':
            self.table = attrs
        elif tag == 'tbody' and self.table is not None and not self.rows:
            self._in_body = True
        elif tag == 'tr' and self._in_body:
            self.rows.append([])
            self.hidden_rows += 'hidden' in attrs
        elif tag == 'td' and self._in_body:
            self._cell = []

    def handle_endtag(self, tag):
        if tag == 'tbody':
            self._in_body = False
        elif tag == 'td' and self._cell is not None:
            self.rows[-1].append(''.join(self._cell))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


@pytest.fixture(scope='module')
def chromium():
    """The chromium executable, or None: each test then fails (not skips) with a clear message."""
    return shutil.which('chromium')


@pytest.fixture(scope='module')
def report(tmp_path_factory, collections_path):
    # pylint: disable=import-outside-toplevel
    # The collection loader is what lets `ansible_collections.netsapiens.pbx` import under plain pytest.
    if not any(type(finder).__name__ == '_AnsibleCollectionFinder' for finder in sys.meta_path):
        init_plugin_loader([collections_path])
    from ansible_collections.netsapiens.pbx.plugins.module_utils._audit import evaluate
    from ansible_collections.netsapiens.pbx.plugins.module_utils._policy import Policy
    from ansible_collections.netsapiens.pbx.plugins.plugin_utils._reports import write_reports
    from ansible_collections.netsapiens.pbx.plugins.plugin_utils._reports._html import MAX_ROWS
    result = evaluate(Policy(POLICY), _records(), TODAY)
    directory = tmp_path_factory.mktemp('report')
    path = write_reports(result, str(directory), ['html'], fail_on='high', generated_at='2026-03-01T08:00:00Z')['html']
    return {'path': path, 'result': result, 'rows': min(len(result.violations), MAX_ROWS), 'directory': directory}


def _chromium(chromium, tmp_path, *arguments):
    if not chromium:
        pytest.fail('chromium is not installed: the HTML report test needs headless Chromium on PATH '
                    '(apt-get install chromium; `make test` installs it)', pytrace=False)
    command = [chromium, '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
               '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
               '--hide-scrollbars', '--user-data-dir=%s' % (tmp_path / 'profile')] + list(arguments)
    completed = subprocess.run(command, capture_output=True, text=True, timeout=180, check=False)
    assert completed.returncode == 0, 'chromium failed (%d): %s' % (completed.returncode, completed.stderr[-2000:])
    return completed.stdout


def _dom(chromium, tmp_path, report, fragment=''):
    dom = _Dom()
    dom.feed(_chromium(chromium, tmp_path, '--dump-dom', 'file://%s%s' % (report['path'], fragment)))
    return dom


def test_renders_charts_and_table(chromium, report, tmp_path):
    dom = _dom(chromium, tmp_path, report)
    assert dom.table is not None, 'no violations table in the rendered page'
    assert dom.table.get('data-sortable') == 'ready', 'the table script did not run to the end'
    assert dom.svgs == 2
    rules_with_violations = sum(1 for count in report['result'].summary()['by_rule'].values() if count)
    assert dom.bars >= rules_with_violations + 1
    assert len(dom.rows) == report['rows'] and dom.hidden_rows == 0
    assert any(row[2] == XSS for row in dom.rows), 'the hostile user name should show as text'


def test_sort_and_filter_script(chromium, report, tmp_path):
    dom = _dom(chromium, tmp_path, report, '#sort=user:desc')
    assert dom.table.get('data-sortable') == 'ready'
    users = [row[2] for row in dom.rows]
    assert len(users) == report['rows']
    numeric = [int(user) for user in users if user.isdigit()]
    assert numeric == sorted(numeric, reverse=True)
    dom = _dom(chromium, tmp_path, report, '#filter=beta.example%20VM-1')
    expected = sum(1 for v in report['result'].violations if v['domain'] == 'beta.example' and v['rule'] == 'VM-1')
    assert expected and len(dom.rows) - dom.hidden_rows == expected


def test_screenshot(chromium, report, tmp_path):
    png = os.path.join(str(report['directory']), 'audit-report.png')
    _chromium(chromium, tmp_path, '--screenshot=%s' % png, '--window-size=1280,2000', 'file://%s' % report['path'])
    assert os.path.exists(png), 'chromium wrote no screenshot'
    assert os.path.getsize(png) > 10 * 1024, 'the screenshot is nearly empty (%d bytes)' % os.path.getsize(png)
    with open(png, 'rb') as handle:
        assert handle.read(8) == b'\x89PNG\r\n\x1a\n'
