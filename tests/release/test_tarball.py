# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The release artifact: build the tarball, install it into an empty collections path and use it from there.

Nothing here sees the repository as a collection: every Ansible command runs outside it with
ANSIBLE_COLLECTIONS_PATH set to the fresh install only, so a file missing from the tarball (or one that
build_ignore drops by mistake) fails these tests.
"""

from __future__ import annotations

import csv
import glob
import io
import json
import os
import re
import tarfile

import pytest
import yaml
from netsapiens_emulator import auth as emulator_auth
from netsapiens_emulator.process import Emulator

from release_helpers import BINDIR, REPO_ROOT, clean_env, run

COLLECTION = 'netsapiens.pbx'
INSTALLED = os.path.join('ansible_collections', 'netsapiens', 'pbx')
# Paths (relative to the collection root) that must never ship: development files, build and test output, caches.
JUNK = re.compile(r'(^|/)(\.venv[^/]*|\.build|\.cache|\.ansible|\.ci|\.git[^/]*|hack|demo-output|tests/output|__pycache__|'
                  r'\.pytest_cache|docs/sphinx|[^/]*\.egg-info)(/|$)|\.pyc$|\.tar\.gz$|^changelogs/\.plugin-cache\.yaml$')
# Files a user of the installed collection (or ansible-builder, or antsibull-docs) relies on.
REQUIRED = ('MANIFEST.json', 'FILES.json', 'README.md', 'LICENSE', 'meta/runtime.yml', 'meta/execution-environment.yml',
            'requirements.txt', 'changelogs/changelog.yaml', 'changelogs/config.yaml', 'docs/policy.md',
            'docs/execution-environment.yml', 'docs/docsite/extra-docs.yml', 'docs/docsite/links.yml',
            'playbooks/audit.yml', 'playbooks/policies/baseline.yml', 'roles/subscriber_audit/meta/argument_specs.yml',
            'roles/subscriber_audit/tasks/main.yml',
            'docs/drift.md', 'playbooks/audit_ci.yml', 'docs/docsite/rst/ci.rst')
PLUGIN_DIRS = {'module': 'modules', 'lookup': 'lookup', 'inventory': 'inventory', 'filter': 'filter'}


def galaxy():
    with open(os.path.join(REPO_ROOT, 'galaxy.yml'), encoding='utf-8') as handle:
        return yaml.safe_load(handle)


def source_plugins(plugin_type):
    """FQCNs of the plugins of a type in the source tree. A filter is documented in <name>.yml beside its code."""
    directory = os.path.join(REPO_ROOT, 'plugins', PLUGIN_DIRS[plugin_type])
    pattern = '*.yml' if plugin_type == 'filter' else '*.py'
    names = (os.path.splitext(os.path.basename(path))[0] for path in glob.glob(os.path.join(directory, pattern)))
    return sorted('%s.%s' % (COLLECTION, name) for name in names if not name.startswith('_'))


def source_roles():
    return sorted('%s.%s' % (COLLECTION, name) for name in os.listdir(os.path.join(REPO_ROOT, 'roles'))
                  if os.path.isfile(os.path.join(REPO_ROOT, 'roles', name, 'meta', 'argument_specs.yml')))


@pytest.fixture(scope='module')
def tarball(tmp_path_factory):
    """`ansible-galaxy collection build` of the work tree, into a temporary directory."""
    dist = tmp_path_factory.mktemp('dist')
    tmp = tmp_path_factory.mktemp('build-home')
    run([os.path.join(BINDIR, 'ansible-galaxy'), 'collection', 'build', '--output-path', dist, REPO_ROOT],
        env=clean_env(tmp, tmp / 'none'), cwd=tmp)
    built = glob.glob(str(dist / 'netsapiens-pbx-*.tar.gz'))
    assert len(built) == 1, built
    return built[0]


@pytest.fixture(scope='module')
def members(tarball):
    with tarfile.open(tarball) as archive:
        return [member.name[2:] if member.name.startswith('./') else member.name for member in archive.getmembers()]


@pytest.fixture(scope='module')
def installed(tarball, tmp_path_factory):
    """The tarball installed with `ansible-galaxy collection install` into an empty collections path."""
    root = tmp_path_factory.mktemp('installed')
    collections = root / 'collections'
    run([os.path.join(BINDIR, 'ansible-galaxy'), 'collection', 'install', '-p', collections, tarball],
        env=clean_env(root, collections), cwd=root)
    assert os.path.isfile(collections / INSTALLED / 'MANIFEST.json')
    return collections


@pytest.fixture(scope='module')
def emulator():
    server = Emulator(domains=2, users_per_domain=6)
    server.start()
    yield server
    server.stop()


def emulator_env(tmp_path, collections, url, **extra):
    return clean_env(tmp_path, collections, NETSAPIENS_API_URL=url, NETSAPIENS_CLIENT_ID=emulator_auth.CLIENT_ID,
                     NETSAPIENS_CLIENT_SECRET=emulator_auth.CLIENT_SECRET, NETSAPIENS_USERNAME=emulator_auth.RESELLER_USER,
                     NETSAPIENS_PASSWORD=emulator_auth.RESELLER_PASSWORD, **extra)


def test_tarball_name_and_manifest_match_galaxy_yml(tarball, members):
    meta = galaxy()
    assert os.path.basename(tarball) == 'netsapiens-pbx-%s.tar.gz' % meta['version']
    with tarfile.open(tarball) as archive:
        manifest = json.load(archive.extractfile('MANIFEST.json'))['collection_info']
    for key in ('namespace', 'name', 'version', 'license', 'tags', 'repository', 'documentation', 'issues', 'description'):
        assert manifest[key] == meta[key], key
    assert manifest['dependencies'] == {}, 'Galaxy dependencies cannot be installed everywhere; keep the collection free of them'
    assert 'MANIFEST.json' in members


def test_tarball_ships_what_users_need_and_nothing_else(members):
    junk = sorted(name for name in members if JUNK.search(name))
    assert not junk, 'build_ignore in galaxy.yml should drop these files: %s' % junk
    missing = [name for name in REQUIRED if name not in members]
    assert not missing, 'the tarball lacks %s' % missing
    guides = [name for name in members if name.startswith('docs/docsite/rst/') and name.endswith('.rst')]
    assert guides, 'the docsite guides are missing from the tarball'


def test_requirements_files_agree():
    """ansible-builder reads requirements.txt; developers install requirements/runtime.txt. Both name the same packages."""
    def requirements(path):
        with open(os.path.join(REPO_ROOT, path), encoding='utf-8') as handle:
            return sorted(line.split('#')[0].strip() for line in handle if line.split('#')[0].strip())
    assert requirements('requirements.txt') == requirements('requirements/runtime.txt')
    with open(os.path.join(REPO_ROOT, 'meta', 'execution-environment.yml'), encoding='utf-8') as handle:
        ee = yaml.safe_load(handle)
    assert ee['dependencies']['python'] == 'requirements.txt'


def test_ansible_galaxy_lists_the_installed_copy(installed, tmp_path):
    listing = run([os.path.join(BINDIR, 'ansible-galaxy'), 'collection', 'list', COLLECTION, '--format', 'json'],
                  env=clean_env(tmp_path, installed), cwd=tmp_path).stdout
    found = json.loads(listing)
    assert list(found) == [str(installed / 'ansible_collections')], found
    assert found[str(installed / 'ansible_collections')][COLLECTION]['version'] == galaxy()['version']


@pytest.mark.parametrize('plugin_type', ['module', 'lookup', 'inventory', 'filter', 'role'])
def test_ansible_doc_reads_every_plugin_from_the_installed_copy(installed, tmp_path, plugin_type):
    """`ansible-doc --list` finds exactly the plugins of the source tree, and each one's documentation loads from the install."""
    env = clean_env(tmp_path, installed)
    ansible_doc = os.path.join(BINDIR, 'ansible-doc')
    listed = json.loads(run([ansible_doc, '-t', plugin_type, '--list', '--json', COLLECTION], env=env, cwd=tmp_path).stdout)
    expected = source_roles() if plugin_type == 'role' else source_plugins(plugin_type)
    assert sorted(listed) == expected
    docs = json.loads(run([ansible_doc, '-t', plugin_type, '--json', *expected], env=env, cwd=tmp_path).stdout)
    for name in expected:
        entry = docs.get(name) or {}
        if plugin_type == 'role':
            assert entry.get('entry_points', {}).get('main', {}).get('short_description'), name
            assert entry.get('path', '').startswith(str(installed)), entry.get('path')
            continue
        doc = entry.get('doc') or {}
        assert doc.get('short_description') and doc.get('description'), 'no documentation for %s' % name
        assert entry.get('examples'), 'no examples for %s' % name
        assert doc.get('filename', '').startswith(str(installed)), '%s documented from %s' % (name, doc.get('filename'))


PLAYBOOK = r'''
- name: Use the installed collection against the emulator
  hosts: localhost
  gather_facts: false
  tasks:
    - name: Log in once
      netsapiens.pbx.login:
      register: login

    - name: Read one subscriber with the module, through module_defaults
      module_defaults:
        group/netsapiens.pbx.netsapiens:
          access_token: "{{ login.token }}"
      block:
        - name: List the domains
          netsapiens.pbx.domain_info:
          register: visible

        - name: Read the subscriber
          netsapiens.pbx.subscriber_info:
            domain: "{{ domain }}"
            user: "{{ user }}"
          register: info

    - name: The lookup returns the same record
      ansible.builtin.assert:
        that:
          - info.subscribers | length == 1
          - info.subscribers[0].user == user
          - info.subscribers == query('netsapiens.pbx.subscriber', user ~ '@' ~ domain, access_token=login.token)
          - domain in (visible.domains | map(attribute='domain'))

    - name: Write the records as CSV with the filter
      ansible.builtin.copy:
        content: "{{ info.subscribers | netsapiens.pbx.to_csv(columns=['user', 'domain']) }}"
        dest: "{{ out }}/subscriber.csv"
        mode: "0644"
'''


def test_module_lookup_and_filter_run_from_the_installed_copy(installed, emulator, tmp_path):
    domain = sorted(emulator.domains())[0]
    user = sorted(record['user'] for record in emulator.records(domain))[0]
    playbook = tmp_path / 'use.yml'
    playbook.write_text(PLAYBOOK, encoding='utf-8')
    run([os.path.join(BINDIR, 'ansible-playbook'), playbook, '-e', json.dumps({'domain': domain, 'user': user, 'out': str(tmp_path)})],
        env=emulator_env(tmp_path, installed, emulator.url), cwd=tmp_path)
    with open(tmp_path / 'subscriber.csv', encoding='utf-8') as handle:
        assert list(csv.reader(io.StringIO(handle.read()))) == [['user', 'domain'], [user, domain]]


def test_inventory_plugin_runs_from_the_installed_copy(installed, emulator, tmp_path):
    domain = sorted(emulator.domains())[0]
    config = tmp_path / 'pbx.netsapiens.yml'
    config.write_text('plugin: netsapiens.pbx.subscribers\ndomains: [%s]\n' % domain, encoding='utf-8')
    inventory = json.loads(run([os.path.join(BINDIR, 'ansible-inventory'), '-i', config, '--list'],
                               env=emulator_env(tmp_path, installed, emulator.url, ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED='1'),
                               cwd=tmp_path).stdout)
    hosts = sorted(inventory['_meta']['hostvars'])
    assert hosts and all(host.endswith('@' + domain) for host in hosts)
    assert len(hosts) <= emulator.domains()[domain]  # system users are left out
    group = inventory['netsapiens_' + domain.replace('.', '_')]['hosts']
    assert sorted(group) == hosts


def test_audit_playbook_runs_by_name_from_the_installed_copy(installed, emulator, tmp_path):
    """`ansible-playbook netsapiens.pbx.audit` (the role, the audit module and the baseline policy) works from the install."""
    reports = tmp_path / 'reports'
    result = run([os.path.join(BINDIR, 'ansible-playbook'), 'netsapiens.pbx.audit', '-e', 'subscriber_audit_report_dir=%s' % reports,
                  '-e', 'subscriber_audit_fail_on=never'], env=emulator_env(tmp_path, installed, emulator.url), cwd=tmp_path)
    assert 'Policy: Baseline subscriber policy' in result.stdout
    assert sorted(os.listdir(reports)) == ['audit-junit.xml', 'audit-report.html', 'audit-report.json', 'audit-subscribers.csv']
    with open(reports / 'audit-report.json', encoding='utf-8') as handle:
        report = json.load(handle)
    assert report['summary']['subscribers'] > 0
    assert report['summary']['domains'] == len(emulator.domains())
