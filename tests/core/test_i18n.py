"""The zh_Hans catalogue is complete: every template string has a Chinese translation."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.utils import translation

SRC = Path(__file__).resolve().parents[2] / "src" / "tuijin"
PO = SRC / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def catalogue() -> dict[str, str]:
    entries: dict[str, str] = {}
    text = PO.read_text(encoding="utf-8")
    for block in text.split("\n\n"):
        if "#, fuzzy" in block:
            entries[_msgid(block)] = ""
            continue
        msgid = _msgid(block)
        if msgid:
            strs = re.findall(r'^msgstr(?:\[\d\])? ((?:".*"\n?)+)', block + "\n", re.M)
            entries[msgid] = "".join(_joined(s) for s in strs)
    return entries


def _joined(chunk: str) -> str:
    return "".join(re.findall(r'"(.*)"', chunk))


def _msgid(block: str) -> str:
    m = re.search(r'^msgid ((?:".*"\n?)+)', block + "\n", re.M)
    return _joined(m.group(1)) if m else ""


def test_every_entry_of_the_catalogue_is_translated():
    untranslated = [k for k, v in catalogue().items() if k and not v]
    assert untranslated == []


def test_every_trans_tag_in_the_templates_is_in_the_catalogue():
    known = set(catalogue())
    missing = set()
    for template in SRC.rglob("templates/**/*.html"):
        text = template.read_text(encoding="utf-8")
        for msg in re.findall(r'{%\s*trans\s+"([^"]+)"', text) + re.findall(r"{%\s*trans\s+'([^']+)'", text):
            # makemessages writes a literal % of a template string as %% in the catalogue.
            if msg not in known and msg.replace("%", "%%") not in known:
                missing.add((template.name, msg))
    assert missing == set()


@pytest.mark.parametrize(("english", "chinese"), [("Project library", "项目库"), ("Log out", "退出登录")])
def test_the_interface_speaks_chinese(english, chinese):
    with translation.override("zh-hans"):
        assert translation.gettext(english) == chinese
