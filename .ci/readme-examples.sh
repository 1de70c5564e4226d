#!/usr/bin/env bash
# Runs the README's examples as a reader pastes them: every ```sh block (less
# its lines that run the test suite, which CI runs anyway; `cargo run --release
# --` is the built binary), then every ```python block, in order,
# in a scratch copy of the scenarios and cluster scripts, with the built
# `migsim` on PATH (as `cargo install --path .` would put it). Python blocks
# need pandas, installed here from PyPI (dev-only).
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r "$repo/scenarios" "$repo/cluster" "$work/"
export PATH="$repo/target/release:$PATH"
python3 - "$repo/README.md" "$work" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
n = 0
for lang, body in re.findall(r"^ *```(sh|python)\n(.*?)^ *```", text, re.S | re.M):
    lines = body.splitlines()
    indent = min((len(l) - len(l.lstrip()) for l in lines if l.strip()), default=0)
    body = "\n".join(l[indent:] for l in lines) + "\n"
    if lang == "sh":
        joined = body.replace("\\\n", " ")
        kept = [l for l in joined.splitlines() if "cargo test" not in l]
        body = "\n".join(re.sub(r"^cargo run --release --", "migsim", l) for l in kept) + "\n"
        if not body.strip():
            continue
    n += 1
    open(f"{sys.argv[2]}/example-{n:02}.{lang}", "w").write(body)
PY
cd "$work"
for f in example-*; do
    case "$f" in
        *.sh) echo "README example $f:"; sed 's/^/  /' "$f"; bash -euo pipefail "$f" ;;
        *.python)
            python3 -c 'import pandas' 2>/dev/null || pip install -q pandas >/dev/null 2>&1
            echo "README example $f:"; python3 "$f" >/dev/null ;;
    esac
done
echo "every README example ran"
