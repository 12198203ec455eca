# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Authentication: API key, a passed-in token (string or login dict), or the OAuth2 password grant.

Precedence: api_key, then access_token, then the password grant. Tokens are requested lazily, at most
once per run; after a 401 the token is refreshed once, then a fresh password grant is tried once.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import time

from ansible_collections.netsapiens.pbx.plugins.module_utils._errors import (
    NetSapiensApiError,
    NetSapiensAuthError,
    NetSapiensMfaRequiredError,
)

MFA_SCOPE = 'mfa_required'
TOKEN_FIELDS = ('access_token', 'refresh_token', 'token_type', 'expires_in', 'expires_at', 'scope', 'domain', 'user', 'api_version')


class V1TokenEndpoint(object):
    """POST /ns-api/oauth2/token/ with a form body (never a query string)."""

    path = '/ns-api/oauth2/token/'

    def send(self, transport, fields):
        body = dict(fields)
        body['format'] = 'json'
        return transport.request('POST', self.path, data=body)


class V2TokenEndpoint(object):
    """POST /ns-api/v2/tokens with a JSON body; servers whose v2 lacks it fall back to the v1 endpoint."""

    path = '/ns-api/v2/tokens'

    def send(self, transport, fields):
        reply = transport.request('POST', self.path, json_body=dict(fields))
        if reply.status in (404, 405):
            return V1TokenEndpoint().send(transport, fields)
        return reply


TOKEN_ENDPOINTS = {'v1': V1TokenEndpoint, 'v2': V2TokenEndpoint}


def _refresh_margin(expires_in):
    # Refresh a little before expiry: a minute for hour-long tokens, a tenth of the lifetime for short ones.
    return min(60.0, max(0.0, expires_in / 10.0))


def token_from_response(body, now, api_version=None):
    """The collection's token dict from a token endpoint's JSON body."""
    try:
        expires_in = int(float(body.get('expires_in') or 3600))
    except (TypeError, ValueError):
        expires_in = 3600
    user = body.get('user') or body.get('username') or ''
    scope = body.get('scope') or body.get('user_scope') or ''
    return {
        'access_token': body['access_token'],
        'refresh_token': body.get('refresh_token') or '',
        'token_type': body.get('token_type') or 'Bearer',
        'expires_in': expires_in,
        'expires_at': int(now + expires_in),
        'scope': str(scope).strip(),
        'domain': str(body.get('domain') or ''),
        'user': str(user),
        'api_version': api_version or '',
    }


class Authenticator(object):
    """Gives the Authorization header for each request and recovers once from a 401."""

    def __init__(self, settings, transport, token_endpoint=None, clock=time.time, log=None):
        self.settings = settings
        self.transport = transport
        self.token_endpoint = token_endpoint or V1TokenEndpoint()
        self.clock = clock
        self.log = log or (lambda message: None)
        self._refreshed_after_401 = False
        self._granted_after_401 = False
        self.token = None
        if settings.api_key:
            self.mode = 'api_key'
        elif settings.access_token is not None:
            self.mode = 'token'
            given = settings.access_token
            self.token = dict(given) if isinstance(given, dict) else {'access_token': given}
        else:
            self.mode = 'password'

    def authorization(self):
        """The Authorization header value, getting or renewing a token when needed."""
        if self.mode == 'api_key':
            return 'Bearer %s' % self.settings.api_key
        if self.token is None:
            self.token = self._password_grant()
        elif self._expiring():
            self._renew_before_expiry()
        return 'Bearer %s' % self.token['access_token']

    def login(self):
        """A token dict for the login module: the passed-in token, renewed if needed, or a new one."""
        if self.mode == 'api_key':
            raise NetSapiensAuthError('An API key needs no login: pass api_key to each task (or use module_defaults) instead of '
                                      'netsapiens.pbx.login.')
        self.authorization()
        numbers = ('expires_in', 'expires_at')
        return dict((key, self.token.get(key) or (0 if key in numbers else '')) for key in TOKEN_FIELDS)

    def recover(self, reply):
        """Called after a 401. Returns True when a new token was obtained and the request should be sent again."""
        if self.mode == 'api_key':
            raise NetSapiensAuthError('The server refused the API key: %s. Check that the key is valid, not revoked, and allowed '
                                      'from this address.' % reply.describe())
        if not self._refreshed_after_401 and self._can_refresh():
            self._refreshed_after_401 = True
            self.log('%s; refreshing the access token' % reply.describe())
            try:
                self.token = self._refresh_grant()
                return True
            except NetSapiensAuthError as exc:
                self.log('refresh failed: %s' % exc)
        if not self._granted_after_401 and self.settings.has_password_grant:
            self._granted_after_401 = True
            self.log('%s; requesting a new token with the password grant' % reply.describe())
            self.token = self._password_grant()
            return True
        if self.mode == 'token' and not self.settings.has_password_grant:
            raise NetSapiensAuthError('The server refused the access token: %s. The token has expired or is invalid; pass the '
                                      'token dict returned by netsapiens.pbx.login together with client_id and client_secret so it '
                                      'can be refreshed, or give the password grant options.' % reply.describe())
        raise NetSapiensAuthError('The server still refuses the credentials after getting a new token: %s' % reply.describe())

    def _expiring(self):
        expires_at = self.token.get('expires_at')
        if not expires_at:
            return False
        try:
            expires_at = float(expires_at)
            expires_in = float(self.token.get('expires_in') or 3600)
        except (TypeError, ValueError):
            return False
        return self.clock() >= expires_at - _refresh_margin(expires_in)

    def _renew_before_expiry(self):
        if self._can_refresh():
            try:
                self.token = self._refresh_grant()
                return
            except NetSapiensAuthError as exc:
                if not self.settings.has_password_grant:
                    raise
                self.log('refresh failed: %s' % exc)
        if self.settings.has_password_grant:
            self.token = self._password_grant()
        # Otherwise use the token as it is: the server decides, and recover() explains a refusal.

    def _can_refresh(self):
        return bool(self.token and self.token.get('refresh_token') and self.settings.client_id and self.settings.client_secret)

    def _password_grant(self):
        settings = self.settings
        if not settings.has_password_grant:
            raise NetSapiensAuthError("No token could be requested: the password grant needs client_id, client_secret, "
                                      "username and password.")
        fields = {'grant_type': 'password', 'client_id': settings.client_id, 'client_secret': settings.client_secret,
                  'username': settings.username, 'password': settings.password}
        return self._request_token(fields, "logging in as '%s' (password grant)" % settings.username)

    def _refresh_grant(self):
        fields = {'grant_type': 'refresh_token', 'client_id': self.settings.client_id,
                  'client_secret': self.settings.client_secret, 'refresh_token': self.token['refresh_token']}
        return self._request_token(fields, 'refreshing the access token')

    def _request_token(self, fields, doing):
        reply = self.token_endpoint.send(self.transport, fields)
        if not reply.ok:
            hint = ''
            if reply.status in (400, 401, 403):
                hint = ' Check username, password, client_id and client_secret.' if fields['grant_type'] == 'password' else ''
            raise NetSapiensAuthError('Authentication failed %s: %s.%s' % (doing, reply.describe(), hint), status=reply.status)
        try:
            body = reply.json()
        except NetSapiensApiError as exc:
            raise NetSapiensAuthError('Authentication failed %s: the server answered HTTP %d without an access token: %s'
                                      % (doing, reply.status, exc))
        if not isinstance(body, dict) or not isinstance(body.get('access_token'), str) or not body.get('access_token'):
            words = reply.server_message() if isinstance(body, dict) else ''
            raise NetSapiensAuthError('Authentication failed %s: the server answered HTTP %d without an access token%s.'
                                      % (doing, reply.status, (': %s' % words) if words else ''))
        if MFA_SCOPE in (str(body.get('scope') or '').strip(), str(body.get('user_scope') or '').strip()):
            raise NetSapiensMfaRequiredError(
                "The account '%s' requires multi-factor authentication (%s), which Ansible cannot complete. Create an API key "
                "for automation and pass it as api_key (or NETSAPIENS_API_KEY)."
                % (self.settings.username, reply.scrubber.scrub(str(body.get('mfa_type') or 'MFA'))))
        previous = self.token or {}
        return token_from_response(body, self.clock(), previous.get('api_version'))
