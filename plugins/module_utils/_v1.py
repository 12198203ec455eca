# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""API v1 reader: object=subscriber with action read/count, format=json, paged whole-domain reads."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.netsapiens.pbx.plugins.module_utils._errors import NetSapiensApiError
from ansible_collections.netsapiens.pbx.plugins.module_utils._reader import Reader, domain_missing, says_domain_missing
from ansible_collections.netsapiens.pbx.plugins.module_utils._records import normalise_v1

V1_PATH = '/ns-api/'


def _as_list(body, reply, doing):
    """v1 answers a list, a bare object, [], nothing, or an in-band {"code": 404}."""
    if body is None or body == '':
        return []
    if isinstance(body, list):
        return [item for item in body if isinstance(item, dict)]
    if isinstance(body, dict):
        if 'code' in body and 'user' not in body:
            code = str(body.get('code'))
            if code == '404':
                return []
            words = reply.scrubber.scrub(str(body.get('message') or body.get('msg') or ''))
            raise NetSapiensApiError('%s failed: %s %s answered code %s: %s' % (doing, reply.method, reply.path, code, words))
        return [body]
    raise NetSapiensApiError('%s failed: %s %s answered an unexpected JSON %s.' % (doing, reply.method, reply.path, type(body).__name__))


class V1Reader(Reader):
    """Reads subscribers through the v1 API."""

    version = 'v1'
    normalise = staticmethod(normalise_v1)

    def _read(self, params, doing, domain):
        query = {'object': 'subscriber', 'action': 'read', 'format': 'json'}
        query.update(params)
        reply = self.api.get(V1_PATH, params=query)
        if reply.status in (404, 204):
            if says_domain_missing(reply):
                raise domain_missing(domain, reply)
            return []
        if not reply.ok:
            self.api.fail(reply, doing)
        return _as_list(reply.json(), reply, doing)

    def read_user(self, domain, user):
        """The raw record of one subscriber, or None when there is none."""
        doing = "reading subscriber '%s' of domain '%s' (object=subscriber, action=read)" % (user, domain)
        for record in self._read({'domain': domain, 'user': user}, doing, domain):
            if str(record.get('user')) == user:
                return record
        return None

    def count(self, domain):
        """How many subscribers the domain has."""
        doing = "counting subscribers of domain '%s' (object=subscriber, action=count)" % domain
        reply = self.api.get(V1_PATH, params={'object': 'subscriber', 'action': 'count', 'format': 'json', 'domain': domain})
        if reply.status == 404:
            raise domain_missing(domain, reply)
        if not reply.ok:
            self.api.fail(reply, doing)
        body = reply.json()
        total = body.get('total') if isinstance(body, dict) else None
        try:
            return int(total)
        except (TypeError, ValueError):
            raise NetSapiensApiError('%s failed: %s %s answered without a numeric total.' % (doing, reply.method, reply.path))

    def list_domains(self):
        """Raw records of every domain the credentials can read (object=domain, action=read)."""
        doing = 'listing domains (object=domain, action=read)'
        reply = self.api.get(V1_PATH, params={'object': 'domain', 'action': 'read', 'format': 'json'})
        if reply.status in (404, 204):
            return []
        if not reply.ok:
            self.api.fail(reply, doing)
        body = reply.json()
        if isinstance(body, dict) and 'domain' in body:
            return [body]
        return _as_list(body, reply, doing)

    def read_page(self, domain, start, doing):
        return self._read({'domain': domain, 'limit': self.page_size, 'start': start}, doing, domain)
