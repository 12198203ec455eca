# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Errors raised by the core. Modules turn them into fail_json, plugins into AnsibleError.

Every message is safe to show: it never holds a password, secret, key or token.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type


def capitalised(text):
    """'reading x' -> 'Reading x', for messages that start with what was being done."""
    return text[:1].upper() + text[1:]


class NetSapiensError(Exception):
    """Base class: a failure the user can act on, with a complete message."""

    def __init__(self, message, status=None):
        super(NetSapiensError, self).__init__(message)
        self.message = message
        self.status = status

    def __str__(self):
        return self.message


class NetSapiensConfigError(NetSapiensError):
    """An option is missing, malformed or conflicts with another one."""


class NetSapiensConnectionError(NetSapiensError):
    """The server could not be reached, TLS failed or the request timed out."""


class NetSapiensAuthError(NetSapiensError):
    """A token could not be obtained or the server refused the credentials."""


class NetSapiensMfaRequiredError(NetSapiensAuthError):
    """The account needs multi-factor authentication, which Ansible cannot complete."""


class NetSapiensApiError(NetSapiensError):
    """The server answered with an error status or an answer that cannot be used."""


class NetSapiensScopeError(NetSapiensApiError):
    """The credentials may not read what was asked."""


class NetSapiensNotFoundError(NetSapiensApiError):
    """A domain (or the scope a read needs) does not exist on the server."""
