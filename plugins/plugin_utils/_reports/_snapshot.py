# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""audit-snapshot.json: the records the audit read, without secrets, as stable JSON (see docs/drift.md).

Keys sorted at every level and one field per line, so that two snapshots diff well in git; a later audit compares its
records with it (baseline_snapshot).
"""

from __future__ import annotations

from ansible_collections.netsapiens.pbx.plugins.module_utils._snapshot import snapshot_text, take_snapshot

FILENAME = 'audit-snapshot.json'
ENCODING = 'utf-8'


def snapshot_of(result, generated_at):
    """The snapshot the audit took, or one of its subscriber records when it took none."""
    if result.snapshot is not None:
        return result.snapshot
    return take_snapshot({'subscribers': result.records}, result.api_url, result.audited_domains(), generated_at)


def write(stream, result, fail_on, generated_at):  # pylint: disable=unused-argument
    stream.writelines(snapshot_text(snapshot_of(result, generated_at)))
    stream.write('\n')
