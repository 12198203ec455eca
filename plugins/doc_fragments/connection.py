# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:

    # The connection options of every module and plugin. Modules read the NETSAPIENS_* environment
    # variables on the host they run on; plugins declare them in PLUGINS below.
    DOCUMENTATION = r"""
options:
  api_url:
    description:
      - Address of the NetSapiens server, for example V(https://pbx.example.com).
      - A trailing V(/ns-api), V(/ns-api/) or V(/ns-api/v2) is accepted and removed. Any other path is an error.
      - Falls back to the E(NETSAPIENS_API_URL) environment variable.
    type: str
    required: true
  api_key:
    description:
      - An API key (for example one starting with V(nsr_) for a reseller), sent as a Bearer token. No token request is made.
      - Takes precedence over O(access_token) and the password grant.
      - Falls back to the E(NETSAPIENS_API_KEY) environment variable.
    type: str
  access_token:
    description:
      - An access token string, or the whole RV(netsapiens.pbx.login#module:token) dictionary returned by M(netsapiens.pbx.login).
      - A token passed in may be shared by other tasks, so its single-use refresh token is never spent (except by
        M(netsapiens.pbx.login)). When it has expired, the task gets a token of its own with the password grant if
        O(client_id), O(client_secret), O(username) and O(password) are given too, and otherwise fails saying so.
      - With the dictionary, its API version is reused so no version probe is made.
      - Takes precedence over the password grant.
      - Falls back to the E(NETSAPIENS_ACCESS_TOKEN) environment variable.
    type: raw
  client_id:
    description:
      - OAuth2 client ID issued by the platform operator, for the password and refresh grants.
      - Falls back to the E(NETSAPIENS_CLIENT_ID) environment variable.
    type: str
  client_secret:
    description:
      - OAuth2 client secret that belongs to O(client_id).
      - Falls back to the E(NETSAPIENS_CLIENT_SECRET) environment variable.
    type: str
  username:
    description:
      - Login of the user for the password grant, usually V(extension@domain).
      - Falls back to the E(NETSAPIENS_USERNAME) environment variable.
    type: str
  password:
    description:
      - Password of O(username) for the password grant. Sent only in the body of the token request.
      - Accounts that need multi-factor authentication cannot log in this way; use O(api_key).
      - Falls back to the E(NETSAPIENS_PASSWORD) environment variable.
    type: str
  api_version:
    description:
      - Which API to read through. V(auto) asks V(/ns-api/v2/version) once and falls back to v1 on servers without API v2.
      - Records have the same v1 field names and string values whichever version serves them.
      - Falls back to the E(NETSAPIENS_API_VERSION) environment variable.
    type: str
    choices: [auto, v1, v2]
    default: auto
  validate_certs:
    description:
      - Whether to check the server's TLS certificate. Turning it off is insecure and gives a warning.
      - Falls back to the E(NETSAPIENS_VALIDATE_CERTS) environment variable.
    type: bool
    default: true
  ca_path:
    description:
      - A PEM file of certificate authorities to trust instead of the system ones, for servers with a private CA.
      - Falls back to the E(NETSAPIENS_CA_PATH) environment variable.
    type: path
  timeout:
    description:
      - Seconds to wait for each HTTP request. Between 1 and 3600.
      - Falls back to the E(NETSAPIENS_TIMEOUT) environment variable.
    type: int
    default: 30
  retries:
    description:
      - How many times to retry a request after a connection error, HTTP 429 or a 5xx answer, with exponential
        backoff that honours C(Retry-After). Between 0 and 10.
      - Falls back to the E(NETSAPIENS_RETRIES) environment variable.
    type: int
    default: 3
  max_concurrency:
    description:
      - How many requests one task may have in flight at once. Domains, a domain's count and first page, the further
        pages of a domain and per-user reads are made in parallel on one HTTP session. V(1) reads one request at a time.
        Between 1 and 64.
      - When the server answers 429 or 503 the task halves its requests in flight (once per burst), waits for
        C(Retry-After), and grows back; after a 429 quickly to one below the number the server refused, and slowly
        beyond. Results are the same, in the same order, for every value.
      - Falls back to the E(NETSAPIENS_MAX_CONCURRENCY) environment variable.
    type: int
    default: 8
notes:
  - Authentication precedence is O(api_key), then O(access_token), then the password grant
    (O(client_id), O(client_secret), O(username), O(password)).
  - Credentials travel only in request bodies and the C(Authorization) header, never in URLs, and never appear in output.
requirements:
  - requests
"""

    # Extra sources for controller-side plugins (lookup, inventory), which do not get module_defaults.
    PLUGINS = r"""
options:
  api_url:
    env:
      - name: NETSAPIENS_API_URL
    vars:
      - name: netsapiens_api_url
  api_key:
    env:
      - name: NETSAPIENS_API_KEY
    vars:
      - name: netsapiens_api_key
  access_token:
    env:
      - name: NETSAPIENS_ACCESS_TOKEN
    vars:
      - name: netsapiens_access_token
  client_id:
    env:
      - name: NETSAPIENS_CLIENT_ID
    vars:
      - name: netsapiens_client_id
  client_secret:
    env:
      - name: NETSAPIENS_CLIENT_SECRET
    vars:
      - name: netsapiens_client_secret
  username:
    env:
      - name: NETSAPIENS_USERNAME
    vars:
      - name: netsapiens_username
  password:
    env:
      - name: NETSAPIENS_PASSWORD
    vars:
      - name: netsapiens_password
  api_version:
    env:
      - name: NETSAPIENS_API_VERSION
    vars:
      - name: netsapiens_api_version
  validate_certs:
    env:
      - name: NETSAPIENS_VALIDATE_CERTS
    vars:
      - name: netsapiens_validate_certs
  ca_path:
    env:
      - name: NETSAPIENS_CA_PATH
    vars:
      - name: netsapiens_ca_path
  timeout:
    env:
      - name: NETSAPIENS_TIMEOUT
    vars:
      - name: netsapiens_timeout
  retries:
    env:
      - name: NETSAPIENS_RETRIES
    vars:
      - name: netsapiens_retries
  max_concurrency:
    env:
      - name: NETSAPIENS_MAX_CONCURRENCY
    vars:
      - name: netsapiens_max_concurrency
"""
