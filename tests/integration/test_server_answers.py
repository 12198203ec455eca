# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Odd server answers: bodies that are not JSON, a login answered without a token, v2 routes that answer HTML.

Each test is a row of the reliability scenario table (tests/integration/scenarios.py). Every playbook runs at -vvv or -vvvv
and its whole output is checked for secrets; the `emulator` fixture checks after each test that nothing tried to write
and that no credential travelled in a URL. All traffic stays on 127.0.0.0/8.
"""

from __future__ import annotations

import pytest

from harness import API_KEY_ENV, batch, clean_failure, data_requests, emulator_auth, expected_record, requests_of, run_attempts

scenario = pytest.mark.scenario


NOT_JSON = {
    'HTML error page': ({'status': 200, 'body': '<!DOCTYPE html><html><head><title>Internal Server Error</title></head>'
                                                '<body><h1>Something went wrong</h1></body></html>'}, 'answered with HTML instead of JSON'),
    'truncated JSON': ({'fault': 'truncate'}, 'answered with non-JSON instead of JSON'),
    'XML': ({'status': 200, 'content_type': 'text/xml', 'body': '<?xml version="1.0"?><xml><error>busy</error></xml>'},
            'answered with XML instead of JSON'),
}


@pytest.mark.parametrize('kind', sorted(NOT_JSON))
@scenario('Body that is not JSON: {kind}', 'HTTP 200 with a {kind}: a clear error naming the request and what came back, not retried; '
          'no traceback')
def test_body_that_is_not_json(run_playbook, emu, domains, kind):
    attempts = [{'label': name, 'domain': [domains[0]], 'user': ['1001']} for name in sorted(NOT_JSON)]
    found = batch('not-json', lambda: run_attempts(run_playbook, emu, attempts, fail_next=[NOT_JSON[name][0] for name in sorted(NOT_JSON)]))
    clean_failure(found.entries[kind], NOT_JSON[kind][1], 'GET /ns-api/v2/domains/%s/users/1001' % domains[0])
    assert len(data_requests(found.stats)) == len(NOT_JSON)


@scenario('HTTP 200 without a token', '`{}`, an empty body and an empty access_token each gave "the server answered HTTP 200 without '
          'an access token", naming the login; no traceback')
def test_200_without_a_token(run_playbook, emu, domains):
    bodies = {'empty object': '{}', 'empty body': '', 'empty token': '{"access_token": "", "token_type": "Bearer"}'}
    attempts = [{'label': name, 'domain': [domains[0]], 'user': ['1001']} for name in sorted(bodies)]
    found = run_attempts(run_playbook, emu, attempts,
                         fail_next_token=[{'body': bodies[name], 'content_type': 'application/json'} for name in sorted(bodies)])
    for name in bodies:
        clean_failure(found.entries[name], 'Authentication failed', "logging in as '%s'" % emulator_auth.RESELLER_USER,
                      'answered HTTP 200 without an access token')
    assert data_requests(found.stats) == []


@scenario('v2 routes answer an HTML 404 (server before v44)', 'api_version auto probed /ns-api/v2/version once, fell back to v1 and '
          'read the record')
def test_v2_routes_answer_html_404(run_playbook, emu, domains, truth):
    emu.configure(v1_only=True)
    result = run_playbook('subscriber_info.yml', {'domains': [domains[0]], 'users': ['1001']})
    assert result.rc == 0, result
    data = result.artifact('result.json')
    assert data['api_version'] == 'v1' and data['subscribers'] == [expected_record(truth[domains[0]]['1001'])]
    assert '/ns-api/v2/version -> 404: the server does not speak API v2' in result.output
    assert len(requests_of(emu.stats(), 'v2_disabled')) == 1


@scenario('v2 routes answer a 200 HTML page (a portal)', 'auto fell back to v1 and worked; api_version: v2 failed with "answered with '
          'HTML instead of JSON" for the password grant and for an API key; no traceback')
def test_v2_routes_answer_html_200(run_playbook, emu, domains, truth):
    attempts = [{'label': 'auto', 'domain': [domains[0]], 'user': ['1001']},
                {'label': 'v2 password', 'domain': [domains[0]], 'user': ['1001'], 'api_version': 'v2'},
                {'label': 'v2 api key', 'domain': [domains[0]], 'user': ['1001'], 'api_version': 'v2', 'api_key_env': 'RELIABILITY_API_KEY'}]
    found = run_attempts(run_playbook, emu, attempts, env=API_KEY_ENV, v2_answers_html=True)
    auto = found.entries['auto']
    assert not auto.get('failed') and auto['api_version'] == 'v1'
    assert auto['subscribers'] == [expected_record(truth[domains[0]]['1001'])]
    clean_failure(found.entries['v2 password'], 'POST /ns-api/v2/tokens answered with HTML instead of JSON (HTTP 200)')
    clean_failure(found.entries['v2 api key'], 'GET /ns-api/v2/domains/%s/users/1001 answered with HTML instead of JSON' % domains[0])
