#!/usr/bin/env bash
# Installs, from the distribution's packages, the system parts meent needs in local mode and tests:
# Python 3.11 with venv, PostgreSQL 15 + PostGIS 3 and Chromium (browser tests). Installs only what is
# missing, so a second call costs nothing. Works as root or through sudo. Node.js is not among them:
# Debian 12's is too old for the web client's build, and infra/scripts/ensure-node.sh puts a newer
# one into the virtualenv when the system has none that will do.
set -euo pipefail

PG_BIN=/usr/lib/postgresql/15/bin
PG_SHARE=/usr/share/postgresql/15
missing=()
command -v python3.11 >/dev/null || missing+=(python3 python3-venv)
python3.11 -c 'import ensurepip' 2>/dev/null || missing+=(python3-venv)
[ -x "$PG_BIN/postgres" ] || missing+=(postgresql-15)
[ -f "$PG_SHARE/extension/postgis.control" ] || missing+=(postgresql-15-postgis-3)
[ -x /usr/bin/chromium ] || missing+=(chromium)

[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
echo "installing distribution packages: ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
