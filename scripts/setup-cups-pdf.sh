#!/bin/sh
# Set up a real PDF printer for the print test: CUPS + CUPS-PDF, one queue,
# and the printer pool's two queues (pool-a, pool-b) for the failover test.
#
# Idempotent; meant for a fresh Debian 12 container running as root with no
# systemd (so cupsd is started directly) and for a developer's Debian box.
# The queue's PDFs land in $BIB_STATION_CUPS_PDF_OUT (default /var/spool/cups-pdf/out)
# so the test knows where to look whatever user CUPS runs the job as.
# Each pool queue writes into its own folder, $BIB_STATION_CUPS_PDF_POOL_OUT/<queue>
# (default /var/spool/cups-pdf/<queue>), so a test can tell which printer a bib came out of.
set -eu

QUEUE="${BIB_STATION_PRINTER:-BibStationPDF}"
OUT_DIR="${BIB_STATION_CUPS_PDF_OUT:-/var/spool/cups-pdf/out}"
CONF=/etc/cups/cups-pdf.conf
POOL_QUEUES="${BIB_STATION_POOL_PRINTERS-pool-a pool-b}"
POOL_OUT="${BIB_STATION_CUPS_PDF_POOL_OUT:-/var/spool/cups-pdf}"

if [ "$(id -u)" -ne 0 ]; then
    echo "setup-cups-pdf: run as root (it installs packages and starts cupsd)" >&2
    exit 1
fi

missing=""
for pkg in cups printer-driver-cups-pdf poppler-utils; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" \
        || missing="$missing $pkg"
done
if [ -n "$missing" ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get -o DPkg::Lock::Timeout=600 update -qq
    # shellcheck disable=SC2086  # the list is meant to split into words
    apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends $missing
fi

# Every job to one fixed folder, whoever submits it, named after the job title.
mkdir -p "$OUT_DIR"
chmod 1777 "$OUT_DIR"
set_conf() {
    key="$1"; value="$2"; file="${3:-$CONF}"
    if grep -qE "^[#[:space:]]*${key}[[:space:]]" "$file"; then
        sed -i -E "s|^[#[:space:]]*${key}[[:space:]].*|${key} ${value}|" "$file"
    else
        printf '%s %s\n' "$key" "$value" >> "$file"
    fi
}
set_conf Out "$OUT_DIR"
set_conf AnonDirName "$OUT_DIR"
set_conf UserUMask 0000
set_conf AnonUMask 0000
set_conf Label 0
set_conf TitlePref 1

# Start the scheduler unless it answers already (no systemd in a container).
if ! lpstat -r 2>/dev/null | grep -q "is running"; then
    mkdir -p /run/cups
    if command -v cupsd >/dev/null; then
        cupsd
    else
        /usr/sbin/cupsd
    fi
    i=0
    until lpstat -r 2>/dev/null | grep -q "is running"; do
        i=$((i + 1))
        if [ "$i" -gt 50 ]; then
            echo "setup-cups-pdf: cupsd did not start; see /var/log/cups/error_log" >&2
            exit 1
        fi
        sleep 0.2
    done
fi

ppd=$(lpinfo -m 2>/dev/null | awk '/CUPS-PDF/ {print $1; exit}')
if [ -z "$ppd" ]; then
    ppd="lsb/usr/cups-pdf/CUPS-PDF_opt.ppd"
fi
add_queue() {
    queue="$1"; uri="$2"
    if ! lpstat -p "$queue" >/dev/null 2>&1; then
        lpadmin -p "$queue" -v "$uri" -m "$ppd" -E
    fi
    # cairo keeps the bib's text searchable in the PDF (Ghostscript and poppler's pdftops lose it).
    lpadmin -p "$queue" -o pdftops-renderer-default=pdftocairo
    cupsenable "$queue"
    cupsaccept "$queue"
}
add_queue "$QUEUE" cups-pdf:/
echo "setup-cups-pdf: queue $QUEUE ready; PDFs go to $OUT_DIR"

# The pool's queues: CUPS-PDF reads /etc/cups/cups-pdf-NAME.conf for the device cups-pdf:/NAME.
for pool_queue in $POOL_QUEUES; do
    pool_dir="$POOL_OUT/$pool_queue"
    pool_conf="/etc/cups/cups-pdf-$pool_queue.conf"
    mkdir -p "$pool_dir"
    chmod 1777 "$pool_dir"
    touch "$pool_conf"
    set_conf Out "$pool_dir" "$pool_conf"
    set_conf AnonDirName "$pool_dir" "$pool_conf"
    set_conf UserUMask 0000 "$pool_conf"
    set_conf AnonUMask 0000 "$pool_conf"
    set_conf Label 0 "$pool_conf"
    set_conf TitlePref 1 "$pool_conf"
    add_queue "$pool_queue" "cups-pdf:/$pool_queue"
    echo "setup-cups-pdf: pool queue $pool_queue ready; PDFs go to $pool_dir"
done
