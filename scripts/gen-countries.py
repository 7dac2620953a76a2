#!/usr/bin/env python3
"""Writes crates/qujat-core/data/countries.json from Debian's iso-codes.

The app runs on Windows and macOS too, where /usr/share/iso-codes does not
exist, so the names are generated once here and the file is committed; the
core embeds it at build time and the UI imports it. Run again when iso-codes
changes: `python3 scripts/gen-countries.py`.
"""
import gettext
import json
import pathlib

SOURCE = "/usr/share/iso-codes/json/iso_3166-1.json"
OUT = pathlib.Path(__file__).resolve().parent.parent / "crates/qujat-core/data/countries.json"


def main() -> None:
    entries = json.load(open(SOURCE, encoding="utf-8"))["3166-1"]
    langs = {
        lang: gettext.translation("iso_3166-1", "/usr/share/locale", languages=[lang], fallback=True)
        for lang in ("ru", "kk")
    }
    rows = []
    for e in entries:
        # The short name people use ("Russia", not "Russian Federation") where
        # iso-codes has one; the translations are keyed by the official name.
        name = e["name"]
        common = e.get("common_name", name)
        row = {"code": e["alpha_2"], "en": common}
        for lang, tr in langs.items():
            translated = tr.gettext(common)
            if translated == common:
                translated = tr.gettext(name)
            row[lang] = translated
        rows.append(row)
    rows.sort(key=lambda r: r["code"])
    lines = ",\n".join(json.dumps(r, ensure_ascii=False) for r in rows)
    OUT.write_text("[\n" + lines + "\n]\n", encoding="utf-8")


if __name__ == "__main__":
    main()
