# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""audit-subscribers.csv: every audited subscriber, one row each, with its violation count and rules.

UTF-8 with a byte order mark so that spreadsheets detect the encoding. A cell, header cells included, that a
spreadsheet would run as a formula (starting with =, +, -, @, tab or carriage return, and not a plain number)
gets a leading single quote. A field that the collection never returns by default (subscriber_pin, pwd_hash,
any name the secret-name rule catches) is never written. The netsapiens.pbx.to_csv filter shares cell() and
record_columns(). Compared with a baseline, a last column `status` says whether the subscriber has new violations.
"""

from __future__ import annotations

import csv
import json
import re

from ansible_collections.netsapiens.pbx.plugins.module_utils._audit import NEW, RESOLVED
from ansible_collections.netsapiens.pbx.plugins.module_utils._fields import is_returned_field

FILENAME = 'audit-subscribers.csv'
ENCODING = 'utf-8-sig'
FIRST_COLUMNS = ('user', 'domain', 'first_name', 'last_name')
ADDED_COLUMNS = ('violations', 'violated_rules')
# Written after ADDED_COLUMNS when the audit was compared with a baseline.
STATUS_COLUMN = 'status'
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


def subscriber_statuses(result):
    """(user, domain) -> the subscriber's status against the baseline: new (a new violation), unchanged (violations, none
    new), resolved (no violation, but resolved ones); subscribers with none of these are not listed."""
    statuses = {}
    for violation in result.drift.resolved:
        statuses[(violation['user'], violation['domain'])] = RESOLVED
    for violation in result.violations:
        key = (violation['user'], violation['domain'])
        if statuses.get(key) != NEW:
            statuses[key] = violation['status']
    return statuses


def write(stream, result, fail_on, generated_at):  # pylint: disable=unused-argument
    names = columns(result.records)
    record_columns = names[:-len(ADDED_COLUMNS)]
    rules = violated_rules(result)
    statuses = subscriber_statuses(result) if result.drift is not None else None
    writer = csv.writer(stream)
    writer.writerow([cell(name) for name in names] + ([STATUS_COLUMN] if statuses is not None else []))
    for record in result.records:
        key = (record.get('user', ''), record.get('domain', ''))
        ids = rules.get(key, ())
        unique = list(dict.fromkeys(ids))
        row = [cell(record.get(name, '')) for name in record_columns]
        row.append(str(len(ids)))
        row.append(cell(';'.join(unique)))
        if statuses is not None:
            row.append(statuses.get(key, ''))
        writer.writerow(row)
