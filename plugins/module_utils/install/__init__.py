# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Phase 4, install: completing the pending request (pairing the issued certificate with its key), IIS
https bindings (SNI, host headers, sslFlags, the shared *:443 guard), Exchange services, and PFX backup and
restore.

Decides which binding, service or key changes and how to roll back. Must not apply anything itself; the
payloads under plugins/payloads/install/ do, in the order decided here."""
