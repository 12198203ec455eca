# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:

    # Every module of the collection only reads.
    DOCUMENTATION = r"""
attributes:
  check_mode:
    description: Can run in check_mode and return changed status prediction without modifying target.
    support: full
    details: The module never changes anything, so check mode runs it as usual.
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in check_mode), when in diff mode.
    support: none
  action_group:
    description: Use C(group/netsapiens.pbx.netsapiens) in C(module_defaults) to set defaults for this module.
    support: full
    membership:
      - netsapiens.pbx.netsapiens
  platform:
    description: Target OS/families that can be operated against.
    support: N/A
    platforms: all
notes:
  - The module only reads; it never changes anything on the server.
  - The module runs on the controller (as an action plugin), in the play's own process. C(NETSAPIENS_*) variables are read
    from the task's C(environment) keyword, then from the controller's environment; C(delegate_to) has no effect.
"""
