# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Write an audit result as report files: JSON, JUnit XML, HTML and CSV (see docs/audit-report.md), and on request the
snapshot of the records (see docs/drift.md).

Each format module has FILENAME, ENCODING and write(stream, result, fail_on, generated_at). A report is
written to a temporary file next to its final name and moved into place, so a failed write never leaves
half a report behind.
"""

from __future__ import annotations

import os
import tempfile

from ansible_collections.netsapiens.pbx.plugins.module_utils._audit import utc_timestamp
from ansible_collections.netsapiens.pbx.plugins.module_utils._policy import SEVERITIES
from ansible_collections.netsapiens.pbx.plugins.plugin_utils._reports import _csv, _html, _json, _junit, _snapshot

# The reports written by default; EXTRA_FORMATS only when asked for.
FORMATS = ('json', 'junit', 'html', 'csv')
EXTRA_FORMATS = ('snapshot',)
WRITERS = {'json': _json, 'junit': _junit, 'html': _html, 'csv': _csv, 'snapshot': _snapshot}
FILENAMES = {name: WRITERS[name].FILENAME for name in FORMATS + EXTRA_FORMATS}
FILE_MODE = 0o644


def _formats(formats):
    if formats is None:
        return list(FORMATS)
    wanted = [formats] if isinstance(formats, str) else list(formats)
    unknown = [name for name in wanted if name not in WRITERS]
    if unknown:
        raise ValueError('unknown report format(s) %s; use any of %s'
                         % (', '.join("'%s'" % name for name in unknown), ', '.join(FORMATS + EXTRA_FORMATS)))
    return [name for name in FORMATS + EXTRA_FORMATS if name in wanted]


def _write_atomically(path, writer, result, fail_on, generated_at):
    directory, name = os.path.split(path)
    handle, temp_path = tempfile.mkstemp(prefix='.%s.' % name, suffix='.tmp', dir=directory)
    try:
        # errors='replace': a lone surrogate from a malformed API string must not abort the whole report.
        with os.fdopen(handle, 'w', encoding=writer.ENCODING, errors='replace', newline='') as stream:
            writer.write(stream, result, fail_on, generated_at)
            stream.flush()
            os.fchmod(stream.fileno(), FILE_MODE)
            os.fsync(stream.fileno())
        os.replace(temp_path, path)
    except BaseException:
        try:
            os.unlink(temp_path)
        except OSError:
            pass
        raise


def write_reports(result, directory, formats=FORMATS, fail_on=None, generated_at=None):
    """Write the reports of an AuditResult into directory (created if missing).

    formats: any of FORMATS and EXTRA_FORMATS (a list, or one name; None: FORMATS). fail_on: a severity or 'never'/None, used for the
    pass/fail verdict. generated_at: the timestamp shown in every report (default: now, UTC).
    Returns {format: absolute path written}. Raises ValueError for an unknown format or severity.
    """
    names = _formats(formats)
    if fail_on is not None and fail_on != 'never' and fail_on not in SEVERITIES:
        raise ValueError("unknown fail_on severity '%s'; use never or one of %s" % (fail_on, ', '.join(SEVERITIES)))
    if generated_at is None:
        generated_at = utc_timestamp()
    directory = os.path.abspath(os.path.expanduser(str(directory)))
    os.makedirs(directory, exist_ok=True)
    written = {}
    for name in names:
        path = os.path.join(directory, FILENAMES[name])
        _write_atomically(path, WRITERS[name], result, fail_on, generated_at)
        written[name] = path
    return written
