# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Authenticated reads: the Authorization header on every request, recovery after a 401, error mapping."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.netsapiens.pbx.plugins.module_utils._errors import (
    NetSapiensApiError,
    NetSapiensScopeError,
    capitalised,
)


class ApiSession(object):
    """Sends authenticated GET requests (the collection never writes) and turns failures into clear errors."""

    def __init__(self, transport, auth):
        self.transport = transport
        self.auth = auth

    def get(self, path, params=None):
        """GET with authentication. Returns the Reply for any status other than 401."""
        # The recovery budget (one refresh, one password grant) is per request: a long run survives many expiries.
        tried = set()
        while True:
            headers = {'Authorization': self.auth.authorization()}
            reply = self.transport.request('GET', path, params=params, headers=headers)
            if reply.status != 401:
                return reply
            self.auth.recover(reply, tried)  # raises once nothing new is left to try for this request

    def fail(self, reply, doing):
        """Raise the error that explains a failed reply, prefixed with what was being done."""
        if reply.status == 403:
            scope = (self.auth.token or {}).get('scope') if self.auth.token else None
            who = "the credentials (scope '%s')" % scope if scope else 'the credentials'
            raise NetSapiensScopeError('%s failed: %s may not do this: %s. Use credentials whose scope covers it '
                                       '(Office Manager reads its own domain, Reseller its territory, Super User everything).'
                                       % (capitalised(doing), who, reply.describe()), status=403)
        raise NetSapiensApiError('%s failed: %s' % (capitalised(doing), reply.describe()), status=reply.status)
