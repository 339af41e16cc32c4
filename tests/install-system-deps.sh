#!/usr/bin/env bash
# Debian packages for the real protocol peers the tests start themselves on 127.0.0.1.
# Idempotent: installs only what is missing. Needs root (CI runs as root).
set -euo pipefail
need=()
command -v named >/dev/null 2>&1 || [ -x /usr/sbin/named ] || need+=(bind9 bind9-utils)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need+=(nginx-light)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
[ -x /usr/lib/postfix/sbin/master ] || need+=(postfix)
[ -x /usr/lib/dovecot/imap-login ] || need+=(dovecot-imapd)
[ -x /usr/lib/dovecot/pop3-login ] || need+=(dovecot-pop3d)
# The ACME server of the ACME issuance tests (tests/support/peers/pebble_server.py); no service, only a binary.
[ -x /usr/bin/pebble ] || need+=(pebble)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ]; then
  echo "tests need Debian packages ${need[*]}; run: sudo apt-get install -y ${need[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
# Postfix asks how to configure the system service; the tests never use it ("No configuration").
echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
# The packages start their services; the tests run their own instances on other ports.
(systemctl stop named nginx postfix dovecot 2>/dev/null || true
 for service in named nginx postfix dovecot; do service "$service" stop 2>/dev/null || true; done) >/dev/null 2>&1
