# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Renewal at fleet scale, around one portal session: the intake (which downloaded file belongs to which
host's pending request, matched by public key, and which files are refused and why) and retiring the
certificates a renewal replaced (only when nothing on the host uses them any more).

Decides which file goes where and which certificate may be removed. Must not touch a host: the install
payloads apply, and plugins/payloads/install/retire_*.ps1 read and remove, as decided here."""
