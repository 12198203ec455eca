# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The client every module and plugin uses: options -> auth -> version -> reader -> records."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import time

from ansible_collections.netsapiens.pbx.plugins.module_utils._api import ApiSession
from ansible_collections.netsapiens.pbx.plugins.module_utils._auth import TOKEN_ENDPOINTS, Authenticator
from ansible_collections.netsapiens.pbx.plugins.module_utils._errors import NetSapiensConfigError
from ansible_collections.netsapiens.pbx.plugins.module_utils._http import Transport
from ansible_collections.netsapiens.pbx.plugins.module_utils._records import domain_summary
from ansible_collections.netsapiens.pbx.plugins.module_utils._v1 import V1Reader
from ansible_collections.netsapiens.pbx.plugins.module_utils._v2 import V2Reader

READERS = {'v1': V1Reader, 'v2': V2Reader}
VERSION_PATH = '/ns-api/v2/version'
_BAD_NAME_CHARACTERS = frozenset('/?#&=%*\\')


def check_domain(domain):
    """A domain name as the API knows it, or a clear error."""
    if not isinstance(domain, str) or not domain.strip():
        raise NetSapiensConfigError('A domain name is empty; give names like acme.12345.service.')
    if set(domain) <= set('.'):
        raise NetSapiensConfigError("'%s' is not a valid domain name." % domain)
    if domain != domain.strip() or any(ch.isspace() or ord(ch) < 32 or ch in _BAD_NAME_CHARACTERS for ch in domain):
        raise NetSapiensConfigError("'%s' is not a valid domain name: it contains spaces or one of / ? # & = %% * \\." % domain)
    return domain


def check_user(user):
    """A user (extension) name: any non-empty text; numbers from YAML are accepted as their digits."""
    if isinstance(user, bool) or user is None:
        raise NetSapiensConfigError('A user name is empty or not text: %r.' % (user,))
    if isinstance(user, int):
        user = str(user)
    if not isinstance(user, str) or not user:
        raise NetSapiensConfigError('A user name is empty; give extensions like 1001.')
    return user


def _unique(items):
    seen = set()
    result = []
    for item in items:
        if item not in seen:
            seen.add(item)
            result.append(item)
    return result


class SubscriberBatch(object):
    """Records read for one domain, in the order asked, and the users that were asked for but do not exist."""

    def __init__(self, records, missing):
        self.records = records
        self.missing = missing


class NetSapiensClient(object):
    """One server, one session, one authentication for the whole run."""

    def __init__(self, settings, log=None, warn=None, session=None, clock=time.time, sleep=time.sleep):
        self.settings = settings
        self.log = log or (lambda message: None)
        self.transport = Transport(settings, log=self.log, warn=warn, sleep=sleep, session=session)
        self.auth = Authenticator(settings, self.transport, clock=clock, log=self.log)
        self.api = ApiSession(self.transport, self.auth)
        self._version = None
        self._reader = None

    @property
    def api_version(self):
        """'v1' or 'v2': forced by the option, taken from a login token, or probed once."""
        if self._version is None:
            self._version = self._choose_version()
            # Tokens come from the endpoint of the version in use (v2 falls back to v1 where it lacks /tokens).
            self.auth.token_endpoint = TOKEN_ENDPOINTS[self._version]()
        return self._version

    def _choose_version(self):
        wanted = self.settings.api_version
        if wanted != 'auto':
            return wanted
        token = self.settings.access_token
        if isinstance(token, dict) and token.get('api_version') in READERS:
            return token['api_version']
        return self._probe()

    def _probe(self):
        """One GET /ns-api/v2/version: a JSON answer (or an auth challenge) means the server speaks v2."""
        reply = self.transport.request('GET', VERSION_PATH)
        speaks_v2 = reply.status in (401, 403)
        if reply.ok:
            try:
                body = json.loads(reply.text)
                speaks_v2 = isinstance(body, dict) and 'apiversion' in body
            except ValueError:
                speaks_v2 = False
        self.log('%s -> %d: the server %s API v2' % (VERSION_PATH, reply.status, 'speaks' if speaks_v2 else 'does not speak'))
        return 'v2' if speaks_v2 else 'v1'

    def reader(self):
        if self._reader is None:
            self._reader = READERS[self.api_version](self.api)
        return self._reader

    def login(self):
        """A token dict, for the login module."""
        version = self.api_version
        token = self.auth.login()
        token['api_version'] = version
        return token

    def list_domains(self):
        """Summaries of every domain the credentials can read, sorted by name."""
        reader = self.reader()
        summaries = [domain_summary(raw) for raw in reader.list_domains()]
        return sorted((summary for summary in summaries if summary['domain']), key=lambda summary: summary['domain'])

    def resolve_domains(self, domains):
        """A domains option: a list of names, or 'all' (or ['all']) for every readable domain."""
        if domains in ('all', ['all']):
            return [summary['domain'] for summary in self.list_domains()]
        return [check_domain(domain) for domain in _unique(domains)]

    def read_subscribers(self, domain, users=None, include_sensitive=False):
        """Records of a whole domain (users None) or of the named users, with the cheapest reads."""
        domain = check_domain(domain)
        reader = self.reader()
        if users is None:
            raws = reader.read_domain(domain)
            return SubscriberBatch([reader.normalise(raw, include_sensitive) for raw in raws], [])
        wanted = _unique([check_user(user) for user in users])
        by_user = {}
        # A whole-domain read costs a count plus a page at least: never cheaper than reading two users one by one.
        if len(wanted) > 2:
            total = reader.count(domain)
            pages = -(-total // reader.page_size)
            if pages < len(wanted):
                for raw in reader.read_domain(domain, total=total):
                    by_user[str(raw.get('user'))] = raw
            else:
                by_user = self._read_each(reader, domain, wanted)
        elif wanted:
            by_user = self._read_each(reader, domain, wanted)
        records = [reader.normalise(by_user[user], include_sensitive) for user in wanted if user in by_user]
        missing = [user for user in wanted if user not in by_user]
        return SubscriberBatch(records, missing)

    @staticmethod
    def _read_each(reader, domain, users):
        found = {}
        for user in users:
            raw = reader.read_user(domain, user)
            if raw is not None:
                found[user] = raw
        return found
