# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""audit-junit.xml: one <testsuite> per rule, one <testcase> per subscriber the rule applies to.

A violation is a <failure type="severity">; an exempted check is <skipped message="exempt: reason"/>.
Suites are built and serialised one at a time, so memory holds one rule's test cases, not all of them.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

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


def _suite(result, labels, rule, violations, exemptions, timestamp):
    """The <testsuite> of one rule. labels: (classname, name) per record; violations/exemptions: this rule's
    entries, in evaluate() order."""
    suite = ET.Element('testsuite', {
        'name': text(rule.id), 'tests': str(result.checks.get(rule.id, 0)), 'failures': str(len(violations)),
        'errors': '0', 'skipped': str(len(exemptions)), 'time': '0', 'timestamp': timestamp})
    suite.text = '\n'
    properties = ET.SubElement(suite, 'properties')
    properties.tail = '\n'
    for name, value in (('description', rule.description), ('severity', rule.severity), ('field', rule.field),
                        ('expected', rule.expected())):
        ET.SubElement(properties, 'property', {'name': name, 'value': text(value)})
    failing = iter(violations)
    exempt = dict(((item['subscriber'].rpartition('@')[0], item['subscriber'].rpartition('@')[2]), item) for item in exemptions)
    subelement, field, applies, passes = ET.SubElement, rule.field, rule.applies, rule.passes
    for record, (classname, name) in zip(result.records, labels):
        if not applies(record):
            continue
        case = subelement(suite, 'testcase', {'classname': classname, 'name': name, 'time': '0'})
        case.tail = '\n'
        value = record.get(field, '')
        if isinstance(value, list):
            value = ','.join(value)
        if passes(value):
            continue
        exemption = exempt.get((record.get('user', ''), record.get('domain', ''))) if exempt else None
        if exemption is not None:
            until = ' (until %s)' % exemption['expires'] if exemption['expires'] else ''
            subelement(case, 'skipped', {'message': text('exempt: %s%s' % (exemption['reason'], until))})
            continue
        violation = next(failing, None) or {'severity': rule.severity, 'actual': value, 'expected': rule.expected(),
                                            'description': rule.description, 'field': field}
        failure = subelement(case, 'failure', {
            'type': violation['severity'],
            'message': text("%s: %s is '%s', expected %s" % (rule.id, field, violation['actual'], violation['expected']))})
        failure.text = text(_failure_text(violation))
    return suite


def write(stream, result, fail_on, generated_at):  # pylint: disable=unused-argument
    violations, exemptions = {}, {}
    for violation in result.violations:
        violations.setdefault(violation['rule'], []).append(violation)
    for exemption in result.exempted:
        exemptions.setdefault(exemption['rule'], []).append(exemption)
    root = ET.Element('testsuites', {
        'name': text(result.policy.name), 'tests': str(sum(result.checks.values())), 'failures': str(len(result.violations)),
        'errors': '0', 'skipped': str(len(result.exempted)), 'time': '0', 'timestamp': generated_at})
    opening = ET.tostring(root, encoding='unicode', short_empty_elements=False)
    stream.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    stream.write(opening[:-len('</testsuites>')] + '\n')
    labels = [(text(record.get('domain', '')), text('%s@%s' % (record.get('user', ''), record.get('domain', ''))))
              for record in result.records]
    for rule in result.policy.rules:
        suite = _suite(result, labels, rule, violations.get(rule.id, []), exemptions.get(rule.id, []), generated_at)
        stream.write(ET.tostring(suite, encoding='unicode'))
        stream.write('\n')
    stream.write('</testsuites>\n')
