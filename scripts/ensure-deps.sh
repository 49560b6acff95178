#!/usr/bin/env bash
# Installs what MIAFlow needs on Debian 12 when run as root, or says exactly what to install.
# Usage: scripts/ensure-deps.sh [build] [test] [bench] [demo]
set -euo pipefail

want_apt=()
need_apt() { dpkg -s "$1" >/dev/null 2>&1 || want_apt+=("$1"); }

need_apt pkg-config
need_apt librdkafka-dev
need_apt kcat
need_apt libsqlite3-dev
need_apt curl

want_pip=()
want_peer=0
# The peer's confluent-kafka lives in a virtual environment of its own, which mia bench finds here.
peer_venv=${MIA_PEER_VENV:-.build/peer-venv}
for purpose in "$@"; do
  case "$purpose" in
    test)
      need_apt postgresql
      need_apt chromium  # the HTML report test renders it headless (skipped where missing)
      python3 -c 'import jsonschema' 2>/dev/null || want_pip+=(jsonschema)
      python3 -c 'import yaml' 2>/dev/null || want_pip+=(pyyaml)
      python3 -c 'import icalendar' 2>/dev/null || want_pip+=(icalendar)
      # Cross-checks the booker's Swedish holidays (MIABookerTests).
      python3 -c 'import holidays' 2>/dev/null || want_pip+=(holidays)
      # The Python peer worker that mia bench runs beside the workers (BenchCommandTests runs it too).
      want_peer=1
      ;;
    bench)
      want_peer=1
      ;;
  esac
done

if ! command -v swift >/dev/null 2>&1; then
  echo "error: the Swift toolchain (6.0 or newer) is not on PATH; install it from swift.org first" >&2
  exit 1
fi

if ((${#want_apt[@]})); then
  if [ "$(id -u)" = 0 ]; then
    echo "==> installing ${want_apt[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${want_apt[@]}" >/dev/null
  else
    echo "error: missing Debian packages; run: sudo apt-get install ${want_apt[*]}" >&2
    exit 1
  fi
fi

if ((${#want_pip[@]})); then
  echo "==> installing Python packages ${want_pip[*]}"
  python3 -m pip install --quiet --disable-pip-version-check "${want_pip[@]}" \
    || { echo "error: could not install ${want_pip[*]}; run: python3 -m pip install ${want_pip[*]}" >&2; exit 1; }
fi

if ((want_peer)) && ! "$peer_venv/bin/python3" -c 'import confluent_kafka' 2>/dev/null; then
  echo "==> making the Python peer worker's virtual environment $peer_venv (confluent-kafka from PyPI)"
  rm -rf "$peer_venv"
  if ! python3 -m venv "$peer_venv" >/dev/null 2>&1; then
    rm -rf "$peer_venv"
    # Debian's python3 makes virtual environments only with python3-venv installed.
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
      echo "==> installing python3-venv"
      { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        python3-venv >/dev/null; } || true
    fi
    python3 -m venv "$peer_venv" \
      || { echo "error: python3 cannot make a virtual environment; run: sudo apt-get install python3-venv" >&2; exit 1; }
  fi
  "$peer_venv/bin/python3" -m pip install --quiet --disable-pip-version-check confluent-kafka \
    || { echo "error: could not install confluent-kafka into $peer_venv" >&2; exit 1; }
fi
