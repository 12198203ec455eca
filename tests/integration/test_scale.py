# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Reads at every max_concurrency: subscribers, devices and answer rules of every domain and the audit with the compliance
packs return the same records in the same order at 1, 2, 8 and 32 requests in flight; the server never sees more
requests at once than the option allows; and a server that refuses more than 4 at once (429 with Retry-After) still
gets the run through, with the same results and few refusals.

The emulator serves pages of 7 records, so that every domain's users, E911 addresses and phone numbers span several
pages read at once, with 5 ms of latency, so that requests overlap."""

from __future__ import annotations

import json
import os

import pytest

from harness import wait_until_idle

scenario = pytest.mark.scenario
LEVELS = (1, 2, 8, 32)
SWITCHES = {'max_page': 7, 'latency_ms': 5}


def read_at(run_playbook, emu, concurrency):
    """Run the reads at one max_concurrency; (what they returned, the audit's JSON report, the emulator's stats)."""
    emu.reset()
    result = run_playbook('scale_reads.yml', {'concurrency': concurrency}, verbosity=3)
    assert result.rc == 0, result
    reads = result.artifact('reads-%d.json' % concurrency)
    with open(os.path.join(result.artifacts, 'audit-%d' % concurrency, 'audit-report.json'), encoding='utf-8') as handle:
        report = json.load(handle)
    return reads, without_times(report), wait_until_idle(emu)


def without_times(report):
    """The JSON report without the one thing that differs from run to run: when it was made."""
    return dict((key, value) for key, value in report.items() if key != 'generated_at')


def check_complete(reads):
    assert reads['subscribers'] and reads['devices'] and reads['answerrules']
    assert reads['summary']['subscribers'] == len(reads['subscribers']) and reads['violations']


@scenario('Every max_concurrency reads the same ({api})', 'subscriber_info, device_info and answerrule_info of every domain '
          'and the audit with the baseline and the four compliance packs, at max_concurrency 1, 2, 8 and 32 over pages of 7: '
          'the same records, violations and JSON report in the same order at every level; the emulator never had more '
          'requests in flight than the option, and more than one from 2 up')
def test_every_concurrency_reads_the_same(run_playbook, emu, api, happened):
    emu.configure(**SWITCHES)
    runs = dict((concurrency, read_at(run_playbook, emu, concurrency)) for concurrency in LEVELS)
    reads, report, _stats = runs[1]
    check_complete(reads)
    peaks = []
    for concurrency, (other_reads, other_report, stats) in runs.items():
        assert other_reads == reads, 'max_concurrency %d read something else than max_concurrency 1' % concurrency
        assert other_report == report, 'max_concurrency %d wrote another audit report' % concurrency
        assert stats['max_in_flight'] <= concurrency and stats['refused_in_flight'] == 0
        assert (stats['max_in_flight'] > 1) is (concurrency > 1)
        assert stats['requests_total'] == runs[2][2]['requests_total'] or concurrency == 1
        peaks.append('%d: peak %d, %d requests' % (concurrency, stats['max_in_flight'], stats['requests_total']))
    happened('%d subscribers, %d devices, %d answer rules, %d violations; %s' % (
        len(reads['subscribers']), len(reads['devices']), len(reads['answerrules']), len(reads['violations']), '; '.join(peaks)))


@scenario('Server that refuses more than 4 requests at once ({api})', 'the emulator answers 429 with Retry-After: 1 to any '
          'request beyond 4 in flight; the same reads at max_concurrency 16 slowed down to what the server allows and '
          'returned exactly what max_concurrency 1 returned, with a bounded number of 429s')
def test_a_server_that_refuses_more_than_four_at_once(run_playbook, emu, api, happened):
    emu.configure(**SWITCHES)
    expected = read_at(run_playbook, emu, 1)[:2]
    emu.configure(max_in_flight=4, retry_after=1)
    reads, report, stats = read_at(run_playbook, emu, 16)
    assert (reads, report) == expected
    refused = stats['refused_in_flight']
    # Each of the 4 tasks starts with 16 places: its first burst (up to 16 - 4 refused), then one refusal now and then,
    # when its places grow past the 4 the server allowed (after 4 x 4 x 16 answers at 4 places: _throttle.PROBE_AFTER).
    bound = 4 * (16 - 4) + stats['requests_total'] // (4 * 4 * 16)
    assert 0 < refused <= bound, (refused, bound)
    assert stats['statuses'].get('429', 0) == refused
    happened('%d requests, %d answered 429 (bound %d), peak %d in flight' % (
        stats['requests_total'], refused, bound, stats['max_in_flight']))
