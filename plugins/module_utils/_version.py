# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The collection version, sent in the User-Agent. Kept equal to galaxy.yml by a unit test."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

COLLECTION_VERSION = '1.0.0'
USER_AGENT = 'netsapiens.pbx/%s' % COLLECTION_VERSION
