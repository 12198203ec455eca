# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The docsite that `make docs` builds (antsibull-docs + Sphinx), opened in headless Chromium.

Uses the site in NETSAPIENS_DOCS_HTML (`make docs-check` sets it to .build/docs/html); without that variable it
runs `make docs` first. Screenshots of the pages land in .build/docs/screenshots for a human look.
"""

from __future__ import annotations

import glob
import html.parser
import os
import re
import subprocess
import urllib.parse

import pytest

from release_helpers import REPO_ROOT

GUIDES = {
    'guide_authentication': ('Connecting and choosing an authentication method',
                             ('module_defaults', 'group/netsapiens.pbx.netsapiens', 'Lookups are templated lazily',
                              'netsapiens_access_token', 'NETSAPIENS_API_KEY')),
    'guide_records': ('Reading subscriber records and writing assertions',
                      ('include_sensitive', 'ansible.builtin.assert', 'selectattr', 'netsapiens.pbx.to_csv')),
    'guide_audit': ('Auditing subscribers against a policy, and in CI',
                    ('subscriber_audit_fail_on', 'audit-junit.xml', 'exemptions', 'docs/policy.md',
                     'ansible-playbook netsapiens.pbx.audit')),
    'guide_inventory': ('Subscribers as inventory hosts',
                        ('netsapiens.pbx.subscribers', 'keyed_groups', 'netsapiens_acme_12345_service', 'cache_timeout',
                         'user@domain')),
    'guide_awx': ('Running the audit in AWX or Automation Platform',
                  ('Injector configuration', 'NETSAPIENS_API_KEY', 'execution-environment.yml', 'survey',
                   'subscriber_audit_fail_on')),
    'ci': ('The audit in CI: fail only on what got worse',
           ('netsapiens.pbx.audit_ci', 'actions/cache/restore@v4', 'audit-reports/audit-junit.xml',
            'fail_on_new_only', 'Staying red until a new violation is fixed')),
    'guide_directory': ('Company phone directories for desk phones and LDAP',
                        ('directory_templates_path', 'remote_phonebook.data.1.url', '000000000000-directory.xml',
                         'phonebook.xml', 'ldapadd', 'directory_phonebook')),
}
PLUGIN_PAGES = ('audit_module', 'domain_info_module', 'login_module', 'subscriber_info_module', 'subscriber_lookup',
                'subscribers_inventory', 'to_csv_filter', 'subscriber_audit_role')


class Page(html.parser.HTMLParser):
    """The visible text (scripts and styles left out), the title and the links of an HTML document."""

    def __init__(self, source):
        super().__init__(convert_charrefs=True)
        self.parts, self.links, self.headings, self.title = [], [], [], ''
        self._skip = 0
        self._in_title = False
        self._heading = None
        self.feed(source)
        self.text = re.sub(r'\s+', ' ', ' '.join(self.parts))

    def handle_starttag(self, tag, attrs):
        if tag in ('script', 'style'):
            self._skip += 1
        elif tag == 'title':
            self._in_title = True
        elif tag in ('h1', 'h2', 'h3'):
            self._heading = []
        elif tag == 'a' and dict(attrs).get('href'):
            self.links.append(dict(attrs)['href'])

    def handle_endtag(self, tag):
        if tag in ('script', 'style'):
            self._skip -= 1
        elif tag == 'title':
            self._in_title = False
        elif tag in ('h1', 'h2', 'h3') and self._heading is not None:
            self.headings.append(re.sub(r'\s+', ' ', ''.join(self._heading)).replace('\uf0c1', '').strip())
            self._heading = None

    def handle_data(self, data):
        if self._skip:
            return
        if self._in_title:
            self.title += data
        if self._heading is not None:
            self._heading.append(data)
        self.parts.append(data)


@pytest.fixture(scope='module')
def site():
    """The built site's html directory."""
    html_dir = os.environ.get('NETSAPIENS_DOCS_HTML')
    if not html_dir:
        html_dir = os.path.join(REPO_ROOT, '.build', 'docs', 'html')
        completed = subprocess.run(['make', 'docs'], cwd=REPO_ROOT, capture_output=True, text=True, timeout=900, check=False)
        assert completed.returncode == 0, 'make docs failed:\n%s\n%s' % (completed.stdout[-4000:], completed.stderr[-4000:])
    assert os.path.isfile(os.path.join(html_dir, 'index.html')), 'no docsite in %s: run make docs' % html_dir
    return html_dir


@pytest.fixture
def render(site, run_chromium):
    """render('subscriber_info_module') -> Page of the DOM after Chromium has loaded the page and run its scripts."""
    def call(name):
        return Page(run_chromium('--dump-dom', 'file://%s' % os.path.join(site, name + '.html')))
    return call


def test_index_lists_the_guides_and_every_plugin(render, site):
    page = render('index')
    assert page.title.startswith('Netsapiens.Pbx')
    assert 'Collection version' in page.text and 'Supported ansible-core versions' in page.text
    assert 'User guide' in page.headings and 'Plugin Index' in page.headings
    for guide in GUIDES.values():
        assert guide[0] in page.text, guide[0]
    for plugin in ('audit module', 'domain_info module', 'login module', 'subscriber_info module', 'subscriber lookup',
                   'subscribers inventory', 'to_csv filter', 'subscriber_audit role'):
        assert plugin in page.text, plugin
    linked = {urllib.parse.urlsplit(link).path for link in page.links}
    for name in PLUGIN_PAGES:
        assert name + '.html' in linked, name
    for name in GUIDES:
        assert 'docsite/%s.html' % name in linked, name


def test_subscriber_info_module_page(render):
    page = render('subscriber_info_module')
    assert page.headings[0].startswith('netsapiens.pbx.subscriber_info module')
    for heading in ('Synopsis', 'Requirements', 'Parameters', 'Attributes', 'Notes', 'Examples', 'Return Values'):
        assert heading in page.headings, heading
    for text in ('domain', 'filters', 'include_sensitive', 'api_key', 'NETSAPIENS_API_URL', 'subscribers', 'api_version',
                 'requests', 'it never changes anything on the server',
                 'Every Office Manager of two domains'):  # the name of a task in EXAMPLES
        assert text in page.text, text


@pytest.mark.parametrize('guide', sorted(GUIDES))
def test_guide_pages(render, guide):
    title, phrases = GUIDES[guide]
    page = render('docsite/' + guide)
    assert page.headings[0] == title
    for phrase in phrases:
        assert phrase in page.text, phrase


def test_every_internal_link_resolves(site):
    """No page links to a file of the site that does not exist (the offline build must not leave dead links)."""
    dead = []
    for path in glob.glob(os.path.join(site, '**', '*.html'), recursive=True):
        with open(path, encoding='utf-8') as handle:
            page = Page(handle.read())
        for link in page.links:
            parts = urllib.parse.urlsplit(link)
            if parts.scheme or parts.netloc or not parts.path:
                continue
            target = os.path.normpath(os.path.join(os.path.dirname(path), urllib.parse.unquote(parts.path)))
            if not os.path.exists(target):
                dead.append('%s -> %s' % (os.path.relpath(path, site), link))
    assert not dead, dead


def test_screenshots(site, run_chromium):
    """Chromium renders the index and the module page to PNG (kept in .build/docs/screenshots to look at)."""
    keep = os.path.join(os.path.dirname(os.path.abspath(site)), 'screenshots')
    os.makedirs(keep, exist_ok=True)
    for name in ('index', 'subscriber_info_module', 'docsite/guide_audit'):
        png = os.path.join(keep, name.replace('/', '_') + '.png')
        if os.path.exists(png):
            os.remove(png)
        run_chromium('--screenshot=%s' % png, '--window-size=1280,1600', 'file://%s' % os.path.join(site, name + '.html'))
        assert os.path.getsize(png) > 20000, '%s looks empty' % png
        with open(png, 'rb') as handle:
            assert handle.read(8) == b'\x89PNG\r\n\x1a\n'
