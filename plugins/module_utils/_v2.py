# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""API v2 reader: /ns-api/v2/domains/{domain}/users, paged and checked against /users/count."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.netsapiens.pbx.plugins.module_utils._errors import NetSapiensApiError, NetSapiensNotFoundError
from ansible_collections.netsapiens.pbx.plugins.module_utils._reader import Reader, capitalised, domain_missing, says_domain_missing
from ansible_collections.netsapiens.pbx.plugins.module_utils._records import normalise_v2

try:
    from urllib.parse import quote
except ImportError:  # pragma: no cover
    from urllib import quote  # type: ignore


def segment(value):
    """One URL path segment: every reserved character encoded, so any name reaches the server intact."""
    return quote(value.encode('utf-8'), safe='')


class V2Reader(Reader):
    """Reads subscribers through the v2 API."""

    version = 'v2'
    normalise = staticmethod(normalise_v2)

    def _get(self, path, params, doing, domain):
        """GET and parse; None for a 404 about a user; errors for everything else that is not 2xx."""
        reply = self.api.get(path, params=params)
        if reply.status == 404:
            if reply.text.lstrip()[:1] == '<' or 'no route found' in reply.text.lower():
                raise NetSapiensApiError('%s failed: %s. The server does not seem to speak API v2; use api_version: v1 or auto.'
                                         % (capitalised(doing), reply.describe()), status=404)
            if says_domain_missing(reply):
                raise domain_missing(domain, reply)
            return None
        if not reply.ok:
            self.api.fail(reply, doing)
        return reply.json()

    @staticmethod
    def _users_path(domain):
        return '/ns-api/v2/domains/%s/users' % segment(domain)

    def read_user(self, domain, user):
        if user in ('.', '..'):
            return None  # no URL can name it: HTTP clients resolve dot segments (GET .../users/.. would read the domain)
        doing = "reading subscriber '%s' of domain '%s'" % (user, domain)
        body = self._get('%s/%s' % (self._users_path(domain), segment(user)), None, doing, domain)
        if isinstance(body, list):
            body = body[0] if len(body) == 1 else None
        if not isinstance(body, dict) or str(body.get('user')) != user:
            return None
        return body

    def count(self, domain):
        doing = "counting subscribers of domain '%s'" % domain
        body = self._get(self._users_path(domain) + '/count', None, doing, domain)
        if body is None:
            raise NetSapiensNotFoundError("Domain '%s' does not exist on the server." % domain, status=404)
        try:
            return int(body.get('total'))
        except (AttributeError, TypeError, ValueError):
            raise NetSapiensApiError('%s failed: the answer has no numeric total.' % capitalised(doing))

    def list_domains(self):
        """Raw records of every domain the credentials can read, paged defensively (GET /domains)."""
        doing = 'listing domains'
        found = {}
        start = 0
        while True:
            page = self._get('/ns-api/v2/domains', {'limit': self.page_size, 'start': start}, doing, '')
            if not isinstance(page, list):
                break
            before = len(found)
            for record in page:
                if isinstance(record, dict):
                    found.setdefault(str(record.get('domain')), record)
            # A short page ends the list; so does a page with nothing new (a server that ignores paging).
            if len(page) < self.page_size or len(found) == before:
                break
            start += len(page)
        return list(found.values())

    def read_page(self, domain, start, doing):
        page = self._get(self._users_path(domain), {'limit': self.page_size, 'start': start}, doing, domain)
        return [record for record in page if isinstance(record, dict)] if isinstance(page, list) else []
