#!/usr/bin/env bash
# Re-vendors GraphiQL and React from the npm registry into static/ (see README.md beside this file).
# Usage: lms_plugin/graphiql/refresh.sh   (needs npm; change the versions below to upgrade)
set -euo pipefail

GRAPHIQL=3.9.0 # the last major with a UMD bundle; 4.x deprecates it, 5.x is ESM + Monaco
REACT=18.3.1   # GraphiQL 3 needs React 16.8–18

here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cd "$work"
for spec in "graphiql@$GRAPHIQL" "react@$REACT" "react-dom@$REACT"; do
    name="${spec%@*}"
    mkdir "$name"
    npm pack --silent "$spec" >/dev/null
    tar -xzf "$name"-*.tgz -C "$name" --strip-components=1
    cp "$name/LICENSE" "$here/static/LICENSE.$name"
done

# The source maps are not vendored: drop the comments that would make devtools ask for them.
copy() { sed '/^\/\/# sourceMappingURL=/d; s|/\*# sourceMappingURL=[^*]*\*/||' "$1" >"$here/static/$2"; }
copy graphiql/graphiql.min.js graphiql.min.js
copy graphiql/graphiql.min.css graphiql.min.css
copy react/umd/react.production.min.js react.production.min.js
copy react-dom/umd/react-dom.production.min.js react-dom.production.min.js

# Nothing the page loads may come from another origin (intranets have no internet).
if grep -HnoE '(url\(|@import)[[:space:]"'"'"']*(https?:)?//' "$here"/static/*.css; then
    echo "refresh.sh: the CSS refers to another origin" >&2
    exit 1
fi
echo "vendored graphiql $GRAPHIQL, react and react-dom $REACT into $here/static"
