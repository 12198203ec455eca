# Copyright: netsapiens.pbx contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The sequential floor: the requests of benchmarks/floor_audit.py one at a time, in a plain loop without threads (a
count first, a page only when the count calls for it), as a script written without concurrency would send them.

    python benchmarks/floor_audit_sequential.py --domains a.example,b.example [--objects users] [--probe]
"""

from __future__ import annotations

import sys

import floor_audit

if __name__ == '__main__':
    sys.exit(floor_audit.main(concurrency=1))
