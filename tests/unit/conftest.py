# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Make `ansible_collections.netsapiens.pbx` importable when the unit tests run under plain pytest."""

from __future__ import annotations

import os
import sys
import tempfile

REPO_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))


def _collection_finder_installed():
    return any(type(finder).__name__ == '_AnsibleCollectionFinder' for finder in sys.meta_path)


def _collections_root():
    """A directory holding ansible_collections/netsapiens/pbx: the checkout itself, or a symlink to it."""
    parent = os.path.dirname(REPO_ROOT)
    if os.path.basename(REPO_ROOT) == 'pbx' and os.path.basename(os.path.dirname(parent)) == 'ansible_collections':
        return os.path.dirname(os.path.dirname(parent))
    root = tempfile.mkdtemp(prefix='netsapiens-units-')
    os.makedirs(os.path.join(root, 'ansible_collections', 'netsapiens'))
    os.symlink(REPO_ROOT, os.path.join(root, 'ansible_collections', 'netsapiens', 'pbx'))
    return root


if not _collection_finder_installed():
    from ansible.plugins.loader import init_plugin_loader
    init_plugin_loader([_collections_root()])
