# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run independent reads at once on a few threads and give their results back in the order asked."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import threading
from concurrent.futures import ThreadPoolExecutor


def ordered_map(function, items, workers):
    """[function(item) for item in items], with up to `workers` calls at once. The first failure (in item order) is
    raised once every call has ended; calls not yet started when something failed are not made."""
    items = list(items)
    if workers <= 1 or len(items) <= 1:
        return [function(item) for item in items]
    stop = threading.Event()

    def call(item):
        if stop.is_set():
            return None
        try:
            return function(item)
        except BaseException:
            stop.set()
            raise

    with ThreadPoolExecutor(max_workers=min(workers, len(items))) as executor:
        futures = [executor.submit(call, item) for item in items]
    return [future.result() for future in futures]
