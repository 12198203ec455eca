# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The connection option table (_options.CONNECTION_OPTIONS) is the one source: every place that documents the options
(both doc fragments, every module, the lookup, the inventory plugin and the role's argument specs) says the same."""

from __future__ import annotations

import glob
import os

import pytest
import yaml
from ansible.plugins.loader import fragment_loader
from ansible.utils.plugin_docs import get_docstring

from ansible_collections.netsapiens.pbx.plugins.doc_fragments.connection import ModuleDocFragment
from ansible_collections.netsapiens.pbx.plugins.module_utils._options import CONNECTION_OPTIONS, RANGES, env_name, var_name
from ansible_collections.netsapiens.pbx.plugins.module_utils._specs import MODULE_SPECS

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..', '..'))
PLUGIN_FILES = sorted(glob.glob(os.path.join(ROOT, 'plugins', 'modules', '*.py'))) + [
    os.path.join(ROOT, 'plugins', 'lookup', 'subscriber.py'), os.path.join(ROOT, 'plugins', 'inventory', 'subscribers.py')]
ROLE_SPECS = sorted(glob.glob(os.path.join(ROOT, 'roles', '*', 'meta', 'argument_specs.yml')))


def _text(option_doc):
    description = option_doc.get('description', '')
    return ' '.join(description) if isinstance(description, list) else description


def _check_option(name, documented, where):
    spec = CONNECTION_OPTIONS[name]
    assert documented.get('type', 'str') == spec['type'], (where, name)
    assert documented.get('default') == spec.get('default'), (where, name)
    assert documented.get('choices') == spec.get('choices'), (where, name)
    assert bool(documented.get('required')) == bool(spec.get('required')), (where, name)
    text = _text(documented)
    assert 'E(%s)' % env_name(name) in text, (where, name)
    if name in RANGES:
        assert 'Between %d and %d.' % RANGES[name] in text, (where, name)


def test_the_fragment_documents_exactly_the_table():
    documented = yaml.safe_load(ModuleDocFragment.DOCUMENTATION)['options']
    assert sorted(documented) == sorted(CONNECTION_OPTIONS)
    for name, option in documented.items():
        _check_option(name, option, 'doc fragment')


def test_the_plugin_fragment_names_each_env_var_and_variable():
    sources = yaml.safe_load(ModuleDocFragment.PLUGINS)['options']
    assert sorted(sources) == sorted(CONNECTION_OPTIONS)
    for name, option in sources.items():
        assert option == {'env': [{'name': env_name(name)}], 'vars': [{'name': var_name(name)}]}, name


@pytest.mark.parametrize('path', PLUGIN_FILES, ids=os.path.basename)
def test_every_plugin_documents_the_table(path):
    kind = os.path.basename(os.path.dirname(path))
    doc = get_docstring(path, fragment_loader, collection_name='netsapiens.pbx', is_module=kind == 'modules',
                        plugin_type=None if kind == 'modules' else kind)[0]
    options = doc['options']
    for name in CONNECTION_OPTIONS:
        _check_option(name, options[name], path)
        if kind != 'modules':
            assert options[name]['env'] == [{'name': env_name(name)}] and options[name]['vars'] == [{'name': var_name(name)}]


@pytest.mark.parametrize('path', ROLE_SPECS, ids=lambda path: path.split(os.sep)[-3])
def test_every_role_documents_the_table(path):
    with open(path, encoding='utf-8') as handle:
        options = yaml.safe_load(handle)['argument_specs']['main']['options']
    prefix = path.split(os.sep)[-3] + '_'
    for name, spec in CONNECTION_OPTIONS.items():
        documented = options[prefix + name]
        assert documented.get('type', 'str') == spec['type'], name
        assert documented.get('choices') == spec.get('choices'), name
        text = _text(documented)
        assert 'E(%s)' % env_name(name) in text, name
        if spec.get('default') is not None:
            assert 'else V(%s)' % str(spec['default']).lower() in text, name
        if name in RANGES:
            assert 'Between %d and %d.' % RANGES[name] in text, name


@pytest.mark.parametrize('name', sorted(MODULE_SPECS))
def test_every_module_documents_exactly_its_argument_spec(name):
    """Each module's documentation (fragments merged) has the options its action plugin validates against, alike."""
    path = os.path.join(ROOT, 'plugins', 'modules', '%s.py' % name)
    documented = get_docstring(path, fragment_loader, collection_name='netsapiens.pbx', is_module=True)[0]['options']
    own, _exclusive, _required = MODULE_SPECS[name]
    assert sorted(documented) == sorted(set(CONNECTION_OPTIONS) | set(own))
    for option, spec in own.items():
        for field in ('type', 'elements', 'default', 'aliases', 'choices'):
            assert documented[option].get(field) == spec.get(field), (option, field)
        assert bool(documented[option].get('required')) == bool(spec.get('required')), option
