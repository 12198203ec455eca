# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Connection faults: refused, reset mid-response, closed without an answer, a server slower than `timeout`.

Each test is a row of the reliability scenario table (tests/integration/scenarios.py). Every playbook runs at -vvv or -vvvv
and its whole output is checked for secrets; the `emulator` fixture checks after each test that nothing tried to write
and that no credential travelled in a URL. All traffic stays on 127.0.0.0/8.
"""

from __future__ import annotations

import socket
import time

import pytest

from harness import SHOW_EXCEPTIONS, by_label, clean_failure, expected_record

scenario = pytest.mark.scenario


def closed_port():
    with socket.socket() as probe:
        probe.bind(('127.0.0.1', 0))
        return probe.getsockname()[1]


@scenario('Connection refused', 'retried once (retries: 1) with the retry at -vvv, then "connection refused: is the server running at '
          '<url>?"; no traceback')
def test_connection_refused(run_playbook, emu, domains):
    url = 'http://127.0.0.1:%d' % closed_port()
    result = run_playbook('attempts.yml', {'module_attempts': [{'label': 'refused', 'domain': [domains[0]], 'retries': 1}]},
                          env=dict(SHOW_EXCEPTIONS, NETSAPIENS_API_URL=url))
    clean_failure(by_label(result.artifact('result.json'))['refused'], 'connection refused: is the server running at %s?' % url,
                  'failed after 2 attempt(s)')
    assert 'retry 1 of 1' in result.output
    assert emu.stats()['requests_total'] == 0


@scenario('Connection reset mid-response', 'the server sent the headers and half the body, then a TCP reset: retried like any '
          'connection error, then the records arrived (token and data requests alike)')
def test_connection_reset_mid_response(run_playbook, emu, domains, truth):
    emu.configure(fail_next_token=[{'fault': 'reset'}], fail_next=[{'fault': 'reset'}])
    result = run_playbook('attempts.yml', {'module_attempts': [{'label': 'reset', 'domain': [domains[0]], 'user': ['1001']}]},
                          env=SHOW_EXCEPTIONS)
    entry = by_label(result.artifact('result.json'))['reset']
    assert not entry.get('failed'), entry.get('msg')
    assert entry['subscribers'] == [expected_record(truth[domains[0]]['1001'])]
    assert emu.stats()['injected_faults'] == {'reset': 2}
    assert result.output.count('the server closed the connection') == 2


@scenario('Connection closed without an answer', 'the token and the data request were each retried once (-vvv: "the server closed '
          'the connection unexpectedly"), then the record arrived')
def test_connection_closed_without_answer(run_playbook, emu, domains, truth):
    emu.configure(fail_next_token=[{'fault': 'close'}], fail_next=[{'fault': 'close'}])
    result = run_playbook('subscriber_info.yml', {'domains': [domains[0]], 'users': ['1001']})
    assert result.rc == 0, result
    assert result.artifact('result.json')['subscribers'] == [expected_record(truth[domains[0]]['1001'])]
    assert emu.stats()['injected_faults'] == {'close': 2}
    assert result.output.count('failed (the server closed the connection unexpectedly); retry 1 of 3') == 2


@scenario('Server slower than timeout', 'timeout: 1 against 1.8 s answers: "no answer within 1 seconds (timeout)" after retries + 1 '
          'attempts (retries: 1); bounded time; no traceback')
def test_server_slower_than_timeout(run_playbook, emu, domains, happened):
    emu.configure(fail_next=[{'fault': 'slow', 'delay_ms': 1800}] * 2)
    started = time.monotonic()
    result = run_playbook('attempts.yml', {'module_attempts': [{'label': 'slow', 'domain': [domains[0]], 'user': ['1001'],
                                                                'timeout': 1, 'retries': 1}]}, env=SHOW_EXCEPTIONS)
    elapsed = time.monotonic() - started
    clean_failure(by_label(result.artifact('result.json'))['slow'], 'no answer within 1 seconds (timeout)', 'failed after 2 attempt(s)')
    assert 'retry 1 of 1' in result.output
    assert emu.stats()['injected_faults'] == {'slow': 2}
    happened('playbook done in %.1f s' % elapsed)


@scenario('Server slow once', 'the read that took longer than timeout was retried and the record arrived')
def test_server_slow_once(run_playbook, emu, domains, truth):
    emu.configure(fail_next=[{'fault': 'slow', 'delay_ms': 1800}])
    result = run_playbook('subscriber_info.yml', {'domains': [domains[0]], 'users': ['1001']}, env={'NETSAPIENS_TIMEOUT': '1'})
    assert result.rc == 0, result
    assert result.artifact('result.json')['subscribers'] == [expected_record(truth[domains[0]]['1001'])]
    assert 'no answer within 1 seconds (timeout)); retry 1 of 3' in result.output
