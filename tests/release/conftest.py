# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Release tests: the built tarball, the docsite and the changelog release, as a user gets them.

They run with the Python of a venv that has ansible-core (`make build-check docs-check release-changelog`
run them with .venv); the Ansible commands come from that venv's bin directory.
"""

from __future__ import annotations

import shutil
import subprocess

import pytest

from release_helpers import CHROMIUM_FLAGS


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
