# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Everything about API v2: /ns-api/v2/<collection>[/count|/<key>], its token endpoint and how to tell a v2 server."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json

from ansible_collections.netsapiens.pbx.plugins.module_utils._errors import NetSapiensApiError, NetSapiensNotFoundError, capitalised
from ansible_collections.netsapiens.pbx.plugins.module_utils._reader import Reader, domain_missing, says_domain_missing
from ansible_collections.netsapiens.pbx.plugins.module_utils._records import normalise_v2
from ansible_collections.netsapiens.pbx.plugins.module_utils._v1 import V1TokenEndpoint

try:
    from urllib.parse import quote
except ImportError:  # pragma: no cover
    from urllib import quote  # type: ignore

V2_ROOT = '/ns-api/v2/'
VERSION_PATH = '/ns-api/v2/version'


def segment(value):
    """One URL path segment: every reserved character encoded, so any name reaches the server intact."""
    return quote(value.encode('utf-8'), safe='')


def speaks_v2(transport, log):
    """One GET /ns-api/v2/version: a JSON answer (or an auth challenge) means the server speaks v2."""
    reply = transport.request('GET', VERSION_PATH)
    answer = reply.status in (401, 403)
    if reply.ok:
        try:
            body = json.loads(reply.text)
            answer = isinstance(body, dict) and 'apiversion' in body
        except ValueError:
            answer = False
    log('%s -> %d: the server %s API v2' % (VERSION_PATH, reply.status, 'speaks' if answer else 'does not speak'))
    return answer


class V2TokenEndpoint(object):
    """POST /ns-api/v2/tokens with a JSON body; servers whose v2 lacks it fall back to the v1 endpoint."""

    path = '/ns-api/v2/tokens'

    def send(self, transport, fields):
        reply = transport.request('POST', self.path, json_body=dict(fields))
        if reply.status in (404, 405):
            return V1TokenEndpoint().send(transport, fields)
        return reply


class V2Reader(Reader):
    """Reads objects through the v2 API: the scope is in the path, every segment encoded."""

    token_endpoint = V2TokenEndpoint

    def _get(self, path, params, doing, scope):
        """GET and parse; None for a 404 about the object itself; errors for everything else that is not 2xx."""
        reply = self.api.get(path, params=params)
        if reply.status == 404:
            if reply.text.lstrip()[:1] == '<' or 'no route found' in reply.text.lower():
                raise NetSapiensApiError('%s failed: %s. The server does not seem to speak API v2; use api_version: v1 or auto.'
                                         % (capitalised(doing), reply.describe()), status=404)
            if 'domain' in scope and says_domain_missing(reply):
                raise domain_missing(scope['domain'], reply)
            return None
        if not reply.ok:
            self.api.fail(reply, doing)
        return reply.json()

    @staticmethod
    def _collection(kind, scope):
        return V2_ROOT + kind.v2_collection.format(**dict((name, segment(value)) for name, value in scope.items()))

    def read_one(self, kind, scope, key):
        if key in ('.', '..'):
            return None  # no URL can name it: HTTP clients resolve dot segments (GET .../users/.. would read the domain)
        doing = "reading %s '%s' of %s" % (kind.name, key, kind.describe_scope(scope))
        body = self._get('%s/%s' % (self._collection(kind, scope), segment(key)), None, doing, scope)
        if isinstance(body, list):
            body = body[0] if len(body) == 1 else None
        if not isinstance(body, dict) or self.key_of(kind, body) != key:
            return None
        return body

    def count(self, kind, scope):
        doing = 'counting %s%s' % (kind.plural, (' of %s' % kind.describe_scope(scope)) if scope else '')
        body = self._get(self._collection(kind, scope) + '/count', None, doing, scope)
        if body is None:
            if 'domain' in scope:
                raise NetSapiensNotFoundError("Domain '%s' does not exist on the server." % scope['domain'], status=404)
            raise NetSapiensNotFoundError('%s failed: the server answered 404 Not Found.' % capitalised(doing), status=404)
        try:
            return int(body.get('total'))
        except (AttributeError, TypeError, ValueError):
            raise NetSapiensApiError('%s failed: the answer has no numeric total.' % capitalised(doing))

    def read_page(self, kind, scope, start, limit, doing):
        page = self._get(self._collection(kind, scope), {'limit': limit, 'start': start}, doing, scope)
        return [raw for raw in page if isinstance(raw, dict)] if isinstance(page, list) else []

    def key_of(self, kind, raw):
        return str(raw.get(kind.v2_key))

    def normalise(self, kind, raw, include_sensitive=False):
        return normalise_v2(kind, raw, include_sensitive)
