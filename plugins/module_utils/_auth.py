# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Authentication: API key, a passed-in token (string or login dict), or the OAuth2 password grant.

Precedence: api_key, then access_token, then the password grant. Tokens are requested lazily. NetSapiens refresh
tokens are single-use, and a token passed in through access_token is shared by other tasks and forks, so only a
token obtained here is ever refreshed: a passed-in token that expires is replaced with the password grant.
After a 401 each request may make one refresh and one password grant (a budget per request, not per run).
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import threading
import time

from ansible_collections.netsapiens.pbx.plugins.module_utils._errors import (
    NetSapiensApiError,
    NetSapiensAuthError,
    NetSapiensMfaRequiredError,
)

MFA_SCOPE = 'mfa_required'
GIVEN_TOKEN_REFUSED = (
    "The access token given in 'access_token' has expired or was revoked: %s. A passed-in token may be shared by other "
    "tasks, so its single-use refresh token is never spent by a task: give client_id, client_secret, username and password "
    "alongside it (for example in module_defaults) so the task can get a token of its own, or run netsapiens.pbx.login "
    "again for a fresh token.")
RECOVERY_NAMES = {'refresh': 'a refresh grant', 'password': 'a password grant'}
TOKEN_FIELDS = ('access_token', 'refresh_token', 'token_type', 'expires_in', 'expires_at', 'scope', 'domain', 'user', 'api_version')


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
    """Gives the Authorization header for each request and recovers from a 401.

    Only a token this object obtained itself (self._own_token) has its refresh token spent; login() is the one explicit
    step that may also renew a passed-in token.
    """

    def __init__(self, settings, transport, token_endpoint=None, clock=time.time, log=None):
        self.settings = settings
        self.transport = transport
        # Set by the client once the API version is known (each version module has its endpoint).
        self.token_endpoint = token_endpoint
        self.clock = clock
        self.log = log or (lambda message: None)
        self._lock = threading.Lock()
        self._refused = None  # the error of a first token request the server refused: no other thread asks again
        self._own_token = False
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
        with self._lock:
            if self._refused is not None:
                raise self._refused
            if self.token is None:
                try:
                    self._take(self._password_grant())
                except NetSapiensAuthError as exc:
                    self._refused = exc
                    raise
            elif self._expiring():
                self._renew_before_expiry()
            return 'Bearer %s' % self.token['access_token']

    def login(self):
        """A token dict for the login module: the passed-in token, renewed if needed, or a new one."""
        if self.mode == 'api_key':
            raise NetSapiensAuthError('An API key needs no login: pass api_key to each task (or use module_defaults) instead of '
                                      'netsapiens.pbx.login.')
        # Renewing a passed-in token here is the user's explicit step, so its refresh token may be spent.
        self._own_token = True
        self.authorization()
        numbers = ('expires_in', 'expires_at')
        return dict((key, self.token.get(key) or (0 if key in numbers else '')) for key in TOKEN_FIELDS)

    def recover(self, reply, tried):
        """Called after a 401 with `tried`, the recoveries already made for this request (updated here).

        Returns when a new token is ready and the request should be sent again; raises a clear error when nothing
        is left to try, so a request is sent at most three times.
        """
        if self.mode == 'api_key':
            raise NetSapiensAuthError('The server refused the API key: %s. Check that the key is valid, not revoked, and allowed '
                                      'from this address.' % reply.describe())
        with self._lock:
            if 'refresh' not in tried and self._may_refresh():
                tried.add('refresh')
                self.log('%s; refreshing the access token' % reply.describe())
                if self._refreshed():
                    return
            if 'password' not in tried and self.settings.has_password_grant:
                tried.add('password')
                self.log('%s; requesting a new token with the password grant' % reply.describe())
                self._take(self._password_grant())
                return
        if not tried:
            raise NetSapiensAuthError(GIVEN_TOKEN_REFUSED % reply.describe(), status=401)
        raise NetSapiensAuthError('The server refused the credentials again right after issuing a new token (%s): %s. Gave up '
                                  'after %d attempts of this request; check that the account may use the API.'
                                  % (' and '.join(RECOVERY_NAMES[name] for name in ('refresh', 'password') if name in tried),
                                     reply.describe(), len(tried) + 1), status=401)

    def _take(self, token):
        self.token = token
        self._own_token = True

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
        if self._may_refresh() and self._refreshed():
            return
        if self.settings.has_password_grant:
            if not self._own_token:
                self.log("the access token given in 'access_token' expires; requesting a token of this task's own with the "
                         "password grant (a passed-in token's refresh token is never spent)")
            self._take(self._password_grant())
        # Otherwise use the token as it is: the server decides, and recover() explains a refusal.

    def _refreshed(self):
        """Refresh the own token. False (logged) when the server refuses and the password grant can follow."""
        try:
            self._take(self._refresh_grant())
            return True
        except NetSapiensAuthError as exc:
            if not self.settings.has_password_grant:
                raise
            self.log('refresh failed: %s' % exc)
            return False

    def _may_refresh(self):
        return self._own_token and self._can_refresh()

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
