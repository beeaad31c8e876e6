"""The README documents every command and option, and CI runs the README's test command."""

from __future__ import annotations

import re

import pytest
import typer.main

from tracker.cli import app

from .conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
COMMANDS = typer.main.get_command(app).commands  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_is_documented(name: str) -> None:
    assert f"tracker {name}" in README


@pytest.mark.parametrize(
    "option",
    sorted({o for c in COMMANDS.values() for p in c.params if p.param_type_name == "option" for o in p.opts}),
)
def test_every_option_is_documented(option: str) -> None:
    assert option in README


def test_readme_starts_with_two_setup_commands_and_ci_runs_the_second() -> None:
    blocks = re.findall(r"```bash\n(.*?)\n```", README, re.DOTALL)
    install_and_serve, run_tests = blocks[0], blocks[1]
    assert "tracker ingest seeds/" in install_and_serve and "tracker serve" in install_and_serve
    assert "pytest" in run_tests
    assert run_tests in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
