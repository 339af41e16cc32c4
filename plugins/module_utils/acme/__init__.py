# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""ACME issuance helpers: where each challenge goes, which sheet rows to order. The ACME protocol itself is
community.crypto's (acme_account, acme_certificate_order_*)."""
