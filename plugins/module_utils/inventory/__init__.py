# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Inventory: every certificate each Windows host holds and what on the host uses it (one read per host,
plugins/payloads/inventory/certificate_inventory_read.ps1), then the fleet view - per certificate the hosts,
stores and consumers, what the served-chain audit saw served, what is stale, and the renewal workload ahead.

Decides nothing about a host and changes nothing: it describes. The same per-host read (certificates plus
every consumer) is what a blast-radius rule needs - a certificate is never removed while any consumer
listed here uses it - so the install planner and retire can take it as their input later."""
