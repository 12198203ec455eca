# Copyright: netsapiens.pbx contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Mirror the collection's source files into a real ``ansible_collections/<ns>/<name>`` directory.

ansible-test must run from a directory whose real path ends in ``ansible_collections/<ns>/<name>``.
This copies the files git knows about (tracked, plus untracked files that are not ignored) from the
repository root into DEST, copies only what changed, and deletes files that are no longer there,
so the copy is exactly what a commit of the work tree would hold. ``tests/output`` (ansible-test's own
results) is left alone.

DEST gets an empty git repository of its own: ansible-test lists content with git when it finds a ``.git``
in the directory or any parent, and without one it would find this repository's, where ``.build/`` is
ignored, and test nothing. In the empty repository every mirrored file is an untracked, not ignored
file, which is what ansible-test lists.

    python hack/sync_tree.py DEST
"""

from __future__ import annotations

import argparse
import filecmp
import os
import pathlib
import shutil
import subprocess
import sys

KEEP = ('.git', 'tests/output')


def source_files(root: pathlib.Path) -> set[str]:
    """Return the repository's files (relative POSIX paths) that exist in the work tree."""
    listing = subprocess.run(
        ['git', 'ls-files', '-z', '--cached', '--others', '--exclude-standard'],
        cwd=root, check=True, stdout=subprocess.PIPE,
    ).stdout.decode('utf-8')
    return {name for name in listing.split('\0') if name and os.path.lexists(root / name)}


def kept(relative: str) -> bool:
    """Tell whether a path in DEST belongs to ansible-test rather than to the source."""
    return any(relative == keep or relative.startswith(keep + '/') for keep in KEEP)


def sync(root: pathlib.Path, dest: pathlib.Path) -> tuple[int, int]:
    """Make DEST mirror the source files of ROOT; return (copied, removed) counts."""
    wanted = source_files(root)
    copied = removed = 0

    for relative in sorted(wanted):
        src, dst = root / relative, dest / relative
        if src.is_symlink():
            target = os.readlink(src)
            if dst.is_symlink() and os.readlink(dst) == target:
                continue
            if dst.exists() or dst.is_symlink():
                dst.unlink()
            dst.parent.mkdir(parents=True, exist_ok=True)
            os.symlink(target, dst)
        else:
            if dst.is_file() and not dst.is_symlink() and filecmp.cmp(src, dst, shallow=False):
                if os.stat(src).st_mode == os.stat(dst).st_mode:
                    continue
            if dst.is_symlink() or dst.is_file():
                dst.unlink()
            elif dst.is_dir():
                shutil.rmtree(dst)
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dst)
        copied += 1

    for dirpath, dirnames, filenames in os.walk(dest, topdown=False):
        here = pathlib.Path(dirpath)
        for name in filenames + [d for d in dirnames if (here / d).is_symlink()]:
            relative = (here / name).relative_to(dest).as_posix()
            if relative not in wanted and not kept(relative):
                (here / name).unlink()
                removed += 1
        if here != dest and not kept(here.relative_to(dest).as_posix()) and not any(here.iterdir()):
            here.rmdir()

    return copied, removed


def main() -> int:
    """Parse arguments and mirror the tree."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('dest', type=pathlib.Path, help='the directory to mirror into')
    parser.add_argument('--root', type=pathlib.Path, default=pathlib.Path(__file__).resolve().parent.parent, help='repository root')
    args = parser.parse_args()

    root = args.root.resolve()
    dest = args.dest.resolve()
    if dest == root or (root in dest.parents and not dest.relative_to(root).as_posix().startswith('.build/')):
        raise SystemExit('refusing to mirror %s into %s' % (root, dest))
    dest.mkdir(parents=True, exist_ok=True)
    if not (dest / '.git').exists():
        subprocess.run(['git', 'init', '--quiet', str(dest)], check=True)
    copied, removed = sync(root, dest)
    print('synced %s -> %s: %d copied, %d removed' % (root, dest, copied, removed))
    return 0


if __name__ == '__main__':
    sys.exit(main())
