"""The benchmarks of issue 7, each measured in isolated subprocesses.

A :class:`Suite` owns a scratch directory with two git-committed projects (the
generated corpus and a copy of ``examples/blog``), so that "fresh clone" means a real
``git clone``: new mtimes and none of the git-ignored local caches. Commands that
do not exist yet become "not available" rows instead of failures.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench import corpus as corpus_mod
from bench.corpus_model import Corpus, build_corpus
from bench.harness import Measurement, measure, run_once, unavailable

REPO_ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
GITIGNORE = ".farmgen-cache/\n__pycache__/\n*.pyc\n*.db\n*.sqlite3\n"
GIT = ["git", "-c", "user.name=farmgen-bench", "-c", "user.email=bench@farmgen.invalid",
       "-c", "init.defaultBranch=main", "-c", "advice.detachedHead=false"]


@dataclass(frozen=True)
class Options:
    n: int = 1000
    seed: int = 7
    runs: int = 5
    peer_runs: int = 3
    quick: bool = False
    editable: bool = False
    """Run the venv's (editable) farmgen instead of a wheel built from the working tree."""


def _script_or_module(bin_dir: Path) -> list[str]:
    script = bin_dir / "farmgen"
    return [str(script)] if script.exists() else [sys.executable, "-m", "farmgen"]


def _git(cwd: Path, *args: str) -> None:
    subprocess.run([*GIT, *args], cwd=cwd, check=True, capture_output=True)


class Suite:
    """Scratch projects, environment and the individual benchmarks."""

    def __init__(self, opts: Options, work: Path) -> None:
        self.opts = opts
        self.work = work
        self.project = work / "corpus"
        self.blog = work / "blog"
        self.schema = work / "corpus.schema.json"
        self.env = {**os.environ, "XDG_CACHE_HOME": str(work / "xdg-cache"),
                    "NO_COLOR": "1", "PYTHONWARNINGS": "ignore"}
        self.corpus: Corpus | None = None
        self._help: dict[tuple[str, ...], str | None] = {}
        self.log: list[str] = []
        self.farmgen_base = _script_or_module(BIN)
        self.installed_from = "the venv (editable install)"

    def farmgen_cmd(self, *args: str) -> list[str]:
        return [*self.farmgen_base, *args]

    def install_wheel(self) -> None:
        """Install a wheel of the working tree under ``work/install/site-packages`` and run
        that: what users run (an editable install re-hashes its own source on every check)."""
        target = self.work / "install" / "site-packages"
        # Without the build backend in this venv, pip builds in an isolated environment.
        isolation = [] if importlib.util.find_spec("hatchling") is None else [
            "--no-build-isolation"]
        done = subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps",
                               *isolation, "--target", str(target), str(REPO_ROOT)],
                              capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise SystemExit(f"error: cannot build a wheel of {REPO_ROOT} (or pass --editable):"
                             f"\n{done.stderr.strip()}")
        self.env["PYTHONPATH"] = str(target)
        self.farmgen_base = _script_or_module(target / "bin")
        commit = subprocess.run(["git", "describe", "--always", "--dirty"], cwd=REPO_ROOT,
                                capture_output=True, text=True, check=False).stdout.strip()
        self.installed_from = f"a wheel of the working tree ({commit or 'unknown commit'})"

    # -- set-up -------------------------------------------------------------------

    def write_corpus(self) -> Corpus:
        corpus = build_corpus(self.opts.n, self.opts.seed)
        corpus_mod.write_project(corpus, self.project)
        corpus_mod.write_json_schema(corpus, self.schema)
        (self.project / ".gitignore").write_text(GITIGNORE)
        self.corpus = corpus
        return corpus

    def missing(self, *command: str) -> str | None:
        """None if ``farmgen COMMAND --help`` works, else why it does not."""
        if command not in self._help:
            sample = run_once(self.farmgen_cmd(*command, "--help"), self.work, self.env, 60)
            why = None
            if sample.exit_code != 0:
                text = sample.stderr.strip() or sample.stdout.strip()
                lines = text.splitlines()
                if "No such command" in text:
                    why = f"not available (no `farmgen {' '.join(command)}` yet)"
                else:
                    why = "not available" + (f" ({lines[-1][:60]})" if lines else "")
            self._help[command] = why
        return self._help[command]

    def step(self, cwd: Path, *args: str) -> int:
        """Run a farmgen command as untimed set-up; log its result."""
        sample = run_once(self.farmgen_cmd(*args), cwd, self.env)
        tail = (sample.stderr.strip() or sample.stdout.strip()).splitlines()[-1:]
        self.log.append(f"{cwd.name}$ farmgen {' '.join(args)} -> exit {sample.exit_code} "
                        f"({sample.wall:.2f} s) {tail[0][:100] if tail else ''}")
        return sample.exit_code

    def commit(self, root: Path) -> None:
        """Make ``root`` a git repository holding its current state (a fresh clone source)."""
        if not (root / ".git").exists():
            _git(root, "init", "-q")
        _git(root, "add", "-A")
        _git(root, "commit", "-q", "--allow-empty", "-m", "bench state")

    def copy_blog(self) -> bool:
        source = REPO_ROOT / "examples" / "blog"
        if not (source / "farmgen.toml").exists() and not (source / "pyproject.toml").exists():
            return False
        ignore = shutil.ignore_patterns(".farmgen-cache", "__pycache__", "*.db", "*.sqlite3")
        shutil.copytree(source, self.blog, ignore=ignore)
        (self.blog / ".gitignore").write_text(GITIGNORE)
        return True

    def fresh_clone(self, root: Path) -> Path:
        clone = self.work / f"{root.name}-clone"
        shutil.rmtree(clone, ignore_errors=True)
        shutil.rmtree(self.work / "xdg-fresh", ignore_errors=True)
        _git(self.work, "clone", "-q", str(root), str(clone))
        return clone

    def clean_outputs(self) -> None:
        """Remove generated output, manifests and caches: the next generate is cold."""
        for name in ("generated", ".farmgen-cache"):
            shutil.rmtree(self.project / name, ignore_errors=True)
        shutil.rmtree(self.work / "xdg-fresh", ignore_errors=True)

    @property
    def fresh_env(self) -> dict[str, str]:
        return {**self.env, "XDG_CACHE_HOME": str(self.work / "xdg-fresh")}

    # -- benchmarks ---------------------------------------------------------------

    def farmgen(self, name: str, cwd: Path, args: tuple[str, ...], *,
                before: Callable[[int], None] | None = None,
                env: dict[str, str] | None = None) -> Measurement:
        why = self.missing(*[a for a in args if not a.startswith("-")][:2])
        if why:
            return unavailable(name, why)
        return measure(name, self.farmgen_cmd(*args), cwd, self.opts.runs, env=env or self.env,
                       before=before)

    def floor(self) -> Measurement:
        return measure("floor", [sys.executable, "-c", "pass"], self.work, self.opts.runs,
                       env=self.env)

    def peer(self, name: str, *extra: str) -> Measurement:
        exe = BIN / "datamodel-codegen"
        if not exe.exists():
            return unavailable(name, "datamodel-codegen is not installed")
        out = self.work / "dmcg" / f"{name}.py"
        out.parent.mkdir(exist_ok=True)
        cmd = [str(exe), "--input", str(self.schema), "--input-file-type", "jsonschema",
               "--output-model-type", "pydantic_v2.BaseModel", "--output", str(out), *extra]
        return measure(name, cmd, self.work, self.opts.peer_runs, env=self.env)

    def edit(self, i: int) -> None:
        """Run ``i`` changes one model: it gains the field ``edit_note_<i+1>`` in place of
        the previous run's, a change no earlier run (or cache) has seen."""
        assert self.corpus is not None
        rel, text = corpus_mod.edited_spec_file(self.corpus, i + 1)
        (self.project / rel).write_text(text)

    def restore(self) -> None:
        assert self.corpus is not None
        rel, text = corpus_mod.edited_spec_file(self.corpus, 0)
        (self.project / rel).write_text(text)

    def migrations_snapshot(self) -> set[Path]:
        folder = self.project / "migrations"
        return set(folder.rglob("*")) if folder.exists() else set()

    def drop_new_migrations(self, keep: set[Path]) -> Callable[[int], None]:
        def before(_: int) -> None:
            for path in sorted(self.migrations_snapshot() - keep, reverse=True):
                if path.is_file():
                    path.unlink()
        return before
