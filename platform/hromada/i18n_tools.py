"""Extract, update and check the gettext catalogs (en, uk, ru, be) of the core and of every plugin.

1. `make extract-messages` (`python -m hromada.i18n_tools update [project...]`) adds new msgids to each messages.po.
2. Translate each new empty msgstr in uk, ru and be; review entries marked `#, fuzzy`, then delete the flag.
3. `python -m hromada.i18n_tools check` lists whatever is still missing, untranslated or fuzzy (tests run it too).
4. `make translations` compiles the .po files into .mo files (git-ignored build products); restart the app.
5. English msgstr stay empty on purpose: gettext then shows the msgid, which is the English text.

Projects: the core (babel.cfg at the repository root, catalogs in platform/hromada/translations)
and each package `plugins/*/hromada_*/` or `examples/*/hromada_*/` with a `translations/` folder
or a babel.cfg beside its pyproject.toml. Extraction uses Babel's Python API, not the pybabel CLI.
"""

from __future__ import annotations

import argparse
import io
import sys
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po, write_po

REPOSITORY = Path(__file__).resolve().parents[2]
LOCALES = ("en", "uk", "ru", "be")
SOURCE_LOCALE = "en"
# Flask-Babel's lazy variants on top of Babel's defaults (_, gettext, ngettext, pgettext...).
KEYWORDS = {
    **DEFAULT_KEYWORDS,
    "_l": None,
    "lazy_gettext": None,
    "lazy_ngettext": (1, 2),
    "lazy_pgettext": ((1, "c"), 2),
    "lazy_npgettext": ((1, "c"), 2, 3),
}
COMMENT_TAGS = ("TRANSLATORS:",)
# What a plugin or example without its own babel.cfg is extracted with.
DEFAULT_PLUGIN_MAPPING = """
[python: hromada_*/**.py]
[jinja2: hromada_*/**/templates/**.html]
silent = false
newstyle_gettext = true
"""


@dataclass(frozen=True)
class Project:
    name: str
    root: Path  # where babel.cfg is and extraction starts
    catalogs: Path  # <catalogs>/<locale>/LC_MESSAGES/messages.po

    def po_path(self, locale: str) -> Path:
        return self.catalogs / locale / "LC_MESSAGES" / "messages.po"


def find_projects(repository: Path = REPOSITORY) -> list[Project]:
    projects = [Project("hromada", repository, repository / "platform" / "hromada" / "translations")]
    for pattern in ("plugins/*/hromada_*", "examples/*/hromada_*"):
        for package in sorted(repository.glob(pattern)):
            translations = package / "translations"
            is_package = (package / "__init__.py").is_file()  # not hromada_x.egg-info
            if is_package and (translations.is_dir() or (package.parent / "babel.cfg").is_file()):
                projects.append(Project(package.name, package.parent, translations))
    return projects


def extract(project: Project) -> Catalog:
    """The project's messages as found in its source now: a template catalog."""
    cfg = project.root / "babel.cfg"
    mapping = cfg.read_text(encoding="utf-8") if cfg.is_file() else DEFAULT_PLUGIN_MAPPING
    method_map, options_map = parse_mapping_cfg(io.StringIO(mapping))
    template = Catalog(project=project.name, fuzzy=False)
    found = extract_from_dir(
        project.root, method_map, options_map, keywords=KEYWORDS,
        comment_tags=COMMENT_TAGS, strip_comment_tags=True,
    )
    for filename, lineno, message, comments, context in found:
        template.add(message, None, [(Path(filename).as_posix(), lineno)], auto_comments=comments, context=context)
    return template


def _new_catalog(project: Project, locale: str) -> Catalog:
    return Catalog(
        locale=locale,
        project=project.name,
        fuzzy=False,  # a fuzzy header would make `pybabel compile` skip the whole catalog
        header_comment=f"# {project.name} messages in {locale}; workflow: hromada/i18n_tools.py",
        last_translator="Hromada translators",
        language_team=f"{locale} <hromada translators>",
    )


def update(project: Project) -> list[tuple[Path, Catalog]]:
    """Bring each locale's messages.po in line with the source, keeping existing translations."""
    template = extract(project)
    updated = []
    for locale in LOCALES:
        path = project.po_path(locale)
        if path.exists():
            with path.open("rb") as handle:
                catalog = read_po(handle, locale=locale)
        else:
            catalog = _new_catalog(project, locale)
        # English has nothing to guess: a fuzzy match would only copy an empty msgstr.
        catalog.update(template, no_fuzzy_matching=locale == SOURCE_LOCALE, update_creation_date=False)
        buffer = io.BytesIO()
        # No line numbers and no obsolete entries: the files change only when messages do.
        write_po(buffer, catalog, ignore_obsolete=True, include_lineno=False)
        if not path.exists() or path.read_bytes() != buffer.getvalue():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(buffer.getvalue())
        updated.append((path, catalog))
    return updated


def is_translated(message: Message) -> bool:
    strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
    return all(strings)


def check(project: Project) -> list[str]:
    """What stops the project's catalogs from being complete, one line per problem."""
    template = extract(project)
    problems, out_of_step = [], {}  # message -> the locales whose catalog lacks it or has it stale
    for locale in LOCALES:
        path = project.po_path(locale)
        where = _relative(path)
        if not path.exists():
            problems.append(f"{where}: no catalog (run make extract-messages)")
            continue
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=locale)
        for message in template:
            if message.id and catalog.get(message.id, message.context) is None:
                out_of_step.setdefault(("missing from the catalog", _short(message)), []).append(locale)
        for message in catalog:
            if not message.id:
                continue
            if template.get(message.id, message.context) is None:
                out_of_step.setdefault(("no longer in the source", _short(message)), []).append(locale)
            elif message.fuzzy:
                problems.append(f"{where}: fuzzy: {_short(message)}")
            elif locale != SOURCE_LOCALE and not is_translated(message):
                problems.append(f"{where}: untranslated: {_short(message)}")
        for message, errors in catalog.check():
            problems.extend(f"{where}: {error}: {_short(message)}" for error in errors)
    problems.extend(
        f"{_relative(project.catalogs)} ({', '.join(locales)}): {what} (run make extract-messages): {text}"
        for (what, text), locales in out_of_step.items()
    )
    return problems


def _relative(path: Path) -> Path:
    return path.relative_to(REPOSITORY) if path.is_relative_to(REPOSITORY) else path


def _short(message: Message) -> str:
    text = message.id[0] if isinstance(message.id, (list, tuple)) else message.id
    return repr(text if len(text) <= 70 else text[:67] + "...")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m hromada.i18n_tools", description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["update", "check"])
    parser.add_argument("projects", nargs="*", help="only these, e.g. hromada hromada_incubator (default: all)")
    args = parser.parse_args(argv)
    projects = [p for p in find_projects() if not args.projects or p.name in args.projects]
    unknown = set(args.projects) - {p.name for p in projects}
    if unknown:
        parser.error("unknown project: " + ", ".join(sorted(unknown)))
    if args.command == "update":
        for project in projects:
            for path, catalog in update(project):
                messages = [m for m in catalog if m.id]
                todo = sum(1 for m in messages if m.fuzzy or not is_translated(m))
                note = "" if path.parts[-3] == SOURCE_LOCALE or not todo else f", {todo} to translate"
                print(f"{_relative(path)}: {len(messages)} messages{note}")
        return 0
    problems = [problem for project in projects for problem in check(project)]
    print("\n".join(problems) or f"All catalogs complete ({len(projects)} projects, {len(LOCALES)} languages).")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
