# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Snapshots: the records an audit read, without secrets, as stable JSON; and what changed between two snapshots.

A snapshot holds, per kind of object (subscribers, devices, answer rules), each record under its key (user@domain; the
device's aor; user@domain and time frame). It is written with sorted keys and one field per line, so that two snapshots
diff well in git. It never holds a secret field (the secret-name rule, and each object's own sensitive and dropped
fields), whatever the records hold, nor a field that changes by itself (presence, registration state). See docs/drift.md.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json

from ansible_collections.netsapiens.pbx.plugins.module_utils._client import natural_key
from ansible_collections.netsapiens.pbx.plugins.module_utils._drift import SNAPSHOT_FORMAT, read_json_file, server_of
from ansible_collections.netsapiens.pbx.plugins.module_utils._errors import NetSapiensConfigError
from ansible_collections.netsapiens.pbx.plugins.module_utils._fields import is_returned_field
from ansible_collections.netsapiens.pbx.plugins.module_utils._objects import OBJECTS
from ansible_collections.netsapiens.pbx.plugins.module_utils._records import field_text

SNAPSHOT_VERSION = 1
WHAT = 'an audit snapshot (audit-snapshot.json) of an earlier audit'
_encode = json.JSONEncoder(ensure_ascii=False).encode
_FLAT_ENCODERS = {}
_ONLY_TEXT = {str}


def _subscriber_key(record):
    return '%s@%s' % (field_text(record.get('user', '')), field_text(record.get('domain', '')))


def _device_key(record):
    return field_text(record.get('aor', ''))


def _answerrule_key(record):
    return '%s (%s)' % (_subscriber_key(record), field_text(record.get('time_frame', '')))


class SnapshotKind(object):
    """One kind of record in a snapshot: its name there, its object (for the secret fields), its key and domain field, and
    the fields left out because they change by themselves."""

    def __init__(self, name, object_name, key, domain_field, volatile=()):
        self.name = name
        self.object_name = object_name
        self.key = key
        self.domain_field = domain_field
        self.volatile = frozenset(volatile)
        self.left_out = _LeftOut(self)


class _LeftOut(dict):
    """field name -> True for a field a snapshot of the kind never holds; decided once per name."""

    def __init__(self, kind):
        super(_LeftOut, self).__init__()
        self.kind = kind

    def __missing__(self, name):
        object_type = OBJECTS.get(self.kind.object_name)
        left_out = (name in self.kind.volatile or not is_returned_field(name)
                    or (object_type is not None and object_type.skipped(False)[name]))
        self[name] = left_out
        return left_out


KINDS = (
    SnapshotKind('subscribers', 'subscriber', _subscriber_key, 'domain', volatile=('presence', 'last_update')),
    SnapshotKind('devices', 'device', _device_key, 'subscriber_domain',
                 volatile=('mode', 'contact', 'received_from', 'registration_time', 'registration_expires_time', 'hostname')),
    SnapshotKind('answerrules', 'answerrule', _answerrule_key, 'domain', volatile=('active',)),
)
KIND_NAMES = tuple(kind.name for kind in KINDS)
_KINDS = dict((kind.name, kind) for kind in KINDS)


def _keyed(kind, records):
    """key -> the record without the fields a snapshot leaves out; a key seen twice gets ' #2', ' #3'..."""
    is_left_out = kind.left_out.__getitem__
    keyed = {}
    for record in records:
        key = base = kind.key(record)
        copy = 2
        while key in keyed:
            key, copy = '%s #%d' % (base, copy), copy + 1
        kept = keyed[key] = dict(record)
        for name in list(filter(is_left_out, record)):
            del kept[name]
    return keyed


def take_snapshot(objects, api_url, domains, generated_at):
    """A snapshot of records by kind ({'subscribers': [...], 'devices': [...], ...}: only the kinds that were read)."""
    unknown = sorted(set(objects) - set(KIND_NAMES))
    if unknown:
        raise ValueError('unknown kind(s) of record %s; a snapshot holds %s' % (', '.join(unknown), ', '.join(KIND_NAMES)))
    return {'format': SNAPSHOT_FORMAT, 'snapshot_version': SNAPSHOT_VERSION, 'generated_at': generated_at, 'api_url': api_url,
            'domains': sorted(domains), 'objects': dict((name, _keyed(_KINDS[name], records)) for name, records in objects.items())}


def _flat_encoder(indent):
    """An encoder that writes a dict of strings as json.dumps(indent=1) would at this depth, at the C encoder's speed."""
    if indent not in _FLAT_ENCODERS:
        _FLAT_ENCODERS[indent] = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(',\n' + ' ' * (indent + 1), ': ')).encode
    return _FLAT_ENCODERS[indent]


def snapshot_text(value, indent=0):
    """The pieces of json.dumps(value, indent=1, sort_keys=True, ensure_ascii=False), made faster for dicts of strings
    (the records)."""
    if not isinstance(value, dict) or not value:
        text = json.dumps(value, indent=1, sort_keys=True, ensure_ascii=False)
        yield text.replace('\n', '\n' + ' ' * indent) if indent else text
        return
    if set(map(type, value.values())) == _ONLY_TEXT:
        yield '{\n%s%s\n%s}' % (' ' * (indent + 1), _flat_encoder(indent)(value)[1:-1], ' ' * indent)
        return
    inner = '\n' + ' ' * (indent + 1)
    separator = '{'
    for key in sorted(value):
        yield '%s%s%s: ' % (separator, inner, _encode(key))
        separator = ','
        yield from snapshot_text(value[key], indent + 1)
    yield '\n%s}' % (' ' * indent)


def _snapshot_problem(data):
    """Why data is not a snapshot this collection can compare with, or None."""
    if not isinstance(data, dict):
        return 'it holds a JSON %s, not an object' % type(data).__name__
    if 'schema_version' in data and 'violations' in data:
        return 'it is an audit report (audit-report.json); give it as baseline'
    if data.get('format') != SNAPSHOT_FORMAT:
        return "it has no 'format': '%s'" % SNAPSHOT_FORMAT
    version = data.get('snapshot_version')
    if not isinstance(version, int) or isinstance(version, bool) or version > SNAPSHOT_VERSION:
        return 'its snapshot_version is %s; this netsapiens.pbx reads version %d' % (json.dumps(version), SNAPSHOT_VERSION)
    objects = data.get('objects')
    if not isinstance(objects, dict) or not isinstance(data.get('domains'), list):
        return 'it has no objects and domains'
    for name in KIND_NAMES:
        records = objects.get(name, {})
        if not isinstance(records, dict) or not all(isinstance(record, dict) for record in records.values()):
            return "its '%s' are not records by key" % name
    return None


class PreviousSnapshot(object):
    """A snapshot written by an earlier audit, checked to be one."""

    def __init__(self, data, path):
        problem = _snapshot_problem(data)
        if problem:
            raise NetSapiensConfigError("Option 'baseline_snapshot': '%s' is not %s: %s." % (path, WHAT, problem))
        self.path = path
        self.data = data
        self.generated_at = str(data.get('generated_at', ''))
        self.api_url = server_of(data)

    @classmethod
    def load(cls, path):
        return cls(read_json_file(path, 'baseline_snapshot', WHAT), path)

    def check_server(self, api_url):
        if self.api_url is not None and self.api_url != api_url:
            raise NetSapiensConfigError(
                "Option 'baseline_snapshot': '%s' is a snapshot of %s, this audit reads %s; records of different servers cannot "
                "be compared." % (self.path, self.api_url, api_url))


def _field_changes(old, new):
    """[{field, old, new}] for every field whose value differs (null: the record has no such field), by field name."""
    names = sorted(set(old) | set(new))
    return [{'field': name, 'old': old.get(name), 'new': new.get(name)} for name in names if old.get(name) != new.get(name)]


def _kind_changes(kind, old, new, outside):
    """Added, removed and changed records of one kind, leaving out records of the domains only one snapshot read."""
    def compared(record):
        return not outside or field_text(record.get(kind.domain_field, '')) not in outside
    added = [key for key in new if key not in old and compared(new[key])]
    removed = [key for key in old if key not in new and compared(old[key])]
    changed = [key for key, record in new.items() if key in old and old[key] != record and compared(record)]
    return {'added': sorted(added, key=natural_key), 'removed': sorted(removed, key=natural_key),
            'changed': [{'key': key, 'fields': _field_changes(old[key], new[key])} for key in sorted(changed, key=natural_key)]}


def _scope_warnings(old, new):
    warnings = []
    for name in KIND_NAMES:
        if (name in old['objects']) != (name in new['objects']):
            which = 'this audit' if name in old['objects'] else 'the baseline snapshot'
            warnings.append('The %s were not read by %s: they are not compared.' % (name, which))
    only_old = set(old['domains']) - set(new['domains'])
    only_new = set(new['domains']) - set(old['domains'])
    for domains, which in ((only_old, 'this audit'), (only_new, 'the baseline snapshot')):
        if domains:
            warnings.append('Domain(s) %s were not read by %s: their records are not compared.'
                            % (', '.join("'%s'" % domain for domain in sorted(domains)), which))
    return warnings


def compare_snapshots(previous, current):
    """The report's `changes`: since when, warnings, and per kind both snapshots hold its added, removed and changed
    records. Raises NetSapiensConfigError for a snapshot of another server."""
    previous.check_server(current['api_url'])
    old = previous.data
    outside = set(old['domains']) ^ set(current['domains'])
    changes = {'since': previous.generated_at, 'warnings': _scope_warnings(old, current)}
    for name in KIND_NAMES:
        if name in old['objects'] and name in current['objects']:
            changes[name] = _kind_changes(_KINDS[name], old['objects'][name], current['objects'][name], outside)
    return changes


def change_counts(changes):
    """kind -> {added, removed, changed, fields}: how many records were added, removed and changed, and field changes."""
    return dict((name, {'added': len(changes[name]['added']), 'removed': len(changes[name]['removed']),
                        'changed': len(changes[name]['changed']),
                        'fields': sum(len(entry['fields']) for entry in changes[name]['changed'])})
                for name in KIND_NAMES if name in changes)
