# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What ansible-builder makes of the example execution environment, docs/execution-environment.yml (no image is built).

`make ee-check` builds the tarball, then runs these tests with the .venv Python; ansible-builder comes from .venv-docs
(`make docs-venv`). NETSAPIENS_DIST (default .build/dist) holds the tarball, ANSIBLE_BUILDER (default
.venv-docs/bin/ansible-builder) is the ansible-builder to run.
"""

from __future__ import annotations

import glob
import os
import re

import pytest
import yaml

from release_helpers import BINDIR, REPO_ROOT, clean_env, run

EE_DEFINITION = os.path.join(REPO_ROOT, 'docs', 'execution-environment.yml')


@pytest.fixture(scope='module')
def builder():
    path = os.environ.get('ANSIBLE_BUILDER') or os.path.join(REPO_ROOT, '.venv-docs', 'bin', 'ansible-builder')
    if not os.access(path, os.X_OK):
        pytest.fail('ansible-builder not found at %s: `make docs-venv` installs it (or set ANSIBLE_BUILDER)' % path, pytrace=False)
    return path


@pytest.fixture(scope='module')
def tarball():
    dist = os.environ.get('NETSAPIENS_DIST') or os.path.join(REPO_ROOT, '.build', 'dist')
    found = glob.glob(os.path.join(dist, 'netsapiens-pbx-*.tar.gz'))
    if len(found) != 1:
        pytest.fail('expected one netsapiens-pbx-*.tar.gz in %s, found %s: run `make build` first' % (dist, found or 'none'),
                    pytrace=False)
    return found[0]


@pytest.fixture(scope='module')
def context(builder, tmp_path_factory):
    """The build context that `ansible-builder create` writes for the example definition."""
    directory = tmp_path_factory.mktemp('ee') / 'context'
    run([builder, 'create', '-f', EE_DEFINITION, '--context', directory, '--output-filename', 'Containerfile'])
    return directory


def test_containerfile_installs_the_collection_with_ansible_core(context):
    containerfile = (context / 'Containerfile').read_text(encoding='utf-8')
    assert re.search(r'ansible-galaxy collection install .*-r requirements\.yml', containerfile), containerfile
    assert 'introspect' in containerfile, 'the image would not install the collections\' Python requirements'
    assert 'ansible-core' in containerfile


def test_build_context_names_the_collection(context):
    with open(context / '_build' / 'requirements.yml', encoding='utf-8') as handle:
        requirements = yaml.safe_load(handle)
    assert 'netsapiens.pbx' in [collection['name'] for collection in requirements['collections']], requirements


def test_introspect_finds_requests_in_the_built_collection(builder, tarball, tmp_path):
    """meta/execution-environment.yml of the installed tarball leads ansible-builder to requirements.txt (requests)."""
    collections = tmp_path / 'collections'
    run([os.path.join(BINDIR, 'ansible-galaxy'), 'collection', 'install', '-p', collections, tarball],
        env=clean_env(tmp_path, collections))
    pip_requirements = tmp_path / 'requirements.txt'
    run([builder, 'introspect', '--write-pip', pip_requirements, collections])
    lines = pip_requirements.read_text(encoding='utf-8').splitlines()
    assert any(re.match(r'^requests.*# from collection netsapiens\.pbx$', line) for line in lines), lines
