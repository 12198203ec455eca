# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""audit-subscribers.csv: every audited subscriber, one row each, with its violation count and rules.

UTF-8 with a byte order mark so that spreadsheets detect the encoding. A cell, header cells included, that a
spreadsheet would run as a formula (starting with =, +, -, @, tab or carriage return, and not a plain number)
gets a leading single quote. A field that the collection never returns by default (subscriber_pin, pwd_hash,
any name the secret-name rule catches) is never written. The netsapiens.pbx.to_csv filter shares cell() and
record_columns().
"""

from __future__ import annotations

import csv
import json
import re

from ansible_collections.netsapiens.pbx.plugins.module_utils._fields import is_returned_field

FILENAME = 'audit-subscribers.csv'
ENCODING = 'utf-8-sig'
FIRST_COLUMNS = ('user', 'domain', 'first_name', 'last_name')
ADDED_COLUMNS = ('violations', 'violated_rules')
FORMULA_START = ('=', '+', '-', '@', '\t', '\r')
PLAIN_NUMBER = re.compile(r'[+-]?\d+(\.\d+)?\Z')


def cell(value):
    """One value as spreadsheet-safe text."""
    if isinstance(value, (list, tuple)):
        value = ','.join(str(item) for item in value)
    elif isinstance(value, dict):
        value = json.dumps(value, sort_keys=True, ensure_ascii=False)
    elif value is None:
        value = ''
    elif not isinstance(value, str):
        value = str(value)
    if value.startswith(FORMULA_START) and not PLAIN_NUMBER.match(value):
        return "'" + value
    return value


def writable(names):
    """The column names that may be written: never a secret or never-returned field."""
    return [name for name in names if is_returned_field(name)]


def record_columns(records, leave_out=()):
    """FIRST_COLUMNS, then every other field of the records in name order (minus leave_out), never a secret one."""
    keys = set()
    for record in records:
        keys.update(record)
    rest = sorted(keys - set(FIRST_COLUMNS) - set(leave_out))
    return writable(list(FIRST_COLUMNS) + rest)


def columns(records):
    return record_columns(records, ADDED_COLUMNS) + list(ADDED_COLUMNS)


def violated_rules(result):
    """(user, domain) -> rule ids violated, in policy order."""
    order = dict((rule.id, index) for index, rule in enumerate(result.policy.rules))
    by_subscriber = {}
    for violation in result.violations:
        by_subscriber.setdefault((violation['user'], violation['domain']), []).append(violation['rule'])
    return dict((key, sorted(rules, key=order.get)) for key, rules in by_subscriber.items())


def write(stream, result, fail_on, generated_at):  # pylint: disable=unused-argument
    names = columns(result.records)
    record_columns = names[:-len(ADDED_COLUMNS)]
    rules = violated_rules(result)
    writer = csv.writer(stream)
    writer.writerow([cell(name) for name in names])
    for record in result.records:
        ids = rules.get((record.get('user', ''), record.get('domain', '')), ())
        unique = list(dict.fromkeys(ids))
        row = [cell(record.get(name, '')) for name in record_columns]
        row.append(str(len(ids)))
        row.append(cell(';'.join(unique)))
        writer.writerow(row)
