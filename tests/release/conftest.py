# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Release tests: the built tarball, the docsite and the changelog release, as a user gets them.

They run with the Python of a venv that has ansible-core (`make build-check docs-check release-changelog`
run them with .venv); the Ansible commands come from that venv's bin directory.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

REPO_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
BINDIR = os.path.dirname(sys.executable)
CHROMIUM_FLAGS = ('--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
                  '--disable-background-networking', '--disable-component-update', '--disable-sync')

sys.path.insert(0, os.path.join(REPO_ROOT, 'tests', 'emulator'))


def clean_env(tmp_path, collections_path, **extra):
    """The environment of an Ansible command that sees only `collections_path` and keeps its files in tmp_path."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(('NETSAPIENS_', 'ANSIBLE_'))}
    env.update(
        PATH=BINDIR + os.pathsep + os.environ.get('PATH', ''),
        ANSIBLE_COLLECTIONS_PATH=str(collections_path),
        ANSIBLE_HOME=str(tmp_path / 'ansible-home'),
        ANSIBLE_LOCAL_TEMP=str(tmp_path / 'tmp-local'),
        ANSIBLE_REMOTE_TMP=str(tmp_path / 'tmp-remote'),
        ANSIBLE_NOCOLOR='1',
        ANSIBLE_FORCE_COLOR='0',
        ANSIBLE_RETRY_FILES_ENABLED='0',
        ANSIBLE_DEPRECATION_WARNINGS='0',
    )
    env.update(extra)
    return env


def run(command, env=None, cwd=None, timeout=300):
    """Run a command; fail the test with its output unless it exits 0. Returns the CompletedProcess."""
    completed = subprocess.run([str(part) for part in command], env=env, cwd=cwd, capture_output=True, text=True,
                               timeout=timeout, check=False)
    if completed.returncode != 0:
        pytest.fail('%s exited %d\n--- stdout ---\n%s\n--- stderr ---\n%s' % (
            ' '.join(str(part) for part in command), completed.returncode, completed.stdout[-6000:], completed.stderr[-4000:]),
            pytrace=False)
    return completed


@pytest.fixture(scope='session')
def chromium():
    """The chromium executable; a test that needs it fails (not skips) without it."""
    path = shutil.which('chromium')
    if not path:
        pytest.fail('chromium is not installed: the docsite test needs headless Chromium on PATH '
                    '(`make browser` installs it; `make test` does that first)', pytrace=False)
    return path


@pytest.fixture
def run_chromium(chromium, tmp_path):
    """run_chromium('--dump-dom', url) -> stdout, with a throw-away profile and no network features."""
    def call(*arguments):
        command = [chromium, *CHROMIUM_FLAGS, '--user-data-dir=%s' % (tmp_path / 'chromium-profile'), *arguments]
        completed = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
        assert completed.returncode == 0, 'chromium failed (%d): %s' % (completed.returncode, completed.stderr[-2000:])
        return completed.stdout
    return call
