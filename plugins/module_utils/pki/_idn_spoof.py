# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Look-alike (homograph) internationalised labels, refused the way UTS #39 section 5 describes.

A certificate for ``exаmple.com.hk`` whose third letter is CYRILLIC SMALL LETTER A is a certificate for
a different name than the operator thinks (its A-label is ``xn--exmple-4nf``). Two checks, per label:

* mixed script (UTS #39 5.2, "Highly Restrictive"): the scripts of the label's letters, Common and
  Inherited ignored, must be one script, or a subset of one of the sets CJK writing mixes with Latin
  (Latin + Han + Hiragana + Katakana, Latin + Han + Bopomofo, Latin + Han + Hangul). Chinese names such
  as ``香港郵政`` or ``abc中文`` pass; ``exаmple`` (Latin + Cyrillic) does not.
* whole-script confusable (UTS #39 5.1, as browsers apply it to Latin-looking labels): a label written
  wholly in another script whose every letter has a Latin look-alike (``аррӏе``, all Cyrillic).

The script of a character and its look-alikes come from ``confusable_homoglyphs`` (PyPI), which ships
Unicode's Scripts.txt and confusables.txt; nothing is hand-listed here. An A-label typed as such
(``xn--...``) is not decoded and checked: typing the punycode is taken as deliberate, and that is the
fix the message offers for a name that really is registered that way.
"""

from __future__ import annotations

from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError

_LIBRARY = {}


def _library():
    """confusable_homoglyphs, imported on first use: loading its Unicode tables takes about 0.3 s, and only a
    non-ASCII label needs them (every task runs in a fresh worker process, so an import at module level would
    cost that on every task for every host)."""
    if not _LIBRARY:
        try:
            from confusable_homoglyphs import categories, confusables
            _LIBRARY.update(categories=categories, confusables=confusables)
        except ImportError:  # a controller requirement; a POSIX target running hkpost_csr may lack it
            _LIBRARY['missing'] = True
    return None if _LIBRARY.get('missing') else _LIBRARY


_IGNORED = frozenset(('COMMON', 'INHERITED'))
# UTS #39 5.2 Highly Restrictive: the CJK combinations allowed with Latin.
_ALLOWED_MIXES = (frozenset(('LATIN', 'HAN', 'HIRAGANA', 'KATAKANA')), frozenset(('LATIN', 'HAN', 'BOPOMOFO')),
                  frozenset(('LATIN', 'HAN', 'HANGUL')))


def label_scripts(label):
    """The scripts of ``label``'s characters, Common and Inherited left out."""
    return {_library()['categories'].alias(c) for c in label} - _IGNORED


def check_label(label, alabel, what, original):
    """Refuse a mixed-script or Latin-look-alike label; ``alabel`` is its A-label, shown side by side.

    Without confusable_homoglyphs (a POSIX target running the hkpost_csr module, where only cryptography is
    required) the check is skipped: the action plugin has already run it on the controller, where
    requirements.txt installs the library.
    """
    if label.isascii() or _library() is None:
        return
    categories, confusables = _library()['categories'], _library()['confusables']
    scripts = label_scripts(label)
    fix = ('If the registered name really is written this way, give its A-label (%s) instead; otherwise retype '
           'the name in one script.' % alabel)
    if len(scripts) > 1 and not any(scripts <= allowed for allowed in _ALLOWED_MIXES):
        by_script = {}
        for c in label:
            script = categories.alias(c)
            if script not in _IGNORED:
                by_script.setdefault(script, []).append(c)
        detail = ', '.join('%s "%s"' % (s.title(), ''.join(chars)) for s, chars in sorted(by_script.items()))
        raise HkpostError('%s "%s": the label "%s" (A-label %s) mixes scripts (%s), a look-alike of another name '
                          '(UTS #39 mixed-script). %s' % (what, original, label, alabel, detail, fix))
    if scripts and 'LATIN' not in scripts:
        letters = [c for c in label if categories.alias(c) not in _IGNORED]
        found = confusables.is_confusable(label, greedy=True, preferred_aliases=['latin']) or []
        lookalike = {item['character'] for item in found}
        if letters and all(c in lookalike for c in letters):
            raise HkpostError('%s "%s": every letter of the label "%s" (A-label %s) is a %s letter that looks like a '
                              'Latin one, so the name reads as a different, Latin name (UTS #39 whole-script '
                              'confusable). %s' % (what, original, label, alabel, '/'.join(sorted(scripts)).title(),
                                                   fix))
