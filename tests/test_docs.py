"""The documentation a user reads: links resolve, examples load, nothing is left out.

README.md and docs/*.md are read in a clone (or on the repository's web page),
so every relative link must reach a file inside the repository, and a link to
a heading must reach a heading that exists (GitHub's anchor rules). The
exercise-file examples are loaded as formcheck would load them, every built-in
exercise must be documented, and README's Quick start must keep the two lines
`.ci/run` executes.
"""

from __future__ import annotations

import re
import tomllib
from functools import cache
from pathlib import Path

import pytest

from formcheck.exercises.custom import load_exercise_file, parse_exercise
from formcheck.exercises.registry import exercise_ids

REPO = Path(__file__).resolve().parents[1]
DOCS = sorted([REPO / "README.md", *(REPO / "docs").glob("*.md")])
EXAMPLES = sorted((REPO / "examples" / "exercises").glob("*.toml"))

FENCE = re.compile(r"^```.*?^```[^\n]*$", re.M | re.S)
COMMENT = re.compile(r"<!--.*?-->", re.S)
CODE_SPAN = re.compile(r"`[^`\n]*`")
INLINE_LINK = re.compile(r"!?\[[^\]\n]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
REFERENCE_LINK = re.compile(r"^\s{0,3}\[[^\]\n]+\]:\s*<?(\S+?)>?(?:\s+\"[^\"]*\")?\s*$", re.M)
SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def prose(text: str) -> str:
    """The text links can be in: no fenced code, no HTML comments, no code spans."""
    text = FENCE.sub("", text)
    text = COMMENT.sub("", text)
    return CODE_SPAN.sub("code", text)


def links(path: Path) -> list[str]:
    text = prose(path.read_text(encoding="utf-8"))
    return INLINE_LINK.findall(text) + REFERENCE_LINK.findall(text)


def github_slug(heading: str) -> str:
    """The anchor GitHub gives a heading: code and link text kept, punctuation dropped, spaces to '-'."""
    text = re.sub(r"`([^`]*)`", r"\1", heading)
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"<[^>]+>", "", text).strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


@cache
def anchors(path: Path) -> frozenset[str]:
    text = COMMENT.sub("", FENCE.sub("", path.read_text(encoding="utf-8")))
    seen: dict[str, int] = {}
    found = set()
    for heading in re.findall(r"^#{1,6}\s+(.+?)\s*#*\s*$", text, re.M):
        slug = github_slug(heading)
        n = seen.get(slug, 0)
        seen[slug] = n + 1
        found.add(slug if n == 0 else f"{slug}-{n}")
    return frozenset(found)


def relative_links() -> list[tuple[Path, str]]:
    return [(doc, target) for doc in DOCS for target in links(doc) if not SCHEME.match(target)]


def test_the_docs_exist_and_have_links():
    names = {doc.relative_to(REPO).as_posix() for doc in DOCS}
    assert {"README.md", "docs/exercises.md", "docs/exercise-files.md"} <= names
    assert len(relative_links()) > 20


def link_problem(doc: Path, target: str, repo: Path = REPO) -> str | None:
    """What is wrong with a relative link from ``doc``, or None when it resolves."""
    where = f"{doc.relative_to(repo)}: link {target!r}"
    path_part, _, fragment = target.partition("#")
    if path_part.startswith("/"):
        return f"{where} is absolute; links must be relative"
    dest = (doc.parent / path_part).resolve() if path_part else doc
    if not dest.is_relative_to(repo):
        return f"{where} leaves the repository (broken in a clone)"
    if not dest.exists():
        return f"{where}: {dest.relative_to(repo)} does not exist"
    if fragment and dest.suffix != ".md":
        return f"{where}: anchors are checked in Markdown files only"
    if fragment and fragment not in anchors(dest):
        return f"{where}: no heading with anchor #{fragment} in {dest.relative_to(repo)}"
    return None


@pytest.mark.parametrize(
    ("doc", "target"), relative_links(), ids=lambda v: v.relative_to(REPO).as_posix() if isinstance(v, Path) else v
)
def test_relative_link_resolves_inside_the_repository(doc: Path, target: str):
    problem = link_problem(doc, target)
    assert problem is None, problem


@pytest.mark.parametrize(
    ("heading", "slug"),
    [
        ("Quick start", "quick-start"),
        ("Pelvic tilt (`pelvic_tilt`)", "pelvic-tilt-pelvic_tilt"),
        ("Child's pose (`childs_pose`)", "childs-pose-childs_pose"),
        ("Long recordings (`--max-fps`)", "long-recordings---max-fps"),
        ("Live coaching: latency and frame rate", "live-coaching-latency-and-frame-rate"),
    ],
)
def test_github_slug(heading: str, slug: str):
    assert github_slug(heading) == slug


def test_broken_links_are_found(tmp_path: Path):
    repo = (tmp_path / "repo").resolve()
    (repo / "docs").mkdir(parents=True)
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "EXERCISES.md").write_text("# Spec\n", encoding="utf-8")
    doc = repo / "docs" / "x.md"
    doc.write_text(
        "# Title\nSee [the spec](../../shared/EXERCISES.md), [here](#nowhere), [there](#title), [gone](y.md).\n"
        "```\n[not a link](missing.md)\n```\n<!-- [nor this](gone.md) -->\n",
        encoding="utf-8",
    )
    targets = links(doc)
    assert targets == ["../../shared/EXERCISES.md", "#nowhere", "#title", "y.md"]
    problems = [link_problem(doc, target, repo) for target in targets]
    assert problems[0] is not None and "leaves the repository" in problems[0]
    assert problems[1] is not None and "#nowhere" in problems[1]
    assert problems[2] is None
    assert problems[3] is not None and "does not exist" in problems[3]


def test_quick_start_keeps_the_two_lines_ci_runs():
    """`.ci/run` executes line 2 of the first code block after '## Quick start'."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    after = text.split("\n## Quick start\n", 1)[1]
    block = re.search(r"^```[^\n]*\n(.*?)^```", after, re.M | re.S)
    assert block is not None
    lines = [line for line in block.group(1).splitlines() if line.strip()]
    assert lines == ["pip install . && formcheck demo", 'pip install ".[test]" && pytest']


TOML_BLOCKS = [
    (doc, block)
    for doc in DOCS
    for block in re.findall(r"^```toml\n(.*?)^```", doc.read_text(encoding="utf-8"), re.M | re.S)
]


@pytest.mark.parametrize(("doc", "block"), TOML_BLOCKS, ids=lambda v: v.name if isinstance(v, Path) else "")
def test_exercise_file_examples_in_the_docs_load(doc: Path, block: str):
    parse_exercise(tomllib.loads(block), file=doc.name)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_example_exercise_files_load(path: Path):
    load_exercise_file(path)


def test_relative_is_documented_with_an_example():
    examples = [b for d, b in TOML_BLOCKS if d.name == "exercise-files.md" and "relative = true" in b]
    assert examples, "docs/exercise-files.md shows no example with relative = true"
    spec = parse_exercise(tomllib.loads(examples[0]))
    assert any(c.relative for c in spec.hold_position + tuple(c for f in spec.faults for c in f.when))


@pytest.mark.parametrize("exercise_id", exercise_ids())
def test_every_exercise_is_documented(exercise_id: str):
    catalogue = (REPO / "docs" / "exercises.md").read_text(encoding="utf-8")
    assert re.search(rf"^## .*\(`{exercise_id}`\)$", catalogue, re.M), f"no section for {exercise_id}"
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert re.search(rf"^\|.*`{exercise_id}`", readme, re.M), f"README's exercise table lacks {exercise_id}"
