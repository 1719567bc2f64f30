"""The Linux bundle's trimmed ICU data (installer/icu_trim.py): which items go. The
bundle built with it passes its self-test (tests/installer/test_bundle.py)."""

from __future__ import annotations

import pytest

from installer.icu_trim import removable


@pytest.mark.parametrize(
    "item",
    ["de.res", "fr_CA.res", "coll/de_.res", "coll/zh_Hant.res", "zone/ja.res", "curr/pl.res",
     "rbnf/ar.res", "lang/sr_Latn_BA.res", "unit/yue_Hans.res"],
)  # fmt: skip
def test_other_languages_locale_data_goes(item: str) -> None:
    assert removable(item)


@pytest.mark.parametrize(
    "item",
    ["root.res", "en.res", "en_GB.res", "cy.res", "gd_GB.res", "ga.res", "coll/root.res",
     "zone/en_001.res", "pool.res", "curr/pool.res", "res_index.res", "lang/res_index.res",
     "supplementalData.res", "zoneinfo64.res", "metaZones.res", "likelySubtags.res",
     "brkitr/de.res", "brkitr/thaidict.dict", "translit/ru_ru_Latn_BGN.res",
     "nfkc.nrm", "uprops.icu", "ibm-1047_P100-1995.cnv", "coll/ucadata.icu"],
)  # fmt: skip
def test_what_every_text_needs_and_english_welsh_and_gaelic_stay(item: str) -> None:
    assert not removable(item)
