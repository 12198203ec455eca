# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""audit-junit.xml: one <testsuite> per rule, one <testcase> per subscriber the rule applies to.

A violation is a <failure type="severity">; an exempted check is <skipped message="exempt: reason"/>. Compared with a
baseline, a new violation's message starts with "NEW: " and each failure's text says its status.
Written as text, suite by suite: memory holds no tree, and a passing test case is one pre-escaped string.
"""

from __future__ import annotations

import re
from xml.sax.saxutils import escape, quoteattr

from ansible_collections.netsapiens.pbx.plugins.module_utils._audit import EXEMPT, NEW, PASS, UNCHANGED

FILENAME = 'audit-junit.xml'
ENCODING = 'utf-8'
# Characters XML 1.0 does not allow at all (even escaped): control characters and lone surrogates.
NOT_XML = re.compile('[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]')


def text(value):
    value = value if isinstance(value, str) else str(value)
    return NOT_XML.sub('\ufffd', value)


STATUS_TEXT = {NEW: 'new (not in the baseline)', UNCHANGED: 'unchanged (also in the baseline)'}


def _failure_text(violation):
    status = ('status: %s\n' % STATUS_TEXT[violation['status']]) if 'status' in violation else ''
    device = ('device: %s\n' % violation['device']) if violation.get('device') else ''
    return ('%s\n%sfield: %s\nactual: %s\nexpected: %s\nseverity: %s\n%s'
            % (violation['description'], device, violation['field'], violation['actual'] if violation['actual'] != '' else '(empty)',
               violation['expected'], violation['severity'], status))


def _attributes(values):
    return ''.join(' %s=%s' % (name, quoteattr(text(value))) for name, value in values)


def _case(case, outcome):
    """One <testcase> of a check: a passing one, a <skipped> exemption or a <failure>."""
    status, detail = outcome
    if status == PASS:
        return '<testcase%s />\n' % case
    if status == EXEMPT:
        until = ' (until %s)' % detail.expires.isoformat() if detail.expires else ''
        return '<testcase%s><skipped%s /></testcase>\n' % (case, _attributes((('message', 'exempt: %s%s' % (detail.reason, until)),)))
    message = "%s%s: %s is '%s', expected %s" % ('NEW: ' if detail.get('status') == NEW else '', detail['rule'], detail['field'],
                                                 detail['actual'], detail['expected'])
    return '<testcase%s><failure%s>%s</failure></testcase>\n' % (
        case, _attributes((('type', detail['severity']), ('message', message))), escape(text(_failure_text(detail))))


def _case_attributes(record, device=''):
    """classname (the domain) and name (user@domain, and the device's address for a rule on devices) of a test case."""
    name = '%s@%s' % (record.get('user', ''), record.get('domain', ''))
    return _attributes((('classname', record.get('domain', '')), ('name', '%s %s' % (name, device) if device else name),
                        ('time', 0)))


def _suite(result, cases, rule, failures, skipped, timestamp):
    """The lines of one rule's <testsuite>: evaluate()'s outcomes for the rule, rendered. cases: per record, its escaped
    classname/name attributes."""
    yield '<testsuite%s>\n' % _attributes((
        ('name', rule.id), ('tests', result.checks.get(rule.id, 0)), ('failures', failures), ('errors', 0),
        ('skipped', skipped), ('time', 0), ('timestamp', timestamp)))
    yield '<properties>%s</properties>\n' % ''.join(
        '<property%s />' % _attributes((('name', name), ('value', value)))
        for name, value in (('description', rule.description), ('severity', rule.severity), ('field', rule.field),
                            ('expected', rule.expected()), ('pack', rule.pack), ('object', rule.object),
                            ('reference', rule.reference), ('reference_url', rule.reference_url),
                            ('remediation', rule.remediation)) if value)
    for case, outcome in zip(cases, result.outcomes.get(rule.id, ())):
        if outcome is not None:
            yield _case(case, outcome)
    yield '</testsuite>\n'


def write(stream, result, fail_on, generated_at):  # pylint: disable=unused-argument
    failures, skipped = {}, {}
    for violation in result.violations:
        failures[violation['rule']] = failures.get(violation['rule'], 0) + 1
    for exemption in result.exempted:
        skipped[exemption['rule']] = skipped.get(exemption['rule'], 0) + 1
    stream.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    stream.write('<testsuites%s>\n' % _attributes((
        ('name', result.policy.name), ('tests', sum(result.checks.values())), ('failures', len(result.violations)),
        ('errors', 0), ('skipped', len(result.exempted)), ('time', 0), ('timestamp', generated_at))))
    cases = {'subscriber': [_case_attributes(record) for record in result.records],
             'device': [_case_attributes(record, record.get('aor', '')) for record in result.devices]}
    for rule in result.policy.rules:
        stream.writelines(_suite(result, cases[rule.object], rule, failures.get(rule.id, 0), skipped.get(rule.id, 0),
                                 generated_at))
    stream.write('</testsuites>\n')
