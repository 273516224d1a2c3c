"""The taxonomy YAML: groups with category trees, and facets, validated with line numbers."""

from __future__ import annotations

import re

import yaml

from .model import Category, Diagnostic, Facet, FacetValue, Group, Taxonomy
from .schema import BY_NAME

ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
LINE = "__line__"


class LineLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """A safe loader (libyaml's parser when PyYAML has it) that remembers the 1-based line
    of every mapping."""

    def construct_mapping(self, node, deep=False):
        seen: dict[str, int] = {}
        for key_node, _ in node.value:  # YAML keeps the last of a repeated key: refuse it
            if isinstance(key_node, yaml.ScalarNode):
                line = key_node.start_mark.line + 1
                if key_node.value in seen:
                    raise yaml.constructor.ConstructorError(
                        None, None, f"key '{key_node.value}' is repeated (first on line "
                        f"{seen[key_node.value]}): keep one", key_node.start_mark)
                seen[key_node.value] = line
        mapping = super().construct_mapping(node, deep=deep)
        mapping[LINE] = node.start_mark.line + 1
        return mapping


def yaml_hint(problem: str) -> str:
    """How to fix the YAML mistakes contributors make, from the parser's words."""
    if "tab" in problem:
        return " (indent with spaces, not tabs)"
    if "cannot start any token" in problem:
        return " (a tab? indent with spaces; quote a value starting with @ or `)"
    if "mapping values are not allowed" in problem:
        return " (a value containing ': ' must be quoted)"
    return ""


class _Reader:
    def __init__(self, file: str):
        self.file = file
        self.problems: list[Diagnostic] = []
        self.seen: dict[str, int] = {}

    def error(self, line, key, message):
        self.problems.append(Diagnostic(self.file, line, key, message))

    def known(self, node: dict, keys: tuple[str, ...]) -> None:
        """Report the keys of ``node`` that are not ``keys`` (a typo drops what it holds)."""
        for key in sorted(set(node) - {*keys, LINE}, key=str):
            self.error(node.get(LINE), node.get("id") if isinstance(node.get("id"), str) else None,
                       f"unknown key '{key}' (keys here: {', '.join(keys)})")

    def text(self, node: dict, name: str, where: str | None) -> str:
        value = node.get(name)
        if not isinstance(value, str) or not value.strip():
            self.error(node.get(LINE), where, f"'{name}' must be a non-empty string")
            return ""
        return value.strip()

    def ident(self, node: dict) -> str | None:
        value = node.get("id")
        line = node.get(LINE)
        if not isinstance(value, str) or not ID_RE.match(value):
            self.error(line, None, f"id {value!r} must be lowercase words joined by hyphens")
            return None
        if value in self.seen:
            self.error(line, value, f"id is already used on line {self.seen[value]}")
            return None
        self.seen[value] = line
        return value

    def items(self, node: dict, name: str, where: str | None, required=True) -> list[dict]:
        value = node.get(name)
        if value is None and not required:
            return []
        if not isinstance(value, list) or not value or not all(isinstance(v, dict) for v in value):
            self.error(node.get(LINE), where, f"'{name}' must be a non-empty list of mappings")
            return []
        return value

    def category(self, node: dict, group: str, depth: int) -> Category | None:
        self.known(node, ("id", "name", "description", "children"))
        cid = self.ident(node)
        name = self.text(node, "name", cid)
        description = self.text(node, "description", cid)
        children = tuple(
            c for c in (self.category(child, group, depth + 1)
                        for child in self.items(node, "children", cid, required=False))
            if c is not None
        )
        if cid is None:
            return None
        return Category(cid, name, description, group, depth, children)

    def group(self, node: dict) -> Group | None:
        self.known(node, ("id", "name", "file", "description", "categories"))
        gid = self.ident(node)
        name = self.text(node, "name", gid)
        file = self.text(node, "file", gid)
        if file and not re.match(r"^[\w.-]+\.bib$", file):
            self.error(node.get(LINE), gid,
                       f"'file' must be a .bib file name in bib/, not {file!r}")
        description = self.text(node, "description", gid)
        categories = tuple(
            c for c in (self.category(n, gid or "?", 0)
                        for n in self.items(node, "categories", gid))
            if c is not None
        )
        return Group(gid, name, file, description, categories) if gid else None

    def facet(self, node: dict) -> Facet | None:
        self.known(node, ("id", "name", "values"))
        fid = self.ident(node)
        name = self.text(node, "name", fid)
        values = []
        for v in self.items(node, "values", fid):
            self.known(v, ("id", "name"))
            vid = self.ident(v)
            vname = self.text(v, "name", vid)
            if vid:
                values.append(FacetValue(vid, vname, fid or "?"))
        return Facet(fid, name, tuple(values)) if fid else None


def parse_taxonomy(text: str, file: str) -> tuple[Taxonomy | None, list[Diagnostic]]:
    """Read the taxonomy YAML; on a problem, the diagnostics say where and why."""
    try:
        data = yaml.load(text, Loader=LineLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else None
        problem = getattr(exc, "problem", None) or str(exc)
        return None, [Diagnostic(file, line, None,
                                 f"unparsable YAML: {problem}{yaml_hint(problem)}")]
    reader = _Reader(file)
    if not isinstance(data, dict):
        return None, [Diagnostic(file, 1, None,
                                 "the taxonomy must be a mapping with 'groups' and 'facets'")]
    groups = tuple(g for g in (reader.group(n) for n in reader.items(data, "groups", None)) if g)
    facets = tuple(f for f in (reader.facet(n) for n in reader.items(data, "facets", None)) if f)
    required = _required(data.get("required"), reader)
    unknown = sorted(set(data) - {"groups", "facets", "required", LINE}, key=str)
    if unknown:
        reader.error(1, None, f"unknown top-level keys: {', '.join(map(str, unknown))}")
    if reader.problems:
        return None, reader.problems
    return Taxonomy(groups, facets, required), []


def _required(value, reader: _Reader) -> tuple[str, ...]:
    """The optional ``required`` list: fields of the schema every entry must have."""
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        reader.error(None, None, "'required' must be a list of field names, e.g. [tldr, checked]")
        return ()
    for name in value:
        if name not in BY_NAME:
            reader.error(None, None, f"'required' names '{name}', which is not a field of the "
                                     "schema (CONTRIBUTING.md lists them)")
    return tuple(dict.fromkeys(value))
