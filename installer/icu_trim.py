"""A smaller ICU data library for the Linux bundle: Qt's ``libicudata.so.73`` (32 MB,
the largest file in the bundle) with the locale data of languages the app does not
offer taken out, so the bundle stays under its limit with ``cryptography`` in it
(issue 23: the team's key file; docs/installing.md).

What is kept: everything that is not one language's data (normalisation, case and
break rules, dictionaries, converters, time zones, plural and supplemental data), the
root locale, and English, Welsh, Scottish Gaelic and Irish in every tree (names of
languages, regions, currencies, units and zones; collation; number spell-out). The
app's own texts are English; names typed in any script are still laid out, sorted and
broken by the kept root data. What is taken out: the other locales' ``.res`` items,
about two thirds of the data.

Done with ICU's own ``icupkg`` on the data extracted from the library's
``icudt73_dat`` symbol, then assembled back into a library of the same name and
soname. Linux only: the Windows wheels' Qt uses Windows' own ICU and ships no data
library. Without ``icupkg`` or a C compiler, ``trimmed_icu_data`` returns None and the
full library is kept (the size test then names the bundle as over its limit).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Final

KEEP_LANGUAGES: Final = ("en", "cy", "gd", "ga")
# The trees whose items are named by locale; brkitr and translit are kept whole.
LOCALE_TREES: Final = ("", "curr/", "lang/", "region/", "unit/", "zone/", "coll/", "rbnf/")
_ALWAYS: Final = frozenset({"root", "pool", "res_index"})
_LOCALE: Final = re.compile(r"^([a-z]{2,3})(?:_[A-Za-z0-9]*)*$")  # "de_" too (a collation)


def removable(item: str) -> bool:
    """True for one language's ``.res`` item that the app does not need."""
    tree, _, name = item.rpartition("/")
    tree = f"{tree}/" if tree else ""
    if tree not in LOCALE_TREES or not name.endswith(".res"):
        return False
    stem = name.removesuffix(".res")
    match = _LOCALE.match(stem)
    return stem not in _ALWAYS and match is not None and match.group(1) not in KEEP_LANGUAGES


def _symbol(library: Path, name: str) -> tuple[int, int]:
    """(file offset, size) of a data symbol (its section maps file offset = address)."""
    table = subprocess.run(
        ["readelf", "-Ws", str(library)], capture_output=True, text=True, check=True
    ).stdout
    for line in table.splitlines():
        fields = line.split()
        if len(fields) >= 8 and fields[7] == name:
            return int(fields[1], 16), int(fields[2], 0)
    raise ValueError(f"{library.name} has no symbol {name}")


def trimmed_icu_data(library: Path, out_folder: Path) -> Path | None:
    """A copy of ``library`` (``libicudata.so.NN``) with the removable items taken out,
    in ``out_folder``; None if the tools are missing."""
    if not all(shutil.which(tool) for tool in ("icupkg", "readelf", "cc")):
        return None
    version = library.name.split(".so.")[1].split(".")[0]
    symbol = f"icudt{version}_dat"
    offset, size = _symbol(library, symbol)
    with tempfile.TemporaryDirectory() as work_name:
        work = Path(work_name)
        data = work / f"icudt{version}l.dat"
        with library.open("rb") as source:
            source.seek(offset)
            data.write_bytes(source.read(size))
        items = subprocess.run(
            ["icupkg", "-l", str(data)], capture_output=True, text=True, check=True
        ).stdout.split()
        remove = work / "remove.txt"
        remove.write_text("\n".join(i for i in items if removable(i)) + "\n", encoding="ascii")
        subprocess.run(["icupkg", "-r", str(remove), str(data)], check=True, capture_output=True)
        assembly = work / "data.S"
        assembly.write_text(
            "\t.section .rodata\n"
            f"\t.globl {symbol}\n"
            f"\t.type {symbol}, @object\n"
            "\t.balign 16\n"
            f"{symbol}:\n"
            f'\t.incbin "{data}"\n'
            f"\t.size {symbol}, .-{symbol}\n"
            '\t.section .note.GNU-stack,"",@progbits\n',
            encoding="ascii",
        )
        out_folder.mkdir(parents=True, exist_ok=True)
        trimmed = out_folder / library.name
        subprocess.run(
            ["cc", "-shared", "-nostdlib", f"-Wl,-soname,{library.name}", "-o", str(trimmed),
             str(assembly)],
            check=True,
            capture_output=True,
        )  # fmt: skip
    return trimmed
