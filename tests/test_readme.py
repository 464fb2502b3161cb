"""The README tells the truth (issue 15, point 6): the instrument's numbers are the codebook's,
the commands and files it names exist."""

from __future__ import annotations

import re
import sys

import pandas as pd
import pytest

from analysis import __main__ as cli
from analysis.config import PROJECT_ROOT, RAW
from analysis.errors import DataError
from analysis.present.names import topic_label

README = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6}


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_the_instrument_numbers_are_the_codebooks():
    codebook = pd.read_csv(RAW / "instrument" / "codebook.csv", dtype=str, keep_default_na=False)
    knowledge = codebook.loc[codebook["section"] == "knowledge"]
    reaction = codebook.loc[codebook["section"] == "reaction"]
    found = re.search(
        r"(\d+) knowledge questions \((\w+) options each, one correct\) over (\d+) topics of "
        r"(\d+) questions each \(([^)]*)\), and after the workshop (\d+) reaction statements "
        r"on a 1-5 scale",
        _flat(README),
    )
    assert found, "the README's sentence on the instrument is missing"
    items, options, topics, per_topic, names, reactions = found.groups()
    assert int(items) == len(knowledge) == 20
    assert WORDS[options] == {len(o.split("|")) for o in knowledge["options_en"]}.pop()
    assert int(topics) == knowledge["topic"].nunique()
    assert {int(per_topic)} == set(knowledge["topic"].value_counts())
    order = list(dict.fromkeys(knowledge["topic"]))
    assert names == ", ".join(topic_label(x).lower() for x in order)  # in the codebook's order
    assert int(reactions) == len(reaction)
    assert set(reaction["scale"]) == {"likert5"}


def test_the_readme_says_how_long_make_test_takes_and_what_a_fresh_clone_does():
    text = _flat(README)
    assert "`make test` takes about 7 minutes" in text
    assert "already up to date" in text and "build --force" in text


def test_the_commands_the_readme_names_exist():
    commands = set(re.findall(r"python -m analysis (\w+)", README))
    choices = next(
        a for a in cli.parser()._actions if a.dest == "command"
    ).choices  # the subcommands
    assert {"render", "pdf", "build"} <= commands
    assert commands <= set(choices)
    make = (PROJECT_ROOT / "Makefile").read_text(encoding="utf-8")
    for target in re.findall(r"^make (\w+)", README, re.MULTILINE):
        assert re.search(rf"^{target}:.*## ", make, re.MULTILINE), target
    assert "report.pdf" in README and "index.pdf" in README
    docs = (PROJECT_ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    assert "report.pdf" in docs and "build/pdf" in docs


# a papermill run by hand: its HTML, and no warning from the kernel -------------------------


def _tiny_notebook(path):
    import nbformat
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

    nb = new_notebook(cells=[new_markdown_cell("# A scratch run"), new_code_cell("print(6 * 7)")])
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(nb, path)
    return path


def test_render_writes_a_scratch_run_beside_it_and_never_into_reports(tmp_path, capsys):
    import nbformat

    from analysis.config import REPORTS

    nb_path = _tiny_notebook(tmp_path / "W2.ipynb")
    assert cli.main(["render", str(nb_path)]) == 2  # never executed: no outputs
    assert "has no outputs: it was not executed" in " ".join(capsys.readouterr().err.split())
    nb = nbformat.read(nb_path, as_version=4)
    nb.cells[1].outputs = [nbformat.v4.new_output("stream", name="stdout", text="42\n")]
    nb.metadata["papermill"] = {"parameters": {"lang": "sq"}}
    nbformat.write(nb, nb_path)
    assert cli.main(["render", str(nb_path)]) == 0
    page = (tmp_path / "W2.html").read_text(encoding="utf-8")
    assert '<html lang="sq">' in page and "42" in page and "print(6 * 7)" not in page
    assert cli.main(["render", str(nb_path), "--out", str(tmp_path / "x" / "page.html")]) == 0
    assert (tmp_path / "x" / "page.html").is_file()
    inside = REPORTS / "W2" / "scratch-test.ipynb"
    from analysis.build.scratch import render_notebook

    with pytest.raises(DataError, match="only the build writes"):
        render_notebook(inside.with_name("report.ipynb"))
    assert not inside.with_suffix(".html").exists()


def _spec(folder, name, provisioner: bool):
    import json

    from analysis.build.kernel import with_provisioner

    spec = {
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": name,
        "language": "python",
        "metadata": {"supported_encryption": ["curve"]},
    }
    (folder / "kernels" / name).mkdir(parents=True)
    body = with_provisioner(spec) if provisioner else spec
    (folder / "kernels" / name / "kernel.json").write_text(json.dumps(body))


def test_a_papermill_run_by_hand_gives_no_transport_warning(tmp_path, monkeypatch, capfd):
    """The cause: jupyter_client starts kernels without CurveZMQ keys unless told
    (``transport_encryption`` defaults to disabled), and ipykernel warns. The project kernel's
    provisioner asks for them (analysis.build.kernel); without it the warning shows (control)."""
    import importlib.metadata

    import papermill as pm
    import zmq
    from jupyter_client.provisioning.factory import KernelProvisionerFactory

    from analysis.build.kernel import PROVISIONER

    if not zmq.has("curve"):
        pytest.skip("pyzmq without CURVE")
    share = tmp_path / "share"
    _spec(share, "project-like", provisioner=True)
    _spec(share, "plain", provisioner=False)
    monkeypatch.setenv("JUPYTER_PATH", str(share))
    entry = importlib.metadata.EntryPoint(
        PROVISIONER, "analysis.build.kernel:CurveProvisioner", "jupyter_client.kernel_provisioners"
    )
    monkeypatch.setitem(KernelProvisionerFactory.instance().provisioners, PROVISIONER, entry)
    nb_path = _tiny_notebook(tmp_path / "run.ipynb")
    warning = "Kernel is running over TCP without encryption"
    for name, warned in (("plain", True), ("project-like", False)):
        capfd.readouterr()
        out = pm.execute_notebook(
            str(nb_path), str(tmp_path / f"{name}.ipynb"), kernel_name=name, progress_bar=False
        )
        assert out.cells[1].outputs[0]["text"] == "42\n"
        captured = capfd.readouterr()
        assert (warning in captured.err + captured.out) is warned, name


def test_a_build_with_nothing_to_do_says_so_in_plain_words(monkeypatch, capsys):
    import analysis.clean
    import analysis.results

    monkeypatch.setattr(analysis.clean, "processed_is_current", lambda raw, processed: True)
    monkeypatch.setattr(analysis.results, "is_current", lambda folder, processed: True)
    monkeypatch.setattr(cli, "_cmd_report", lambda args: None)
    args = cli.parser().parse_args(["build"])
    cli._cmd_build(args)
    said = " ".join(capsys.readouterr().out.split())
    assert "is already up to date" in said and "fresh clone" in said
    assert "--force remakes it and every report" in said
    assert "since the last clean" not in said
