# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:

    # The options of every *_info module (module_utils/_specs.info_options). Each module's notes name its secret fields.
    DOCUMENTATION = r"""
options:
  domain:
    description:
      - The domains to read, for example V(acme.12345.service), or V(all) for every domain the credentials can read.
      - O(domains) is accepted as an alias.
    type: list
    elements: str
    required: true
    aliases: [domains]
  filters:
    description:
      - Keep only records whose fields equal the given values. Each key is a field of the records this module returns
        (the API v1 name); each value is a value or a list of accepted values.
      - Values are compared as the strings the records hold; an unquoted YAML V(yes) or V(no) means the string.
      - An unknown field name is an error that suggests the closest field names, before any request.
    type: dict
  include_sensitive:
    description:
      - Also return the fields that are secret (the module's notes name them) and every field a server adds whose name
        looks secret (it holds C(password), C(secret), C(pin), C(key), C(token), C(hash), ...). Password hashes are never
        returned.
      - The task result is then hidden from output at every verbosity, as if the task set C(no_log) to true; the
        registered variable still holds the records.
    type: bool
    default: false
"""

    # The user option of the *_info modules whose records belong to users (subscribers are users themselves).
    USERS = r"""
options:
  user:
    description:
      - The users (extensions) whose records to read in each domain. Omit to read the records of every user of each domain.
      - Users that do not exist are not an error; they are listed in RV(missing). A user without records is not missing.
    type: list
    elements: str
"""

    # The options of the record lookups (plugin_utils/_lookup.py) besides the connection options and _terms.
    LOOKUP = r"""
options:
  filters:
    description:
      - Keep only records whose fields equal the given values (field name -> value or list of accepted values).
      - An unknown field name is an error.
    type: dict
  include_sensitive:
    description:
      - Also return the fields that are secret (voicemail PINs, SIP passwords, ...). Password hashes are never returned.
      - A lookup cannot hide its result from output; set C(no_log) to true on every task that uses the records (for
        example a C(set_fact)), or the secrets show at C(-v).
    type: bool
    default: false
  on_missing:
    description:
      - What to do when a V(user@domain) term names no user or a term names a domain that does not exist.
      - V(error) fails, V(warn) warns and skips the term, V(ignore) skips it silently. A user without records of the kind
        is not missing; the term gives no record.
    type: str
    choices: [error, warn, ignore]
    default: error
"""
