# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Issue 11: the netsapiens.pbx.subscribers inventory plugin does not template secrets, and its cache is per principal and private.

Each test is a row of the scenario table (tests/integration/scenarios.py). Every load runs at -vvvv and its whole output
is checked for the emulator's secrets, issued tokens and password hashes.
"""

from __future__ import annotations

import json
import stat
import uuid

import pytest
import yaml

from harness import SECRETS, emulator_auth

scenario = pytest.mark.scenario
PLUGIN = 'netsapiens.pbx.subscribers'


def write_config(tmp_path, options, name='hardening.netsapiens.yml'):
    path = tmp_path / name
    path.write_text(yaml.safe_dump(dict({'plugin': PLUGIN}, **options), sort_keys=False), encoding='utf-8')
    return path


def cache_config(tmp_path, domains, **options):
    """A configuration that caches the first domain's subscribers in a jsonfile cache under tmp_path/cache."""
    return write_config(tmp_path, dict({'domains': domains[:1], 'cache': True, 'cache_plugin': 'ansible.builtin.jsonfile',
                                        'cache_connection': str(tmp_path / 'cache'), 'cache_timeout': 3600}, **options))


def hostvars_of(result):
    """The hostvars of `ansible-inventory --list`; with -v and more, messages come first on stdout."""
    assert result.rc == 0, result
    lines = result.stdout.splitlines()
    return json.loads('\n'.join(lines[lines.index('{'):]))['_meta']['hostvars']


def subscribers_of(emulator, domain):
    return [raw for raw in emulator.records(domain) if not str(raw.get('srv_code') or '').startswith('system-')]


def pieces(secret, shortest=3):
    """The secret and every part of it at least `shortest` characters long: none may show in any output."""
    return {secret[start:end] for start in range(len(secret)) for end in range(start + shortest, len(secret) + 1)}


def leaked(text, emulator, stored=(), secrets=()):
    """The emulator's credentials, issued tokens and stored password hashes, and the given secrets, found in text."""
    known = set(SECRETS) | set(emulator.issued_tokens()) | set(stored) | set(secrets)
    return sorted(item[:4] + '...' for item in known if item in text)


def cache_document(path):
    """What a jsonfile cache file holds; ansible-core 2.19 wraps the entry as JSON text in {"__payload__": ...}."""
    document = json.loads(path.read_text(encoding='utf-8'))
    if isinstance(document, dict) and set(document) == {'__payload__'}:
        document = json.loads(document['__payload__'])
    return document


def string_values(value):
    """Every string in a JSON document, keys included."""
    if isinstance(value, dict):
        return [str(key) for key in value] + [text for item in value.values() for text in string_values(item)]
    if isinstance(value, list):
        return [text for item in value for text in string_values(item)]
    return [value] if isinstance(value, str) else []


@pytest.fixture
def load(run_inventory, emulator, stored_secrets):
    """run_inventory at -vvvv whose whole output is checked for secrets (and for the extra `secrets` of the test)."""
    def run(config, secrets=(), **kwargs):
        result = run_inventory(config, verbosity=4, **kwargs)
        assert leaked(result.output, emulator, stored_secrets, secrets) == []
        return result
    return run


@pytest.fixture
def reseller_password(emulator):
    """Give the emulator's reseller account another password for one test."""
    def change(password):
        emulator.configure(reseller_password=password)
        return password
    yield change
    emulator.configure(reseller_password=None)


# ---------------------------------------------------------------------------------------------------------------------
# Values from the environment are not templates


@scenario('NETSAPIENS_PASSWORD with {{, {% or {#', 'the inventory loaded with the password taken literally (it is the account\'s '
          'real password on the emulator); no part of it in the -vvvv output')
@pytest.mark.parametrize('password', ['x{{y', 'p{%w%}q', 'a{#b#}c'])
def test_env_password_with_template_markers(load, emulator, reseller_password, tmp_path, domains, password, happened):
    reseller_password(password)
    config = write_config(tmp_path, {'domains': domains[:1]})
    result = load(config, secrets=pieces(password), env={'NETSAPIENS_PASSWORD': password})
    assert len(hostvars_of(result)) == len(subscribers_of(emulator, domains[0]))
    assert emulator.stats()['token_requests']['total'] == 1
    happened('%d hosts' % len(hostvars_of(result)))


@scenario('Lookup payload in a NETSAPIENS_* variable', 'the value was used as it is, never run: a lookup(\'pipe\', \'touch ...\') template '
          'created no file; a payload password or user name failed the login cleanly ("Authentication failed"), a payload '
          'URL failed the api_url check')
@pytest.mark.parametrize('variable, phrase', [
    ('NETSAPIENS_PASSWORD', 'Authentication failed'),
    ('NETSAPIENS_USERNAME', 'Authentication failed'),
    ('NETSAPIENS_CLIENT_SECRET', 'Authentication failed'),
    ('NETSAPIENS_API_URL', "Option 'api_url'"),
])
def test_env_lookup_payload_is_not_run(load, tmp_path, domains, variable, phrase):
    marker = tmp_path / ('payload-ran-%s' % uuid.uuid4().hex)
    payload = "{{ lookup('pipe', 'touch %s') }}" % marker
    config = write_config(tmp_path, {'domains': domains[:1]})
    secret = variable in ('NETSAPIENS_PASSWORD', 'NETSAPIENS_CLIENT_SECRET')
    result = load(config, secrets=[payload] if secret else [], env={variable: payload})
    assert not marker.exists(), 'the lookup in %s ran' % variable
    assert result.rc != 0, result
    assert phrase in result.output, result
    assert 'Traceback' not in result.output


# ---------------------------------------------------------------------------------------------------------------------
# The inventory cache: one entry per principal and server, private files


@scenario('Inventory cache and other credentials', 'the cache entry is keyed by a digest of the credentials, api_url, domains and '
          'include_sensitive: the same credentials were served from the cache, a wrong password failed authentication instead of '
          'showing the cached hosts, another api_url read the server again; the cache file name holds no user name')
def test_cache_is_per_principal_and_server(load, emulator, tmp_path, domains, happened):
    config = cache_config(tmp_path, domains)
    first = hostvars_of(load(config))
    assert len(first) == len(subscribers_of(emulator, domains[0]))

    emulator.reset()
    again = load(config)
    assert hostvars_of(again) == first
    assert emulator.stats()['requests_total'] == 0, 'the same credentials should be served from the cache'

    emulator.reset()
    wrong = load(config, secrets=['Wr0ng-Cache-Passw0rd'], env={'NETSAPIENS_PASSWORD': 'Wr0ng-Cache-Passw0rd'})
    assert wrong.rc != 0, 'a wrong password was answered from the cache:\n%r' % wrong
    assert 'Authentication failed' in wrong.output
    assert not any(host in wrong.stdout for host in first)
    assert emulator.stats()['token_requests']['total'] == 1

    emulator.reset()
    other_url = emulator.url.replace('127.0.0.1', 'localhost')
    assert hostvars_of(load(config, env={'NETSAPIENS_API_URL': other_url})) == first
    assert emulator.stats()['token_requests']['total'] == 1, 'another api_url must not reuse the cache entry'

    names = sorted(path.name for path in (tmp_path / 'cache').iterdir())
    assert len(names) == 2, names
    assert not any(part in name for name in names for part in ('reseller', emulator_auth.RESELLER_USER, '127.0.0.1', 'localhost'))
    happened('cache files: %s' % ', '.join(names))


@scenario('Inventory cache files', 'the jsonfile cache file was created 0600 (its new directory 0700) and held no password, client '
          'secret, API key, token, password hash or PIN (PINs only with include_sensitive, still 0600)')
def test_cache_files_are_private_and_hold_no_secret(load, emulator, stored_secrets, tmp_path, domains, happened):
    cache_dir = tmp_path / 'cache'
    records = emulator.records(domains[0])
    # A PIN that is also another field's value (user 1018's PIN is its extension) cannot be told apart in the cache.
    others = {str(value) for raw in records for name, value in raw.items() if name != 'subscriber_pin'}
    pins = {str(raw['subscriber_pin']) for raw in records if raw.get('subscriber_pin')} - others
    assert len(pins) > 10

    hostvars_of(load(cache_config(tmp_path, domains)))
    assert stat.S_IMODE(cache_dir.stat().st_mode) == 0o700, 'the cache directory the load created is private'
    files = list(cache_dir.iterdir())
    assert len(files) == 1
    modes = {oct(stat.S_IMODE(files[0].stat().st_mode))}
    assert stat.S_IMODE(files[0].stat().st_mode) == 0o600
    text = files[0].read_text(encoding='utf-8')
    assert leaked(text, emulator, stored_secrets) == []
    values = set(string_values(cache_document(files[0])))
    assert 'subscriber_pin' not in values and not pins & values and 'pwd_hash' not in values

    hostvars_of(load(cache_config(tmp_path, domains, include_sensitive=True)))
    sensitive = [path for path in cache_dir.iterdir() if path != files[0]]
    assert len(sensitive) == 1
    modes.add(oct(stat.S_IMODE(sensitive[0].stat().st_mode)))
    assert stat.S_IMODE(sensitive[0].stat().st_mode) == 0o600
    text = sensitive[0].read_text(encoding='utf-8')
    assert pins <= set(string_values(cache_document(sensitive[0]))), 'include_sensitive caches the PINs (documented)'
    assert leaked(text, emulator, stored_secrets) == []
    happened('file modes %s' % ', '.join(sorted(modes)))
