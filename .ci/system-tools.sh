#!/usr/bin/env bash
# System tools the tests and benchmarks need, installed from Debian when missing.
# Called by both the Makefile (`make test`) and .ci/run.
set -euo pipefail
need=()
command -v java >/dev/null 2>&1 || need+=(default-jre-headless)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v wrk >/dev/null 2>&1 || need+=(wrk)
# the query workers' network sandbox loads libseccomp.so.2 (pyseccomp is a ctypes binding)
compgen -G '/usr/lib*/*/libseccomp.so.2' >/dev/null || compgen -G '/lib*/*/libseccomp.so.2' \
  >/dev/null || compgen -G '/usr/lib64/libseccomp.so.2' >/dev/null || need+=(libseccomp2)
if [ "${#need[@]}" -eq 0 ]; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "system-tools: missing ${need[*]} and not root; install them with apt-get" >&2
    exit 1
  fi
fi
echo "system-tools: installing ${need[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null
$SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
