# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import glob
import os
import re

import pytest

from ansible_collections.netsapiens.pbx.plugins.module_utils._errors import NetSapiensConfigError
from ansible_collections.netsapiens.pbx.plugins.module_utils._options import ConnectionSettings, normalise_api_url
from ansible_collections.netsapiens.pbx.plugins.module_utils._version import COLLECTION_VERSION

from .fakes import PASSWORD_OPTIONS

REPO_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..', '..', '..'))


@pytest.mark.parametrize('given', [
    'https://pbx.example.com', 'https://pbx.example.com/', 'https://pbx.example.com/ns-api',
    'https://pbx.example.com/ns-api/', 'https://pbx.example.com/ns-api/v2', ' https://pbx.example.com/ns-api/v2/ ',
])
def test_api_url_suffixes_are_stripped(given):
    assert normalise_api_url(given) == 'https://pbx.example.com'


def test_api_url_keeps_port():
    assert normalise_api_url('http://127.0.0.1:8080/ns-api/') == 'http://127.0.0.1:8080'


@pytest.mark.parametrize('given, words', [
    ('pbx.example.com', 'must start with https://'),
    ('ftp://pbx.example.com', "not 'ftp://'"),
    ('https://pbx.example.com/portal', "got path '/portal'"),
    ('https://user:pw@pbx.example.com', 'must not carry credentials'),
    ('https://pbx.example.com/?a=b', 'query string'),
    ('', "'api_url' is required"),
    (None, "'api_url' is required"),
])
def test_bad_api_url_names_the_problem(given, words):
    with pytest.raises(NetSapiensConfigError) as info:
        normalise_api_url(given)
    assert words in str(info.value)


def test_credentials_url_error_does_not_echo_the_password():
    with pytest.raises(NetSapiensConfigError) as info:
        normalise_api_url('https://user:s3cret-pw@pbx.example.com')
    assert 's3cret-pw' not in str(info.value)


@pytest.mark.parametrize('given, words, secret', [
    ('https://admin:S3cret@host:99999', 'must not carry credentials', 'S3cret'),
    ('https://admin:S3c/ret@host', 'must not carry credentials', 'S3c'),
    ('https://admin:S3c?ret@host', 'must not carry credentials', 'S3c'),
    ('https://host:99999', "invalid port (a number from 1 to 65535 is expected after the host name): 'https://host:99999'", None),
    ('host/?apikey=nsr_abc123', "must start with https:// or http://, got 'host/'", 'nsr_abc123'),
    ('https://pbx.example.com/x?token=abc', "must not have a query string or fragment ('https://pbx.example.com/x?...')", 'abc'),
    ('https://pbx.example.com/#token=abc', 'query string or fragment', 'abc'),
    ('https://[::1/?token=abc', 'brackets of an IPv6 address', 'abc'),
])
def test_api_url_errors_never_echo_user_info_or_query(given, words, secret):
    with pytest.raises(NetSapiensConfigError) as info:
        normalise_api_url(given)
    assert words in str(info.value)
    if secret:
        assert secret not in str(info.value)


@pytest.fixture(name='ca_files')
def ca_files_fixture(tmp_path):
    not_pem = tmp_path / 'ca.der'
    not_pem.write_bytes(b'0\x82\x03\x1f0\x82\x02\x07 not a PEM file')
    return {'missing file': (str(tmp_path / 'missing.pem'), 'names a file that does not exist'),
            'directory': (str(tmp_path), 'is a directory'),
            'not PEM': (str(not_pem), 'holds no PEM certificate')}


@pytest.mark.parametrize('kind', ['missing file', 'directory', 'not PEM'])
def test_bad_ca_path_is_named_before_any_request(ca_files, kind):
    path, words = ca_files[kind]
    with pytest.raises(NetSapiensConfigError) as info:
        ConnectionSettings.from_options(dict(PASSWORD_OPTIONS, ca_path=path))
    assert str(info.value).startswith("Option 'ca_path' ") and words in str(info.value)


def test_ca_path_is_not_checked_without_certificate_checks(ca_files):
    path, _words = ca_files['missing file']
    assert ConnectionSettings.from_options(dict(PASSWORD_OPTIONS, ca_path=path, validate_certs=False)).ca_path == path


def test_missing_credentials_are_named():
    with pytest.raises(NetSapiensConfigError) as info:
        ConnectionSettings.from_options({'api_url': 'https://pbx.example.com', 'username': 'u', 'password': 'p'})
    assert "'client_id'" in str(info.value) and "'client_secret'" in str(info.value)
    assert "'p'" not in str(info.value).replace("'password'", '')


def test_no_credentials_at_all():
    with pytest.raises(NetSapiensConfigError, match='No credentials given'):
        ConnectionSettings.from_options({'api_url': 'https://pbx.example.com'})


def test_token_dict_without_access_token_is_rejected():
    with pytest.raises(NetSapiensConfigError, match="without an 'access_token' string"):
        ConnectionSettings.from_options({'api_url': 'https://pbx.example.com', 'access_token': {'scope': 'x'}})


def test_token_of_wrong_type_is_rejected():
    with pytest.raises(NetSapiensConfigError, match='must be a token string or the token dictionary'):
        ConnectionSettings.from_options({'api_url': 'https://pbx.example.com', 'access_token': 12})


@pytest.mark.parametrize('name, value', [('timeout', 0), ('timeout', 'soon'), ('retries', -1), ('retries', 11)])
def test_numeric_options_are_bounded(name, value):
    options = dict(PASSWORD_OPTIONS)
    options[name] = value
    with pytest.raises(NetSapiensConfigError, match="Option '%s'" % name):
        ConnectionSettings.from_options(options)


def test_secret_values_lists_every_secret():
    options = dict(PASSWORD_OPTIONS, api_key='key-value', access_token={'access_token': 'at', 'refresh_token': 'rt', 'scope': 'Reseller'})
    secrets = ConnectionSettings.from_options(options).secret_values()
    assert set(secrets) == {'key-value', 'client-secret-value', 'pass-word-value', 'at', 'rt'}


def test_version_constant_matches_galaxy_yml():
    with open(os.path.join(REPO_ROOT, 'galaxy.yml'), encoding='utf-8') as handle:
        match = re.search(r'^version:\s*(\S+)', handle.read(), re.M)
    assert match and match.group(1).strip('"\'') == COLLECTION_VERSION


def version_tuple(text):
    return tuple(int(part) for part in text.split('.'))


def test_version_added_is_not_after_the_collection_version():
    """No plugin, module or role documents a version_added later than galaxy.yml's version (the release it ships in)."""
    found = {}
    for path in glob.glob(os.path.join(REPO_ROOT, 'plugins', '**', '*.*'), recursive=True) + \
            glob.glob(os.path.join(REPO_ROOT, 'roles', '*', 'meta', '*.yml')):
        with open(path, encoding='utf-8') as handle:
            for version in re.findall(r'version_added:\s*[\'"]?(\d+(?:\.\d+)*)', handle.read()):
                found[os.path.relpath(path, REPO_ROOT)] = version
    assert len(found) >= 8, found
    later = {path: version for path, version in found.items() if version_tuple(version) > version_tuple(COLLECTION_VERSION)}
    assert not later, 'version_added after the collection version %s: %s' % (COLLECTION_VERSION, later)
