# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Shared pieces of the integration tests: the emulator's credentials, playbook results, expected records, and the
checks of the fault, bad-input and secrets tests (failures in the collection's own words, requests the server saw)."""

from __future__ import annotations

import json
import os
import re
import time
from types import SimpleNamespace

from netsapiens_emulator import auth as emulator_auth
from netsapiens_emulator.process import Emulator  # noqa: F401  pylint: disable=unused-import

REPO_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
PLAYBOOKS = os.path.join(os.path.dirname(__file__), 'playbooks')

SECRETS = (emulator_auth.CLIENT_SECRET, emulator_auth.RESELLER_PASSWORD, emulator_auth.SUPER_PASSWORD,
           emulator_auth.OFFICE_MANAGER_PASSWORD, emulator_auth.RESELLER_API_KEY, emulator_auth.OFFICE_API_KEY)


# Emulator statistics keys of a whole-domain page, a count and a one-user read, by API version.
READS = {
    'v1': {'page': 'v1_subscriber_read', 'count': 'v1_subscriber_count', 'user': 'v1_subscriber_read'},
    'v2': {'page': 'v2_users_list', 'count': 'v2_users_count', 'user': 'v2_user'},
}


class PlaybookResult:
    def __init__(self, completed, artifacts):
        self.rc = completed.returncode
        self.stdout = completed.stdout
        self.stderr = completed.stderr
        self.output = completed.stdout + completed.stderr
        self.artifacts = artifacts

    def artifact(self, name):
        with open(os.path.join(self.artifacts, name), encoding='utf-8') as handle:
            return json.load(handle)

    def __repr__(self):
        return 'rc=%s\n--- stdout ---\n%s\n--- stderr ---\n%s' % (self.rc, self.stdout[-6000:], self.stderr[-3000:])


def wait_until_idle(server, limit=15.0):
    """Let requests a client gave up on (timeouts) finish, so they are not counted in the next test."""
    deadline = time.monotonic() + limit
    stats = server.stats()
    while stats['in_flight'] and time.monotonic() < deadline:
        time.sleep(0.1)
        stats = server.stats()
    return stats


def check_server_untouched(server):
    """Nothing tried to write, and no credential travelled in a URL."""
    stats = wait_until_idle(server)
    assert stats['write_attempts'] == 0, 'the collection tried to change something on the server'
    assert stats['credentials_in_query'] == 0, 'a credential was sent in a URL'
    for request in stats['requests']:
        for secret in SECRETS:
            assert secret not in request['query'] and secret not in request['path'], 'a secret was sent in a URL'


def credentials_env(url, kind='password'):
    """NETSAPIENS_* variables for one kind of authentication."""
    env = {'NETSAPIENS_API_URL': url}
    if kind == 'password':
        env.update(NETSAPIENS_CLIENT_ID=emulator_auth.CLIENT_ID, NETSAPIENS_CLIENT_SECRET=emulator_auth.CLIENT_SECRET,
                   NETSAPIENS_USERNAME=emulator_auth.RESELLER_USER, NETSAPIENS_PASSWORD=emulator_auth.RESELLER_PASSWORD)
    elif kind == 'api_key':
        env.update(NETSAPIENS_API_KEY=emulator_auth.RESELLER_API_KEY)
    return env


def expected_record(raw, include_sensitive=False):
    """What a record should look like, built from the emulator's ground truth independently of the collection."""
    record = {}
    for key, value in raw.items():
        # pwd_hash is never returned; fields only one API version has are left out (records read the same on both).
        if key in ('pwd_hash', 'gauSession', 'sso_ids', 'mfa') or (key == 'subscriber_pin' and not include_sensitive):
            continue
        if value is None:
            value = ''
        elif isinstance(value, bool):
            value = 'yes' if value else 'no'
        elif isinstance(value, list):
            value = [str(item) for item in value]
        elif not isinstance(value, str):
            value = str(value)
        record[key] = value
    return record


# -- faults, bad input and secrets: playbooks/attempts.yml runs many attempts and records each outcome --------------

# Makes Ansible show the exception behind every failure, so an exception the collection did not turn into its own
# message (a traceback for the user) is seen by foreign_exceptions.
SHOW_EXCEPTIONS = {'ANSIBLE_DISPLAY_TRACEBACK': 'error'}
API_KEY_ENV = {'RELIABILITY_API_KEY': emulator_auth.RESELLER_API_KEY}
# An exception line such as "requests.exceptions.InvalidURL: ..." or "ValueError: ..." at the end of a traceback block.
EXCEPTION_LINE = re.compile(r'^([A-Za-z_][\w.]*(?:Error|Exception|Exit|Interrupt)):', re.MULTILINE)
# A block whose frames pass through the collection or the HTTP libraries it uses: the exception escaped the collection.
COLLECTION_FRAMES = ('ansible_collections/netsapiens/pbx/', '%s/plugins/' % REPO_ROOT, '/requests/', '/urllib3/')
NOT_DATA_PATHS = ('/ns-api/oauth2/token', '/ns-api/v2/tokens', '/ns-api/v2/version')
_BATCHES = {}


def foreign_exceptions(text):
    """Exceptions that escaped the collection (not Ansible's own errors), from a traceback shown by ANSIBLE_DISPLAY_TRACEBACK."""
    found = set()
    for block in (text or '').split('Traceback (most recent call last):')[1:]:
        frames = [line for line in block.splitlines() if line.startswith('  File "')]
        if not any(marker in frame for frame in frames for marker in COLLECTION_FRAMES):
            continue
        found.update(name for name in EXCEPTION_LINE.findall(block) if not name.startswith('ansible.'))
    return sorted(found)


def clean_failure(entry, *words):
    """The attempt failed with the collection's (or Ansible's option checking's) own message, holding every word."""
    assert entry.get('failed'), entry
    message = entry.get('msg') or ''
    label = (entry.get('item') or {}).get('label', '')
    assert not foreign_exceptions(entry.get('exception')), (label, message, entry.get('exception'))
    if 'lookup plugin' not in message:
        # Ansible prefixes 'Task failed: ' when an action plugin raised instead of returning its failure.
        assert not message.startswith('Task failed: '), (label, message)
    for word in words:
        assert word in message, (label, word, message)
    return message


def by_label(data):
    """label -> outcome of every module and lookup attempt of playbooks/attempts.yml."""
    return {entry['item']['label']: entry for entry in data['module'] + data['lookup']}


def requests_of(stats, *kinds):
    return [request for request in stats['requests'] if request['kind'] in kinds]


def data_requests(stats):
    """Requests other than token requests and the version probe (injected errors included)."""
    return [request for request in stats['requests'] if request['path'].rstrip('/') not in NOT_DATA_PATHS]


def batch(key, run):
    """Run a playbook of several attempts once and share its result (artifact, stats, output) among the tests that read it."""
    if key not in _BATCHES:
        try:
            _BATCHES[key] = run()
        except AssertionError as exc:
            _BATCHES[key] = exc
    if isinstance(_BATCHES[key], AssertionError):
        raise _BATCHES[key]
    return _BATCHES[key]


def run_attempts(run_playbook, emu, module_attempts=(), lookup_attempts=(), env=None, **switches):
    """Run module and lookup attempts in one playbook (exceptions shown); return their outcomes by label, the server's stats, the output."""
    emu.configure(**switches)
    result = run_playbook('attempts.yml', {'module_attempts': list(module_attempts), 'lookup_attempts': list(lookup_attempts)},
                          env=dict(SHOW_EXCEPTIONS, **(env or {})))
    assert result.rc == 0, result
    return SimpleNamespace(entries=by_label(result.artifact('result.json')), stats=emu.stats(), output=result.output)


def pages_for(total, page=1000):
    """Page requests a read of `total` records costs: each page after the first starts at the last record of the one
    before (the collection's shift check), so it brings page - 1 new records."""
    return 0 if total <= 0 else 1 + max(0, -(-(total - page) // (page - 1)))


def plain(value):
    """ansible-inventory's JSON with the {'__ansible_unsafe': value} wrappers of untrusted strings removed."""
    if isinstance(value, dict):
        if set(value) == {'__ansible_unsafe'}:
            return value['__ansible_unsafe']
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plain(item) for item in value]
    return value


def assert_no_secret_in(text, server, stored):
    """No credential, issued token or password hash of the emulator appears in text."""
    for secret in set(SECRETS) | set(server.issued_tokens()) | stored:
        assert secret not in text, 'a secret (%s...) reached the output' % secret[:4]
