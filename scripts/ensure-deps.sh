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
      python3 -c 'import confluent_kafka' 2>/dev/null || want_pip+=(confluent-kafka)
      ;;
    bench)
      python3 -c 'import confluent_kafka' 2>/dev/null || want_pip+=(confluent-kafka)
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
