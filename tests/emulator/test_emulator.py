"""Tests of the NetSapiens ns-api emulator itself (run: python -m pytest tests/emulator -q)."""
from __future__ import annotations

import json
import time
import urllib.parse
import xml.etree.ElementTree as ET

import pytest
import requests

from netsapiens_emulator import auth as creds
from netsapiens_emulator import fieldmap
from netsapiens_emulator.__main__ import build_parser, main as emulator_main
from netsapiens_emulator.changes import apply as apply_change
from netsapiens_emulator.config import DEFAULTS
from netsapiens_emulator.data import AWKWARD_USERS, FIELDS, FIRST_DOMAIN, Store
from netsapiens_emulator.emulated.cases import DANGLING_ADDRESS
from netsapiens_emulator.data import DIRECTORY_USERS
from netsapiens_emulator.process import Emulator, EmulatorError, make_self_signed_cert

SECOND_DOMAIN = "globex.23456.service"
OFFICE_MANAGER = f"1001@{FIRST_DOMAIN}"
TIMEOUT = 10


@pytest.fixture(scope="module", name="emu")
def emu_fixture():
    with Emulator(domains=4, users_per_domain=40) as emulator:
        yield emulator


@pytest.fixture(autouse=True, name="clean")
def clean_fixture(request):
    """Restore the default switches and zero the stats around every test that uses the shared emulator."""
    if "emu" not in request.fixturenames:
        yield
        return
    emulator = request.getfixturevalue("emu")
    emulator.configure(**DEFAULTS)
    emulator.reset()
    yield
    emulator.configure(**DEFAULTS)


def token_v1(emu, username=creds.SUPER_USER, password=creds.SUPER_PASSWORD, **extra):
    data = {"grant_type": "password", "client_id": creds.CLIENT_ID, "client_secret": creds.CLIENT_SECRET,
            "username": username, "password": password}
    data.update(extra)
    return requests.post(f"{emu.url}/ns-api/oauth2/token/", data=data, timeout=TIMEOUT)


def token_v2(emu, username=creds.SUPER_USER, password=creds.SUPER_PASSWORD):
    body = {"grant_type": "password", "client_id": creds.CLIENT_ID, "client_secret": creds.CLIENT_SECRET,
            "username": username, "password": password}
    return requests.post(f"{emu.url}/ns-api/v2/tokens", json=body, timeout=TIMEOUT)


def bearer(value):
    return {"Authorization": f"Bearer {value}"}


def login(emu, username=creds.SUPER_USER, password=creds.SUPER_PASSWORD):
    response = token_v1(emu, username, password)
    assert response.status_code == 200, response.headers
    return response.json()


def v1(emu, token, method="POST", **params):
    params.setdefault("format", "json")
    if method == "GET":
        return requests.get(f"{emu.url}/ns-api/", params=params, headers=bearer(token), timeout=TIMEOUT)
    return requests.post(f"{emu.url}/ns-api/", data=params, headers=bearer(token), timeout=TIMEOUT)


def v2(emu, token, path, **params):
    return requests.get(f"{emu.url}/ns-api/v2/{path}", params=params, headers=bearer(token), timeout=TIMEOUT)


def test_v1_password_grant_read_page_count(emu):
    token = login(emu)
    assert len(token["access_token"]) == 32 and int(token["access_token"], 16) >= 0
    assert token["expires_in"] == 3600 and token["token_type"] == "Bearer" and token["scope"] == "Super User"
    assert token["apiversion"] == "Version: 44.2.1" and token["legacy"] is False
    records = emu.records(FIRST_DOMAIN)
    one = v1(emu, token["access_token"], object="subscriber", action="read", domain=FIRST_DOMAIN, user="1001")
    assert one.status_code == 200 and one.headers["Content-Type"] == "application/json"
    assert one.json() == [records[0]] and list(records[0]) == list(FIELDS)
    pages, start, calls = [], 0, 0
    while True:
        calls += 1
        page = v1(emu, token["access_token"], "GET", object="subscriber", action="read", domain=FIRST_DOMAIN,
                  limit=10, start=start).json()
        pages.extend(page)
        if len(page) < 10:
            break
        start += 10
    assert pages == records
    everything = v1(emu, token["access_token"], object="subscriber", action="read", domain=FIRST_DOMAIN).json()
    assert everything == records
    count = v1(emu, token["access_token"], object="subscriber", action="count", domain=FIRST_DOMAIN).json()
    assert count == {"total": len(records)}
    system = v1(emu, token["access_token"], object="subscriber", action="count", domain=FIRST_DOMAIN,
                srv_code="system-aa").json()
    assert system == {"total": 1}
    listed = v1(emu, token["access_token"], object="subscriber", action="list", domain=FIRST_DOMAIN).json()
    assert set(listed[0]) == {"domain", "user", "first_name", "last_name", "group", "dir", "site"}
    domains = v1(emu, token["access_token"], object="domain", action="read").json()
    assert [item["domain"] for item in domains] == sorted(emu.domains())
    stats = emu.stats()
    assert stats["reads"]["v1_subscriber_read"] == calls + 2 and stats["reads"]["v1_subscriber_count"] == 2
    assert stats["token_requests"]["password"] == 1 and stats["token_requests"]["v1"] == 1


def test_record_quirks(emu):
    records = [record for domain in emu.domains() for record in emu.records(domain)]
    assert {record["scope"] for record in records} >= {"Basic User", "Office Manager", "No Portal", "Super User"}
    assert any(record["message"] is None for record in records)
    assert any(record["callid_nmbr"] == "[*]" or record["callid_emgr"] == "[*]" for record in records)
    assert any(isinstance(record["area_code"], int) for record in records)
    assert any(isinstance(record["area_code"], str) for record in records)
    assert any(isinstance(record["subscriber_pin"], int) for record in records)
    assert all(isinstance(record["no_answer_timeout"], int) for record in records)
    users = {record["user"] for record in emu.records(FIRST_DOMAIN)}
    assert {user for user, _first, _last in AWKWARD_USERS} <= users
    assert {"8000", "8001", "8002", "mfa"} <= users


def test_data_is_deterministic():
    first, again, other = Store(seed=1, domains=2), Store(seed=1, domains=2), Store(seed=2, domains=2)
    assert first.users == again.users and first.users != other.users
    assert list(first.domains) == [FIRST_DOMAIN, SECOND_DOMAIN]


def test_refresh_token_is_single_use(emu):
    token = login(emu)
    body = {"grant_type": "refresh_token", "client_id": creds.CLIENT_ID, "client_secret": creds.CLIENT_SECRET,
            "refresh_token": token["refresh_token"]}
    fresh = requests.post(f"{emu.url}/ns-api/oauth2/token", data=body, timeout=TIMEOUT)
    assert fresh.status_code == 200 and fresh.json()["access_token"] != token["access_token"]
    again = requests.post(f"{emu.url}/ns-api/oauth2/token/", data=body, timeout=TIMEOUT)
    assert again.status_code == 403 and "refresh token" in again.headers["Warning"]
    old = v1(emu, token["access_token"], object="subscriber", action="count", domain=FIRST_DOMAIN)
    assert old.status_code == 200
    stats = emu.stats()
    assert stats["token_requests"]["refresh_token"] == 2 and stats["auth_failures"] == 1


def test_expired_and_unknown_tokens(emu):
    emu.configure(token_ttl=1)
    token = login(emu)
    assert token["expires_in"] == 1
    time.sleep(1.1)
    expired = v1(emu, token["access_token"], object="subscriber", action="read", domain=FIRST_DOMAIN)
    assert expired.status_code == 401
    assert expired.json() == {"error": "invalid_token", "error_description": "The access token provided has expired"}
    assert "expired" in expired.headers["Warning"]
    unknown = v1(emu, "0" * 32, object="subscriber", action="read", domain=FIRST_DOMAIN)
    assert unknown.status_code == 401
    assert unknown.json() == {"error": "invalid_token", "error_description": "The access token provided is invalid"}
    v2_expired = v2(emu, token["access_token"], f"domains/{FIRST_DOMAIN}/users")
    assert v2_expired.status_code == 401 and "expired" in v2_expired.json()["message"]
    emu.configure(token_ttl=3600)
    live = login(emu)["access_token"]
    assert emu.expire_tokens()["expired"] >= 2
    assert v2(emu, live, "domains").status_code == 401


def test_bad_credentials(emu):
    bad = token_v1(emu, password="wrong")
    assert bad.status_code == 403 and bad.reason == "Forbidden"
    assert bad.headers["Warning"] == '299 - "Authentication failed: invalid username or password"'
    assert bad.content == b""
    client = token_v1(emu, client_id="nobody")
    assert client.status_code == 403 and "client" in client.headers["Warning"]
    v2_bad = token_v2(emu, password="wrong")
    assert v2_bad.status_code == 401 and v2_bad.json()["code"] == 401
    assert emu.stats()["auth_failures"] == 3


def test_token_bodies_and_credentials_in_query(emu):
    fields = {"grant_type": "password", "client_id": creds.CLIENT_ID, "client_secret": creds.CLIENT_SECRET,
              "username": creds.RESELLER_USER, "password": creds.RESELLER_PASSWORD}
    multipart = requests.post(f"{emu.url}/ns-api/oauth2/token/", files={k: (None, v) for k, v in fields.items()},
                              timeout=TIMEOUT)
    assert multipart.status_code == 200 and multipart.json()["scope"] == "Reseller"
    as_json = requests.post(f"{emu.url}/ns-api/oauth2/token/", json=fields, timeout=TIMEOUT)
    assert as_json.status_code == 200
    assert emu.stats()["credentials_in_query"] == 0
    in_query = requests.post(f"{emu.url}/ns-api/oauth2/token/", params=fields, timeout=TIMEOUT)
    assert in_query.status_code == 200
    stats = emu.stats()
    assert stats["credentials_in_query"] == 1 and stats["requests"][-1]["credentials_in_query"] is True


def test_xml_without_format(emu):
    token = login(emu)["access_token"]
    response = requests.get(f"{emu.url}/ns-api/", params={"object": "subscriber", "action": "read",
                                                          "domain": FIRST_DOMAIN}, headers=bearer(token),
                            timeout=TIMEOUT)
    assert response.headers["Content-Type"].startswith("text/xml")
    root = ET.fromstring(response.content)
    assert root.tag == "xml"
    subscribers = root.findall("subscriber")
    records = emu.records(FIRST_DOMAIN)
    assert [item.findtext("user") for item in subscribers] == [record["user"] for record in records]
    awkward = root.find("subscriber[user='a&b=c']")
    assert awkward.findtext("first_name") == "Ann & Bo"
    count = requests.get(f"{emu.url}/ns-api/?object=subscriber&action=count&domain={FIRST_DOMAIN}",
                         headers=bearer(token), timeout=TIMEOUT)
    assert ET.fromstring(count.content).findtext("total") == str(len(records))


def test_v1_awkward_user_ids(emu):
    token = login(emu)["access_token"]
    for user, _first, _last in AWKWARD_USERS:
        for method in ("GET", "POST"):
            found = v1(emu, token, method, object="subscriber", action="read", domain=FIRST_DOMAIN, user=user)
            assert [item["user"] for item in found.json()] == [user]
    assert "sl\\/ash" in v1(emu, token, object="subscriber", action="read", domain=FIRST_DOMAIN,
                            user="sl/ash").text  # PHP-style escaped slashes


def test_v2_version_tokens_users(emu):
    version = requests.get(f"{emu.url}/ns-api/v2/version", timeout=TIMEOUT).json()
    assert version["apiversion"] == "Version: 44.2.1" and version["hostname"] == "emulator"
    response = token_v2(emu, OFFICE_MANAGER, creds.OFFICE_MANAGER_PASSWORD)
    token = response.json()
    assert response.status_code == 200 and token["uid"] == OFFICE_MANAGER and token["client_id"] == creds.CLIENT_ID
    assert {"login", "user_email", "displayName", "department", "territory"} <= set(token)
    access = token["access_token"]
    records = emu.records(FIRST_DOMAIN)
    expected = [fieldmap.to_v2_user(record) for record in records]
    assert len(v2(emu, access, f"domains/{FIRST_DOMAIN}/users").json()) == min(100, len(records))
    pages, start = [], 0
    while True:
        page = v2(emu, access, f"domains/{FIRST_DOMAIN}/users", limit=7, start=start).json()
        pages.extend(page)
        if len(page) < 7:
            break
        start += 7
    assert pages == expected and "pwd_hash" not in pages[0] and "voicemail-login-pin" in pages[0]
    assert isinstance(pages[0]["directory-name-number-dtmf-mapping"], int)
    assert "directory-annouce-in-dial-by-name-enabled" in pages[0]
    count = v2(emu, access, f"domains/{FIRST_DOMAIN}/users/count").json()
    assert count == {"total": len(records)}
    for user, _first, _last in AWKWARD_USERS:
        path = f"domains/{FIRST_DOMAIN}/users/{urllib.parse.quote(user, safe='')}"
        one = v2(emu, access, path)
        assert one.status_code == 200 and one.json()["user"] == user, user
    missing = v2(emu, access, f"domains/{FIRST_DOMAIN}/users/4242")
    assert missing.status_code == 404 and missing.json() == {"code": 404, "message": "User not found"}
    emu.configure(v2_announce_spelling="announce")
    assert "directory-announce-in-dial-by-name-enabled" in v2(emu, access, f"domains/{FIRST_DOMAIN}/users/1001").json()
    reads = emu.stats()["reads"]
    assert reads["v2_version"] == 1 and reads["v2_users_count"] == 1 and reads["v2_user"] == len(AWKWARD_USERS) + 2


def test_v2_values_match_v1(emu):
    for record in emu.records(FIRST_DOMAIN):
        converted = fieldmap.to_v2_user(record)
        for v1_name, v2_name in fieldmap.V1_TO_V2.items():
            value = record[v1_name]
            assert (None if value is None else str(value)) == (None if converted[v2_name] is None
                                                               else str(converted[v2_name]))


def test_v1_only_mode():
    with Emulator(v1_only=True, domains=1, users_per_domain=3) as emulator:
        version = requests.get(f"{emulator.url}/ns-api/v2/version", timeout=TIMEOUT)
        assert version.status_code == 404 and "No Route Found [92]" in version.text
        assert requests.post(f"{emulator.url}/ns-api/v2/tokens", json={}, timeout=TIMEOUT).status_code == 404
        token = login(emulator)
        assert token["apiversion"] == "Version: 41.2.3"
        read = v1(emulator, token["access_token"], object="subscriber", action="count", domain=FIRST_DOMAIN)
        assert read.json() == {"total": 3 + 3 + 1 + len(AWKWARD_USERS)}
        key = v1(emulator, creds.RESELLER_API_KEY, object="subscriber", action="count", domain=FIRST_DOMAIN)
        assert key.status_code == 401


def test_api_keys(emu):
    assert len(creds.RESELLER_API_KEY) == 60 and creds.RESELLER_API_KEY.startswith("nsr_")
    assert len(creds.OFFICE_API_KEY) == 60 and creds.OFFICE_API_KEY.startswith("nsd_")
    for domain in (FIRST_DOMAIN, SECOND_DOMAIN):
        assert v1(emu, creds.RESELLER_API_KEY, object="subscriber", action="count", domain=domain).status_code == 200
        assert v2(emu, creds.RESELLER_API_KEY, f"domains/{domain}/users/count").status_code == 200
    assert v2(emu, creds.OFFICE_API_KEY, f"domains/{FIRST_DOMAIN}/users/1001").status_code == 200
    refused = v1(emu, creds.OFFICE_API_KEY, object="subscriber", action="read", domain=SECOND_DOMAIN)
    assert refused.status_code == 403
    assert [entry["auth"] for entry in emu.stats()["requests"]] == ["api_key"] * 6
    assert emu.stats()["token_requests"]["total"] == 0


def test_office_manager_scope(emu):
    token = login(emu, OFFICE_MANAGER, creds.OFFICE_MANAGER_PASSWORD)
    assert token["scope"] == "Office Manager" and token["domain"] == FIRST_DOMAIN
    access = token["access_token"]
    assert v1(emu, access, object="subscriber", action="read", domain=FIRST_DOMAIN, user="1002").status_code == 200
    refused = v1(emu, access, object="subscriber", action="read", domain=SECOND_DOMAIN)
    assert refused.status_code == 403
    assert refused.headers["Warning"] == f'299 - "Insufficient scope to read domain {SECOND_DOMAIN}"'
    v2_refused = v2(emu, access, f"domains/{SECOND_DOMAIN}/users")
    assert v2_refused.status_code == 403
    assert v2_refused.json() == {"code": 403, "message": "Domain not found or access denied"}
    assert [item["domain"] for item in v1(emu, access, object="domain", action="read").json()] == [FIRST_DOMAIN]
    unknown = v1(emu, access, object="subscriber", action="read", domain="nope.example")
    assert unknown.status_code == 404 and "nope.example not found" in unknown.headers["Warning"]


def test_mfa_user(emu):
    token = login(emu, f"mfa@{FIRST_DOMAIN}", creds.MFA_PASSWORD)
    assert token["scope"] == "mfa_required" and token["mfa_type"] == "authenticator"
    assert token["mfa_vendor"] == "google"
    read = v1(emu, token["access_token"], object="subscriber", action="read", domain=FIRST_DOMAIN)
    assert read.status_code == 401
    assert v2(emu, token["access_token"], "domains").status_code == 401


def test_write_attempts_are_refused_and_counted(emu):
    token = login(emu)["access_token"]
    update = v1(emu, token, object="subscriber", action="update", domain=FIRST_DOMAIN, user="1001", first_name="X")
    assert update.status_code == 403 and "Warning" in update.headers
    created = requests.post(f"{emu.url}/ns-api/v2/domains/{FIRST_DOMAIN}/users", json={"user": "9"},
                            headers=bearer(token), timeout=TIMEOUT)
    assert created.status_code == 405 and created.json()["code"] == 405
    deleted = requests.delete(f"{emu.url}/ns-api/v2/domains/{FIRST_DOMAIN}/users/1001", headers=bearer(token),
                              timeout=TIMEOUT)
    assert deleted.status_code == 405
    assert emu.stats()["write_attempts"] == 3
    assert emu.records(FIRST_DOMAIN)[0]["first_name"] != "X"


def test_stats_accounting(emu):
    token = login(emu)["access_token"]
    v1(emu, token, object="subscriber", action="read", domain=FIRST_DOMAIN, user="a&b=c")
    v2(emu, token, "domains")
    requests.get(f"{emu.url}/ns-api/v2/domains/{FIRST_DOMAIN}/users/sp%20ace", headers={
        **bearer(token), "User-Agent": "netsapiens-test/1.0"}, timeout=TIMEOUT)
    stats = emu.stats()
    assert stats["requests_total"] == 4
    assert stats["reads"]["v1_subscriber_read"] == 1 and stats["reads"]["v2_domains"] == 1
    assert stats["reads"]["v2_user"] == 1 and stats["statuses"] == {"200": 4}
    token_entry, read_entry, _domains, user_entry = stats["requests"]
    assert token_entry["kind"] == "token" and token_entry["auth"] == "none" and token_entry["query"] == ""
    assert read_entry["decoded_params"]["user"] == "a&b=c" and read_entry["auth"] == "bearer"
    assert user_entry["path"].endswith("/users/sp%20ace") and user_entry["decoded_path"].endswith("/sp ace")
    assert user_entry["user_agent"] == "netsapiens-test/1.0"
    emu.reset()
    assert emu.stats()["requests_total"] == 0 and emu.stats()["requests"] == []


def test_faults(emu):
    token = login(emu)["access_token"]
    emu.configure(fail_next=[429, {"status": 503, "retry_after": 3}], retry_after=2)
    assert login(emu)["access_token"]  # token requests are not data requests: fail_next leaves them alone
    first = v1(emu, token, object="subscriber", action="count", domain=FIRST_DOMAIN)
    assert first.status_code == 429 and first.headers["Retry-After"] == "2" and "Injected" in first.headers["Warning"]
    second = v2(emu, token, f"domains/{FIRST_DOMAIN}/users/count")
    assert second.status_code == 503 and second.headers["Retry-After"] == "3" and second.json()["code"] == 503
    assert v1(emu, token, object="subscriber", action="count", domain=FIRST_DOMAIN).status_code == 200
    emu.configure(error_rate=1.0, error_statuses=[502])
    assert token_v1(emu).status_code == 502
    emu.configure(error_rate=0.0, latency_ms=200)
    started = time.monotonic()
    assert requests.get(f"{emu.url}/ns-api/v2/version", timeout=TIMEOUT).status_code == 200
    assert time.monotonic() - started >= 0.2
    assert requests.get(f"{emu.url}/_emulator/health", timeout=TIMEOUT).status_code == 200
    assert emu.stats()["injected_errors"] == 3


def test_v1_response_switches(emu):
    token = login(emu)["access_token"]
    missing = {"object": "subscriber", "action": "read", "domain": FIRST_DOMAIN, "user": "4242"}
    assert v1(emu, token, **missing).json() == []
    emu.configure(not_found_style="404")
    assert v1(emu, token, **missing).status_code == 404
    emu.configure(not_found_style="code404")
    assert v1(emu, token, **missing).json()["code"] == 404
    emu.configure(not_found_style="empty_body")
    empty = v1(emu, token, **missing)
    assert empty.status_code == 200 and empty.content == b""
    emu.configure(single_as_object=True, quirk_html_content_type=True)
    single = v1(emu, token, object="subscriber", action="read", domain=FIRST_DOMAIN, user="1001")
    assert single.json()["user"] == "1001" and single.headers["Content-Type"].startswith("text/html")
    emu.configure(max_page=5)
    assert len(v1(emu, token, object="subscriber", action="read", domain=FIRST_DOMAIN, limit=100).json()) == 5
    assert len(v2(emu, token, f"domains/{FIRST_DOMAIN}/users", limit=100).json()) == 5
    with pytest.raises(EmulatorError):
        emu.configure(not_found_style="maybe")
    with pytest.raises(EmulatorError):
        emu.configure(no_such_switch=1)


def test_tls(tmp_path):
    cert, key = make_self_signed_cert(str(tmp_path))
    with Emulator(tls_cert=cert, tls_key=key, domains=1, users_per_domain=2) as emulator:
        assert emulator.url.startswith("https://127.0.0.1:")
        version = requests.get(f"{emulator.url}/ns-api/v2/version", verify=cert, timeout=TIMEOUT)
        assert version.status_code == 200
        with pytest.raises(requests.exceptions.SSLError):
            requests.get(f"{emulator.url}/ns-api/v2/version", verify=True, timeout=TIMEOUT)
        assert emulator.stats()["requests_total"] == 1


def test_refuses_other_hosts(capsys):
    assert emulator_main(["--host", "0.0.0.0"]) == 2
    assert "127.0.0.1" in capsys.readouterr().err
    with pytest.raises(ValueError):
        Emulator(host="0.0.0.0")


def test_start_failure_reports_stderr():
    with pytest.raises(EmulatorError, match="not_found_style"):
        Emulator(not_found_style="bogus").start()


def test_big_domain_paging():
    with Emulator(domains=1, users_per_domain=1, big_domain_users=2500, max_page=1000) as emulator:
        access = login(emulator, creds.RESELLER_USER, creds.RESELLER_PASSWORD)["access_token"]
        total = v2(emulator, access, "domains/big.99999.service/users/count").json()["total"]
        assert total == 2500
        users = []
        for start in range(0, total, 1000):
            users.extend(v2(emulator, access, "domains/big.99999.service/users", limit=1000, start=start).json())
        assert len({user["user"] for user in users}) == 2500
        assert json.loads(json.dumps(users[0]))["domain"] == "big.99999.service"


def _count_subscribers(emu, token, session=None):
    return (session or requests).get(f"{emu.url}/ns-api/", params={"object": "subscriber", "action": "count", "format": "json",
                                                                   "domain": FIRST_DOMAIN}, headers=bearer(token), timeout=TIMEOUT)


def test_connection_faults(emu):
    token = login(emu)["access_token"]
    session = requests.Session()
    emu.configure(fail_next=[{"fault": "reset"}, {"fault": "close"}, {"fault": "truncate"}, {"fault": "slow", "delay_ms": 300},
                             {"fault": "pass"}])
    with pytest.raises((requests.exceptions.ChunkedEncodingError, requests.exceptions.ConnectionError)):
        v1(emu, token, method="GET", object="subscriber", action="read", domain=FIRST_DOMAIN)
    with pytest.raises(requests.exceptions.ConnectionError, match="aborted"):
        _count_subscribers(emu, token, session)
    truncated = v1(emu, token, object="subscriber", action="read", domain=FIRST_DOMAIN, user="1001")
    assert truncated.status_code == 200 and truncated.text.startswith('[{"') and len(truncated.content) > 10
    with pytest.raises(ValueError):
        truncated.json()
    started = time.monotonic()
    assert _count_subscribers(emu, token, session).json() == {"total": 53}
    assert time.monotonic() - started >= 0.3
    assert _count_subscribers(emu, token, session).status_code == 200  # "pass": answered normally
    stats = emu.stats()
    assert stats["injected_faults"] == {"reset": 1, "close": 1, "truncate": 1, "slow": 1, "pass": 1}
    assert stats["injected_errors"] == 3  # reset, close and truncate break the answer; slow and pass do not
    assert [entry["kind"] for entry in stats["requests"][1:4]] == ["injected_reset", "injected_close", "injected_truncate"]


def test_literal_bodies_and_retry_after(emu):
    token = login(emu)["access_token"]
    emu.configure(fail_next=[{"body": "<html><body>Oops</body></html>"},
                             {"status": 502, "body": "<?xml version=\"1.0\"?><xml/>", "content_type": "text/xml", "retry_after": 4},
                             503], retry_after=None)
    html = _count_subscribers(emu, token)
    assert (html.status_code, html.text, html.headers["Content-Type"]) == (200, "<html><body>Oops</body></html>", "text/html; charset=UTF-8")
    assert "Retry-After" not in html.headers
    xml = _count_subscribers(emu, token)
    assert (xml.status_code, xml.headers["Content-Type"], xml.headers["Retry-After"]) == (502, "text/xml", "4")
    plain = _count_subscribers(emu, token)
    assert plain.status_code == 503 and "Retry-After" not in plain.headers and "Injected" in plain.headers["Warning"]
    assert emu.stats()["injected_faults"] == {"body": 2, "503": 1}


def test_token_faults(emu):
    token = login(emu)["access_token"]
    emu.configure(fail_next_token=[{"body": "{}", "content_type": "application/json"}, 503, {"fault": "close"}])
    assert _count_subscribers(emu, token).status_code == 200  # fail_next_token leaves data requests alone
    empty = token_v1(emu)
    assert (empty.status_code, empty.json()) == (200, {})
    assert token_v2(emu).status_code == 503
    with pytest.raises(requests.exceptions.ConnectionError):
        token_v1(emu)
    assert token_v1(emu).status_code == 200
    assert emu.config()["fail_next_token"] == []


def test_expire_tokens_fault(emu):
    first = login(emu)
    emu.configure(fail_next=[{"fault": "pass"}, {"fault": "expire_tokens"}])
    assert _count_subscribers(emu, first["access_token"]).status_code == 200
    expired = _count_subscribers(emu, first["access_token"])
    assert expired.status_code == 401 and "has expired" in expired.json()["error_description"]
    refreshed = token_v1(emu, grant_type="refresh_token", refresh_token=first["refresh_token"])
    assert refreshed.status_code == 200
    emu.configure(fail_next=[{"fault": "expire_tokens", "use_refresh_tokens": True}])
    assert _count_subscribers(emu, refreshed.json()["access_token"]).status_code == 401
    again = token_v1(emu, grant_type="refresh_token", refresh_token=refreshed.json()["refresh_token"])
    assert again.status_code == 403 and "already used" in again.headers["Warning"]


def test_v2_answers_html():
    with Emulator(domains=1, users_per_domain=2, v2_answers_html=True, fail_next_token=[503]) as emulator:
        version = requests.get(f"{emulator.url}/ns-api/v2/version", timeout=TIMEOUT)
        assert version.status_code == 200 and version.text.lstrip().startswith("<!DOCTYPE html>")
        assert "Log In" in requests.post(f"{emulator.url}/ns-api/v2/tokens", json={}, timeout=TIMEOUT).text
        assert token_v1(emulator).status_code == 503  # v1 keeps working: the first token request meets fail_next_token
        assert token_v1(emulator).status_code == 200
        assert {entry["kind"] for entry in emulator.stats()["requests"][:2]} == {"v2_html"}


@pytest.mark.parametrize("entry", [
    {"fault": "explode"}, {"fault": "reset", "status": 500}, {"fault": "slow"}, {"fault": "reset", "delay_ms": 5},
    {"fault": "pass", "use_refresh_tokens": True}, {"body": 42}, {"body": "x", "content_type": "a\nb"}, {"status": 503, "content_type": "x"},
    {"retry_after": 1}, {"status": 503, "colour": "red"},
])
def test_fault_entries_are_validated(emu, entry):
    with pytest.raises(EmulatorError):
        emu.configure(fail_next=[entry])
    with pytest.raises(EmulatorError):
        emu.configure(fail_next_token=[entry])
    assert emu.config()["fail_next"] == [] and emu.config()["fail_next_token"] == []


def test_new_switches_on_the_command_line():
    with Emulator(domains=1, users_per_domain=1, retry_after=None, fail_next=[{"fault": "slow", "delay_ms": 1}]) as emulator:
        assert emulator.config()["retry_after"] is None and emulator.config()["fail_next"][0]["fault"] == "slow"
    args = build_parser().parse_args(["--fail-next-token", "503,429", "--v2-answers-html"])
    assert args.fail_next_token == [503, 429] and args.v2_answers_html is True


def test_devices_are_deterministic_follow_the_case_table_and_serve_the_same_values_on_v2():
    from netsapiens_emulator.emulated import cases, device  # pylint: disable=import-outside-toplevel
    store, again = Store(seed=1, domains=2), Store(seed=1, domains=2)
    built = {domain: device.build(store, domain, store.users[domain]) for domain in store.users}
    assert built == {domain: device.build(again, domain, again.users[domain]) for domain in again.users}
    owners = {}
    for record in built[FIRST_DOMAIN]:
        owners.setdefault(record["subscriber_name"], []).append(record)
    assert "8000" not in owners and [record["aor_user"] for record in owners["1005"]] == ["1005a", "1005b", "1005m"]
    for user in list(cases.DEVICES) + list(cases.CLEAN):
        (only,) = owners[user]
        changed = cases.DEVICES.get(user, cases.CLEAN_DEVICE)
        assert {name: only[name] for name in changed} == changed
    for record in built[FIRST_DOMAIN]:
        served = device.to_v2(record)
        for v1_name, v2_name in device.V1_TO_V2.items():
            assert str(_or_empty(served[v2_name])) == str(_or_empty(record[v1_name])), (record["aor"], v1_name)


def _or_empty(value):
    """v2 null is v1's empty string."""
    return "" if value is None else value


def test_e911_addresses_follow_the_users(emu):
    """Every address id a user carries is an address of the domain (but the first domain's dangling one), one per domain is
    not validated, one is used by nobody; v1 and v2 serve the same addresses, v2 with the number of users of each."""
    token = login(emu)["access_token"]
    for domain in emu.domains():
        carried = {}
        for user in emu.records(domain):
            if user["address_id"]:
                carried.setdefault(user["address_id"], []).append(str(user["user"]))
        served = v1(emu, token, object="address", action="read", domain=domain).json()
        assert served == emu.objects("address", domain)
        assert int(v1(emu, token, object="address", action="count", domain=domain).json()["total"]) == len(served)
        ids = [record["address_id"] for record in served]
        assert set(carried) - set(ids) == ({DANGLING_ADDRESS[1]} if domain == FIRST_DOMAIN else set())
        assert len([record for record in served if not record["address-formatted-pidflo"]]) == 1
        assert [record["user"] for record in served if record["address_id"] not in carried] == ["*"]
        listed = v2(emu, token, f"domains/{domain}/addresses", limit=1000).json()
        assert [record["emergency-address-id"] for record in listed] == ids
        assert [record["count-users-configured"] for record in listed] == [len(carried.get(id_, [])) for id_ in ids]
        assert v2(emu, token, f"domains/{domain}/addresses/count").json() == {"total": len(ids)}
        assert v2(emu, token, f"domains/{domain}/addresses/{ids[0]}").json() == listed[0]
    dangling_user = [user for user in emu.records(FIRST_DOMAIN) if str(user["user"]) == DANGLING_ADDRESS[0]]
    assert dangling_user[0]["address_id"] == DANGLING_ADDRESS[1]


def test_answer_rules_follow_the_case_table_and_are_served_per_user(emu):
    from netsapiens_emulator.emulated import cases  # pylint: disable=import-outside-toplevel
    rules = emu.objects("answerrule", FIRST_DOMAIN)
    defaults = {str(rule["user"]): rule for rule in rules if rule["time_frame"] == "*"}
    for user, (feature, enabled, destinations) in cases.FORWARDS.items():
        prefix = {"forward-always": "for", "forward-no-answer": "fna", "forward-on-busy": "fbu", "simultaneous-ring": "sim",
                  "forward-when-unregistered": "fnr"}[feature]
        assert defaults[user][f"{prefix}_control"] == ("e" if enabled == "yes" else "d")
        assert defaults[user][f"{prefix}_parameters"] == " ".join(destinations)
        assert [rule["time_frame"] for rule in rules if str(rule["user"]) == user] == ["*"]
    for user in cases.CLEAN:
        assert defaults[user]["fna_control"] == "e" and defaults[user]["fna_parameters"] == f"vmail_{user}"
    assert not {"8000", "8001", "8002"} & {str(rule["user"]) for rule in rules}
    token = login(emu)["access_token"]
    one_user = v1(emu, token, "GET", object="answerrule", action="read", uid=f"1002@{FIRST_DOMAIN}")
    assert one_user.json() == [defaults["1002"]] and one_user.json()[0]["user"] == 1002
    nested = v2(emu, token, f"domains/{FIRST_DOMAIN}/users/1007/answerrules").json()
    assert nested[0]["simultaneous-ring"] == {"enabled": "yes", "parameters": [1007, "+447700900123"]}
    whole_domain = v1(emu, token, "GET", object="answerrule", action="read", domain=FIRST_DOMAIN)
    assert whole_domain.status_code == 400 and "uid" in whole_domain.headers["Warning"]


def v1_read(emu, key=creds.RESELLER_API_KEY, **params):
    return requests.get(f"{emu.url}/ns-api/", params=dict(params, format="json"), headers=bearer(key), timeout=TIMEOUT)


def test_phone_numbers_are_read_from_the_did_table_by_dest_domain(emu):
    numbers = emu.objects("phonenumber", FIRST_DOMAIN)
    answer = v1_read(emu, object="phonenumber", action="read", dialplan="DID Table", dest_domain=FIRST_DOMAIN)
    assert answer.status_code == 200 and answer.json() == numbers
    assert all(rule["dest_domain"] == FIRST_DOMAIN and rule["matchrule"].startswith("sip:1858555") for rule in numbers)
    for wrong, missing in (({"domain": FIRST_DOMAIN}, "dialplan"), ({"dialplan": "DID Table", "domain": FIRST_DOMAIN}, "dest_domain")):
        refused = v1_read(emu, object="phonenumber", action="read", **wrong)
        assert refused.status_code == 400 and missing in refused.headers["Warning"]
    item = requests.get(f"{emu.url}/ns-api/v2/domains/{FIRST_DOMAIN}/phonenumbers/18585550100", headers=bearer(creds.RESELLER_API_KEY),
                        timeout=TIMEOUT)
    assert item.json()["dial-rule-translation-destination-user"] == "8001"


def test_shared_dial_policies_are_for_resellers_and_other_system_routes_stay_unknown(emu):
    office = f"{emu.url}/ns-api/v2/dialpolicy"
    assert requests.get(office, headers=bearer(creds.OFFICE_API_KEY), timeout=TIMEOUT).status_code == 403
    assert requests.get(office, timeout=TIMEOUT).status_code == 401
    assert requests.get(f"{emu.url}/ns-api/v2/nothing", timeout=TIMEOUT).status_code == 404
    rows = requests.get(f"{office}/Permit%20All/permission/MDExKg==", headers=bearer(creds.RESELLER_API_KEY), timeout=TIMEOUT)
    assert rows.json()["permission-match"] == "011*" and rows.json()["permission-mode"] == "deny"
    refused = v1_read(emu, key=creds.OFFICE_API_KEY, object="permission", action="read", domain="*", dialpolicy="Permit All")
    assert refused.status_code == 403
    own = v1_read(emu, key=creds.OFFICE_API_KEY, object="permission", action="read", domain=FIRST_DOMAIN, dialpolicy="No Emergency")
    assert [row["dial_match"] for row in own.json()][:2] == ["911", "933"] and own.json()[0]["mode"] == "deny"


def test_change_users_between_runs(emu):
    """POST /_emulator/change: a field set, a user added and one removed show on v1 and v2; restore-data undoes them."""
    token = login(emu)["access_token"]
    count = v2(emu, token, f"domains/{FIRST_DOMAIN}/users/count").json()["total"]
    assert emu.change(domain=FIRST_DOMAIN, user="1021", set={"vmail_enabled": "no"}) == {"ok": True, "changed": 1}
    emu.change(domain=FIRST_DOMAIN, user="1099", add={"first_name": "Nia"})
    emu.change(domain=FIRST_DOMAIN, user="1015", remove=True)
    assert v1(emu, token, object="subscriber", action="read", domain=FIRST_DOMAIN, user="1021").json()[0]["vmail_enabled"] == "no"
    assert v2(emu, token, f"domains/{FIRST_DOMAIN}/users/1021").json()["voicemail-enabled"] == "no"
    added = v2(emu, token, f"domains/{FIRST_DOMAIN}/users/1099").json()
    assert added["name-first-name"] == "Nia" and added["login-username"] == f"1099@{FIRST_DOMAIN}"
    assert v2(emu, token, f"domains/{FIRST_DOMAIN}/users/1015").status_code == 404
    listed = [record["user"] for record in v1(emu, token, object="subscriber", action="read", domain=FIRST_DOMAIN).json()]
    assert "1099" in listed and "1015" not in listed and len(listed) == count
    for bad, words in (({"domain": FIRST_DOMAIN, "user": "1015", "remove": True}, "does not exist"),
                       ({"domain": FIRST_DOMAIN, "user": "1001", "add": {}}, "already exists"),
                       ({"domain": FIRST_DOMAIN, "user": "1001", "set": {}, "remove": True}, "exactly one of"),
                       ({"domain": "nowhere.example", "user": "1001", "remove": True}, "unknown domain")):
        with pytest.raises(EmulatorError, match=words):
            emu.change(**bad)
    emu.restore_data()
    records = {str(record["user"]): record for record in emu.records(FIRST_DOMAIN)}
    assert records["1021"]["vmail_enabled"] == "yes" and "1015" in records and "1099" not in records


def test_change_objects_and_restore():
    """The same switch changes, adds and removes records of other objects (answer rules...); restore() undoes it."""
    store = Store(seed=1, domains=1, users_per_domain=3)
    rules = [{"user": "1001", "time_frame": "*", "enable": "yes"}, {"user": "1002", "time_frame": "*", "enable": "yes"}]
    store.objects = {"answerrule": {FIRST_DOMAIN: [dict(rule) for rule in rules]}}
    change = {"object": "answerrule", "domain": FIRST_DOMAIN}
    assert apply_change(store, dict(change, match={"user": "1001", "time_frame": "*"}, set={"enable": "no"})) == 1
    apply_change(store, dict(change, match={"user": "1002", "time_frame": "*"}, remove=True))
    apply_change(store, dict(change, match={"user": "1003", "time_frame": "Weekend"}, add={"enable": "yes"}))
    assert store.objects["answerrule"][FIRST_DOMAIN] == [
        {"user": "1001", "time_frame": "*", "enable": "no"}, {"user": "1003", "time_frame": "Weekend", "enable": "yes"}]
    with pytest.raises(ValueError, match="0 answerrule record"):
        apply_change(store, dict(change, match={"user": "1002"}, remove=True))
    with pytest.raises(ValueError, match="unknown object 'device'"):
        apply_change(store, dict(change, object="device", match={"user": "1001"}, remove=True))
    store.restore()
    assert store.objects["answerrule"][FIRST_DOMAIN] == rules


def test_directory_users_join_a_domain_once_and_go_with_restore_data(emu):
    before = emu.domains()
    assert emu.configure(directory_users=SECOND_DOMAIN)["directory_users"] == ""
    emu.configure(directory_users=SECOND_DOMAIN)
    added = {record["user"]: record for record in emu.records(SECOND_DOMAIN)}
    assert emu.domains()[SECOND_DOMAIN] == before[SECOND_DOMAIN] + len(DIRECTORY_USERS)
    assert added["9101"]["last_name"] == "O'Brien & S\u00f8n <Sales>" and added["9106"]["dir_list"] == "no"
    token = login(emu)["access_token"]
    count = v1(emu, token, object="subscriber", action="count", domain=SECOND_DOMAIN).json()
    assert count == {"total": before[SECOND_DOMAIN] + len(DIRECTORY_USERS)}
    with pytest.raises(EmulatorError, match="unknown domain"):
        emu.configure(directory_users="nowhere.example")
    emu.restore_data()
    assert emu.domains() == before


def test_one_object_per_user_gives_each_user_one_device_one_answer_rule_and_one_did():
    from netsapiens_emulator.emulated import answerrule, device, phonenumber  # pylint: disable=import-outside-toplevel
    with Emulator(domains=3, users_per_domain=12, one_object_per_user=True) as emulator:
        for domain in emulator.domains():
            records = emulator.records(domain)
            users = [str(record["user"]) for record in records]
            regular = [str(record["user"]) for record in records if not str(record["srv_code"]).startswith("system-")]
            owners = [str(record["subscriber_name"]) for record in emulator.objects("device", domain)]
            assert sorted(owners) == sorted(regular)
            assert sorted(str(rule["user"]) for rule in emulator.objects("answerrule", domain)) == sorted(regular)
            routed = [rule["to_user"] for rule in emulator.objects("phonenumber", domain) if rule["plan_description"].startswith("Direct")]
            assert sorted(routed) == sorted(user for user in users if user.isdigit())
    # Without the switch the data stay as the other tests know them: 1005 has three devices, some users two rules.
    store = Store(seed=1, domains=2)
    assert len([record for record in device.build(store, FIRST_DOMAIN, store.users[FIRST_DOMAIN])
                if record["subscriber_name"] == "1005"]) == 3
    second = "globex.23456.service"
    assert len(answerrule.build(store, second, store.users[second])) > len(store.users[second]) - 3
    assert len([rule for rule in phonenumber.build(store, second, store.users[second]) if rule["plan_description"].startswith("Direct")]) \
        < len(store.users[second])


def test_max_in_flight_refuses_requests_beyond_the_limit_with_429_and_retry_after(emu):
    import concurrent.futures  # pylint: disable=import-outside-toplevel
    emu.configure(max_in_flight=2, latency_ms=300, retry_after=3)
    token = login(emu)["access_token"]
    emu.reset()
    with concurrent.futures.ThreadPoolExecutor(max_workers=5) as pool:
        answers = list(pool.map(lambda _index: v2(emu, token, f"domains/{FIRST_DOMAIN}/users/count"), range(5)))
    refused = [answer for answer in answers if answer.status_code == 429]
    assert len(refused) == 3 and all(answer.headers["Retry-After"] == "3" for answer in refused)
    assert sorted(answer.status_code for answer in answers) == [200, 200, 429, 429, 429]
    stats = emu.stats()
    assert stats["refused_in_flight"] == 3 and stats["max_in_flight"] >= 3 and stats["statuses"]["429"] == 3
    emu.configure(max_in_flight=0, latency_ms=0)
    assert v2(emu, token, f"domains/{FIRST_DOMAIN}/users/count").status_code == 200
