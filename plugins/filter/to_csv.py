# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The netsapiens.pbx.to_csv filter: subscriber records as CSV text for spreadsheets."""

from __future__ import annotations

import csv
import io

from ansible.errors import AnsibleFilterError

from ansible_collections.netsapiens.pbx.plugins.plugin_utils._reports._csv import NEVER_WRITTEN, cell


def to_csv(records, columns=None):
    """One header row, then one row per record; spreadsheet formulas neutralised; PINs never written."""
    if not isinstance(records, (list, tuple)) or not all(isinstance(record, dict) for record in records):
        raise AnsibleFilterError('netsapiens.pbx.to_csv expects a list of records (dictionaries).')
    if columns is None:
        first = ['user', 'domain', 'first_name', 'last_name']
        rest = sorted(set(key for record in records for key in record) - set(first))
        columns = first + rest
    elif not isinstance(columns, (list, tuple)) or not all(isinstance(name, str) for name in columns):
        raise AnsibleFilterError('netsapiens.pbx.to_csv: columns must be a list of field names.')
    columns = [name for name in columns if name not in NEVER_WRITTEN]
    stream = io.StringIO()
    writer = csv.writer(stream, lineterminator='\n')
    writer.writerow(columns)
    for record in records:
        writer.writerow([cell(record.get(name, '')) for name in columns])
    return stream.getvalue()


class FilterModule:

    def filters(self):
        return {'to_csv': to_csv}
