#!/usr/bin/env bash
# Copy the files the web workspace serves from node_modules (after `npm ci`) into the vendor
# folder given as $1. Used by the Makefile and by the Dockerfile's assets stage.
set -euo pipefail
cd "$(dirname "$0")"
dest=$1
src=node_modules
rm -rf "$dest"
mkdir -p "$dest"/{cytoscape,graphiql,react,react-dom,js-cookie,yasgui,@graphiql/plugin-explorer,noto-sans-sc/files}
cp "$src"/cytoscape/dist/cytoscape.min.js "$src"/cytoscape/LICENSE "$dest"/cytoscape/
cp "$src"/graphiql/graphiql.min.js "$src"/graphiql/graphiql.min.css "$src"/graphiql/LICENSE "$dest"/graphiql/
cp "$src"/react/umd/react.production.min.js "$src"/react/LICENSE "$dest"/react/
cp "$src"/react-dom/umd/react-dom.production.min.js "$src"/react-dom/LICENSE "$dest"/react-dom/
cp "$src"/js-cookie/dist/js.cookie.min.js "$src"/js-cookie/LICENSE "$dest"/js-cookie/
# The SPARQL page's editor and result views (MIT, as its package.json says; it ships no LICENSE).
cp "$src"/@zazuko/yasgui/build/yasgui.min.js "$src"/@zazuko/yasgui/build/yasgui.min.css \
  "$src"/@zazuko/yasgui/package.json "$dest"/yasgui/
cp "$src"/@graphiql/plugin-explorer/dist/index.umd.js "$src"/@graphiql/plugin-explorer/dist/style.css \
  "$dest"/@graphiql/plugin-explorer/
font="$src"/@fontsource/noto-sans-sc
cp "$font"/400.css "$font"/700.css "$font"/LICENSE "$dest"/noto-sans-sc/
cp "$font"/files/*-400-normal.woff2 "$font"/files/*-700-normal.woff2 "$dest"/noto-sans-sc/files/
# Wait for a Chinese slice rather than draw tofu first: on a machine without CJK fonts a
# swapped-in slice does not always repaint text already drawn.
sed -i 's/font-display: swap/font-display: block/' "$dest"/noto-sans-sc/*.css
