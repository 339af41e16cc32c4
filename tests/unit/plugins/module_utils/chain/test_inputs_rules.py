# -*- coding: utf-8 -*-
"""chain/_inputs rules the mutation run (issue 21) found no test pinning: the clock skew allowed for an ARL's
thisUpdate, and the time a root is checked against."""

import datetime

import pytest

from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError
from ansible_collections.hkpost.ecert.plugins.module_utils.chain._inputs import CLOCK_SKEW, check_arl, check_root
from tests.support.pki import DAY

SECOND = datetime.timedelta(seconds=1)


def test_the_clock_skew_allowed_is_ten_minutes():
    assert CLOCK_SKEW == datetime.timedelta(minutes=10)


@pytest.mark.parametrize('ahead', [-DAY, datetime.timedelta(0), datetime.timedelta(minutes=9), CLOCK_SKEW])
def test_an_arl_issued_up_to_ten_minutes_ahead_of_the_controller_is_accepted(pki, ahead):
    now = pki.now.replace(microsecond=0)
    arl = pki.make_arl(20, now + ahead, now + 300 * DAY)
    assert check_arl(arl, pki.root.cert, 'arl_file', now) is arl


@pytest.mark.parametrize('ahead', [CLOCK_SKEW + SECOND, datetime.timedelta(minutes=11) - SECOND, 2 * DAY])
def test_an_arl_issued_further_ahead_is_refused_as_a_wrong_clock(pki, ahead):
    now = pki.now.replace(microsecond=0)
    arl = pki.make_arl(20, now + ahead, now + 300 * DAY)
    with pytest.raises(HkpostError, match=r'arl_file: this ARL says it was issued \(thisUpdate\) .* in the future'):
        check_arl(arl, pki.root.cert, 'arl_file', now)


def test_check_root_judges_expiry_at_the_time_given(pki):
    after_expiry = pki.root.cert.not_valid_after_utc + DAY
    with pytest.raises(HkpostError, match='root_certificate_file: .* expired on'):
        check_root(pki.root.cert, now=after_expiry)
    assert check_root(pki.root.cert) is pki.root.cert  # without now: the current time, before its expiry
