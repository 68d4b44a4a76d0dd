#!/bin/sh
# tailor-boot.sh: fetch the Tailor image built for this device's CPU, verify it and install it.
# Needs only a POSIX shell, curl and openssl (3.x, for Ed25519 with -rawin).
#
# usage: tailor-boot.sh [options] APP CHANNEL
#   --url URL        Tailor or CDN base URL               (default: $TAILOR_URL)
#   --key PEM        pinned Ed25519 public key (GET /v1/keys)  (default: $TAILOR_KEY, else /etc/tailor/key.pem)
#   --output PATH    where the verified image is written  (default: $TAILOR_OUTPUT, else ./tailor.img)
#   --cpuinfo FILE   fingerprint sent to the service      (default: /proc/cpuinfo)
#   --policy P       portable | level | native | auto     (default: the service's, auto)
#   --retries N      download attempts before giving up   (default: 3)
#
# exit codes, for the boot script that calls this:
#   0  the image is verified and written; its digest (sha256:<hex>) is printed on stdout
#   2  usage error, unreadable input or missing tool
#   3  network or origin unavailable, or no image ready yet: retry later (the partial download is kept)
#   4  no image for this device: unknown app, channel or image (404)
#   5  verification failed (signature or digest); nothing written, the download is discarded
#   6  the image could not be written to the output path
#
# The download resumes (HTTP Range) from <output>.tailor/<hex>.part, named by the image digest so a partial
# file of another image is never continued. The output is replaced by a rename, so it is never half-written.
# The first boot sends the whole cpuinfo; the service's answer names the CPU's canonical fingerprint, kept in
# <output>.cpu, and later boots ask with GET ?cpu=<canonical>, which CDN edges answer for every device of the model.

set -u

die() {
    code=$1
    shift
    echo "tailor-boot: $*" >&2
    exit "$code"
}

usage() {
    die 2 "usage: tailor-boot.sh [--url URL] [--key PEM] [--output PATH] [--cpuinfo FILE] [--policy P] [--retries N] APP CHANNEL"
}

url=${TAILOR_URL:-}
key=${TAILOR_KEY:-/etc/tailor/key.pem}
output=${TAILOR_OUTPUT:-./tailor.img}
cpuinfo=/proc/cpuinfo
policy=
retries=3

while [ $# -gt 0 ]; do
    case $1 in
        --url) [ $# -ge 2 ] || usage; url=$2; shift 2 ;;
        --key) [ $# -ge 2 ] || usage; key=$2; shift 2 ;;
        --output) [ $# -ge 2 ] || usage; output=$2; shift 2 ;;
        --cpuinfo) [ $# -ge 2 ] || usage; cpuinfo=$2; shift 2 ;;
        --policy) [ $# -ge 2 ] || usage; policy=$2; shift 2 ;;
        --retries) [ $# -ge 2 ] || usage; retries=$2; shift 2 ;;
        -h|--help) usage ;;
        --) shift; break ;;
        -*) usage ;;
        *) break ;;
    esac
done
[ $# -eq 2 ] || usage
app=$1
channel=$2

command -v curl >/dev/null 2>&1 || die 2 "curl is required"
command -v openssl >/dev/null 2>&1 || die 2 "openssl is required"
[ -n "$url" ] || die 2 "no service URL: pass --url or set TAILOR_URL"
[ -r "$cpuinfo" ] || die 2 "cannot read $cpuinfo"
[ -r "$key" ] || die 2 "cannot read the pinned key $key"
case $retries in ''|*[!0-9]*) usage ;; esac
case $app$channel in *[!a-z0-9-]*) die 2 "app and channel are [a-z0-9-] names" ;; esac

url=${url%/}
boot_url="$url/v1/boot/$app/$channel"
# The canonical fingerprint the service answered last time (Tailor-CPU-Canonical): the same for every device of
# this CPU model, so a GET with it can be answered by a CDN edge instead of the origin.
canonical_file="$output.cpu"
headers_file="$output.boot-headers"

# One boot request; sets status, image_url and, from the answer's headers, canonical.
ask() {
    answer=$(curl -sS --connect-timeout 10 --max-time 120 -o /dev/null -D "$headers_file" \
        -w '%{http_code} %{redirect_url}' "$@") || die 3 "cannot reach $boot_url"
    status=${answer%% *}
    image_url=${answer#* }
    canonical=$(sed -n 's/^[Tt]ailor-[Cc][Pp][Uu]-[Cc]anonical:[[:space:]]*\([A-Za-z0-9@/:,._-]*\).*/\1/p' \
        "$headers_file" | tail -n 1)
    rm -f "$headers_file"
}

# 1. Ask which image this CPU gets: the answer is a redirect to its content address. With a canonical fingerprint
#    learned before, a GET an edge may answer (a 307 names a newer canonical form); else the whole cpuinfo.
status=
known=
[ -r "$canonical_file" ] && known=$(cat "$canonical_file" 2>/dev/null)
case $known in ''|*[!A-Za-z0-9@/:,._-]*) known= ;; esac
if [ -n "$known" ]; then
    query="cpu=$known"
    [ -n "$policy" ] && query="$query&policy=$policy"
    ask "$boot_url?$query"
    [ "$status" = 307 ] && ask "$image_url"
    case $status in 302|303) ;; *) status= ;; esac
fi
if [ -z "$status" ]; then
    post_url=$boot_url
    [ -n "$policy" ] && post_url="$boot_url?policy=$policy"
    ask -X POST -H 'Content-Type: text/plain' --data-binary @"$cpuinfo" "$post_url"
fi
if [ -n "$canonical" ] && [ "$canonical" != "$known" ]; then
    printf '%s\n' "$canonical" > "$canonical_file.tmp" && mv -f "$canonical_file.tmp" "$canonical_file"
fi
case $status in
    301|302|303|307|308) ;;
    404) die 4 "no image for this device: $app/$channel is unknown (404)" ;;
    400|415|422) die 2 "the service rejected the fingerprint ($status)" ;;
    *) die 3 "the service answered $status; retry later" ;;
esac
hex=${image_url##*/sha256/}
hex=${hex%%\?*}
case $hex in *[!0-9a-f]*|'') die 3 "unexpected redirect to $image_url" ;; esac
[ ${#hex} -eq 64 ] || die 3 "unexpected redirect to $image_url"

# 2. Download, resuming a partial file of the same image.
work="$output.tailor"
mkdir -p "$work" || die 6 "cannot create $work"
part="$work/$hex.part"
sig="$work/$hex.sig"
headers="$work/headers"
attempt=1
while :; do
    code=$(curl -sS -f --connect-timeout 10 --max-time 900 -C - -o "$part" -D "$headers" -w '%{http_code}' \
        "$image_url")
    rc=$?
    [ $rc -eq 0 ] && break
    case $code in
        404|410) rm -f "$part"; die 4 "image $hex is not stored (404)" ;;
        # nothing left to fetch: the part file is complete (or too long, which verification catches)
        416) break ;;
    esac
    if [ $rc -eq 33 ]; then
        # the server ignored our range: start over
        rm -f "$part"
    fi
    [ "$attempt" -ge "$retries" ] && die 3 "download of $image_url failed (curl $rc, HTTP $code); retry later"
    attempt=$((attempt + 1))
    sleep "$attempt"
done
etag=$(sed -n 's/^[Ee][Tt][Aa][Gg]:[[:space:]]*"sha256:\([0-9a-f]*\)".*/\1/p' "$headers" | tail -n 1)
rm -f "$headers"
if [ -n "$etag" ] && [ "$etag" != "$hex" ]; then
    rm -f "$part"
    die 5 "the server's ETag sha256:$etag does not name the requested image $hex"
fi

# 3. Verify: the bytes must hash to the address, and the signature must be the pinned key's.
curl -sS -f --connect-timeout 10 --max-time 60 -o "$sig" "$image_url.sig" || {
    rm -f "$sig"
    die 3 "cannot fetch the signature $image_url.sig; retry later"
}
actual=$(openssl dgst -sha256 -r "$part") || die 5 "cannot hash the image"
actual=${actual%% *}
if [ "$actual" != "$hex" ]; then
    rm -f "$part" "$sig"
    die 5 "digest mismatch: got sha256:$actual, expected sha256:$hex"
fi
if ! openssl pkeyutl -verify -pubin -inkey "$key" -rawin -in "$part" -sigfile "$sig" >/dev/null 2>&1; then
    rm -f "$part" "$sig"
    die 5 "the signature of sha256:$hex does not verify with $key"
fi

# 4. Install atomically: the part file lives beside the output, so this is a rename.
mv -f "$part" "$output" || die 6 "cannot write $output"
rm -rf "$work"
echo "sha256:$hex"
exit 0
