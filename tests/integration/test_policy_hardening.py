# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Issue 11: audit policies and reports on untrusted data. Each test is a row of the scenario table.

Playbook tests run the subscriber_audit role or the to_csv filter against the emulator (output checked for secrets).
The tests that need a fake clock or a pathological value call the collection's code in this process.
"""

from __future__ import annotations

import csv
import datetime
import io
import os
import signal
import sys
import time

import pytest

scenario = pytest.mark.scenario
AUDIT_DATE = '2026-11-28'
# A classic catastrophic pattern, and a 50-character value on which Python's re backtracks for minutes.
PATHOLOGICAL = r'^(\w+\s?)*$'
SLOW_VALUE = 'a' * 49 + '!'


def audit_vars(tmp_path, policy):
    return {'subscriber_audit_report_dir': str(tmp_path / 'reports'), 'subscriber_audit_audit_date': AUDIT_DATE,
            'subscriber_audit_fail_on': 'never', 'policy': policy}


@pytest.fixture(name='collection')
def collection_fixture(collections_path):
    """The collection importable in this process (as in the unit tests)."""
    if not any(type(finder).__name__ == '_AnsibleCollectionFinder' for finder in sys.meta_path):
        from ansible.plugins.loader import init_plugin_loader  # pylint: disable=import-outside-toplevel
        init_plugin_loader([collections_path])
    from ansible_collections.netsapiens.pbx.plugins.module_utils import _audit, _policy  # pylint: disable=import-outside-toplevel
    return _audit, _policy


@pytest.fixture(name='time_limit')
def time_limit_fixture():
    """time_limit(seconds): fail the test with a clear message if it runs longer (SIGALRM)."""
    def expire(_signum, _frame):
        raise TimeoutError('the time box was exceeded')

    previous = signal.signal(signal.SIGALRM, expire)
    yield signal.alarm
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


@scenario('Policy rule on a secret or never-returned field ({field})',
          'refused before any request: the field is secret or never returned, so the rule could never see it')
@pytest.mark.parametrize('field, why', [
    ('subscriber_pin', 'is secret and never read for an audit'),
    ('pwd_hash', 'is never returned by the collection'),
    ('gauSession', 'is never returned by the collection'),
])
def test_rule_on_a_field_that_never_reaches_records(run_playbook, emulator, tmp_path, field, why):
    rule = {'id': 'S-1', 'field': field, 'required': True}
    result = run_playbook('role_inline_policy.yml', audit_vars(tmp_path, {'name': 'secret', 'rules': [rule]}))
    assert result.rc != 0
    assert "rule 'S-1': field '%s' %s, so the rule could never see its value" % (field, why) in result.output
    assert 'Traceback' not in result.output
    assert emulator.stats()['requests_total'] == 0


@scenario('Policy number that is not a plain finite number ({label})', 'refused before any request, naming the option and value')
@pytest.mark.parametrize('label, bounds, words', [
    ('nan', {'min': 'nan'}, "'min' must be a finite number, got 'nan'"),
    ('inf', {'max': float('inf')}, "'max' must be a finite number, got 'inf'"),
    ('underscores', {'min': '1_0_0'}, "'min' must be a number, got '1_0_0'"),
])
def test_policy_numbers_are_strict(run_playbook, emulator, tmp_path, label, bounds, words):
    rule = dict({'id': 'N-1', 'field': 'no_answer_timeout'}, **bounds)
    result = run_playbook('role_inline_policy.yml', audit_vars(tmp_path, {'name': label, 'rules': [rule]}))
    assert result.rc != 0
    assert "rule 'N-1': %s" % words in result.output and 'Traceback' not in result.output
    assert emulator.stats()['requests_total'] == 0


@scenario('Record value that is a list, under a selector and a rule',
          'compared as comma-joined text like every list value; no TypeError')
def test_list_values_in_records_do_not_crash_selectors(collection):
    _audit, _policy = collection
    policy = _policy.Policy({'name': 'lists', 'rules': [
        {'id': 'IN-1', 'field': 'dir', 'in': ['a,b'], 'select': {'group': 'Sales,Support'}},
        {'id': 'RE-1', 'field': 'site', 'regex': '^HQ$'}]})
    records = [{'user': '1', 'domain': 'acme', 'group': ['Sales', 'Support'], 'dir': ['a', 'b'], 'site': {'name': 'HQ'}}]
    result = _audit.evaluate(policy, records, datetime.date(2026, 1, 1))
    assert result.checks == {'IN-1': 1, 'RE-1': 1}
    assert [(v['rule'], v['actual']) for v in result.violations] == [('RE-1', '{"name": "HQ"}')]


@scenario('Catastrophic regex in a policy (nested quantifier)',
          'refused at validation with a message saying why, before any request; the play ends in seconds')
def test_catastrophic_regex_is_refused_before_any_request(run_playbook, emulator, tmp_path, happened):
    rule = {'id': 'RE-1', 'field': 'callid_name', 'regex': PATHOLOGICAL}
    started = time.monotonic()
    result = run_playbook('role_inline_policy.yml', audit_vars(tmp_path, {'name': 'redos', 'rules': [rule]}))
    elapsed = time.monotonic() - started
    assert result.rc != 0
    # ansible-core 2.21 shows the message as JSON, with the pattern's backslashes doubled.
    assert any("rule 'RE-1': regex '%s' is refused: it could run for minutes on some values" % pattern in result.output
               for pattern in (PATHOLOGICAL, PATHOLOGICAL.replace('\\', '\\\\')))
    assert emulator.stats()['requests_total'] == 0
    assert elapsed < 60
    happened('play failed after %.1f s' % elapsed)


@scenario('Catastrophic regex against a 50-character value',
          'the policy is refused at validation; the regex never runs on the value')
@pytest.mark.parametrize('pattern', [PATHOLOGICAL, '^(a+)+$', '^(a|a)*$', '^(a*)*$'])
def test_catastrophic_regex_never_runs(collection, time_limit, pattern):
    _audit, _policy = collection
    time_limit(10)  # on the value below, each of these patterns backtracks for minutes
    records = [{'user': '1', 'domain': 'acme', 'callid_name': SLOW_VALUE}]
    with pytest.raises(_policy.NetSapiensConfigError) as info:
        _audit.evaluate(_policy.Policy({'name': 'redos', 'rules': [{'id': 'RE-1', 'field': 'callid_name', 'regex': pattern}]}), records)
    assert "rule 'RE-1': regex '%s' is refused: " % pattern in str(info.value)


@scenario('Exemption expiry around midnight UTC, controller in Pacific/Kiritimati (UTC+14)',
          'compared with the UTC date, like the report timestamps: an exemption that expires today (UTC) still applies')
def test_exemption_expiry_is_compared_in_utc(collection, monkeypatch):
    _audit, _policy = collection
    instant = datetime.datetime(2026, 1, 31, 12, 0, tzinfo=datetime.timezone.utc)  # 2026-02-01 02:00 in Kiritimati

    class FakeDatetime(datetime.datetime):
        @classmethod
        def now(cls, tz=None):
            return instant.astimezone(tz) if tz else instant.astimezone().replace(tzinfo=None)

    class FakeDate(datetime.date):
        @classmethod
        def today(cls):
            return instant.astimezone().date()

    monkeypatch.setenv('TZ', 'Pacific/Kiritimati')
    time.tzset()
    try:
        monkeypatch.setattr(_audit, 'datetime', type('clock', (), {'datetime': FakeDatetime, 'date': FakeDate,
                                                                   'timezone': datetime.timezone}))
        assert FakeDate.today() == datetime.date(2026, 2, 1)  # the local date is already tomorrow
        policy = _policy.Policy({'name': 'utc', 'rules': [{'id': 'VM-1', 'field': 'vmail_enabled', 'equals': 'yes'}],
                                 'exemptions': [{'subscriber': '1@acme', 'rule': 'VM-1', 'reason': 'trial', 'expires': '2026-01-31'}]})
        result = _audit.evaluate(policy, [{'user': '1', 'domain': 'acme', 'vmail_enabled': 'no'}])
    finally:
        monkeypatch.undo()
        time.tzset()
    assert result.today == datetime.date(2026, 1, 31)
    assert result.expired_exemptions == [] and [e['subscriber'] for e in result.exempted] == ['1@acme']
    assert result.violations == []


FORMULA_KEY = '=cmd|x'


@scenario('Server field name that is a spreadsheet formula (to_csv filter)', 'the header cell is written as text, like data cells')
def test_to_csv_header_cells_are_neutralised(run_playbook, emulator, tmp_path):
    rows = [{'user': '1001', 'domain': 'acme', FORMULA_KEY: '@SUM(1)', 'email': 'a@b'}]
    result = run_playbook('to_csv_file.yml', {'rows': rows})
    assert result.rc == 0, result
    with open(os.path.join(result.artifacts, 'rows.csv'), encoding='utf-8') as handle:
        header, row = list(csv.reader(handle))
    assert "'" + FORMULA_KEY in header and FORMULA_KEY not in header
    assert "'@SUM(1)" in row


@scenario('Server field name that is a spreadsheet formula (audit CSV report)', 'the header cell is written as text, like data cells')
def test_audit_csv_header_cells_are_neutralised(collection, tmp_path):
    _audit, _policy = collection
    from ansible_collections.netsapiens.pbx.plugins.plugin_utils._reports import write_reports  # pylint: disable=import-outside-toplevel
    policy = _policy.Policy({'name': 'csv', 'rules': [{'id': 'VM-1', 'field': 'vmail_enabled', 'equals': 'yes'}]})
    records = [{'user': '1001', 'domain': 'acme', 'vmail_enabled': 'no', FORMULA_KEY: 'x'}]
    path = write_reports(_audit.evaluate(policy, records, datetime.date(2026, 1, 1)), tmp_path, ['csv'])['csv']
    with open(path, encoding='utf-8-sig', newline='') as handle:
        header = next(csv.reader(io.StringIO(handle.read())))
    assert "'" + FORMULA_KEY in header and FORMULA_KEY not in header
