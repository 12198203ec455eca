#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r"""
module: login
short_description: Get a NetSapiens access token once and reuse it in every later task
version_added: 1.0.0
description:
  - Runs the OAuth2 password grant against the NetSapiens API (or checks and, if needed, refreshes a token passed in
    O(access_token)) and returns the token as a dictionary.
  - Pass the returned RV(token) to other modules and plugins of the collection as O(access_token), usually through
    C(module_defaults) with the action group C(group/netsapiens.pbx.netsapiens). They then make no token request
    of their own while the token is valid.
  - Refresh tokens are single-use and the token is shared by every task and fork, so other tasks never spend its refresh
    token. When the access token has expired, a task that also has O(client_id), O(client_secret), O(username) and
    O(password) gets a token of its own with the password grant, and a task without them fails saying the token expired;
    only this module, given the dictionary as O(access_token), renews it with its refresh token.
  - The task result is hidden from output at every verbosity, as if the task set C(no_log) to true, because it holds the
    access and refresh tokens. The registered variable still holds the full token. To see the non-secret fields, print
    them explicitly, for example C(result.token.expires_at).
  - An API key needs no login; pass O(api_key) to the other tasks directly.
author:
  - netsapiens.pbx contributors (@netsapiens-pbx)
extends_documentation_fragment:
  - netsapiens.pbx.connection
  - netsapiens.pbx.attributes
"""

EXAMPLES = r"""
- name: Log in once
  netsapiens.pbx.login:
    api_url: https://pbx.example.com
    client_id: "{{ netsapiens_client_id }}"
    client_secret: "{{ netsapiens_client_secret }}"
    username: "{{ netsapiens_username }}"
    password: "{{ netsapiens_password }}"
  register: netsapiens_login

- name: Reuse the token in every task of the block
  module_defaults:
    group/netsapiens.pbx.netsapiens:
      api_url: https://pbx.example.com
      access_token: "{{ netsapiens_login.token }}"
      # Used only after the token has expired, to get a new one
      client_id: "{{ netsapiens_client_id }}"
      client_secret: "{{ netsapiens_client_secret }}"
      username: "{{ netsapiens_username }}"
      password: "{{ netsapiens_password }}"
  block:
    - name: Read one subscriber with the token
      netsapiens.pbx.subscriber_info:
        domain: acme.12345.service
        user: "1001"
      register: one_user

    - name: Read a whole domain with the same token
      netsapiens.pbx.subscriber_info:
        domain: acme.12345.service
      register: everyone

- name: Show when the token expires (the token strings themselves stay hidden)
  ansible.builtin.debug:
    msg: "Token for {{ netsapiens_login.token.user }} ({{ netsapiens_login.token.scope }}) expires at {{ netsapiens_login.token.expires_at }}"
"""

RETURN = r"""
token:
  description:
    - The token, to pass on as O(access_token) to the collection's modules and plugins.
    - Treat C(access_token) and C(refresh_token) as secrets.
  returned: success
  type: dict
  contains:
    access_token:
      description: The bearer token.
      type: str
      returned: success
    refresh_token:
      description:
        - The refresh token, valid for one use. Only M(netsapiens.pbx.login) given this dictionary spends it; other tasks never
          do. Empty when the server gave none.
      type: str
      returned: success
    token_type:
      description: Token type, normally C(Bearer).
      type: str
      returned: success
      sample: Bearer
    expires_in:
      description: Lifetime of the access token in seconds, as the server gave it.
      type: int
      returned: success
      sample: 3600
    expires_at:
      description: When the access token expires, in seconds since the epoch. Zero when unknown.
      type: int
      returned: success
      sample: 1795000000
    scope:
      description: Scope of the logged-in user.
      type: str
      returned: success
      sample: Reseller
    domain:
      description: Domain of the logged-in user.
      type: str
      returned: success
      sample: acme.12345.service
    user:
      description: The logged-in user.
      type: str
      returned: success
      sample: "1001"
    api_version:
      description: The API version the server was found to speak (V(v1) or V(v2)); later tasks reuse it without probing.
      type: str
      returned: success
      sample: v1
"""

from ansible_collections.netsapiens.pbx.plugins.module_utils._module import module_main


def main():
    module_main('login')


if __name__ == '__main__':
    main()
