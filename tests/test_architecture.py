"""Which package may import which: the layers of decision 0083, and no cycle at all.

Every Python package of the repository sits in one layer; a module may import its own
package and packages of lower layers only, never one beside it or above it. ``ninefold`` is
the shared base (text, figures, forms, the list reader...), except the two modules that put the
site together (``ninefold.urls`` and ``ninefold.home``): they form the top layer, ``site``.

Imports are read with ``ast`` at any depth, so one tucked inside a function counts too.
Templates are held to the same order: a template under ``templates/<app>/`` loads tag
libraries of its own app or of lower layers only.

Besides the declared order, the package import graph itself must be acyclic: that check
does not trust ``LAYERS`` (a cycle would survive a wrongly drawn order).
"""

from __future__ import annotations

import ast
import re
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Bottom first. Packages in the same layer may not import each other.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("ninefold",),  # the shared base
    ("preconditions",),
    ("places",),
    ("accounts",),  # sign-in through a provider matches pending place and lead invitations
    ("assessments",),
    ("reports", "privacy"),  # every figure: reports/aggregation.py; personal data requests
    ("networks",),  # compares places with figures from reports
    ("workshop",),  # the presenter shows figures; its demo sets up a network
    ("site",),  # ninefold.urls and ninefold.home: the site put together
    ("bench",),  # the benchmark drives the whole site
)
SITE_MODULES = frozenset({"ninefold.urls", "ninefold.home"})
NOT_PACKAGES = frozenset({"tests"})  # the test suite may import anything


def layer_of(layers=LAYERS) -> dict[str, int]:
    return {name: index for index, names in enumerate(layers) for name in names}


def module_name(path: Path, root: Path) -> str:
    return ".".join(path.relative_to(root).with_suffix("").parts).removesuffix(".__init__")


def node_of(module: str, packages: set[str], site_modules=SITE_MODULES) -> str | None:
    """The graph node a dotted module belongs to; None for anything outside the repository."""
    if any(module == m or module.startswith(m + ".") for m in site_modules):
        return "site"
    top = module.split(".")[0]
    return top if top in packages else None


def packages_under(root: Path) -> set[str]:
    return {
        p.name
        for p in root.iterdir()
        if p.is_dir() and (p / "__init__.py").exists() and p.name not in NOT_PACKAGES
    }


def imported_modules(path: Path) -> list[tuple[int, str]]:
    """(line, dotted module) of every absolute import in the file, at any depth.

    ``from ninefold import home`` gives ``ninefold.home``, so a submodule imported by name is
    seen as itself.
    """
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found += [(node.lineno, f"{node.module}.{alias.name}") for alias in node.names]
    return found


def import_edges(root: Path, site_modules=SITE_MODULES) -> dict[tuple[str, str], list[str]]:
    """{(importer node, imported node): ["file:line imports module", ...]} across packages."""
    packages = packages_under(root)
    edges: dict[tuple[str, str], list[str]] = defaultdict(list)
    for package in sorted(packages):
        for path in sorted((root / package).rglob("*.py")):
            source = node_of(module_name(path, root), packages, site_modules)
            for line, module in imported_modules(path):
                target = node_of(module, packages, site_modules)
                if target is not None and target != source:
                    edges[(source, target)].append(
                        f"{path.relative_to(root)}:{line} imports {module}"
                    )
    return edges


def reverse_imports(edges, layers=LAYERS) -> list[str]:
    """Every import of a package in the same or a higher layer, or of one not in any layer."""
    rank = layer_of(layers)
    found = []
    for (source, target), where in sorted(edges.items()):
        if source not in rank or target not in rank:
            found += [f"{w} ({source} or {target} is in no layer)" for w in where]
        elif rank[target] >= rank[source]:
            found += [f"{w} ({source} may not import {target})" for w in where]
    return found


def find_cycle(edges) -> list[str] | None:
    """One cycle of the graph as [a, b, ..., a], or None when it is acyclic."""
    graph: dict[str, set[str]] = defaultdict(set)
    for source, target in edges:
        graph[source].add(target)
    state: dict[str, str] = {}  # "open" while on the current path, then "done"
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = "open"
        path.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == "open":
                return [*path[path.index(nxt) :], nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        path.pop()
        state[node] = "done"
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


LOAD = re.compile(r"{%\s*load\s+([^%]+?)\s*%}")


def template_loads(root: Path, layers=LAYERS) -> list[str]:
    """Templates under ``templates/<package>/`` loading a tag library of a higher package."""
    rank = layer_of(layers)
    owner = {  # library name -> package defining it
        path.stem: path.parent.parent.name
        for path in root.glob("*/templatetags/*.py")
        if path.stem != "__init__"
    }
    found = []
    for path in sorted((root / "templates").rglob("*.html")):
        app = path.relative_to(root / "templates").parts[0]
        if app not in rank:
            continue  # base.html, errors, emails...: the site's frame
        for match in LOAD.finditer(path.read_text(encoding="utf-8")):
            for library in match.group(1).split():
                lib_app = owner.get(library)
                if lib_app and lib_app != app and rank.get(lib_app, len(layers)) >= rank[app]:
                    found.append(f"{path.relative_to(root)} loads {library} from {lib_app}")
    return found


# --- The repository -------------------------------------------------------------------------


def test_every_package_has_a_layer():
    placed = set(layer_of())
    assert packages_under(ROOT) - placed == set(), "add the new package to LAYERS"
    assert placed - packages_under(ROOT) == {"site"}


def test_no_package_imports_one_beside_or_above_it():
    assert reverse_imports(import_edges(ROOT)) == []


def test_the_package_import_graph_has_no_cycle():
    assert find_cycle(import_edges(ROOT)) is None


def test_no_template_loads_tags_from_an_app_above_it():
    assert template_loads(ROOT) == []


def test_the_layers_are_what_the_apps_need():
    """The graph has the edges the order is drawn for, so the checks above see real imports."""
    edges = import_edges(ROOT)
    for needed in [
        ("assessments", "places"),
        ("reports", "assessments"),
        ("networks", "reports"),
        ("workshop", "reports"),
        ("site", "networks"),
        ("places", "ninefold"),
    ]:
        assert needed in edges


# --- The checks can fail: planted imports in a throwaway tree -------------------------------


def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    for package in {Path(name).parts[0] for name in files}:
        (tmp_path / package / "__init__.py").touch()
    return tmp_path


def test_a_planted_reverse_import_is_found_with_its_file_and_line(tmp_path):
    root = _tree(
        tmp_path,
        {
            "places/views.py": "from ninefold import figures\n\ndef home():\n"
            "    from networks.selectors import x\n",
            "networks/selectors.py": "from places.models import Place\n",
            "ninefold/figures.py": "",
        },
    )
    assert reverse_imports(import_edges(root)) == [
        "places/views.py:4 imports networks.selectors.x (places may not import networks)"
    ]


def test_an_import_between_packages_of_one_layer_is_refused(tmp_path):
    root = _tree(
        tmp_path,
        {"privacy/models.py": "import reports.models\n", "reports/models.py": ""},
    )
    assert reverse_imports(import_edges(root)) == [
        "privacy/models.py:1 imports reports.models (privacy may not import reports)"
    ]


def test_a_site_module_is_the_top_and_the_rest_of_ninefold_the_bottom(tmp_path):
    root = _tree(
        tmp_path,
        {
            "ninefold/urls.py": "from places import views\nfrom ninefold import home\n",
            "ninefold/home.py": "from networks.selectors import x\n",
            "ninefold/figures.py": "from places.models import Place\n",
            "places/models.py": "",
            "networks/selectors.py": "",
        },
    )
    edges = import_edges(root)
    assert ("site", "places") in edges and ("site", "networks") in edges
    assert reverse_imports(edges) == [
        "ninefold/figures.py:1 imports places.models.Place (ninefold may not import places)"
    ]


def test_a_planted_cycle_is_found_whatever_the_layers_say(tmp_path):
    root = _tree(
        tmp_path,
        {
            "reports/pdf.py": "from workshop import selectors\n",
            "workshop/selectors.py": "def f():\n    from networks import views\n",
            "networks/views.py": "import reports.aggregation\n",
            "places/models.py": "import ninefold.text\n",
        },
    )
    assert find_cycle(import_edges(root)) == ["networks", "reports", "workshop", "networks"]
    assert find_cycle({("places", "ninefold"): []}) is None


def test_a_package_in_no_layer_is_reported(tmp_path):
    root = _tree(tmp_path, {"newapp/views.py": "import places.models\n", "places/models.py": ""})
    assert reverse_imports(import_edges(root)) == [
        "newapp/views.py:1 imports places.models (newapp or places is in no layer)"
    ]


def test_a_template_loading_tags_from_above_is_found(tmp_path):
    root = _tree(
        tmp_path,
        {
            "workshop/templatetags/workshop_tags.py": "",
            "reports/templatetags/reports.py": "",
        },
    )
    (root / "templates" / "places").mkdir(parents=True)
    (root / "templates" / "places" / "home.html").write_text("{% load static workshop_tags %}")
    (root / "templates" / "workshop").mkdir()
    (root / "templates" / "workshop" / "step.html").write_text("{% load reports %}")
    assert template_loads(root) == ["templates/places/home.html loads workshop_tags from workshop"]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from places import models\n", [(1, "places.models")]),
        ("def f():\n    import workshop.selectors\n", [(2, "workshop.selectors")]),
        ("from . import x\n", []),
    ],
)
def test_the_reader_sees_every_absolute_import(tmp_path, source, expected):
    module = tmp_path / "views.py"
    module.write_text(source)
    assert imported_modules(module) == expected
