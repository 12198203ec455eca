# Copyright: netsapiens.pbx contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Measure one command: wall seconds, CPU seconds and peak RSS of the process tree, HTTP requests by kind.

CPU and peak RSS come from os.wait4() on the child: the kernel reports the child's own usage plus that of
every descendant it reaped (ansible-playbook reaps its forked workers), so CPU is user + system of the whole
tree and peak RSS the largest single process of it. The emulator is not part of the tree.

    python benchmarks/measure.py RESULT.json COMMAND [ARG ...]     # the launcher run_measured() uses
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

# Emulator stats names -> short names for the tables.
SHORT_KINDS = {
    'v2_version': 'probe',
    'v2_users_count': 'count',
    'v2_users_list': 'page',
    'v2_user': 'user',
    'v2_domains': 'domains',
    'v1_subscriber_read': 'v1 read',
    'v1_subscriber_count': 'v1 count',
    'v1_domain_read': 'v1 domains',
}
KIND_ORDER = ('token', 'probe', 'domains', 'count', 'page', 'user', 'v1 count', 'v1 read', 'v1 domains')


def run_measured(command: list[str], env: dict, cwd: str, log_path: str) -> dict:
    """Run the command to completion (output to log_path) under this file as launcher; return wall, cpu, rss_mb and rc.

    The launcher is a small process of its own: a child's peak RSS starts from the RSS of the process it was
    forked from (the kernel keeps the high-water mark across exec), so forking from the runner, which grows
    while it checks results, would inflate every later figure.
    """
    result_path = log_path + '.measure.json'
    with open(log_path, 'wb') as log:
        subprocess.run([sys.executable, os.path.abspath(__file__), result_path, *command], env=env, cwd=cwd, stdin=subprocess.DEVNULL,
                       stdout=log, stderr=subprocess.STDOUT, check=False)
    with open(result_path, encoding='utf-8') as handle:
        return json.load(handle)


def launch(result_path: str, command: list[str]) -> int:
    """The launcher: fork/exec the command, wait4() it, write the measurement as JSON to result_path."""
    started = time.monotonic()
    try:
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL)  # pylint: disable=consider-using-with
    except OSError as exc:
        figures = {'wall': 0.0, 'cpu': 0.0, 'rss_mb': 0.0, 'rc': 127, 'error': str(exc)}
    else:
        _pid, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        figures = {'wall': round(time.monotonic() - started, 3), 'cpu': round(usage.ru_utime + usage.ru_stime, 3),
                   'rss_mb': round(usage.ru_maxrss / 1024.0, 1), 'rc': process.returncode}
    with open(result_path, 'w', encoding='utf-8') as handle:
        json.dump(figures, handle)
    return 0


def settled_stats(emulator, limit: float = 15.0) -> dict:
    """The emulator's stats once no request is in flight and the count has stopped moving."""
    deadline = time.monotonic() + limit
    previous = None
    while True:
        stats = emulator.stats()
        total = stats['requests_total']
        if (stats['in_flight'] == 0 and total == previous) or time.monotonic() > deadline:
            return stats
        previous = total if stats['in_flight'] == 0 else None
        time.sleep(0.05)


def request_kinds(stats: dict) -> dict:
    """{kind: count} of the requests in the stats (only kinds that occurred), plus 'total'."""
    kinds = {}
    tokens = stats['token_requests']['total']
    if tokens:
        kinds['token'] = tokens
    for name, count in stats['reads'].items():
        if count:
            short = SHORT_KINDS.get(name, name)
            kinds[short] = kinds.get(short, 0) + count
    other = stats['requests_total'] - tokens - sum(stats['reads'].values())
    if other:
        kinds['other'] = other
    ordered = {kind: kinds[kind] for kind in KIND_ORDER if kind in kinds}
    ordered.update((kind, count) for kind, count in sorted(kinds.items()) if kind not in ordered)
    ordered['total'] = stats['requests_total']
    if stats.get('write_attempts'):
        ordered['write attempts'] = stats['write_attempts']
    return ordered


def median(values: list[float]) -> float | None:
    ordered = sorted(values)
    if not ordered:
        return None
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2.0


if __name__ == '__main__':
    sys.exit(launch(sys.argv[1], sys.argv[2:]))
