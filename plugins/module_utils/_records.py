# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Turn raw v1 or v2 objects of any kind into the collection's record shape, and match filters.

A record is a flat dict with v1 field names and string scalars, whatever server version sent it.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import difflib
import json
from sys import intern

from ansible_collections.netsapiens.pbx.plugins.module_utils._errors import NetSapiensConfigError


def to_text_value(value):
    """One scalar as v1 shows it: numbers as their digits, null as '', booleans as yes/no."""
    if value is None:
        return ''
    if isinstance(value, bool):
        return 'yes' if value else 'no'
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (list, tuple)):
        return [to_text_value(item) for item in value]
    if isinstance(value, dict):
        return dict((str(key), to_text_value(item)) for key, item in value.items())
    if isinstance(value, bytes):
        return value.decode('utf-8', 'replace')
    return value if isinstance(value, str) else str(value)


def field_text(value):
    """A record value as one string to compare: a list as its items joined by commas, a mapping as JSON."""
    if value.__class__ is str:
        return value
    if isinstance(value, (list, tuple)):
        return ','.join(field_text(item) for item in value)
    if isinstance(value, dict):
        return json.dumps(value, sort_keys=True, ensure_ascii=False)
    return to_text_value(value)


# Short values ('yes', 'no', '', '25', 'US/Pacific', 'Basic User') repeat across thousands of records; sharing one
# string object per distinct value keeps a 50,000-subscriber audit small.
_SHARED_LENGTH = 24


def _record_value(value):
    if value.__class__ is str:
        return intern(value) if len(value) <= _SHARED_LENGTH else value
    value = to_text_value(value)
    return intern(value) if value.__class__ is str and len(value) <= _SHARED_LENGTH else value


def normalise_v1(kind, raw, include_sensitive=False):
    """A v1 object of this kind as a record: its own field names, string values, secrets left out."""
    skipped = kind.skipped(include_sensitive)
    return dict((str(key), _record_value(value)) for key, value in raw.items() if not skipped[key])


def normalise_v2(kind, raw, include_sensitive=False):
    """A v2 object as a record with v1 names; a v2 name that maps onto a v1 field is judged by the v1 name."""
    skipped = kind.skipped(include_sensitive)
    v1_name = kind.v1_name
    decoders = kind.v2_values
    record = {}
    for key, value in raw.items():
        pairs = decoders[key](value) if key in decoders else ((v1_name(key), value),)
        for name, item in pairs:
            if not skipped[name]:
                record[name] = _record_value(item)
    return record


def compile_filters(filters, kind):
    """Validate a filters option (field -> value or list of values) on records of a kind into field -> set of strings."""
    if filters is None:
        return {}
    if not isinstance(filters, dict):
        raise NetSapiensConfigError("Option 'filters' must be a dictionary of field name to value or list of values, got %s."
                                    % type(filters).__name__)
    compiled = {}
    for field, wanted in filters.items():
        field = str(field)
        if field not in kind.fields:
            close = difflib.get_close_matches(field, sorted(kind.fields), n=3)
            hint = (' Did you mean %s?' % ', '.join("'%s'" % name for name in close)) if close else ''
            raise NetSapiensConfigError("Option 'filters' names an unknown %s field '%s'.%s" % (kind.name, field, hint))
        if isinstance(wanted, dict):
            raise NetSapiensConfigError("Option 'filters': the value for '%s' must be a string, number or list, not a dictionary."
                                        % field)
        values = wanted if isinstance(wanted, (list, tuple, set)) else [wanted]
        if any(isinstance(value, (list, tuple, set, dict)) for value in values):
            raise NetSapiensConfigError("Option 'filters': the values for '%s' must be strings or numbers, not lists or dictionaries "
                                        "inside the list." % field)
        # YAML 1.1 reads an unquoted yes/no as a boolean; to_text_value gives the strings records hold.
        compiled[field] = frozenset(str(to_text_value(value)) for value in values)
    return compiled


def matches(record, compiled_filters):
    """True when the record has one of the wanted values for every filtered field."""
    for field, wanted in compiled_filters.items():
        if field_text(record.get(field, '')) not in wanted:
            return False
    return True
