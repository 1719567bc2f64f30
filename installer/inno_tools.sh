#!/usr/bin/env bash
# Wine and the real Inno Setup compiler (ISCC.exe, from the npm package "innosetup"), so
# that Linux can compile installer/escalation_tracker.iss, and a virtual display (Xvfb),
# in which the test installs the compiled setup under Wine. Installs only what is missing,
# with the ordinary package clients: apt-get for Wine and Xvfb (root, or sudo), npm for
# ISCC into build/innosetup; apt-get also for the bundle's ICU tools (icu-devtools, gcc).
# Nothing else is downloaded: Wine's offer to fetch Mono and Gecko is
# turned off where Wine is run (installer/wine.py).
#
#   installer/inno_tools.sh          install what is missing, say how long it took
#   installer/inno_tools.sh --check  exit 0 if both are present, 1 if not; install nothing
set -euo pipefail
cd "$(dirname "$0")/.."

INNO_PACKAGE=innosetup@6.4.1
INNO_PREFIX=build/innosetup
ISCC="$INNO_PREFIX/node_modules/innosetup/bin/ISCC.exe"
started=$SECONDS

# 32-bit Wine runs ISCC (a 32-bit program); 64-bit Wine runs the x64-only setup it makes.
wine_present() {
    command -v wine >/dev/null || return 1
    if command -v dpkg-query >/dev/null; then
        dpkg-query -W -f='${Status}\n' wine32:i386 wine64 2>/dev/null \
            | grep -c '^install ok installed$' | grep -qx 2
    fi
}

iscc_present() {
    [ -f "$ISCC" ] && grep -qs "\"version\": \"${INNO_PACKAGE#*@}\"" \
        "$INNO_PREFIX/node_modules/innosetup/package.json"
}

display_present() {
    command -v xvfb-run >/dev/null && command -v xauth >/dev/null
}

# ICU's icupkg, readelf and a C compiler: the Linux bundle rebuilds Qt's ICU data without
# other languages' locale data (installer/icu_trim.py), which keeps it under its size
# limit now that it carries cryptography. Without them the bundle test fails on size.
icu_tools_present() {
    command -v icupkg >/dev/null && command -v readelf >/dev/null && command -v cc >/dev/null
}

if [ "${1:-}" = --check ]; then
    wine_present && iscc_present && display_present && icu_tools_present
    exit
fi

as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

apt_install() {
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

if ! wine_present; then
    if ! command -v apt-get >/dev/null; then
        echo "Wine is missing and this is not a Debian-like system: install wine (32- and" >&2
        echo "64-bit) with your package manager, then run this again." >&2
        exit 1
    fi
    echo "installing Wine (apt-get: wine, wine64, wine32:i386) ..."
    as_root dpkg --add-architecture i386
    apt_install wine wine64 wine32:i386
fi

if ! display_present && command -v apt-get >/dev/null; then
    echo "installing a virtual display (apt-get: xvfb, xauth) ..."
    apt_install xvfb xauth
fi

if ! icu_tools_present && command -v apt-get >/dev/null; then
    echo "installing the ICU data tools (apt-get: icu-devtools, gcc, binutils) ..."
    apt_install icu-devtools gcc binutils
fi

if ! iscc_present; then
    if ! command -v npm >/dev/null; then
        echo "installing npm (apt-get) ..."
        apt_install npm
    fi
    echo "installing Inno Setup's compiler (npm: $INNO_PACKAGE into $INNO_PREFIX) ..."
    mkdir -p "$INNO_PREFIX"
    npm install --prefix "$INNO_PREFIX" --no-audit --no-fund --loglevel=error \
        "$INNO_PACKAGE" >/dev/null
fi

echo "Wine $(wine --version 2>/dev/null) and $ISCC ready in $((SECONDS - started)) s"
