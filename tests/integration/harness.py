# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Shared pieces of the integration tests: the emulator's credentials, playbook results, expected records."""

from __future__ import annotations

import json
import os
import sys
import time

REPO_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
PLAYBOOKS = os.path.join(os.path.dirname(__file__), 'playbooks')
sys.path.insert(0, os.path.join(REPO_ROOT, 'tests', 'emulator'))

# pylint: disable-next=wrong-import-position
from netsapiens_emulator import auth as emulator_auth  # noqa: E402
# pylint: disable-next=wrong-import-position
from netsapiens_emulator.process import Emulator  # noqa: E402,F401  pylint: disable=unused-import

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
