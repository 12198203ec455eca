# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Time what comparing with an earlier audit adds to an audit of 10,000 subscribers, in one Python process.

    python benchmarks/drift.py [--records 10000] [--repeat 5]

Two sets of records from the emulator's own data generator: the earlier one, and a later one with 1% of the records
changed, 0.5% removed and 0.5% added. Each run times what baseline_snapshot adds to the audit - read and check the
earlier snapshot file, take the snapshot of the current records, diff the two (`diff_s`) - and, apart, writing the
snapshot file (`write_s`) and comparing the violations with a baseline report (`baseline_s`: read, check, mark).
Prints one JSON object: median, best and worst of `diff_s`, the other medians, the median of all three together
(`added_median_s`: what an audit with baseline, baseline_snapshot and the snapshot format spends on them), and the
changes found.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import statistics
import tempfile
import time

from evaluation import RULES, _loader, _records

TODAY_TEXT = '2026-11-28'


def _later(records):
    """The records of the later audit: every 100th changed, every 200th removed, as many added."""
    later = []
    for index, record in enumerate(records):
        if index % 200 == 199:
            continue
        if index % 100 == 0:
            record = dict(record, vmail_enabled='no' if record.get('vmail_enabled') == 'yes' else 'yes', dial_policy='Permit All')
        later.append(record)
    later.extend(dict(records[index], user='9%05d' % index) for index in range(0, len(records), 200))
    return later


def _write(path, snapshot, snapshot_text):
    with open(path, 'w', encoding='utf-8') as handle:
        handle.writelines(snapshot_text(snapshot))
        handle.write('\n')


def _timed(function):
    started = time.perf_counter()
    value = function()
    return time.perf_counter() - started, value


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--records', type=int, default=10000)
    parser.add_argument('--repeat', type=int, default=5)
    args = parser.parse_args()
    _loader()
    # pylint: disable=import-outside-toplevel
    from ansible_collections.netsapiens.pbx.plugins.module_utils import _drift, _snapshot
    from ansible_collections.netsapiens.pbx.plugins.module_utils._audit import evaluate
    from ansible_collections.netsapiens.pbx.plugins.module_utils._policy import Policy

    url, earlier = 'https://pbx.example.com', _records(args.records)
    later = _later(earlier)
    domains = sorted(set(record['domain'] for record in earlier))
    policy, today = Policy({'name': 'benchmark', 'rules': RULES}), datetime.date.fromisoformat(TODAY_TEXT)
    folder = tempfile.mkdtemp(prefix='netsapiens-drift-bench-')
    snapshot_path, report_path = os.path.join(folder, 'audit-snapshot.json'), os.path.join(folder, 'audit-report.json')
    _write(snapshot_path, _snapshot.take_snapshot({'subscribers': earlier}, url, domains, 'earlier'), _snapshot.snapshot_text)
    before = evaluate(policy, earlier, today)
    before.api_url, before.domains = url, domains
    with open(report_path, 'w', encoding='utf-8') as handle:
        json.dump(before.report('high'), handle)

    def diff():
        previous = _snapshot.PreviousSnapshot.load(snapshot_path)
        current = _snapshot.take_snapshot({'subscribers': later}, url, domains, 'later')
        return current, _snapshot.compare_snapshots(previous, current)

    def against_baseline(result):
        return _drift.compare(result, _drift.Baseline.load(report_path), new_only=True)

    times = {'diff_s': [], 'write_s': [], 'baseline_s': []}
    changes = drift = None
    for _run in range(args.repeat):
        elapsed, (current, changes) = _timed(diff)
        times['diff_s'].append(elapsed)
        times['write_s'].append(_timed(lambda: _write(os.path.join(folder, 'new.json'), current, _snapshot.snapshot_text))[0])
        result = evaluate(policy, [dict(record) for record in later], today)
        result.api_url, result.domains = url, domains
        elapsed, drift = _timed(lambda: against_baseline(result))
        times['baseline_s'].append(elapsed)
    counts = _snapshot.change_counts(changes)['subscribers']
    print(json.dumps({
        'records': len(later), 'snapshot_mb': round(os.path.getsize(snapshot_path) / 1e6, 1), 'changes': counts,
        'violations': dict(drift.counts), 'median_s': round(statistics.median(times['diff_s']), 4),
        'best_s': round(min(times['diff_s']), 4), 'worst_s': round(max(times['diff_s']), 4),
        'write_median_s': round(statistics.median(times['write_s']), 4),
        'baseline_median_s': round(statistics.median(times['baseline_s']), 4),
        'added_median_s': round(statistics.median(map(sum, zip(*times.values()))), 4)}))


if __name__ == '__main__':
    main()
