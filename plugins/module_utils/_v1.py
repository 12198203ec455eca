# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""API v1 reader: object=subscriber with action read/count, format=json, paged whole-domain reads."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.netsapiens.pbx.plugins.module_utils._errors import (
    NetSapiensApiError,
    NetSapiensNotFoundError,
)
from ansible_collections.netsapiens.pbx.plugins.module_utils._records import normalise_v1

V1_PATH = '/ns-api/'
PAGE_SIZE = 1000


def _says_domain_missing(reply):
    words = reply.server_message().lower()
    return 'domain' in words and ('not found' in words or 'does not exist' in words or 'unknown' in words)


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
            words = body.get('message') or body.get('msg') or ''
            raise NetSapiensApiError('%s failed: %s %s answered code %s: %s' % (doing, reply.method, reply.path, code, words))
        return [body]
    raise NetSapiensApiError('%s failed: %s %s answered an unexpected JSON %s.' % (doing, reply.method, reply.path, type(body).__name__))


class V1Reader(object):
    """Reads subscribers through the v1 API."""

    version = 'v1'
    page_size = PAGE_SIZE
    normalise = staticmethod(normalise_v1)

    def __init__(self, api):
        self.api = api

    def _read(self, params, doing, missing_domain):
        query = {'object': 'subscriber', 'action': 'read', 'format': 'json'}
        query.update(params)
        reply = self.api.get(V1_PATH, params=query)
        if reply.status in (404, 204):
            if _says_domain_missing(reply):
                raise missing_domain(reply)
            return []
        if not reply.ok:
            self.api.fail(reply, doing)
        return _as_list(reply.json(), reply, doing)

    @staticmethod
    def _domain_error(domain):
        def build(reply):
            return NetSapiensNotFoundError("Domain '%s' does not exist on the server: %s" % (domain, reply.describe()), status=reply.status)
        return build

    def read_user(self, domain, user):
        """The raw record of one subscriber, or None when there is none."""
        doing = "reading subscriber '%s' of domain '%s' (object=subscriber, action=read)" % (user, domain)
        for record in self._read({'domain': domain, 'user': user}, doing, self._domain_error(domain)):
            if str(record.get('user')) == user:
                return record
        return None

    def count(self, domain):
        """How many subscribers the domain has."""
        doing = "counting subscribers of domain '%s' (object=subscriber, action=count)" % domain
        reply = self.api.get(V1_PATH, params={'object': 'subscriber', 'action': 'count', 'format': 'json', 'domain': domain})
        if reply.status == 404:
            raise self._domain_error(domain)(reply)
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

    def read_domain(self, domain, total=None):
        """Every raw record of a domain, proven complete against action=count."""
        if total is None:
            total = self.count(domain)
        doing = "reading subscribers of domain '%s' (object=subscriber, action=read)" % domain
        records = {}
        start = 0
        while len(records) < total:
            page = self._read({'domain': domain, 'limit': self.page_size, 'start': start}, doing, self._domain_error(domain))
            if not page:
                break
            for record in page:
                records.setdefault(str(record.get('user')), record)
            start += len(page)
        if len(records) < total:
            raise NetSapiensApiError("%s stopped early: the server counts %d subscribers but returned %d. Nothing was returned "
                                     "rather than an incomplete list." % (doing[:1].upper() + doing[1:], total, len(records)))
        return list(records.values())
