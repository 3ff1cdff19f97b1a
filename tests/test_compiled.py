"""The optional compiled core (mypyc, ``NL80211DEC_MYPYC=1``) against the pure-Python reference.

The compiled build is made here, in a copy of the package (``setup.py
build_ext --inplace``), so every run of the suite checks it: the same output
as the pure modules on every shipped capture (``--json`` carries every
attribute, ``--sae`` every verdict), and the fuzz targets' promises kept by
the compiled code.  Skipped, with the reason, where mypy or a C compiler is
missing; the pure package never needs either.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .golden_util import CAPTURES, ROOT

# every shipped netlink capture, decoded in one process per build (a child per file would cost more than the
# decode); prints "<sha256 of the output> <path> <format>" per file and format
HASHER = r"""
import contextlib, hashlib, io, sys
from pathlib import Path
import nl80211dec._pure as pure
from nl80211dec.cli import main
print("compiled", pure.compiled())
for path in sys.argv[1:]:
    for fmt in ("--json", "--sae"):
        out = io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
            code = main([fmt, "--color", "never", path])
        print(hashlib.sha256(out.getvalue().encode()).hexdigest(), code, path, fmt)
"""


def _captures() -> list[str]:
    return sorted(str(p) for p in CAPTURES.glob("*/*.pcap") if not p.name.endswith("air.pcap"))


def _build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if shutil.which("cc") is None and shutil.which("gcc") is None:
        pytest.skip("no C compiler: the compiled core cannot be built here")
    pytest.importorskip("mypyc.build", reason="mypy (mypyc) is not installed: pip install '.[test]' has it")
    copy = tmp_path_factory.mktemp("compiled")
    shutil.copytree(ROOT / "nl80211dec", copy / "nl80211dec",
                    ignore=shutil.ignore_patterns("__pycache__", "*.so", "*.c"))
    for name in ("setup.py", "pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, copy / name)
    shutil.copytree(ROOT / "tools" / "build", copy / "tools" / "build")
    env = dict(os.environ, NL80211DEC_MYPYC="1")
    built = subprocess.run([sys.executable, "setup.py", "-q", "build_ext", "--inplace"], cwd=copy, env=env,
                           capture_output=True, text=True)
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    assert list((copy / "nl80211dec" / "netlink").glob("core.*.so")), "mypyc built no netlink/core extension"
    return copy


def _run(copy: Path, code: str, *args: str, pure: bool = False) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(copy))
    env.pop("NL80211DEC_PURE", None)
    if pure:
        env["NL80211DEC_PURE"] = "1"
    return subprocess.run([sys.executable, "-c", code, *args], cwd=copy, env=env, capture_output=True, text=True)


def _pure_finder_loads_sources_only_when_asked(compiled_copy: Path) -> None:
    probe = "import nl80211dec._pure as p, nl80211dec.netlink.core as c; print(p.compiled(), c.__file__)"
    compiled, pure = _run(compiled_copy, probe), _run(compiled_copy, probe, pure=True)
    assert compiled.stdout.startswith("True ") and compiled.stdout.strip().endswith(".so"), compiled
    assert pure.stdout.startswith("False ") and pure.stdout.strip().endswith("core.py"), pure


def _compiled_output_is_the_reference_on_every_capture(compiled_copy: Path) -> None:
    files = _captures()
    compiled = _run(compiled_copy, HASHER, *files)
    pure = _run(compiled_copy, HASHER, *files, pure=True)
    assert compiled.returncode == 0 and pure.returncode == 0, compiled.stderr[-2000:] + pure.stderr[-2000:]
    head_c, *rows_c = compiled.stdout.splitlines()
    head_p, *rows_p = pure.stdout.splitlines()
    assert (head_c, head_p) == ("compiled True", "compiled False")
    assert len(rows_c) == 2 * len(files)
    differ = [c for c, p in zip(rows_c, rows_p, strict=True) if c != p]
    assert not differ, differ[:5]


FUZZ = r"""
import random, sys, tempfile
from pathlib import Path
import nl80211dec._pure as pure
from nl80211dec.testing import fuzz
assert pure.compiled(), "the compiled modules were not the ones imported"
seeds = fuzz.load_seeds(Path(sys.argv[1]), limit=6)
ranges = seeds.ranges()
with tempfile.TemporaryDirectory() as tmp:
    for target in fuzz.TARGETS:
        rng = random.Random(f"compiled-{target}")
        for _ in range(int(sys.argv[2])):
            case = fuzz.make_case(target, seeds, ranges, rng)
            fuzz.run_cli(case, Path(tmp)) if target == "cli" else fuzz.run_case(case)
        print(target, "ok")
"""


def _fuzz_targets_keep_their_promises_compiled(compiled_copy: Path) -> None:
    """A share of the fuzz campaign's targets and oracles, run against the compiled modules."""
    run = _run(compiled_copy, FUZZ, str(ROOT), "60")
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-4000:]
    from nl80211dec.testing.fuzz import TARGETS

    assert run.stdout.split() == [w for t in TARGETS for w in (t, "ok")]


def test_the_compiled_core_is_the_reference(tmp_path_factory: pytest.TempPathFactory) -> None:
    """One test, so that pytest-xdist builds the extension once: the finder, the outputs, the fuzz share."""
    copy = _build(tmp_path_factory)
    _pure_finder_loads_sources_only_when_asked(copy)
    _compiled_output_is_the_reference_on_every_capture(copy)
    _fuzz_targets_keep_their_promises_compiled(copy)


def test_pure_is_not_forced_unless_asked() -> None:
    from nl80211dec._pure import PureFinder, install_if_asked

    probe = "import sys, nl80211dec._pure as p; print(p.PureFinder in sys.meta_path)"
    env = {k: v for k, v in os.environ.items() if k != "NL80211DEC_PURE"}
    assert subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True).stdout == "False\n"
    env["NL80211DEC_PURE"] = "1"
    assert subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True).stdout == "True\n"
    assert install_if_asked({}) is (PureFinder in sys.meta_path)
