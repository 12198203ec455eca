# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Shared pieces of the release tests: paths, a clean Ansible environment, running commands."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

REPO_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
BINDIR = os.path.dirname(sys.executable)
CHROMIUM_FLAGS = ('--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
                  '--disable-background-networking', '--disable-component-update', '--disable-sync')


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
