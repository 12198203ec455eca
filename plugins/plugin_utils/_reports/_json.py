# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""audit-report.json: AuditResult.report() as it is, the machine-readable report (schema in docs/audit-report.md)."""

from __future__ import annotations

import json

FILENAME = 'audit-report.json'
ENCODING = 'utf-8'


def write(stream, result, fail_on, generated_at):
    # json.dump streams into the file: no second copy of a large report as one string.
    json.dump(result.report(fail_on, generated_at), stream, indent=2, sort_keys=False, ensure_ascii=False)
    stream.write('\n')
