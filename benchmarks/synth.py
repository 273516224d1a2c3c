"""Realistic synthetic libraries for benchmarks: deterministic from a seed.

    python benchmarks/synth.py 2500 /tmp/lib --seed 1

writes a complete site folder (mkdocs.yml, docs/, bib/ with the real taxonomy) whose
bib/ holds N entries spread over the real groups, categories and facets.
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
SURNAMES = ["Zhu", "Geiping", "Dr{\\\"o}ge", "Balunovi{\\'c}", "M{\\\"u}ller", "{\\O}stergaard",
            "Garc{\\'\\i}a", "Wang", "Li", "Zhang", "Chen", "Liu", "Yang", "Nguyen", "Kim",
            "Smith", "Dimitrov", "Vechev", "Fowl", "Goldstein", "Hatamizadeh", "Sch{\\\"o}n",
            "Kowalski", "{\\L}ukasiewicz", "Fran{\\c{c}}ois", "Papernot", "O'Neil", "van der Berg"]
GIVEN = ["Jonas", "Ligeng", "Hannah", "Mislav", "Anna", "S{\\o}ren", "Mar{\\'\\i}a", "Wei",
         "Yuxin", "Xin", "Dimitar I.", "Martin", "Liam", "Tom", "Ali", "Jan", "Ewa", "Chen"]
WORDS = ["Gradient", "Inversion", "Leakage", "Federated", "Learning", "Privacy", "Attack",
         "Defense", "Reconstruction", "Deep", "Secure", "Aggregation", "Label", "Vertical",
         "Language", "Models", "Diffusion", "Priors", "Large", "Batch", "Split", "Malicious",
         "Server", "Analytic", "Robust", "Text", "Images", "{GAN}", "{LLM}s", "{Transformer}"]
VENUES = [("NeurIPS", "inproceedings", "Advances in Neural Information Processing Systems"),
          ("ICML", "inproceedings",
           "Proceedings of the International Conference on Machine Learning"),
          ("ICLR", "inproceedings", "International Conference on Learning Representations"),
          ("CVPR", "inproceedings", "Proceedings of the IEEE/CVF Conference on Computer Vision "
           "and Pattern Recognition (CVPR)"),
          ("USENIX Security", "inproceedings", "USENIX Security Symposium"),
          ("CCS", "inproceedings",
           "Proceedings of the ACM SIGSAC Conference on Computer and Communications Security"),
          ("S\\&P", "inproceedings", "IEEE Symposium on Security and Privacy"),
          ("TIFS", "article", "IEEE Transactions on Information Forensics and Security"),
          ("TDSC", "article", "IEEE Transactions on Dependable and Secure Computing"),
          ("arXiv", "misc", None)]


def taxonomy_ids():
    data = yaml.safe_load((ROOT / "bib" / "taxonomy.yml").read_text())

    def walk(cats):
        for c in cats:
            yield c["id"]
            yield from walk(c.get("children", []))

    groups = {g["id"]: (g["file"], list(walk(g["categories"]))) for g in data["groups"]}
    facets = {f["id"]: [v["id"] for v in f["values"]] for f in data["facets"]}
    return groups, facets


def entry(rng: random.Random, key: str, group: str, categories, facets, keys_by_group,
          used: set[str]) -> str:
    """One entry; ``used`` holds the titles and arXiv ids given so far (a real library has
    no two papers with the same title or arXiv id, and the validator reports them)."""
    venue, kind, container = rng.choice(VENUES)
    year = rng.randint(2016, 2026)
    title = " ".join(rng.sample(WORDS, rng.randint(4, 9)))
    while title.casefold() in used:
        title = " ".join(rng.sample(WORDS, rng.randint(4, 9)))
    used.add(title.casefold())
    authors = " and ".join(f"{rng.choice(SURNAMES)}, {rng.choice(GIVEN)}"
                           for _ in range(rng.randint(1, 9)))
    tags = [rng.choice(categories)]
    for values in facets.values():
        tags += rng.sample(values, rng.randint(0, 2))
    arxiv = f"{rng.randint(16, 26):02d}{rng.randint(1, 12):02d}.{rng.randint(0, 99999):05d}"
    while arxiv in used:
        arxiv = f"{rng.randint(16, 26):02d}{rng.randint(1, 12):02d}.{rng.randint(0, 99999):05d}"
    used.add(arxiv)
    lines = [f"@{kind}{{{key},", f"  title         = {{{title}}},",
             f"  author        = {{{authors}}},"]
    if kind == "inproceedings":
        lines.append(f"  booktitle     = {{{container}}},")
    elif kind == "article":
        lines.append(f"  journal       = {{{container}}},")
        lines.append(f"  volume        = {{{rng.randint(1, 40)}}},")
    if kind != "misc" and rng.random() < 0.6:
        first = rng.randint(1, 9000)
        lines.append(f"  pages         = {{{first}--{first + rng.randint(5, 20)}}},")
    lines.append(f"  year          = {{{year}}},")
    if kind != "misc" and rng.random() < 0.7:
        lines.append(f"  doi           = {{10.{rng.randint(1000, 9999)}/{key}}},")
    lines += [f"  eprint        = {{{arxiv}}},", "  archiveprefix = {arXiv},",
              f"  url           = {{https://arxiv.org/abs/{arxiv}}},",
              f"  venue         = {{{venue}}},",
              f"  keywords      = {{{', '.join(dict.fromkeys(tags))}}},"]
    if rng.random() < 0.4:
        lines.append(f"  code          = {{https://github.com/example/{key}}},")
    plain = [w.replace("{", "").replace("}", "") for w in WORDS]
    lines.append(f"  tldr          = {{{' '.join(rng.choices(plain, k=22))}.}},")
    lines.append(f"  added         = {{20{rng.randint(24, 26)}-{rng.randint(1, 12):02d}}},")
    other = {"attacks": "defenses", "defenses": "attacks"}.get(group)
    if other and keys_by_group.get(other) and rng.random() < 0.3:
        field = "breaks" if group == "attacks" else "evaluates"
        targets = rng.sample(keys_by_group[other], min(3, len(keys_by_group[other])))
        lines.append(f"  {field:<13} = {{{', '.join(targets)}}},")
    return "\n".join(lines) + "\n}\n"


def make_library(n: int, folder: Path, seed: int = 1) -> Path:
    """Write a site with ``n`` synthetic entries into ``folder``; returns its mkdocs.yml."""
    rng = random.Random(seed)
    groups, facets = taxonomy_ids()
    shares = {"surveys": 0.05, "attacks": 0.6, "defenses": 0.35}
    counts = {g: max(1, round(n * shares.get(g, 1 / len(groups)))) for g in groups}
    counts["attacks"] += n - sum(counts.values())
    keys = {g: [f"{g[:3]}{i:05d}" for i in range(c)] for g, c in counts.items()}
    if folder.exists():
        shutil.rmtree(folder)
    (folder / "bib").mkdir(parents=True)
    # without the library's `required` fields (synthetic entries have no `checked`)
    (folder / "bib" / "taxonomy.yml").write_text(re.sub(
        r"(?m)^required:.*\n", "", (ROOT / "bib" / "taxonomy.yml").read_text()))
    shutil.copytree(ROOT / "docs", folder / "docs")
    shutil.copytree(ROOT / "overrides", folder / "overrides")
    used: set[str] = set()
    for group, (file, categories) in groups.items():
        text = "\n".join(entry(rng, k, group, categories, facets, keys, used) for k in keys[group])
        (folder / "bib" / file).write_text(text, encoding="utf-8")
    config = (ROOT / "mkdocs.yml").read_text().replace(
        "  - hooks/gradleak_hook.py", f"  - {(ROOT / 'hooks' / 'gradleak_hook.py').as_posix()}"
    ).replace("watch:\n  - bib\n  - hooks\n", "watch:\n  - bib\n")
    (folder / "mkdocs.yml").write_text(config)
    return folder / "mkdocs.yml"


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    print(make_library(args.n, args.folder, args.seed))
