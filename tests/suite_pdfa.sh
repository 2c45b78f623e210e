#!/bin/sh
# tests/suite_pdfa.sh - every kind of PDF the program writes is PDF/A-1b,
# as Apache PDFBox Preflight reads it, and dated and identified as README
# "Decisions" says.
#
#   Preflight   tongbao.pdf, units.pdf, every units/ID.pdf of the sample
#               quarter, the annual notice OUT/2017/tongbao.pdf and
#               biaozhang.pdf, and the unit test's notice and collection
#               (out/test-pdf/), all in one JVM (Validator_A1b "group"
#               mode).  Needs Java and Debian's libpdfbox2-java,
#               libactivation-java, libjaxb-api-java: without them these
#               checks are skipped, and the suite says why.
#   dates       CreationDate and ModDate (Info and XMP) are the newest
#               mtime of the data files read, or SOURCE_DATE_EPOCH when
#               set; never the 成文日期; a malformed SOURCE_DATE_EPOCH is
#               a usage error (64).
#   identity    xmpMM:DocumentID the same for two versions of a notice
#               (other data), xmpMM:InstanceID and the trailer /ID differ;
#               the same data gives the same bytes.
# Under VARIANT=san Preflight is not run again (the PDFs are the same
# bytes); the dates and identities are checked on the statements-free run.
# Prints "PASS: name" / "FAIL: name"; exits non-zero on any failure.

B=${B:-out/build}
TB=${TB:-gen/tongbao}
VARIANT=${VARIANT:-rel}
PY=python3
[ -x /usr/bin/python3 ] && PY=/usr/bin/python3
fails=0
pass() { echo "PASS: pdfa $1"; }
fail() { echo "FAIL: pdfa $1"; fails=$((fails + 1)); }
check() { # name command...
	name=$1; shift
	if "$@"; then pass "$name"; else fail "$name"; fi
}

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
J=/usr/share/java
CP=$J/preflight.jar:$J/pdfbox2.jar:$J/fontbox2.jar:$J/xmpbox.jar:$J/commons-logging.jar:$J/javax.activation.jar:$J/jaxb-api.jar

# ---- a data folder with known times -------------------------------------------
# The samples, copied with every file dated 2017-04-02 10:00 (UTC+8) and
# one adoptions ledger of Q1 later, 2017-04-03 09:30: the newest input.
cp -R samples "$tmp/data" || exit 1
find "$tmp/data" -type f -exec touch -d '2017-04-02 02:00:00 UTC' {} +
touch -d '2017-04-03 01:30:00 UTC' "$tmp/data/2017Q1/adoptions.csv"

formats=
[ "$VARIANT" = san ] && formats="--formats pdf"
# shellcheck disable=SC2086
if ! env -u SOURCE_DATE_EPOCH "$TB" quarter 2017Q1 --data "$tmp/data" \
    --out "$tmp/out" -q $formats > "$tmp/q.log" 2>&1 ||
   ! env -u SOURCE_DATE_EPOCH "$TB" year 2017 --data "$tmp/data" \
    --out "$tmp/out" -q $formats > "$tmp/y.log" 2>&1; then
	fail "the sample quarter and year render"
	cat "$tmp/q.log" "$tmp/y.log" | head -5
	exit 1
fi
q=$tmp/out/2017Q1/tongbao.pdf

# ---- dates ----------------------------------------------------------------------
dates() { # $1 = pdf: "CreationDate ModDate xmp:CreateDate xmp:ModifyDate"
	c=$(pdfinfo -isodates "$1" 2>/dev/null | sed -n 's/^CreationDate: *//p')
	m=$(pdfinfo -isodates "$1" 2>/dev/null | sed -n 's/^ModDate: *//p')
	xc=$(pdfinfo -meta "$1" 2>/dev/null | sed -n 's/.*<xmp:CreateDate>\(.*\)<\/xmp:CreateDate>.*/\1/p')
	xm=$(pdfinfo -meta "$1" 2>/dev/null | sed -n 's/.*<xmp:ModifyDate>\(.*\)<\/xmp:ModifyDate>.*/\1/p')
	echo "$c $m $xc $xm"
}
want="2017-04-03T09:30:00+08 2017-04-03T09:30:00+08 2017-04-03T09:30:00+08:00 2017-04-03T09:30:00+08:00"
check "quarter notice dated by its newest input ($(dates "$q"))" \
    test "$(dates "$q")" = "$want"
# the 成文日期 of the samples is 2017年4月5日: the file is not dated by it
check "CreationDate is not the 成文日期" sh -c "! pdfinfo -isodates '$q' | grep -q '^CreationDate: *2017-04-05'"
# the year reads all four quarters: the newest is Q4's own ledger
touch -d '2018-01-02 01:00:00 UTC' "$tmp"/data/2017Q4/submissions.*
# shellcheck disable=SC2086
env -u SOURCE_DATE_EPOCH "$TB" year 2017 --data "$tmp/data" --out "$tmp/out2" \
    -q $formats > /dev/null 2>&1
for f in tongbao biaozhang; do
	check "annual $f.pdf dated by its newest input" test \
	    "$(dates "$tmp/out2/2017/$f.pdf" | cut -d' ' -f1)" = "2018-01-02T09:00:00+08"
done
# a later Q4 ledger is not an input of Q1
# shellcheck disable=SC2086
env -u SOURCE_DATE_EPOCH "$TB" quarter 2017Q1 --data "$tmp/data" \
    --out "$tmp/out3" -q $formats > /dev/null 2>&1
check "a later quarter's ledger does not date Q1" cmp -s "$q" "$tmp/out3/2017Q1/tongbao.pdf"
# SOURCE_DATE_EPOCH wins (1491530400 = 2017-04-07 10:00 +08)
# shellcheck disable=SC2086
SOURCE_DATE_EPOCH=1491530400 "$TB" quarter 2017Q1 --data "$tmp/data" \
    --out "$tmp/out4" -q $formats > /dev/null 2>&1
check "SOURCE_DATE_EPOCH dates the PDF" test \
    "$(dates "$tmp/out4/2017Q1/tongbao.pdf" | cut -d' ' -f1,3)" = \
    "2017-04-07T10:00:00+08 2017-04-07T10:00:00+08:00"
SOURCE_DATE_EPOCH=yesterday "$TB" quarter 2017Q1 --data "$tmp/data" \
    --out "$tmp/out5" -q > "$tmp/bad.log" 2>&1
rc=$?
check "a malformed SOURCE_DATE_EPOCH is a usage error (exit $rc)" sh -c \
    "[ $rc -eq 64 ] && grep -q SOURCE_DATE_EPOCH '$tmp/bad.log' && [ ! -e '$tmp/out5/2017Q1' ]"

# ---- identity -------------------------------------------------------------------
ids() { # $1 = pdf: "DocumentID InstanceID /ID0 /ID1"
	pdfinfo -meta "$1" 2>/dev/null | sed -n \
	    -e 's/.*<xmpMM:DocumentID>\(.*\)<\/xmpMM:DocumentID>.*/\1/p' \
	    -e 's/.*<xmpMM:InstanceID>\(.*\)<\/xmpMM:InstanceID>.*/\1/p' | tr '\n' ' '
	tail -c 400 "$1" | tr -d '\r' | sed -n 's/^\/ID \[ <\([0-9A-F]*\)> <\([0-9A-F]*\)> \]/\1 \2/p'
}
set -- $(ids "$q")
check "xmpMM:DocumentID and InstanceID are UUIDs" sh -c \
    "echo '$1 $2' | grep -Eq '^uuid:[0-9a-f]{8}-[0-9a-f]{4}-3[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12} uuid:[0-9a-f]{8}-[0-9a-f]{4}-3[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\$'"
# the UUIDs' first eight digits are their digests' (the version and
# variant bits come later)
check "trailer /ID holds the document and instance digests" sh -c \
    "[ -n '$4' ] && [ '$(echo "$1" | cut -c6-13)' = '$(echo "$3" | cut -c1-8 | tr A-F a-f)' ] && [ '$(echo "$2" | cut -c6-13)' = '$(echo "$4" | cut -c1-8 | tr A-F a-f)' ]"
doc1=$1 inst1=$2
# another version of the same notice: one adoption less
sed -i '$d' "$tmp/data/2017Q1/adoptions.csv"
touch -d '2017-04-03 01:30:00 UTC' "$tmp/data/2017Q1/adoptions.csv"
# shellcheck disable=SC2086
env -u SOURCE_DATE_EPOCH "$TB" quarter 2017Q1 --data "$tmp/data" \
    --out "$tmp/out6" -q $formats > /dev/null 2>&1
set -- $(ids "$tmp/out6/2017Q1/tongbao.pdf")
check "another version: the same DocumentID, another InstanceID" sh -c \
    "[ '$1' = '$doc1' ] && [ -n '$2' ] && [ '$2' != '$inst1' ]"
set -- $(ids "$tmp/out/2017/tongbao.pdf")
check "the annual notice is another document" sh -c "[ -n '$1' ] && [ '$1' != '$doc1' ]"
if [ "$VARIANT" != san ]; then
	set -- $(ids "$tmp/out/2017Q1/units.pdf")
	u1=$1
	set -- $(ids "$(ls "$tmp"/out/2017Q1/units/*.pdf | head -1)")
	check "units.pdf and a statement are other documents" sh -c \
	    "[ -n '$u1' ] && [ '$u1' != '$doc1' ] && [ '$1' != '$u1' ]"
fi

# ---- byte-identical --------------------------------------------------------------
# shellcheck disable=SC2086
env -u SOURCE_DATE_EPOCH "$TB" quarter 2017Q1 --data "$tmp/data" \
    --out "$tmp/out7" -q $formats > /dev/null 2>&1
check "the same data, the same bytes" cmp -s "$tmp/out6/2017Q1/tongbao.pdf" \
    "$tmp/out7/2017Q1/tongbao.pdf"

# ---- Preflight --------------------------------------------------------------------
if [ "$VARIANT" = san ]; then
	echo "SKIP: pdfa Preflight under VARIANT=san (the same bytes as the release build's)"
	[ "$fails" -eq 0 ]
	exit
fi
missing=
command -v java > /dev/null 2>&1 || missing="java (default-jre-headless)"
for j in preflight pdfbox2 fontbox2 xmpbox commons-logging javax.activation jaxb-api; do
	[ -f "$J/$j.jar" ] || missing="$missing $J/$j.jar"
done
if [ -n "$missing" ]; then
	echo "SKIP: pdfa Preflight: missing$missing (Debian: default-jre-headless libpdfbox2-java libactivation-java libjaxb-api-java)"
	[ "$fails" -eq 0 ]
	exit
fi
if [ ! -f out/test-pdf/notice.pdf ] && [ -x "$B/rel/test_render_pdf" ]; then
	"$B/rel/test_render_pdf" > /dev/null 2>&1
fi
list=$tmp/list.txt
{
	echo "$tmp/out/2017Q1/tongbao.pdf"
	echo "$tmp/out/2017Q1/units.pdf"
	ls "$tmp"/out/2017Q1/units/*.pdf
	echo "$tmp/out/2017/tongbao.pdf"
	echo "$tmp/out/2017/biaozhang.pdf"
	ls out/test-pdf/notice.pdf out/test-pdf/docs.pdf 2>/dev/null
} > "$list"
java -cp "$CP" org.apache.pdfbox.preflight.Validator_A1b xml group "$list" \
    > "$tmp/preflight.out" 2>&1
$PY - "$list" "$list.preflight.xml" <<'EOF'
import sys, xml.etree.ElementTree as ET
files = [l.strip() for l in open(sys.argv[1]) if l.strip()]
try:
    res = ET.parse(sys.argv[2]).getroot().findall("preflight")
except Exception as e:
    print("FAIL: pdfa Preflight wrote no report (%s)" % e)
    sys.exit(1)
if len(res) != len(files):
    print("FAIL: pdfa Preflight read %d of %d files" % (len(res), len(files)))
    sys.exit(1)
def kind(f):
    if "/units/" in f: return "every units/ID.pdf"
    if "/2017/" in f: return "annual " + f.rsplit("/", 1)[1]
    if "/test-pdf/" in f: return "test_render_pdf " + f.rsplit("/", 1)[1]
    return "2017Q1 " + f.rsplit("/", 1)[1]
kinds, bad = {}, {}
for f, p in zip(files, res):
    k = kind(f)
    kinds[k] = kinds.get(k, 0) + 1
    if p.findtext("isValid") != "true":
        errs = ["%s %s" % (e.findtext("code"), e.findtext("details")) for e in p.iter("error")]
        bad.setdefault(k, []).append("%s: %s" % (f.rsplit("/", 1)[1], "; ".join(errs[:2])))
ok = True
for k, n in kinds.items():
    if k in bad:
        ok = False
        print("FAIL: pdfa Preflight PDF/A-1b %s (%d files, %d invalid: %s)" % (k, n, len(bad[k]), bad[k][:2]))
    else:
        print("PASS: pdfa Preflight PDF/A-1b %s (%d files)" % (k, n))
sys.exit(0 if ok else 1)
EOF
[ $? -eq 0 ] || fails=$((fails + 1))

[ "$fails" -eq 0 ]
