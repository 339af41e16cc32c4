# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Shared PKI knowledge underneath every phase: reading PEM/DER input, the Hongkong Post hierarchy
(roots, cross certificate, old and new "e-Cert SSL CA 3 - 17" told apart by EKU, never by name), the real
certificates the collection ships (pinned by SHA-256), and facts about an issued certificate.

Decides what a certificate *is*. Must not decide what to do with it, and never talks to a host."""
