#!/usr/bin/env bash
# Installs, from the distribution's packages, the system parts meent needs in local mode and tests:
# Python 3.11 with venv, PostgreSQL 15 + PostGIS 3 and Chromium (browser tests). Installs only what is
# missing, so a second call costs nothing. Works as root or through sudo.
set -euo pipefail

PG_BIN=/usr/lib/postgresql/15/bin
PG_SHARE=/usr/share/postgresql/15
missing=()
command -v python3.11 >/dev/null || missing+=(python3 python3-venv)
python3.11 -c 'import ensurepip' 2>/dev/null || missing+=(python3-venv)
[ -x "$PG_BIN/postgres" ] || missing+=(postgresql-15)
[ -f "$PG_SHARE/extension/postgis.control" ] || missing+=(postgresql-15-postgis-3)
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v npm >/dev/null || missing+=(nodejs npm)

check_node() {
  # The web client's build (Vite 7) needs Node.js 20.19 or newer; Debian 12's own nodejs is 18.
  local version
  version=$(node --version 2>/dev/null | tr -d v) || return 0
  if ! printf '%s\n%s\n' "20.19.0" "$version" | sort -V -C; then
    echo "Node.js $version is too old for the web client's build: install Node.js 20.19 or newer" >&2
    exit 1
  fi
}

if [ ${#missing[@]} -eq 0 ]; then
  check_node
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
echo "installing distribution packages: ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
check_node
