# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Integration tests: real ansible-playbook runs against the NetSapiens emulator on 127.0.0.1."""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
import time
from types import SimpleNamespace

import pytest
from netsapiens_emulator.config import DEFAULTS as EMULATOR_DEFAULTS
from netsapiens_emulator.process import make_self_signed_cert

from harness import PLAYBOOKS, REPO_ROOT, Emulator, PlaybookResult, assert_no_secret_in, check_server_untouched, credentials_env
from scenarios import happened, pytest_configure, pytest_runtest_makereport, pytest_terminal_summary  # noqa: F401 pylint: disable=unused-import

EMULATOR_SWITCHES = {'domains': 4, 'users_per_domain': 40}
DEFAULT_CONFIG = {'latency_ms': 0, 'error_rate': 0.0, 'token_ttl': 3600, 'not_found_style': 'empty_list',
                  'single_as_object': False, 'v1_only': False, 'fail_next': []}


@pytest.fixture(scope='session')
def collections_path(tmp_path_factory):
    root = tmp_path_factory.mktemp('collections')
    os.makedirs(root / 'ansible_collections' / 'netsapiens')
    os.symlink(REPO_ROOT, root / 'ansible_collections' / 'netsapiens' / 'pbx')
    return str(root)


@pytest.fixture(scope='session')
def emulator_process():
    server = Emulator(**EMULATOR_SWITCHES)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def emulator(emulator_process):
    """The shared emulator with default switches and zeroed statistics.

    After every test it checks what must hold for the whole suite: nothing tried to write, and no
    credential ever travelled in a query string.
    """
    emulator_process.configure(**DEFAULT_CONFIG)
    emulator_process.reset()
    yield emulator_process
    check_server_untouched(emulator_process)


@pytest.fixture(params=['v1', 'v2'])
def api(request, emulator):
    """Runs a test twice: against a pre-v44 server (API v1 only) and against a server with API v2."""
    emulator.configure(v1_only=request.param == 'v1')
    return request.param


@pytest.fixture(scope='session')
def domains(emulator_process):
    return list(emulator_process.domains())


@pytest.fixture(scope='session')
def stored_secrets(emulator_process):
    """Password hashes of every stored subscriber: they must never reach any output."""
    hashes = set()
    for domain in emulator_process.domains():
        hashes.update(str(record['pwd_hash']) for record in emulator_process.records(domain) if record.get('pwd_hash'))
    return hashes


@pytest.fixture
def run_playbook(collections_path, emulator, tmp_path, stored_secrets):
    """Run a playbook of tests/integration/playbooks with ansible-playbook; returns a PlaybookResult.

    Every run is at -vvvv unless a test asks otherwise, and its whole output is checked for secrets.
    """
    bindir = os.path.dirname(sys.executable)
    inventory = tmp_path / 'inventory.ini'
    inventory.write_text('localhost ansible_connection=local ansible_python_interpreter=%s\n' % sys.executable, encoding='utf-8')
    artifacts = tmp_path / 'artifacts'
    artifacts.mkdir()

    def run(playbook, extra_vars=None, env=None, auth='password', verbosity=4, check=False, args=()):
        environment = {key: value for key, value in os.environ.items() if not key.startswith(('NETSAPIENS_', 'ANSIBLE_'))}
        environment.update(
            ANSIBLE_COLLECTIONS_PATH=collections_path, ANSIBLE_LOCAL_TEMP=str(tmp_path / 'tmp-local'),
            ANSIBLE_REMOTE_TMP=str(tmp_path / 'tmp-remote'), ANSIBLE_NOCOLOR='1', ANSIBLE_FORCE_COLOR='0',
            ANSIBLE_RETRY_FILES_ENABLED='0', ANSIBLE_HOME=str(tmp_path / 'ansible-home'), PATH=bindir + os.pathsep + os.environ['PATH'],
        )
        environment.update(credentials_env(emulator.url, auth))
        environment.update(env or {})
        variables = {'artifacts': str(artifacts)}
        variables.update(extra_vars or {})
        command = [os.path.join(bindir, 'ansible-playbook'), '-i', str(inventory), os.path.join(PLAYBOOKS, playbook),
                   '-e', json.dumps(variables)]
        if verbosity:
            command.append('-' + 'v' * verbosity)
        if check:
            command.append('--check')
        command.extend(args)
        completed = subprocess.run(command, env=environment, capture_output=True, text=True, timeout=300, check=False)
        result = PlaybookResult(completed, str(artifacts))
        assert_no_secret_in(result.output, emulator, stored_secrets)
        return result

    return run


@pytest.fixture
def run_inventory(collections_path, emulator, tmp_path):
    """Run ansible-inventory on inventory sources (config files), with the environment run_playbook uses.

    `run_inventory(source, ..., args=('--list',))` returns a PlaybookResult; `json.loads(result.stdout)` is the inventory.
    A source that no plugin can parse fails the command (ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED), unless `env` says otherwise;
    `unset` names environment variables to leave out (after `auth` and `env` are applied).
    """
    bindir = os.path.dirname(sys.executable)

    def run(*sources, env=None, unset=(), auth='password', verbosity=0, args=('--list',)):
        environment = {key: value for key, value in os.environ.items() if not key.startswith(('NETSAPIENS_', 'ANSIBLE_'))}
        environment.update(
            ANSIBLE_COLLECTIONS_PATH=collections_path, ANSIBLE_LOCAL_TEMP=str(tmp_path / 'tmp-local'),
            ANSIBLE_REMOTE_TMP=str(tmp_path / 'tmp-remote'), ANSIBLE_NOCOLOR='1', ANSIBLE_FORCE_COLOR='0',
            ANSIBLE_RETRY_FILES_ENABLED='0', ANSIBLE_HOME=str(tmp_path / 'ansible-home'), PATH=bindir + os.pathsep + os.environ['PATH'],
            ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED='1',
        )
        environment.update(credentials_env(emulator.url, auth))
        environment.update(env or {})
        for name in unset:
            environment.pop(name, None)
        command = [os.path.join(bindir, 'ansible-inventory')]
        for source in sources:
            command.extend(['-i', str(source)])
        if verbosity:
            command.append('-' + 'v' * verbosity)
        command.extend(args)
        completed = subprocess.run(command, env=environment, capture_output=True, text=True, timeout=600, check=False)
        return PlaybookResult(completed, str(tmp_path))

    return run


@pytest.fixture(name='emu')
def emu_fixture(emulator):
    """The shared emulator with every switch at its default (the `emulator` fixture resets only some), restored afterwards,
    its stored users too."""
    emulator.configure(**EMULATOR_DEFAULTS)
    yield emulator
    emulator.configure(**EMULATOR_DEFAULTS)
    emulator.restore_data()


@pytest.fixture(name='truth', scope='module')
def truth_fixture(emulator_process, domains):
    """domain -> user -> stored record (the emulator's ground truth)."""
    return {domain: {str(raw['user']): raw for raw in emulator_process.records(domain)} for domain in domains}


@pytest.fixture(name='core', scope='module')
def core_fixture(collections_path):
    """The collection's core imported in this process, for checks that need no playbook (and may send no traffic)."""
    if not any(type(finder).__name__ == '_AnsibleCollectionFinder' for finder in sys.meta_path):
        from ansible.plugins.loader import init_plugin_loader  # pylint: disable=import-outside-toplevel
        init_plugin_loader([collections_path])
    base = 'ansible_collections.netsapiens.pbx.plugins.module_utils.'
    modules = {name: importlib.import_module(base + '_' + name) for name in ('options', 'http', 'client', 'errors')}

    def client(url, log=None, sleep=None, **options):
        settings = modules['options'].ConnectionSettings.from_options(dict(options, api_url=url))
        return modules['client'].NetSapiensClient(settings, log=log, sleep=sleep or time.sleep)

    return SimpleNamespace(new_client=client, **modules)


@pytest.fixture(name='tls_server', scope='module')
def tls_server_fixture(tmp_path_factory):
    """An HTTPS emulator with a self-signed certificate, one per test module: (server, path of the certificate)."""
    cert, key = make_self_signed_cert(str(tmp_path_factory.mktemp('tls')))
    with Emulator(domains=1, users_per_domain=5, tls_cert=cert, tls_key=key) as server:
        yield server, cert
        check_server_untouched(server)
