"""Running settings and commands in a child process with a controlled environment."""
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def clean_env(**variables):
    """An environment with only PATH and locale from outside, plus `variables`."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "LANG": "C.UTF-8",
        "PYTHONIOENCODING": "utf-8",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    env.update(variables)
    return env


def run_python(code, env, timeout=60):
    return subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True,
        text=True, encoding="utf-8", timeout=timeout,
    )
