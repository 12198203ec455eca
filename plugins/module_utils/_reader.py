# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the v1 and v2 readers share: the whole-domain paging loop and the 'unknown domain' test."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.netsapiens.pbx.plugins.module_utils._errors import NetSapiensApiError, NetSapiensNotFoundError

PAGE_SIZE = 1000  # the largest page API v2 documents; v1 servers that serve less are paged on from where they stopped


def says_domain_missing(reply):
    """True when an error reply says the domain (not a user) does not exist."""
    words = reply.server_message().lower()
    return 'domain' in words and ('not found' in words or 'does not exist' in words or 'unknown' in words)


def domain_missing(domain, reply):
    return NetSapiensNotFoundError("Domain '%s' does not exist on the server: %s" % (domain, reply.describe()), status=reply.status)


def capitalised(text):
    return text[:1].upper() + text[1:]


class Reader(object):
    """Base of the version readers. Subclasses give count(domain) and read_page(domain, start, doing)."""

    page_size = PAGE_SIZE

    def __init__(self, api):
        self.api = api

    def read_domain(self, domain, total=None):
        """Every raw record of a domain, paged at page_size, de-duplicated by user and proven complete by the count."""
        if total is None:
            total = self.count(domain)
        doing = "reading subscribers of domain '%s'" % domain
        records = {}
        start = 0
        while len(records) < total:
            page = self.read_page(domain, start, doing)
            if not page:
                break
            for record in page:
                records.setdefault(str(record.get('user')), record)
            # A server that serves less than asked is read on from where it stopped.
            start += len(page)
        if len(records) < total:
            raise NetSapiensApiError("%s stopped early: the server counts %d subscribers but returned %d. Nothing was returned "
                                     "rather than an incomplete list." % (capitalised(doing), total, len(records)))
        return list(records.values())

    def count(self, domain):
        raise NotImplementedError

    def read_page(self, domain, start, doing):
        raise NotImplementedError
