# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

from ansible_collections.netsapiens.pbx.plugins.plugin_utils._action import SecretResultAction


class ActionModule(SecretResultAction):
    """Records with voicemail PINs (include_sensitive) are hidden from output."""

    def holds_secrets(self, result):
        return any('subscriber_pin' in record for record in result.get('subscribers') or [] if isinstance(record, dict))
