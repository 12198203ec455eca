# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The inline stylesheet and script of audit-report.html. Neither contains report data."""

from __future__ import annotations

import base64
import hashlib

SEVERITY_COLOURS = {'critical': '#9f1239', 'high': '#dc2626', 'medium': '#ea8a0c', 'low': '#2563eb', 'info': '#64748b'}

CSS = """
*{box-sizing:border-box}
body{margin:0;background:#f4f6f9;color:#1f2937;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
main{max-width:1200px;margin:0 auto;padding:24px 28px 40px}
h1{font-size:26px;margin:0 0 4px}
h2{font-size:18px;margin:0 0 12px}
p{margin:4px 0}
.muted{color:#6b7280}
.fix{color:#374151;font-size:.9em;margin-top:4px}.fix::before{content:"Fix: ";font-weight:600}
td.ref a{color:#1d4ed8}
section{background:#fff;border:1px solid #e5e7eb;border-radius:8px;padding:18px 20px;margin:16px 0}
.verdict{font-size:17px;font-weight:600;border-width:0 0 0 6px;border-style:solid}
.verdict.pass{border-color:#16a34a;background:#f0fdf4}
.verdict.fail{border-color:#dc2626;background:#fef2f2}
.verdict.neutral{border-color:#64748b}
.verdict span{font-weight:400}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(160px,1fr));gap:12px}
.card{border:1px solid #e5e7eb;border-radius:6px;padding:10px 14px;background:#fafbfc}
.card b{display:block;font-size:24px}
.card span{color:#6b7280;font-size:13px}
.severities{display:flex;flex-wrap:wrap;gap:8px;margin-top:14px}
.sev{display:inline-block;border-radius:10px;padding:1px 9px;color:#fff;font-size:12px;font-weight:600;white-space:nowrap}
.chart{width:100%;max-width:920px;height:auto;display:block}
.chart text{font-size:13px;fill:#1f2937}
.chart .count{font-weight:600}
.legend{display:flex;gap:8px;margin:0 0 8px}
.table-wrap{overflow-x:auto}
table{border-collapse:collapse;width:100%;font-size:13px}
th,td{text-align:left;padding:6px 8px;border-bottom:1px solid #eef0f3;vertical-align:top}
th{background:#f8fafc;white-space:nowrap}
td.num,th.num{text-align:right}
td.id{white-space:nowrap;font-weight:600}
td.text{overflow-wrap:anywhere;min-width:6em}
td.value{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;word-break:break-all}
tbody tr:nth-child(even){background:#fbfcfd}
tbody tr:hover{background:#f1f5f9}
th button{all:unset;cursor:pointer;font-weight:600}
th button:focus-visible{outline:2px solid #2563eb}
th[aria-sort=ascending] button::after{content:" \\25B2";font-size:10px}
th[aria-sort=descending] button::after{content:" \\25BC";font-size:10px}
.empty{color:#9ca3af;font-style:italic}
.tools{display:flex;gap:12px;align-items:center;margin-bottom:10px}
.tools input{flex:0 1 360px;padding:6px 10px;border:1px solid #cbd5e1;border-radius:6px;font:inherit}
.note{background:#fffbeb;border:1px solid #fde68a;border-radius:6px;padding:8px 12px;margin-bottom:10px}
.warn{color:#b91c1c}
footer{color:#6b7280;font-size:12px;text-align:center}
h3{font-size:15px;margin:16px 0 8px}
.chg-counts{display:inline-flex;flex-wrap:wrap;gap:8px;margin-left:8px;font-size:13px;font-weight:400;vertical-align:middle}
.chg{border:1px solid #e5e7eb;border-radius:10px;padding:1px 9px;background:#fafbfc}
.chg[data-count=new]{border-color:#fca5a5;background:#fef2f2}
.chg[data-count=resolved]{border-color:#86efac;background:#f0fdf4}
.mark{display:inline-block;border-radius:10px;padding:1px 8px;font-size:12px;font-weight:600;background:#e5e7eb;color:#374151}
.mark-new{background:#fee2e2;color:#991b1b}
.mark-resolved{background:#dcfce7;color:#166534}
.mark-added{background:#dbeafe;color:#1e40af}
.mark-changed{background:#fef3c7;color:#92400e}
@media print{.tools{display:none}section{break-inside:avoid-page;border-color:#ccc}body{background:#fff}}
""" + ''.join('.sev-%s{background:%s}' % item for item in sorted(SEVERITY_COLOURS.items())) + '\n'

# Sort the violations table by a header click, filter it from the text box. A URL fragment such as
# #sort=user:desc&filter=acme does the same on load. Marks the table data-sortable="ready" when set up.
JS = """
(function () {
  'use strict';
  var table = document.getElementById('violations');
  if (!table || !table.tHead || !table.tBodies.length) { return; }
  var body = table.tBodies[0];
  var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
  var filter = document.getElementById('filter');
  var shown = document.getElementById('shown');
  var collator = new Intl.Collator(undefined, {numeric: true, sensitivity: 'base'});
  function sortKey(row, index) {
    var cell = row.cells[index];
    var key = cell.getAttribute('data-sort');
    return key === null ? cell.textContent : key;
  }
  function sortBy(index, descending) {
    var rows = Array.prototype.slice.call(body.rows).map(function (row, position) {
      return {row: row, key: sortKey(row, index), position: position};
    });
    var direction = descending ? -1 : 1;
    rows.sort(function (a, b) {
      return direction * collator.compare(a.key, b.key) || a.position - b.position;
    });
    var fragment = document.createDocumentFragment();
    rows.forEach(function (item) { fragment.appendChild(item.row); });
    body.appendChild(fragment);
    headers.forEach(function (th, i) {
      if (i === index) { th.setAttribute('aria-sort', descending ? 'descending' : 'ascending'); } else { th.removeAttribute('aria-sort'); }
    });
  }
  function applyFilter() {
    var words = filter.value.toLowerCase().split(/\\s+/).filter(Boolean);
    var visible = 0;
    Array.prototype.forEach.call(body.rows, function (row) {
      var content = row.textContent.toLowerCase();
      var match = words.every(function (word) { return content.indexOf(word) !== -1; });
      row.hidden = !match;
      if (match) { visible += 1; }
    });
    shown.textContent = visible === body.rows.length ? visible + ' rows' : visible + ' of ' + body.rows.length + ' rows';
  }
  headers.forEach(function (th, index) {
    var button = th.querySelector('button');
    if (!button) { return; }
    button.addEventListener('click', function () {
      sortBy(index, th.getAttribute('aria-sort') === 'ascending');
    });
  });
  if (filter) { filter.addEventListener('input', applyFilter); }
  var params = {};
  location.hash.replace(/^#/, '').split('&').forEach(function (part) {
    var pair = part.split('=');
    if (pair.length === 2) { params[pair[0]] = decodeURIComponent(pair[1]); }
  });
  if (params.sort) {
    var wanted = params.sort.split(':');
    headers.forEach(function (th, index) {
      if (th.getAttribute('data-key') === wanted[0]) { sortBy(index, wanted[1] === 'desc'); }
    });
  }
  if (filter && params.filter) { filter.value = params.filter; }
  if (filter) { applyFilter(); }
  table.setAttribute('data-sortable', 'ready');
}());
"""


def csp_hash(source):
    """The Content-Security-Policy source expression that allows exactly this inline script or style."""
    return "'sha256-%s'" % base64.b64encode(hashlib.sha256(source.encode('utf-8')).digest()).decode('ascii')


CONTENT_SECURITY_POLICY = "default-src 'none'; style-src %s; script-src %s; img-src data:; base-uri 'none'; form-action 'none'" % (
    csp_hash(CSS), csp_hash(JS))
