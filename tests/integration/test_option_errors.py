# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Bad options: each error names the option, before any login or read; api_url forms, auth precedence, an API key
with a trailing newline.

Each test is a row of the reliability scenario table (tests/integration/scenarios.py). Every playbook runs at -vvv or -vvvv
and its whole output is checked for secrets; the `emulator` fixture checks after each test that nothing tried to write
and that no credential travelled in a URL. All traffic stays on 127.0.0.0/8.
"""

from __future__ import annotations

import pytest

from harness import API_KEY_ENV, batch, clean_failure, data_requests, emulator_auth, expected_record, run_attempts

scenario = pytest.mark.scenario


BAD_OPTIONS = [
    # label, attempt (module unless 'terms'), words the message must hold
    ('no scheme', {'api_url': 'pbx.example.com'}, ["'api_url'", 'https://']),
    ('no scheme, lookup', {'terms': ['1001@D0'], 'options': {'api_url': '127.0.0.1:8080'}}, ["'api_url'", 'https://']),
    ('path', {'api_url': 'URL/portal/'}, ["'api_url'", "path '/portal/'"]),
    ('query', {'api_url': 'URL/?debug=1'}, ["'api_url'", 'query string']),
    ('user info', {'api_url': 'http://admin:pw@127.0.0.1:1'}, ["'api_url'", 'credentials']),
    ('empty domain', {'domain': ['']}, ['domain name is empty']),
    ('blank domain', {'domain': ['   ']}, ['domain name is empty']),
    ('empty domain, lookup', {'terms': ['']}, ['domain name is empty']),
    ('space in domain', {'domain': ['acme 12345.service']}, ['not a valid domain name']),
    ('slash in domain', {'domain': ['D0/../globex.23456.service']}, ['not a valid domain name']),
    ('parameter in domain', {'domain': ['D0&domain=globex.23456.service']}, ['not a valid domain name']),
    ('query in domain, lookup', {'terms': ['1001@D0?domain=x']}, ['not a valid domain name']),
    ('percent in domain', {'domain': ['D0%2Fx']}, ['not a valid domain name']),
    ('no user, lookup', {'terms': ['@D0']}, ["has no user before '@'"]),
    ('empty user', {'user': ['']}, ['user name is empty']),
    ('timeout text', {'timeout': 'soon'}, ["'timeout'", 'int']),
    ('retries text', {'retries': 'many'}, ["'retries'", 'int']),
    ('validate_certs text', {'validate_certs': 'maybe'}, ["'validate_certs'", 'bool']),
    ('include_sensitive text', {'include_sensitive': 'perhaps'}, ["'include_sensitive'", 'bool']),
    ('filters text', {'filters': 'scope'}, ["'filters'", 'dict']),
    ('api_version unknown', {'api_version': 'v3'}, ['api_version', 'v3']),
    ('domain dict', {'domain': {'name': 'D0'}}, ["'domain'"]),
    ('timeout text, lookup', {'terms': ['1001@D0'], 'options': {'timeout': 'soon'}}, ["'timeout'"]),
    ('on_missing unknown, lookup', {'terms': ['1001@D0'], 'options': {'on_missing': 'maybe'}}, ["'on_missing'", 'maybe']),
    ('term not text, lookup', {'terms': [42]}, ['Each term must be a string']),
    ('retries too many', {'retries': 11}, ["'retries'", 'between 0 and 10']),
    ('retries negative', {'retries': -1}, ["'retries'", 'between 0 and 10']),
    ('timeout zero', {'timeout': 0}, ["'timeout'", 'between 1 and 3600']),
    ('no password', {'password': ''}, ['password grant needs', "'password'"]),
    ('no client_id and password', {'client_id': '', 'password': ''}, ["'client_id'", "'password'"]),
    ('token dict without token', {'access_token': {'refresh_token': 'not-a-secret'}}, ["'access_token'", 'dictionary']),
    ('token of wrong type', {'access_token': 42}, ["'access_token'", 'token string or the token dictionary']),
    ('unknown filter field', {'filters': {'no_such_field': 'x'}}, ["'filters'", "unknown subscriber field 'no_such_field'"]),
    ('misspelt filter field', {'filters': {'vmail_enable': 'yes'}}, ["'filters'", "Did you mean 'vmail_enabled'"]),
    ('unknown filter field, lookup', {'terms': ['D0'], 'options': {'filters': {'pin': '1'}}}, ["'filters'", "unknown subscriber field 'pin'"]),
    ('filter value dict', {'filters': {'scope': {'a': 1}}}, ["'filters'", 'not a dictionary']),
]


def bad_option_batch(run_playbook, emu, domains):
    def fill(value):
        if isinstance(value, str):
            return value.replace('URL', emu.url).replace('D0', domains[0])
        if isinstance(value, list):
            return [fill(item) for item in value]
        if isinstance(value, dict):
            return {key: fill(item) for key, item in value.items()}
        return value

    modules, lookups = [], []
    for label, attempt, _words in BAD_OPTIONS:
        attempt = dict(fill(attempt), label=label)
        if 'terms' in attempt:
            lookups.append(attempt)
        else:
            attempt.setdefault('domain', [domains[0]])
            attempt.setdefault('user', ['1001'])
            modules.append(attempt)
    return batch('bad options', lambda: run_attempts(run_playbook, emu, modules, lookups))


def check_bad_options(found, *labels):
    wanted = {label: words for label, _attempt, words in BAD_OPTIONS}
    for label in labels:
        clean_failure(found.entries[label], *wanted[label])
    # No credential was sent and nothing was read for any bad option (a user name is checked after the version probe).
    assert found.stats['token_requests']['total'] == 0 and data_requests(found.stats) == []


@scenario('api_url without a scheme', "module and lookup: \"Option 'api_url' must start with https:// or http://\"; no login, no read")
def test_api_url_without_a_scheme(run_playbook, emu, domains):
    check_bad_options(bad_option_batch(run_playbook, emu, domains), 'no scheme', 'no scheme, lookup')


@scenario('api_url with a path, a query or user info', "\"Option 'api_url' should be the server address without a path ...\" (and "
          'the same for a query string or credentials in the URL); no login, no read')
def test_api_url_with_a_path(run_playbook, emu, domains):
    check_bad_options(bad_option_batch(run_playbook, emu, domains), 'path', 'query', 'user info')


@scenario('Empty or malformed domain, empty user', 'empty, blank, or holding a space, /, &, ?, %: "not a valid domain name" (or "is '
          'empty"); "@domain" without a user; no login, no read')
def test_empty_or_malformed_domain(run_playbook, emu, domains):
    check_bad_options(bad_option_batch(run_playbook, emu, domains), 'empty domain', 'blank domain', 'empty domain, lookup',
                      'space in domain', 'slash in domain', 'parameter in domain', 'query in domain, lookup', 'percent in domain',
                      'no user, lookup', 'empty user')


@scenario('Wrong option types', 'text for timeout, retries, validate_certs, include_sensitive, filters, a dict for domain, an unknown '
          'api_version or on_missing, a term that is not text: each error names the option; no login, no read')
def test_wrong_option_types(run_playbook, emu, domains):
    check_bad_options(bad_option_batch(run_playbook, emu, domains), 'timeout text', 'retries text', 'validate_certs text',
                      'include_sensitive text', 'filters text', 'api_version unknown', 'domain dict', 'timeout text, lookup',
                      'on_missing unknown, lookup', 'term not text, lookup')


@scenario('Options out of range', "retries 11 or -1, timeout 0: \"Option 'retries' must be between 0 and 10\"; no login, no read")
def test_options_out_of_range(run_playbook, emu, domains):
    check_bad_options(bad_option_batch(run_playbook, emu, domains), 'retries too many', 'retries negative', 'timeout zero')


@scenario('Incomplete or conflicting auth options', 'a partial password grant names the missing options; a token dict without '
          'access_token or a token that is not text is refused; no login, no read')
def test_incomplete_auth_options(run_playbook, emu, domains):
    check_bad_options(bad_option_batch(run_playbook, emu, domains), 'no password', 'no client_id and password', 'token dict without token',
                      'token of wrong type')


@scenario('Type names in option errors', "a number given as access_token is reported as an int, not as Ansible's internal "
          "'_AnsibleTaggedInt'")
def test_type_names_in_option_errors(run_playbook, emu, domains):
    message = clean_failure(bad_option_batch(run_playbook, emu, domains).entries['token of wrong type'])
    assert message.endswith(', got int.'), message


@scenario('Unknown filter fields', "\"Option 'filters' names an unknown subscriber field\" with a did-you-mean hint; a dict as a value "
          'is refused; no login, no read')
def test_unknown_filter_fields(run_playbook, emu, domains):
    check_bad_options(bad_option_batch(run_playbook, emu, domains), 'unknown filter field', 'misspelt filter field',
                      'unknown filter field, lookup', 'filter value dict')


@scenario('api_key and the password grant both given; api_url ending in /ns-api/v2/', 'api_key wins as documented (no token request); '
          'the API path is stripped from api_url; both read the record')
def test_auth_precedence_and_api_path(run_playbook, emu, domains, truth):
    attempts = [{'label': 'api path', 'domain': [domains[0]], 'user': ['1001'], 'api_url': emu.url + '/ns-api/v2/'},
                {'label': 'both', 'domain': [domains[0]], 'user': ['1001'], 'api_key_env': 'RELIABILITY_API_KEY'}]
    found = run_attempts(run_playbook, emu, attempts, env=API_KEY_ENV)
    for label in ('api path', 'both'):
        assert found.entries[label]['subscribers'] == [expected_record(truth[domains[0]]['1001'])], label
    assert found.stats['token_requests']['total'] == 1  # the password grant of 'api path' only
    keyed = [request for request in data_requests(found.stats) if request['auth'] == 'api_key']
    assert len(keyed) == 1


@scenario('api_url that is not a URL', 'a port out of range, a port that is not a number, an unclosed IPv6 bracket: an error naming '
          'api_url; no login, no read')
def test_api_url_that_is_not_a_url(run_playbook, emu, domains):
    urls = {'port out of range': 'http://127.0.0.1:99999', 'port not a number': 'http://127.0.0.1:http', 'unclosed IPv6': 'http://[::1'}
    attempts = [{'label': label, 'api_url': url, 'domain': [domains[0]], 'user': ['1001'], 'retries': 0} for label, url in urls.items()]
    found = run_attempts(run_playbook, emu, attempts, [{'label': 'lookup', 'terms': ['1001@%s' % domains[0]],
                                                        'options': {'api_url': urls['unclosed IPv6']}}])
    for label in list(urls) + ['lookup']:
        clean_failure(found.entries[label], "'api_url'")
    assert found.stats['requests_total'] == 0


@scenario('API key with a trailing newline', 'fails with an error naming api_key that does not show the key (or the newline is '
          'stripped and the read works); the key never reaches the output')
def test_api_key_with_a_trailing_newline(run_playbook, emu, domains):
    found = run_attempts(run_playbook, emu, [{'label': 'newline', 'domain': [domains[0]], 'user': ['1001'],
                                              'api_key_env': 'RELIABILITY_API_KEY', 'api_key_suffix': '\n'}], env=API_KEY_ENV)
    entry = found.entries['newline']
    if entry.get('failed'):
        clean_failure(entry, "'api_key'")
    else:
        assert [record['user'] for record in entry['subscribers']] == ['1001']
    assert emulator_auth.RESELLER_API_KEY not in found.output
