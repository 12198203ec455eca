# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Sphinx configuration of the netsapiens.pbx docsite, built by `make docs`.

Based on what `antsibull-docs sphinx-init` (2.28) writes, with one change: the build must work offline, so
instead of downloading the Ansible docsite's intersphinx inventory it writes a small one next to this file
that holds the few Ansible docsite targets the generated plugin pages refer to. The links still point to
docs.ansible.com. Add an entry to ANSIBLE_DOCSITE_TARGETS when the build reports another undefined label.
"""

from __future__ import annotations

import os
import zlib

project = 'netsapiens.pbx'
copyright = 'netsapiens.pbx contributors'  # pylint: disable=redefined-builtin

title = 'netsapiens.pbx collection documentation'
html_short_title = 'netsapiens.pbx'

extensions = ['sphinx.ext.intersphinx', 'sphinx_antsibull_ext']

pygments_style = 'ansible'
highlight_language = 'YAML+Jinja'

html_theme = 'sphinx_ansible_theme'
html_show_sphinx = False
display_version = False
html_use_smartypants = True
html_use_modindex = False
html_use_index = False
html_copy_source = False

default_role = 'any'
nitpicky = True

ANSIBLE_DOCSITE = 'https://docs.ansible.com/projects/ansible/devel/'

# (name, domain:role, path on the Ansible docsite, title) of the targets that generated pages refer to.
ANSIBLE_DOCSITE_TARGETS = (
    ('action_plugins', 'std:label', 'plugins/action.html#action-plugins', 'Action plugins'),
    ('common_return_values', 'std:label', 'reference_appendices/common_return_values.html#common-return-values',
     'Return Values'),
    ('ansible_configuration_settings', 'std:label', 'reference_appendices/config.html#ansible-configuration-settings',
     'Ansible Configuration Settings'),
    ('module_defaults', 'std:label', 'playbook_guide/playbooks_module_defaults.html#module-defaults',
     'Module defaults'),
    ('ANSIBLE_CACHE_PLUGIN', 'std:envvar', 'reference_appendices/config.html#envvar-ANSIBLE_CACHE_PLUGIN', '-'),
    ('ANSIBLE_CACHE_PLUGIN_CONNECTION', 'std:envvar', 'reference_appendices/config.html#envvar-ANSIBLE_CACHE_PLUGIN_CONNECTION',
     '-'),
    ('ANSIBLE_CACHE_PLUGIN_PREFIX', 'std:envvar', 'reference_appendices/config.html#envvar-ANSIBLE_CACHE_PLUGIN_PREFIX', '-'),
    ('ANSIBLE_CACHE_PLUGIN_TIMEOUT', 'std:envvar', 'reference_appendices/config.html#envvar-ANSIBLE_CACHE_PLUGIN_TIMEOUT',
     '-'),
)


def write_inventory(path, targets):
    """Write a Sphinx (intersphinx) inventory, version 2, for the given targets."""
    header = ('# Sphinx inventory version 2\n'
              '# Project: Ansible\n'
              '# Version: devel\n'
              '# The remainder of this file is compressed using zlib.\n')
    body = ''.join('%s %s -1 %s %s\n' % target for target in targets)
    with open(path, 'wb') as handle:
        handle.write(header.encode('utf-8') + zlib.compress(body.encode('utf-8')))


ANSIBLE_INVENTORY = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'ansible_devel.inv')
write_inventory(ANSIBLE_INVENTORY, ANSIBLE_DOCSITE_TARGETS)

intersphinx_mapping = {
    'ansible_devel': (ANSIBLE_DOCSITE, ANSIBLE_INVENTORY),
}
