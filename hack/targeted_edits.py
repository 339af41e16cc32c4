#!/usr/bin/env python
# -*- coding: utf-8 -*-
"""The edits issue 14 section 2 lists, each made in the checkout, the test aimed at it run (it must FAIL), and reverted.

A record of how the new tests were proven: ``hack/targeted_edits.py [module ...]`` prints FAILS (good) or PASS!
(the test no longer catches the edit) per edit. An edit whose original text is gone is reported, not made.
"""
import os
import subprocess
import sys

WT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MU = 'plugins/module_utils/'
EDITS = [
    ('pki/_hierarchy',
     'not_before(cert) >= NEW_GENERATION_FROM',
     'not_before(cert) > NEW_GENERATION_FROM',
     'tests/unit/plugins/module_utils/pki/test_hierarchy.py::test_generation_cut_off_is_inclusive_at_2025_'
     '05_01_midnight_utc'),
    ('pki/_hierarchy',
     'elif ca and inter_match and _ROOT_CN.match(issuer_cn):',
     'elif ca and inter_match:',
     'tests/unit/plugins/module_utils/pki/test_hierarchy.py::test_intermediate_name_under_a_foreign_root_i'
     's_other'),
    ('pki/_hierarchy',
     'if self_issued and issued_by(cert, cert):',
     'if self_issued:',
     'tests/unit/plugins/module_utils/pki/test_hierarchy.py::test_self_issued_root_ca_3_with_a_bad_signatu'
     're_is_not_root'),
    ('chain/_plan',
     "ordered = adds + disallows + [s for s in crl_steps if s[0] == 'add_crl'] + removals",
     "ordered = adds + removals + disallows + [s for s in crl_steps if s[0] == 'add_crl']",
     'tests/unit/plugins/module_utils/chain/test_plan.py::test_disallow_writes_every_add_before_any_remova'
     'l'),
    ('chain/_plan',
     '    if install_root:\n',
     '    if True:\n',
     'tests/unit/plugins/module_utils/chain/test_plan.py::test_install_root_false_writes_nothing_to_root'),
    ('chain/_plan',
     "for store in ('CA', 'Root'):",
     "for store in ('CA',):",
     'tests/unit/plugins/module_utils/chain/test_plan.py::test_old_intermediate_misplaced_in_root_is_remov'
     'ed'),
    ('chain/_plan',
     ' or not_after(inter) <= now:',
     ':',
     'tests/unit/plugins/module_utils/chain/test_plan.py::test_leaf_does_not_chain_through_an_expired_new_'
     'intermediate'),
    ('chain/_plan',
     'if any(issued_by(cross, anchor) for anchor in root_certs):',
     'if False:',
     'tests/unit/plugins/module_utils/chain/test_plan.py::test_chaining_only_through_cross_and_globalsign_'
     'gets_no_false_warning'),
    ('chain/_plan',
     'c.next_update_utc <= now:',
     'c.next_update_utc < now - datetime.timedelta(days=3650):',
     'tests/unit/plugins/module_utils/chain/test_plan.py::test_expired_arl_on_the_host_gets_its_warning'),
    ('chain/_plan',
     'return (crl_number(crl), crl.last_update_utc)',
     'return (crl.last_update_utc, crl_number(crl))',
     'tests/unit/plugins/module_utils/chain/test_plan.py::test_arl_with_higher_number_but_earlier_this_upd'
     'ate_wins'),
    ('chain/_inputs',
     '    if not issued_by(cert, root):\n',
     '    if False:\n',
     'tests/unit/plugins/module_utils/chain/test_inputs.py::test_wrong_intermediate_refused'),
    ('chain/_inputs',
     '    _not_expired(cert, option, now)\n    return cert\n\n\ndef check_cross',
     '    return cert\n\n\ndef check_cross',
     'tests/unit/plugins/module_utils/chain/test_inputs.py::test_wrong_intermediate_refused'),
    ('chain/_inputs',
     ' or cert.subject != root.subject or not same_key:',
     ' or cert.subject != root.subject:',
     'tests/unit/plugins/module_utils/chain/test_inputs.py::test_wrong_cross_refused'),
    ('chain/_inputs',
     'if not is_globalsign_r3(cert.issuer):',
     'if False:',
     'tests/unit/plugins/module_utils/chain/test_inputs.py::test_wrong_cross_refused'),
    ('chain/_inputs',
     "if classify(cert)['role'] != 'root':",
     "if classify(cert)['role'] not in ('root', 'cross'):",
     'tests/unit/plugins/module_utils/chain/test_inputs.py::test_wrong_root_refused'),
    ('request/_subject',
     "if '*' in name and not wildcard:",
     'if False:',
     'tests/unit/plugins/module_utils/request/test_subject.py::test_wildcard_misuse_refused_not_rewritten'),
    ('request/_subject',
     'if len(labels) < 2 + (1 if wildcard else 0):',
     'if len(labels) < 2:',
     'tests/unit/plugins/module_utils/request/test_subject.py::test_wildcard_misuse_refused_not_rewritten'),
    ('request/_subject',
     'idna.encode(label, uts46=True)',
     'idna.encode(label, uts46=False)',
     'tests/unit/plugins/module_utils/request/test_subject.py::test_uts46_mapping_of_full_width_and_upper_'
     'case_input'),
    ('request/_subject',
     "MULTI_DOMAIN_TYPES = ('multi_domain', 'ev_multi_domain')",
     "MULTI_DOMAIN_TYPES = ('multi_domain',)",
     'tests/unit/plugins/module_utils/request/test_subject.py::test_ev_multi_domain_with_sans_behaves_like'
     '_multi_domain'),
    ('request/_csr',
     'return frozenset((attr.oid.dotted_string, attr.value) for attr in name)',
     'return tuple((attr.oid.dotted_string, attr.value) for attr in name)',
     'tests/unit/plugins/action/test_hkpost_csr.py::test_certreq_subject_is_in_windows_order_and_the_rerun'
     '_still_reuses_it'),
    ('request/_csr',
     "        if not entry.get('has_private_key', True):\n            continue\n",
     '',
     'tests/unit/plugins/action/test_hkpost_csr.py::test_pending_request_whose_key_is_gone_gets_a_new_key'),
    ('request/_csr',
     'candidates.sort(key=lambda c: c[0], reverse=True)',
     'candidates.sort(key=lambda c: c[0])',
     'tests/unit/plugins/module_utils/request/test_csr.py::test_newest_pending_request_is_reused_not_the_o'
     'ldest'),
    ('dcv/_dns',
     '                if not authoritative:\n',
     '                if False:\n',
     'tests/unit/plugins/module_utils/dcv/test_dns.py::test_a_cached_non_authoritative_answer_does_not_cou'
     'nt'),
    ('dcv/_dns',
     'elif code in values:',
     'elif code in values or values:',
     'tests/unit/plugins/module_utils/dcv/test_dns.py::test_two_authoritative_servers_only_one_has_the_rec'
     'ord'),
    ('dcv/_dns',
     '        if not found:\n            result.append((target, None, 53))\n',
     '',
     'tests/unit/plugins/module_utils/dcv/test_dns.py::test_an_ns_name_without_an_address_is_reported'),
    ('dcv/_http',
     "ok = any(c['ok'] for c in checks)",
     "ok = all(c['ok'] for c in checks)",
     'tests/unit/plugins/module_utils/dcv/test_http.py::test_name_served_over_http_only_passes'),
    ('install/_iis_binding',
     'if int(m_port) != port or m_ip in _WILDCARD_ENDPOINTS:',
     'if m_ip in _WILDCARD_ENDPOINTS:',
     'tests/unit/plugins/module_utils/install/test_iis_binding_plan.py::test_ipport_mapping_on_another_por'
     't_does_not_override_the_443_sni_binding'),
    ('audit/_served_chain',
     'return any(a.public_key() == cert.public_key() for a in self._by_subject.get(cert.subject, ()))',
     'return bool(self._by_subject.get(cert.subject))',
     'tests/unit/plugins/module_utils/audit/test_served_chain.py::test_sent_self_signed_root_copying_root_'
     'ca_3_name_but_not_key_is_not_trusted'),
    ('pki/_issued',
     "    if not found and info.get('subject_cn'):\n        found = [info['subject_cn'].lower()]\n",
     '',
     'tests/unit/plugins/module_utils/pki/test_issued.py::test_certificate_without_san_matches_by_its_cn'),
    ('install/_complete',
     "if p['spki_sha256'] == leaf['spki_sha256'] and p['has_private_key']]",
     "if p['spki_sha256'] == leaf['spki_sha256']]",
     'tests/unit/plugins/module_utils/install/test_complete.py::test_pending_request_without_its_key_is_re'
     'fused'),
]
only = sys.argv[1:]
for module, old, new, test in EDITS:
    if only and module not in only:
        continue
    path = '%s/%s%s.py' % (WT, MU, module)
    src = open(path).read()
    if src.count(old) != 1:
        print('GONE  %-22s %s (the code changed; update this list)' % (module, old.strip()[:60]))
        continue
    open(path, 'w').write(src.replace(old, new))
    try:
        rc = subprocess.run([WT + '/.venv/bin/python', '-m', 'pytest', '-q', '-x', '-p', 'no:cacheprovider', test],
                            cwd=WT, capture_output=True, check=False).returncode
    finally:
        open(path, 'w').write(src)
    print('%-5s %-22s %s -> %s' % ('FAILS' if rc else 'PASS!', module, old.strip()[:60], test.split('::')[-1]), flush=True)
