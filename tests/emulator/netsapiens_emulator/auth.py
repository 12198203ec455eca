"""OAuth clients, login accounts, access/refresh tokens and API keys, and who may read which domain."""
from __future__ import annotations

import dataclasses
import secrets
import threading
import time

from .data import FIRST_DOMAIN, MFA_USER, RESELLER

CLIENT_ID = "ansible-ci"
CLIENT_SECRET = "ci-client-secret-5b1e"

SUPER_USER = "admin@system"
SUPER_PASSWORD = "Sup3r-Secret!"
RESELLER_USER = "reseller@reseller.demo"
RESELLER_PASSWORD = "Res3ller-Secret!"
OFFICE_MANAGER_EXTENSION = "1001"          # username: 1001@<first domain>
OFFICE_MANAGER_PASSWORD = "0ffice-Secret!"
MFA_PASSWORD = "Mfa-Secret!"               # username: mfa@<first domain>

# API keys: 4-character prefix + 48 characters + 8-character CRC32 (hex) of the first 52 = 60 characters.
RESELLER_API_KEY = "nsr_0A3e0ixlg2TzPawtKfeI6zodMJRWSoS6vUutGXDavirLLDgL1d7542f5"
OFFICE_API_KEY = "nsd_VDNU0SYcpmJ6QqaqnxGrRE6o51LslqGAvdhi089iIc41K2xg2db6016b"  # read-only, first domain only

SUPER_USER_SCOPE = "Super User"
RESELLER_SCOPE = "Reseller"
OFFICE_MANAGER_SCOPE = "Office Manager"
MFA_SCOPE = "mfa_required"


@dataclasses.dataclass
class Principal:
    """Who is calling: a login account (through a token) or an API key."""

    user: str
    domain: str
    scope: str
    territory: str
    display_name: str = ""
    email: str = ""
    department: str = "n/a"
    site: str = ""
    mfa_limited: bool = False
    readonly: bool = False
    kind: str = "bearer"

    @property
    def uid(self):
        return f"{self.user}@{self.domain}"

    def can_read(self, domain_record):
        """True when this principal may read the domain (a v1 domain record)."""
        if self.mfa_limited:
            return False
        if self.scope == SUPER_USER_SCOPE:
            return True
        if self.scope == RESELLER_SCOPE:
            return domain_record.get("territory") == self.territory
        return domain_record.get("domain") == self.domain


@dataclasses.dataclass
class _Token:
    principal: Principal
    expires_at: float        # time.monotonic() deadline
    expires_wall: float      # time.time() deadline, for introspection
    client_id: str


class Auth:
    """Accounts, tokens and API keys. Thread-safe."""

    def __init__(self, store):
        self._lock = threading.Lock()
        self._access = {}
        self._refresh = {}   # refresh token -> (principal, used?)
        first = store.first_domain or FIRST_DOMAIN
        self.accounts = {}
        self._add(SUPER_USER, SUPER_PASSWORD, Principal("admin", "system", SUPER_USER_SCOPE, "system",
                                                        "System Administrator", "admin@system.example"))
        self._add(RESELLER_USER, RESELLER_PASSWORD, Principal("reseller", RESELLER, RESELLER_SCOPE, RESELLER,
                                                              "Reseller Admin", "admin@reseller.example"))
        self._add(f"{OFFICE_MANAGER_EXTENSION}@{first}", OFFICE_MANAGER_PASSWORD,
                  self._from_record(store, first, OFFICE_MANAGER_EXTENSION, OFFICE_MANAGER_SCOPE))
        mfa = self._from_record(store, first, MFA_USER, "Basic User")
        mfa.mfa_limited = True
        self._add(f"{MFA_USER}@{first}", MFA_PASSWORD, mfa)
        self.api_keys = {
            RESELLER_API_KEY: Principal("reseller", RESELLER, RESELLER_SCOPE, RESELLER, "Reseller API key",
                                        kind="api_key"),
            OFFICE_API_KEY: Principal(OFFICE_MANAGER_EXTENSION, first, OFFICE_MANAGER_SCOPE, RESELLER,
                                      "Office Manager API key", readonly=True, kind="api_key"),
        }

    @staticmethod
    def _from_record(store, domain, user, scope):
        record = store.user(domain, user) or {}
        return Principal(user, domain, scope, RESELLER,
                         f"{record.get('first_name', '')} {record.get('last_name', '')}".strip() or user,
                         str(record.get("email") or ""), str(record.get("group") or "n/a"),
                         str(record.get("site") or ""))

    def _add(self, username, password, principal):
        self.accounts[username.lower()] = (password, principal)

    @staticmethod
    def client_ok(client_id, client_secret):
        return client_id == CLIENT_ID and client_secret == CLIENT_SECRET

    def check_password(self, username, password, reseller_password=None):
        """The principal for valid credentials, else None. ``reseller_password`` (the switch) replaces RESELLER_PASSWORD."""
        entry = self.accounts.get((username or "").lower())
        if entry is None:
            return None
        expected = reseller_password if reseller_password and (username or "").lower() == RESELLER_USER else entry[0]
        if not secrets.compare_digest(expected.encode(), (password or "").encode()):
            return None
        return entry[1]

    def issue(self, principal, ttl, client_id):
        """Create an access/refresh token pair; return (access_token, refresh_token)."""
        access, refresh = secrets.token_hex(16), secrets.token_hex(16)
        with self._lock:
            self._access[access] = _Token(principal, time.monotonic() + ttl, time.time() + ttl, client_id)
            self._refresh[refresh] = [principal, False]
        return access, refresh

    def use_refresh(self, refresh_token):
        """Consume a refresh token (single use); the principal, or None if unknown or already used."""
        with self._lock:
            entry = self._refresh.get(refresh_token or "")
            if entry is None or entry[1]:
                return None
            entry[1] = True
            return entry[0]

    def resolve(self, bearer, api_keys_enabled=True):
        """(principal, status, expires_wall) for a bearer value; status is ok, expired or invalid."""
        if api_keys_enabled and bearer in self.api_keys:
            return self.api_keys[bearer], "ok", None
        with self._lock:
            token = self._access.get(bearer)
        if token is None:
            return None, "invalid", None
        if time.monotonic() >= token.expires_at:
            return token.principal, "expired", token.expires_wall
        return token.principal, "ok", token.expires_wall

    def issued(self):
        """Every access and refresh token handed out so far (tests check that none leaks into output)."""
        with self._lock:
            return sorted(self._access) + sorted(self._refresh)

    def expire_all(self):
        """Make every issued access token expired (refresh tokens stay usable)."""
        with self._lock:
            for token in self._access.values():
                token.expires_at = 0.0
                token.expires_wall = 0.0
            return len(self._access)

    def use_all_refresh(self):
        """Mark every refresh token issued so far as used (as if another client had refreshed with it)."""
        with self._lock:
            for entry in self._refresh.values():
                entry[1] = True
            return len(self._refresh)

    def authenticate(self, bearer, api_keys_enabled=True):
        """(principal, status) for a request: status is ok, missing, invalid, expired or mfa."""
        if bearer is None:
            return None, "missing"
        principal, status, _expires = self.resolve(bearer, api_keys_enabled)
        if status == "ok" and principal.mfa_limited:
            return principal, "mfa"
        return principal, status
