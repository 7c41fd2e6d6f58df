"""Chinese is the default language: every message must have its translation."""

from pathlib import Path

from django.conf import settings
from django.utils import translation

PO = Path(settings.BASE_DIR) / "ducha" / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def _entries(text: str):
    """(msgid, msgstr, fuzzy) for each entry of a .po file, plural forms included."""
    entries, block = [], []
    for line in [*text.splitlines(), ""]:
        if line.strip():
            block.append(line)
            continue
        if block:
            entries.append(block)
            block = []
    for block in entries:
        fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in block)
        msgid, msgstrs, current = [], [], None
        for line in block:
            if line.startswith("msgid "):
                current = msgid
                current.append(line[6:])
            elif line.startswith("msgid_plural"):
                current = None
            elif line.startswith("msgstr"):
                current = []
                msgstrs.append(current)
                current.append(line.split(" ", 1)[1])
            elif line.startswith('"') and current is not None:
                current.append(line)
        join = lambda parts: "".join(p.strip().strip('"') for p in parts)  # noqa: E731
        yield join(msgid), [join(s) for s in msgstrs], fuzzy


def test_every_message_is_translated_to_chinese():
    untranslated = [
        msgid
        for msgid, msgstrs, fuzzy in _entries(PO.read_text(encoding="utf-8"))
        if msgid and (fuzzy or not msgstrs or any(not s for s in msgstrs))
    ]
    assert untranslated == []


def test_the_compiled_catalogue_is_used():
    with translation.override("zh-hans"):
        assert translation.gettext("Log in") == "登录"
    with translation.override("en"):
        assert translation.gettext("Log in") == "Log in"


def test_every_message_in_the_code_is_in_the_catalogue(tmp_path, settings, monkeypatch):
    """Extract the messages afresh into a copy of the catalogue: nothing may be missing."""
    import shutil

    from django.core.management import call_command

    locale = tmp_path / "locale"
    shutil.copytree(PO.parent.parent.parent, locale)
    settings.LOCALE_PATHS = [locale]
    monkeypatch.chdir(settings.BASE_DIR)
    real_catalogue = PO.read_bytes()
    call_command(
        "makemessages",
        locale=["zh_Hans"],
        no_obsolete=True,
        no_location=True,
        ignore_patterns=[
            ".venv/*",
            "node_modules/*",
            "static/vendor/*",
            "var/*",
            "e2e/*",
            "bench/*",
            # Skipped so that makemessages does not take it for the catalogue of the files
            # under ducha/: the extraction goes to the copy only.
            "ducha/locale",
        ],
        verbosity=0,
    )
    assert PO.read_bytes() == real_catalogue, "the extraction wrote into the real catalogue"
    fresh = (locale / "zh_Hans" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    missing = [
        msgid
        for msgid, msgstrs, fuzzy in _entries(fresh)
        if msgid and (fuzzy or not msgstrs or any(not s for s in msgstrs))
    ]
    assert missing == []
