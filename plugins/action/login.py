# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

from ansible_collections.netsapiens.pbx.plugins.plugin_utils._action import SecretResultAction


class ActionModule(SecretResultAction):
    """A successful login result holds the access and refresh tokens: hidden from output."""

    def holds_secrets(self, result):
        return 'token' in result
