# Copyright: netsapiens.pbx contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The concurrent floor: the requests an audit with the compliance packs makes through API v2, in plain Python with
`requests` and a pool of threads, as many requests in flight as the collection's max_concurrency.

The same requests as the collection, nothing else done with the answers than decoding the JSON:
  - one token (POST /ns-api/v2/tokens); with --probe first GET /ns-api/v2/version; with --all-domains the domain list;
  - per domain the users, the E911 addresses and the phone numbers: the count and the first page at once, then the
    pages the count calls for at once (each page after the first starts at the last record of the one before), and the
    domain's own dial policies (one request);
  - the dial policies the credentials can see (GET /ns-api/v2/dialpolicy), then the permissions of each policy once;
  - per user (system users too) the devices and the answer rules, one request each.
With --concurrency 1 it sends one request at a time, and asks for a page only when the count calls for it (as the
collection does at max_concurrency 1): benchmarks/floor_audit_sequential.py is that, without threads.
--objects users reads the users only (the floor of subscriber_info). Credentials come from the NETSAPIENS_* variables.

    python benchmarks/floor_audit.py --domains a.example,b.example [--concurrency 8] [--objects users] [--probe]
    python benchmarks/floor_audit.py --all-domains --objects users
"""

from __future__ import annotations

import argparse
import os
import sys
import urllib.parse
from concurrent.futures import ThreadPoolExecutor

import requests

PAGE = 1000
DOMAIN_LISTS = ('users', 'addresses', 'phonenumbers')
USER_LISTS = ('answerrules', 'devices')
AUDIT_OBJECTS = ('users', 'addresses', 'answerrules', 'devices', 'dialpolicies', 'phonenumbers')


def quote(value):
    return urllib.parse.quote(value, safe='')


class Floor:
    """One session, one token, and `run(function, items)`: the calls at once on a pool of threads (or one at a time)."""

    def __init__(self, base, concurrency):
        self.base, self.concurrency = base + '/ns-api/v2/', concurrency
        self.session = requests.Session()
        adapter = requests.adapters.HTTPAdapter(pool_maxsize=max(10, concurrency))
        self.session.mount('http://', adapter)
        self.session.mount('https://', adapter)
        self.pool = ThreadPoolExecutor(max_workers=concurrency) if concurrency > 1 else None

    def run(self, function, items):
        return list(self.pool.map(function, items)) if self.pool else [function(item) for item in items]

    def get(self, path, params=None):
        reply = self.session.get(self.base + path, params=params, timeout=60)
        reply.raise_for_status()
        return reply.json()

    def login(self, probe):
        if probe:
            self.get('version')
        grant = {'grant_type': 'password', 'client_id': os.environ['NETSAPIENS_CLIENT_ID'],
                 'client_secret': os.environ['NETSAPIENS_CLIENT_SECRET'], 'username': os.environ['NETSAPIENS_USERNAME'],
                 'password': os.environ['NETSAPIENS_PASSWORD']}
        reply = self.session.post(self.base + 'tokens', json=grant, timeout=60)
        reply.raise_for_status()
        self.session.headers['Authorization'] = 'Bearer ' + reply.json()['access_token']

    def page(self, path, start):
        return self.get(path, {'limit': PAGE, 'start': start})

    def lists(self, paths):
        """Every record of each paged list, path by path: the counts with the first pages, then the pages they call for."""
        if self.pool:
            asked = self.run(lambda ask: self.get(ask[0] + '/count') if ask[1] is None else self.page(ask[0], 0),
                             [(path, start) for path in paths for start in (None, 0)])
            counts, firsts = [int(answer['total']) for answer in asked[0::2]], asked[1::2]
        else:
            counts = [int(self.get(path + '/count')['total']) for path in paths]
            firsts = [self.page(path, 0) if count else [] for path, count in zip(paths, counts)]
        later = [(index, start) for index, (count, first) in enumerate(zip(counts, firsts)) if count > len(first) > 1
                 for start in range(len(first) - 1, count - 1, len(first) - 1)]
        pages = self.run(lambda ask: self.page(paths[ask[0]], ask[1]), later)
        records = [list(first) for first in firsts]
        for (index, _start), page in zip(later, pages):
            records[index].extend(page[1:])
        return records


def read_all(floor, domains, objects):
    """Read what the audit reads (or the objects named); return how many users were read."""
    lists = [(domain, name) for domain in domains for name in DOMAIN_LISTS if name in objects]
    records = dict(zip(lists, floor.lists(['domains/%s/%s' % (quote(domain), name) for domain, name in lists])))
    users = [(domain, str(user['user'])) for domain in domains for user in records[(domain, 'users')]]
    per_user = ['domains/%s/users/%s/%s' % (quote(domain), quote(user), name) for name in USER_LISTS if name in objects
                for domain, user in users]
    if 'dialpolicies' in objects:
        per_user += permissions(floor, domains)
    floor.run(lambda path: floor.page(path, 0), per_user)
    return len(users)


def permissions(floor, domains):
    """The permission lists of every policy the domains can use (each once), after reading the policies."""
    found = floor.run(lambda path: floor.page(path, 0), ['dialpolicy'] + ['domains/%s/dialpolicy' % quote(domain) for domain in domains])
    shared = ['dialpolicy/%s/permission' % quote(policy['dialpolicy']) for policy in found[0] if policy.get('domain') == '*']
    own = ['domains/%s/dialpolicy/%s/permission' % (quote(domain), quote(policy['dialpolicy']))
           for domain, policies in zip(domains, found[1:]) for policy in policies]
    return sorted(set(shared)) + own


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument('--domains', help='comma-separated domain names')
    where.add_argument('--all-domains', action='store_true', help='list the domains first (as domain: all does)')
    parser.add_argument('--concurrency', type=int, default=8, help='requests in flight at once (default 8, as max_concurrency)')
    parser.add_argument('--objects', default=','.join(AUDIT_OBJECTS), help='what to read (default: what the audit reads)')
    parser.add_argument('--probe', action='store_true', help='ask /ns-api/v2/version first (as api_version auto does)')
    return parser.parse_args(argv)


def main(argv=None, concurrency=None):
    args = parse_args(argv)
    floor = Floor(os.environ['NETSAPIENS_API_URL'].rstrip('/'), concurrency or args.concurrency)
    floor.login(args.probe)
    if args.all_domains:
        domains = sorted(str(domain['domain']) for domain in floor.lists(['domains'])[0])
    else:
        domains = [name for name in args.domains.split(',') if name]
    print('records: %d' % read_all(floor, domains, set(args.objects.split(','))))
    return 0


if __name__ == '__main__':
    sys.exit(main())
