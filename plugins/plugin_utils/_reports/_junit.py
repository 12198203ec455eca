# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""audit-junit.xml: one <testsuite> per rule, one <testcase> per subscriber the rule applies to.

A violation is a <failure type="severity">; an exempted check is <skipped message="exempt: reason"/>.
Written as text, suite by suite: memory holds no tree, and a passing test case is one pre-escaped string.
"""

from __future__ import annotations

import re
from xml.sax.saxutils import escape, quoteattr

FILENAME = 'audit-junit.xml'
ENCODING = 'utf-8'
# Characters XML 1.0 does not allow at all (even escaped): control characters and lone surrogates.
NOT_XML = re.compile('[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]')


def text(value):
    value = value if isinstance(value, str) else str(value)
    return NOT_XML.sub('\ufffd', value)


def _failure_text(violation):
    return ('%s\nfield: %s\nactual: %s\nexpected: %s\nseverity: %s\n'
            % (violation['description'], violation['field'], violation['actual'] if violation['actual'] != '' else '(empty)',
               violation['expected'], violation['severity']))


def _attributes(values):
    return ''.join(' %s=%s' % (name, quoteattr(text(value))) for name, value in values)


def _suite(result, cases, rule, violations, exemptions, timestamp):
    """The lines of one rule's <testsuite>. cases: per record, its escaped classname/name attributes; violations and
    exemptions: this rule's entries, in evaluate() order. Written as text: a passing case is one shared string."""
    yield '<testsuite%s>\n' % _attributes((
        ('name', rule.id), ('tests', result.checks.get(rule.id, 0)), ('failures', len(violations)), ('errors', 0),
        ('skipped', len(exemptions)), ('time', 0), ('timestamp', timestamp)))
    yield '<properties>%s</properties>\n' % ''.join(
        '<property%s />' % _attributes((('name', name), ('value', value)))
        for name, value in (('description', rule.description), ('severity', rule.severity), ('field', rule.field),
                            ('expected', rule.expected())))
    failing = iter(violations)
    exempt = dict(((item['subscriber'].rpartition('@')[0], item['subscriber'].rpartition('@')[2]), item) for item in exemptions)
    field, applies, passes = rule.field, rule.applies, rule.passes
    for record, case in zip(result.records, cases):
        if not applies(record):
            continue
        value = record.get(field, '')
        if isinstance(value, list):
            value = ','.join(value)
        if passes(value):
            yield '<testcase%s />\n' % case
            continue
        exemption = exempt.get((record.get('user', ''), record.get('domain', ''))) if exempt else None
        if exemption is not None:
            until = ' (until %s)' % exemption['expires'] if exemption['expires'] else ''
            yield '<testcase%s><skipped%s /></testcase>\n' % (case, _attributes((('message', 'exempt: %s%s' % (exemption['reason'], until)),)))
            continue
        violation = next(failing, None) or {'severity': rule.severity, 'actual': value, 'expected': rule.expected(),
                                            'description': rule.description, 'field': field}
        message = "%s: %s is '%s', expected %s" % (rule.id, field, violation['actual'], violation['expected'])
        yield '<testcase%s><failure%s>%s</failure></testcase>\n' % (
            case, _attributes((('type', violation['severity']), ('message', message))), escape(text(_failure_text(violation))))
    yield '</testsuite>\n'


def write(stream, result, fail_on, generated_at):  # pylint: disable=unused-argument
    violations, exemptions = {}, {}
    for violation in result.violations:
        violations.setdefault(violation['rule'], []).append(violation)
    for exemption in result.exempted:
        exemptions.setdefault(exemption['rule'], []).append(exemption)
    stream.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    stream.write('<testsuites%s>\n' % _attributes((
        ('name', result.policy.name), ('tests', sum(result.checks.values())), ('failures', len(result.violations)),
        ('errors', 0), ('skipped', len(result.exempted)), ('time', 0), ('timestamp', generated_at))))
    cases = [_attributes((('classname', record.get('domain', '')), ('name', '%s@%s' % (record.get('user', ''), record.get('domain', ''))),
                          ('time', 0)))
             for record in result.records]
    for rule in result.policy.rules:
        stream.writelines(_suite(result, cases, rule, violations.get(rule.id, []), exemptions.get(rule.id, []), generated_at))
    stream.write('</testsuites>\n')
