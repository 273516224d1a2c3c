from pathlib import Path

import pytest
from gradleak.taxonomy import parse_taxonomy

ROOT = Path(__file__).resolve().parents[1]

SMALL = """\
groups:
  - id: attacks
    name: Attacks
    file: attacks.bib
    description: d
    categories:
      - id: optimization
        name: Optimization
        description: d
        children:
          - {id: gen, name: Gen, description: d}
facets:
  - id: modality
    name: Modality
    values:
      - {id: image, name: Image}
"""


@pytest.mark.live
def test_real_taxonomy_is_valid_and_covers_the_issue_backbone():
    taxonomy, problems = parse_taxonomy((ROOT / "bib/taxonomy.yml").read_text(), "bib/taxonomy.yml")
    assert problems == []
    assert [g.id for g in taxonomy.groups] == ["surveys", "attacks", "defenses"]
    cats = taxonomy.categories
    for needed in ("optimization", "gen-latent", "gen-generator", "gen-inversion-model", "analytic",
                   "model-manipulation", "label-inference", "secure-aggregation",
                   "homomorphic-encryption", "mpc", "trusted-hardware", "differential-privacy",
                   "pruning", "quantization", "noise", "representation-perturbation", "encoding",
                   "mixing", "augmentation", "model-modification", "malicious-server-detection",
                   "survey", "sok", "evaluation"):
        assert needed in cats, needed
    assert {f.id for f in taxonomy.facets} == {"modality", "threat", "setting"}
    # every entry has these (385 of 385 when the rule came): `check` holds new ones to it
    assert taxonomy.required == ("tldr", "venue", "checked")


def test_required_fields_must_be_fields_of_the_schema():
    assert parse_taxonomy(SMALL, "t.yml")[0].required == ()
    taxonomy, problems = parse_taxonomy(SMALL + "required: [tldr, checked, tldr]\n", "t.yml")
    assert problems == [] and taxonomy.required == ("tldr", "checked")
    assert [str(p) for p in parse_taxonomy(SMALL + "required: [tldr, cheked]\n", "t.yml")[1]] == [
        "t.yml: 'required' names 'cheked', which is not a field of the schema "
        "(CONTRIBUTING.md lists them)"]
    assert [str(p) for p in parse_taxonomy(SMALL + "required: tldr\n", "t.yml")[1]] == [
        "t.yml: 'required' must be a list of field names, e.g. [tldr, checked]"]


def test_tree_depth_and_group():
    taxonomy, problems = parse_taxonomy(SMALL, "t.yml")
    assert problems == []
    gen = taxonomy.categories["gen"]
    assert (gen.group, gen.depth) == ("attacks", 1)
    assert taxonomy.tag_name("image") == "Image"


def test_unparsable_yaml_names_the_line():
    taxonomy, problems = parse_taxonomy("groups:\n  - id: a\n   name: [unclosed\n", "t.yml")
    assert taxonomy is None
    (problem,) = problems
    assert problem.file == "t.yml" and problem.line == 3
    assert problem.message.startswith("unparsable YAML")


def test_duplicate_id_and_missing_name_are_reported_with_lines():
    text = SMALL.replace("{id: image, name: Image}", "{id: gen, name: Image}").replace(
        "        name: Optimization\n", "")
    taxonomy, problems = parse_taxonomy(text, "t.yml")
    assert taxonomy is None
    assert [str(p) for p in problems] == [
        "t.yml:7: optimization: 'name' must be a non-empty string",
        "t.yml:15: gen: id is already used on line 10",
    ]


def test_not_a_mapping():
    taxonomy, problems = parse_taxonomy("- just a list\n", "t.yml")
    assert taxonomy is None and "must be a mapping" in problems[0].message


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("        children:", "        childern:",
     "t.yml:7: optimization: unknown key 'childern' (keys here: id, name, description, children)"),
    ("    file: attacks.bib\n", "    file: attacks.bib\n    colour: red\n",
     "t.yml:2: attacks: unknown key 'colour' (keys here: id, name, file, description, categories)"),
    ("{id: image, name: Image}", "{id: image, name: Image, descr: x}",
     "t.yml:16: image: unknown key 'descr' (keys here: id, name)"),
])
def test_a_misspelled_key_is_reported_not_dropped(old, new, expected):
    taxonomy, problems = parse_taxonomy(SMALL.replace(old, new), "t.yml")
    assert taxonomy is None
    assert expected in [str(p) for p in problems]


def test_a_repeated_key_is_reported_not_overwritten():
    text = SMALL.replace("        name: Optimization\n",
                         "        name: Optimization\n        name: Optimisation\n")
    taxonomy, problems = parse_taxonomy(text, "t.yml")
    assert taxonomy is None
    assert [str(p) for p in problems] == [
        "t.yml:9: unparsable YAML: key 'name' is repeated (first on line 8): keep one"]


def test_a_tab_gets_a_hint():
    taxonomy, problems = parse_taxonomy(SMALL.replace("      - id: optimization",
                                                      "\t- id: optimization"), "t.yml")
    assert taxonomy is None and "indent with spaces" in problems[0].message
