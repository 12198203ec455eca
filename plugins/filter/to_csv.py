# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The netsapiens.pbx.to_csv filter: subscriber records as CSV text for spreadsheets."""

from __future__ import annotations

import csv
import io

from ansible.errors import AnsibleFilterError

from ansible_collections.netsapiens.pbx.plugins.plugin_utils._reports._csv import cell, record_columns, writable


def to_csv(records, columns=None):
    """One header row, then one row per record; spreadsheet formulas neutralised (header included); secrets never written."""
    if not isinstance(records, (list, tuple)) or not all(isinstance(record, dict) for record in records):
        raise AnsibleFilterError('netsapiens.pbx.to_csv expects a list of records (dictionaries).')
    if columns is None:
        columns = record_columns(records)
    elif not isinstance(columns, (list, tuple)) or not all(isinstance(name, str) for name in columns):
        raise AnsibleFilterError('netsapiens.pbx.to_csv: columns must be a list of field names.')
    else:
        columns = writable(columns)
    stream = io.StringIO()
    writer = csv.writer(stream, lineterminator='\n')
    writer.writerow([cell(name) for name in columns])
    for record in records:
        writer.writerow([cell(record.get(name, '')) for name in columns])
    return stream.getvalue()


class FilterModule:

    def filters(self):
        return {'to_csv': to_csv}
