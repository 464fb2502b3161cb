"""The conda environment and the pip project must list the same packages and versions."""

import re
import tomllib

import yaml

from conftest import ROOT


def _pip_pins() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    specs = project["dependencies"] + [
        s for group in project["optional-dependencies"].values() for s in group
    ]
    pins = {}
    for spec in specs:
        name, version = re.fullmatch(r"([A-Za-z0-9_.\-]+)==([\w.]+)", spec).groups()
        pins[name.lower().replace("_", "-")] = version
    return pins


def _conda_pins() -> dict[str, str]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pins = {}
    for dep in env["dependencies"]:
        if not isinstance(dep, str) or dep.startswith(("python", "pip")):
            continue
        name, version = dep.split("=", 1)
        pins[name.lower().replace("_", "-")] = version
    return pins


def test_environment_yml_matches_pyproject():
    pip, conda = _pip_pins(), _conda_pins()
    assert set(pip) == set(conda), {
        "only in pyproject": set(pip) - set(conda),
        "only in environment.yml": set(conda) - set(pip),
    }
    assert pip == conda


def test_every_dependency_is_pinned():
    assert all(v for v in _pip_pins().values())
