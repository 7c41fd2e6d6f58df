"""Django for a benchmark script: a throwaway var/ directory, and a fresh SQLite database in
it unless BENCH_DATABASE_URL names a scratch PostgreSQL database (never DATABASE_URL, so a
developer's real database is not touched). Import it first: `import _django  # noqa: F401`."""

import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
_tmp = tempfile.TemporaryDirectory(prefix="ducha-bench-")
os.environ["DUCHA_VAR_DIR"] = _tmp.name
os.environ.pop("DATABASE_URL", None)
if os.environ.get("BENCH_DATABASE_URL"):
    os.environ["DATABASE_URL"] = os.environ["BENCH_DATABASE_URL"]
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"

import django  # noqa: E402

django.setup()
