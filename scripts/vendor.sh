#!/usr/bin/env bash
# Refresh the vendored browser bundles of api/static/ from the npm packages pinned in
# package.json + package-lock.json (`make vendor`). The bundles are committed: the server,
# the tests and CI never run npm. Each copied bundle gets a brotli sibling (.br, quality 11,
# too slow to make per request) and its sha256 in the folder's VERSION file.
set -euo pipefail
cd "$(dirname "$0")/.."
npm ci --no-audit --no-fund --loglevel=error

# copy SRC DEST: the file without its last line when that is a sourceMappingURL comment
# (the maps are not shipped)
copy() {
  sed '${/^\/\/# sourceMappingURL=/d}' "$1" > "$2"
}

# brotli FILE: FILE.br at quality 11 (node's zlib, so no extra tool)
brotli() {
  node -e '
    const fs = require("fs"), zlib = require("zlib");
    const data = fs.readFileSync(process.argv[1]);
    const params = { [zlib.constants.BROTLI_PARAM_QUALITY]: 11,
                     [zlib.constants.BROTLI_PARAM_SIZE_HINT]: data.length };
    fs.writeFileSync(process.argv[1] + ".br", zlib.brotliCompressSync(data, { params }));
  ' "$1"
}

# version DIR PACKAGE FILE...: DIR/VERSION = "package version licence" + sha256 of each file
version() {
  local dir=$1 package=$2
  shift 2
  node -e '
    const p = require(process.argv[1] + "/package.json");
    console.log(`${p.name} ${p.version} ${p.license}`);
  ' "$PWD/node_modules/$package" > "$dir/VERSION"
  (cd "$dir" && sha256sum "$@") >> "$dir/VERSION"
}

yasgui=api/static/yasgui
copy node_modules/@zazuko/yasgui/build/yasgui.min.js "$yasgui/yasgui.min.js"
copy node_modules/@zazuko/yasgui/build/yasgui.min.css "$yasgui/yasgui.min.css"
brotli "$yasgui/yasgui.min.js"
brotli "$yasgui/yasgui.min.css"
version "$yasgui" @zazuko/yasgui yasgui.min.js yasgui.min.css

echarts=api/static/echarts
mkdir -p "$echarts"
copy node_modules/echarts/dist/echarts.min.js "$echarts/echarts.min.js"
cp node_modules/echarts/LICENSE "$echarts/LICENSE"
cp node_modules/echarts/NOTICE "$echarts/NOTICE"
brotli "$echarts/echarts.min.js"
version "$echarts" echarts echarts.min.js

echo "vendored: $(head -1 "$yasgui/VERSION"), $(head -1 "$echarts/VERSION")"
