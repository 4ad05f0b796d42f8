#!/usr/bin/env bash
# run.sh - tacit's benchmarks (`make bench`). Figures go to BENCHMARKS.md by
# hand, with the machine they ran on. Each part can run alone:
#   bash bench/run.sh index|complete|eval|lsp|backend|secrets|quality|history_quality
set -uo pipefail
cd "$(dirname "$0")/.."
what=${1:-all}
for part in index complete eval lsp backend secrets quality history_quality; do
    if [ "$what" = all ] || [ "$what" = "$part" ]; then
        if [ -f "bench/$part.sh" ]; then
            echo "== bench/$part.sh"
            bash "bench/$part.sh" || echo "(bench/$part.sh failed: $?)"
        fi
    fi
done
