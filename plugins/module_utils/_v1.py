# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Everything about API v1: /ns-api/?object=<name>&action=read|count&format=json, and its token endpoint."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.netsapiens.pbx.plugins.module_utils._errors import NetSapiensApiError, capitalised
from ansible_collections.netsapiens.pbx.plugins.module_utils._reader import Reader, domain_missing, says_domain_missing
from ansible_collections.netsapiens.pbx.plugins.module_utils._records import normalise_v1

V1_PATH = '/ns-api/'


class V1TokenEndpoint(object):
    """POST /ns-api/oauth2/token/ with a form body (never a query string)."""

    path = '/ns-api/oauth2/token/'

    def send(self, transport, fields):
        body = dict(fields)
        body['format'] = 'json'
        return transport.request('POST', self.path, data=body)


def _as_list(kind, body, reply, doing):
    """v1 answers a list, a bare object, [], nothing, or an in-band {"code": 404}."""
    if body is None or body == '':
        return []
    if isinstance(body, list):
        return [item for item in body if isinstance(item, dict)]
    if isinstance(body, dict):
        if 'code' in body and kind.key not in body:
            code = str(body.get('code'))
            if code == '404':
                return []
            words = reply.scrubber.scrub(str(body.get('message') or body.get('msg') or ''))
            raise NetSapiensApiError('%s failed: %s %s answered code %s: %s'
                                     % (capitalised(doing), reply.method, reply.path, code, words))
        return [body]
    raise NetSapiensApiError('%s failed: %s %s answered an unexpected JSON %s.'
                             % (capitalised(doing), reply.method, reply.path, type(body).__name__))


class V1Reader(Reader):
    """Reads objects through the v1 API: the scope and the key are query parameters."""

    token_endpoint = V1TokenEndpoint

    def _get(self, kind, action, params):
        query = {'object': kind.v1_object, 'action': action, 'format': 'json'}
        query.update(params)
        return self.api.get(V1_PATH, params=query)

    def _read(self, kind, scope, params, doing):
        reply = self._get(kind, 'read', params)
        if reply.status in (404, 204):
            if 'domain' in scope and says_domain_missing(reply):
                raise domain_missing(scope['domain'], reply)
            return []
        if not reply.ok:
            self.api.fail(reply, doing)
        return _as_list(kind, reply.json(), reply, doing)

    def read_one(self, kind, scope, key):
        """The raw object with this key in the scope, or None when there is none."""
        doing = "reading %s '%s' of %s (object=%s, action=read)" % (kind.name, key, kind.describe_scope(scope), kind.v1_object)
        params = kind.v1_params(scope)
        params[kind.key] = key
        for raw in self._read(kind, scope, params, doing):
            if self.key_of(kind, raw) == key:
                return raw
        return None

    def count(self, kind, scope):
        where = (' of %s' % kind.describe_scope(scope)) if scope else ''
        doing = 'counting %s%s (object=%s, action=count)' % (kind.plural, where, kind.v1_object)
        reply = self._get(kind, 'count', kind.v1_params(scope))
        if reply.status == 404 and 'domain' in scope:
            raise domain_missing(scope['domain'], reply)
        if not reply.ok:
            self.api.fail(reply, doing)
        body = reply.json()
        total = body.get('total') if isinstance(body, dict) else None
        try:
            return int(total)
        except (TypeError, ValueError):
            raise NetSapiensApiError('%s failed: %s %s answered without a numeric total.'
                                     % (capitalised(doing), reply.method, reply.path))

    def read_page(self, kind, scope, start, limit, doing):
        params = kind.v1_params(scope)
        params.update(limit=limit, start=start)
        return self._read(kind, scope, params, doing)

    def normalise(self, kind, raw, include_sensitive=False):
        return normalise_v1(kind, raw, include_sensitive)
