# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Makefile stays readable: one .PHONY line naming every target, one distclean, a `make help` text for every target,
and the README names every target. Reads files only (make test runs it with the other pytest suites)."""

from __future__ import annotations

import os
import re

from release_helpers import REPO_ROOT

TARGET = re.compile(r'^([a-z0-9-]+):(?!=)(.*)$', re.MULTILINE)


def read(name):
    with open(os.path.join(REPO_ROOT, name), encoding='utf-8') as handle:
        return handle.read()


def targets():
    """target -> the rest of its rule line (prerequisites and `## help`), for every rule named like a command."""
    rules = {}
    for name, rest in TARGET.findall(read('Makefile')):
        assert name not in rules, 'the Makefile defines %s twice' % name
        rules[name] = rest
    return rules


def test_one_phony_line_names_every_target():
    phony = [line for line in read('Makefile').splitlines() if line.startswith('.PHONY')]
    assert len(phony) == 1, phony
    assert sorted(phony[0].split(':', 1)[1].split()) == sorted(targets())


def test_every_target_has_a_help_text():
    assert [name for name, rest in targets().items() if '## ' not in rest] == []


def test_the_readme_names_every_target():
    readme = read('README.md')
    assert [name for name in targets() if not re.search(r'`%s`|\bmake %s(?![\w-])' % (name, name), readme)] == []


def test_no_issue_numbers_in_comments():
    assert re.findall(r'^#.*\bissue \d+.*$', read('Makefile'), re.MULTILINE | re.IGNORECASE) == []
