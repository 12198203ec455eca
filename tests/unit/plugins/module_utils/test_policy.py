# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Policy validation messages and rule semantics."""

from __future__ import annotations

import datetime

import pytest

from ansible_collections.netsapiens.pbx.plugins.module_utils._audit import evaluate, utc_today
from ansible_collections.netsapiens.pbx.plugins.module_utils._errors import NetSapiensConfigError
from ansible_collections.netsapiens.pbx.plugins.module_utils._policy import Policy


def policy(*rules, **extra):
    spec = {'name': 'test', 'rules': list(rules)}
    spec.update(extra)
    return Policy(spec)


def rule(**fields):
    base = {'id': 'R-1', 'field': 'vmail_enabled', 'equals': 'yes'}
    base.update(fields)
    return base


@pytest.mark.parametrize('bad, words', [
    (rule(operator='eq'), "rule 'R-1': unknown key(s) 'operator'"),
    (rule(equals=None, like='x'), "rule 'R-1': unknown key(s) 'like'"),
    ({'id': 'R-1', 'field': 'vmail_enabled'}, "rule 'R-1': no operator"),
    ({'id': 'R-1', 'field': 'email', 'regex': '(unclosed'}, "rule 'R-1': bad regex '(unclosed'"),
    (rule(field='vmail_enable'), "rule 'R-1': unknown subscriber field 'vmail_enable'"),
    (rule(field=None), "rule 'R-1': 'field' is required"),
    (rule(severity='urgent'), "rule 'R-1': unknown severity 'urgent'"),
    (rule(equals=['yes']), "rule 'R-1': 'equals' must be a string or number, got list"),
    (dict(rule(), **{'in': 'x'}), "rule 'R-1': give one operator per rule"),
    ({'id': 'R-1', 'field': 'no_answer_timeout', 'min': 'ten'}, "rule 'R-1': 'min' must be a number, got 'ten'"),
    ({'id': 'R-1', 'field': 'no_answer_timeout', 'min': 30, 'max': 10}, "'min' (30) is greater than 'max' (10)"),
    ({'id': 'R-1', 'field': 'email', 'required': 'yes'}, "'required' takes the value true"),
    (rule(select={'department': 'x'}), "rule 'R-1': unknown selector(s) 'department'"),
    (rule(select='Sales'), "rule 'R-1': 'select' must be a mapping"),
    ({'field': 'email', 'required': True}, "rule #1: every rule needs an 'id'"),
])
def test_invalid_rules_name_the_rule_and_the_problem(bad, words):
    if bad.get('equals', 1) is None:
        del bad['equals']
    with pytest.raises(NetSapiensConfigError) as info:
        policy(bad)
    assert words in str(info.value)


def test_policy_level_problems():
    with pytest.raises(NetSapiensConfigError, match="'rules' must be a non-empty list"):
        Policy({'name': 'x'})
    with pytest.raises(NetSapiensConfigError, match="unknown key.s. 'rule'"):
        Policy({'rule': []})
    with pytest.raises(NetSapiensConfigError, match='used by more than one rule'):
        policy(rule(), rule())
    with pytest.raises(NetSapiensConfigError, match="'rule' must name a rule of the policy, got 'R-9'"):
        policy(rule(), exemptions=[{'subscriber': '1@a', 'rule': 'R-9', 'reason': 'x'}])
    with pytest.raises(NetSapiensConfigError, match="'expires' must be a date"):
        policy(rule(), exemptions=[{'subscriber': '1@a', 'rule': 'R-1', 'reason': 'x', 'expires': 'soon'}])
    with pytest.raises(NetSapiensConfigError, match="'reason' is required"):
        policy(rule(), exemptions=[{'subscriber': '1@a', 'rule': 'R-1'}])
    with pytest.raises(NetSapiensConfigError, match="'subscriber' must be user@domain"):
        policy(rule(), exemptions=[{'subscriber': 'alice', 'rule': 'R-1', 'reason': 'x'}])


def record(user, **fields):
    base = {'user': user, 'domain': 'acme', 'srv_code': '', 'scope': 'Basic User', 'vmail_enabled': 'yes', 'no_answer_timeout': '25',
            'email': 'a@b', 'callid_emgr': '8585551234'}
    base.update(fields)
    return base


def violators(compiled, records, today=None):
    return [(v['rule'], v['user']) for v in evaluate(compiled, records, today).violations]


def test_each_operator():
    records = [record('1'), record('2', vmail_enabled='no', no_answer_timeout='45', email='', callid_emgr='[*]'),
               record('3', no_answer_timeout='ten')]
    compiled = policy(rule(id='EQ'), {'id': 'IN', 'field': 'vmail_enabled', 'in': [True]},
                      {'id': 'NOTIN', 'field': 'callid_emgr', 'not_in': ['[*]', '']},
                      {'id': 'RE', 'field': 'callid_emgr', 'regex': '^[0-9]{10}$'},
                      {'id': 'RANGE', 'field': 'no_answer_timeout', 'min': 15, 'max': 30},
                      {'id': 'REQ', 'field': 'email', 'required': True},
                      {'id': 'ABS', 'field': 'email', 'absent': True})
    assert sorted(violators(compiled, records)) == sorted([
        ('EQ', '2'), ('IN', '2'), ('NOTIN', '2'), ('RE', '2'), ('RANGE', '2'), ('RANGE', '3'), ('REQ', '2'),
        ('ABS', '1'), ('ABS', '3')])


def test_system_users_are_excluded_unless_asked():
    records = [record('8000', srv_code='system-queue', vmail_enabled='no'), record('1', vmail_enabled='no')]
    assert violators(policy(rule()), records) == [('R-1', '1')]
    assert sorted(violators(policy(rule(select={'include_system_users': True})), records)) == [('R-1', '1'), ('R-1', '8000')]


def test_selectors():
    records = [record('1', vmail_enabled='no', scope='Office Manager'), record('2', vmail_enabled='no', domain='globex')]
    assert violators(policy(rule(select={'scope': 'Office Manager'})), records) == [('R-1', '1')]
    assert violators(policy(rule(select={'domain': ['globex']})), records) == [('R-1', '2')]


def test_exemptions_and_their_expiry():
    records = [record('1', vmail_enabled='no'), record('2', vmail_enabled='no')]
    compiled = policy(rule(), exemptions=[
        {'subscriber': '1@acme', 'rule': 'R-1', 'reason': 'mobile voicemail'},
        {'subscriber': '2@acme', 'rule': 'R-1', 'reason': 'trial', 'expires': datetime.date(2026, 1, 31)},
    ])
    result = evaluate(compiled, records, datetime.date(2026, 2, 1))
    assert [(v['rule'], v['user']) for v in result.violations] == [('R-1', '2')]
    assert [e['subscriber'] for e in result.exempted] == ['1@acme']
    assert result.expired_exemptions == [{'subscriber': '2@acme', 'rule': 'R-1', 'reason': 'trial', 'expires': '2026-01-31'}]
    still_valid = evaluate(compiled, records, datetime.date(2026, 1, 31))
    assert still_valid.violations == [] and len(still_valid.exempted) == 2


def test_summary_and_threshold():
    records = [record('1', vmail_enabled='no', email=''), record('2', domain='globex', email='')]
    compiled = policy(rule(severity='high'), {'id': 'MAIL', 'field': 'email', 'required': True, 'severity': 'low'})
    result = evaluate(compiled, records)
    summary = result.summary('high')
    assert summary['violations'] == 3 and summary['failing_violations'] == 1 and not summary['passed']
    assert summary['by_rule'] == {'R-1': 1, 'MAIL': 2}
    assert summary['by_domain'] == {'acme': 2, 'globex': 1}
    assert summary['by_severity']['low'] == 2 and summary['by_severity']['critical'] == 0
    assert result.summary('critical')['passed'] and result.summary('never')['passed']
    assert result.summary('low')['failing_violations'] == 3
    assert summary['checks'] == 4


@pytest.mark.parametrize('bad, words', [
    ({'id': 'R-1', 'field': 'subscriber_pin', 'required': True},
     "field 'subscriber_pin' is secret and never read for an audit, so the rule could never see its value"),
    ({'id': 'R-1', 'field': 'pwd_hash', 'absent': True}, "field 'pwd_hash' is never returned by the collection"),
    ({'id': 'R-1', 'field': 'no_answer_timeout', 'min': float('nan')}, "'min' must be a finite number, got 'nan'"),
    ({'id': 'R-1', 'field': 'no_answer_timeout', 'max': '-Infinity'}, "'max' must be a finite number, got '-Infinity'"),
    ({'id': 'R-1', 'field': 'no_answer_timeout', 'max': '1e999'}, "'max' must be a finite number, got '1e999'"),
    ({'id': 'R-1', 'field': 'no_answer_timeout', 'min': '1_0_0'}, "'min' must be a number, got '1_0_0'"),
    ({'id': 'R-1', 'field': 'no_answer_timeout', 'min': '\u0661\u0662'}, "'min' must be a number"),
    ({'id': 'R-1', 'field': 'email', 'regex': r'^(\w+\s?)*$'}, "regex '^(\\w+\\s?)*$' is refused: it could run for minutes"),
    ({'id': 'R-1', 'field': 'email', 'regex': '(x+x+)+y'}, 'a repeated group holds another quantifier'),
    ({'id': 'R-1', 'field': 'email', 'regex': '(a|a)*'}, 'a repeated group has alternatives that can match the same text'),
    ({'id': 'R-1', 'field': 'email', 'regex': r'(ab|\wc){1,40}'}, 'alternatives that can match the same text'),
    ({'id': 'R-1', 'field': 'email', 'regex': r'(a)\1'}, 'it uses a backreference'),
    ({'id': 'R-1', 'field': 'email', 'regex': '(?P<x>a)(?P=x)'}, 'it uses a backreference'),
    (rule(select={'scope': [['Basic User']]}), "'select.scope' must be a string or number, got list"),
    ({'id': 'R-1', 'field': 'vmail_enabled', 'in': [['yes', 'no']]}, "'in' must be a string or number, got list"),
])
def test_validation_of_fields_numbers_regexes_and_lists(bad, words):
    with pytest.raises(NetSapiensConfigError) as info:
        policy(bad)
    assert words in str(info.value)


@pytest.mark.parametrize('pattern', [
    '^[0-9]{10}$', r'^[^@;]+@[^@;]+$', r'^(\d{1,3}\.){3}\d{1,3}$', '^(foo|bar)+$', '^(ab|a)*$', r'^\+?[0-9]+$',
    r'^([0-9]{3}-)+[0-9]{4}$', r'^(?:US|Canada)/\w+$', '^(?!test).*$'])
def test_common_patterns_are_accepted(pattern):
    assert policy({'id': 'R-1', 'field': 'email', 'regex': pattern}).rules[0].pattern.pattern == pattern


def test_regex_does_not_run_on_very_long_values():
    compiled = policy({'id': 'R-1', 'field': 'email', 'regex': 'a'})
    assert violators(compiled, [record('1', email='a' * 1000), record('2', email='a' * 1001)]) == [('R-1', '2')]


def test_record_numbers_are_parsed_strictly():
    compiled = policy({'id': 'R-1', 'field': 'no_answer_timeout', 'min': 15, 'max': 30})
    records = [record(str(n), no_answer_timeout=value)
               for n, value in enumerate(['20', ' 20 ', '2e1', '1_0', 'nan', 'inf', '\u0662\u0660', '0x14', '+20.0'])]
    assert [user for _rule, user in violators(compiled, records)] == ['3', '4', '5', '6', '7']
    assert policy({'id': 'R-1', 'field': 'no_answer_timeout', 'min': '1.5e1'}).rules[0].minimum == 15.0


def test_outcomes_per_rule_and_record():
    exempt_until = datetime.date(2027, 1, 1)
    compiled = policy(rule(), {'id': 'MAIL', 'field': 'email', 'required': True, 'select': {'domain': 'acme'}}, exemptions=[
        {'subscriber': '2@acme', 'rule': 'R-1', 'reason': 'lobby', 'expires': exempt_until}])
    records = [record('1'), record('2', vmail_enabled='no'), record('3', vmail_enabled='no', email='', domain='globex'),
               record('system-aa', srv_code='system-aa')]
    result = evaluate(compiled, records, datetime.date(2026, 1, 1))
    vm = result.outcomes['R-1']
    assert [outcome and outcome[0] for outcome in vm] == ['pass', 'exempt', 'violation', None]
    assert vm[1][1] is compiled.exemptions[0] and vm[1][1].expires == exempt_until
    assert vm[2][1] is result.violations[0]
    assert [outcome and outcome[0] for outcome in result.outcomes['MAIL']] == ['pass', 'pass', None, None]
    assert result.checks == {'R-1': 3, 'MAIL': 2}


def test_default_audit_date_is_utc():
    assert evaluate(policy(rule()), []).today == datetime.datetime.now(datetime.timezone.utc).date() == utc_today()
