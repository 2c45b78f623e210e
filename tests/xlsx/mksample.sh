#!/bin/sh
# tests/xlsx/mksample.sh - samples/xlsx/: the sample 2017Q1 kept the way an
# office will keep it, as workbooks made by `tongbao template` and filled
# in (tests/xlsx/fill.py, openpyxl; real date cells).  The result is
# committed; suite_xlsx.sh checks that it scores as samples/2017Q1 does.
# Run it again when the sample ledgers or the template change:
#     sh tests/xlsx/mksample.sh
set -eu
TB=${TB:-gen/tongbao}
PY=${PY:-/usr/bin/python3}
out=samples/xlsx
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
rm -rf "$out"
mkdir -p "$out/2017Q1"
cp samples/units.xml samples/rules.xml "$out/"
"$TB" template 2017Q1 --data samples --out "$tmp" -q
for l in submissions adoptions directives; do
	"$PY" tests/xlsx/fill.py "$tmp/2017Q1/$l.xlsx" "samples/2017Q1/$l.csv" "$out/2017Q1/$l.xlsx"
done
cp samples/2017Q1/notice.xml "$out/2017Q1/"
echo "wrote $out/2017Q1: $(ls "$out/2017Q1" | tr '\n' ' ')"
