"""The deployment files agree with the code: every setting is documented, compose is valid."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
_READ = re.compile(
    r"""(?:env_(?:str|bool|int|list)\(\s*|os\.environ\.get\(\s*)["']([A-Z][A-Z0-9_]+)["']"""
)


def variables_read_by(path: Path) -> set[str]:
    return set(_READ.findall(path.read_text()))


def documented_variables() -> set[str]:
    text = (ROOT / ".env.example").read_text()
    return set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", text, flags=re.MULTILINE))


def test_env_example_names_every_setting_the_app_reads():
    read = set()
    for path in [*(ROOT / "ninefold").glob("settings*.py"), ROOT / "gunicorn.conf.py"]:
        if path.name != "settings_test.py":
            read |= variables_read_by(path)
    assert {"SECRET_KEY", "DATABASE_URL", "EMAIL_BACKEND", "WEB_CONCURRENCY"} <= read
    missing = read - documented_variables()
    assert not missing, f"add these to .env.example (and docs/deploy.md): {sorted(missing)}"


def test_docker_compose_file_follows_the_compose_specification():
    result = subprocess.run(
        [
            str(Path(sys.executable).parent / "check-jsonschema"),
            "--builtin-schema",
            "vendor.compose-spec",
            str(ROOT / "docker-compose.yml"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_compose_runs_web_worker_and_database_with_health_checks():
    import yaml

    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert set(services) >= {"db", "web", "worker"}
    assert "pgdata" in compose["volumes"]
    assert services["db"]["healthcheck"]["test"]
    assert "/healthz" in " ".join(services["web"]["healthcheck"]["test"])
    assert services["worker"]["command"] == ["python", "manage.py", "db_worker"]
    # Migrations are a release step: one one-shot service that web and worker wait for.
    assert "migrate" in " ".join(services["migrate"]["command"])
    assert services["migrate"]["depends_on"]["db"]["condition"] == "service_healthy"
    for name in ("web", "worker"):
        assert services[name]["depends_on"] == {
            "migrate": {"condition": "service_completed_successfully"}
        }
        assert "migrate" not in " ".join(map(str, services[name].get("command", [])))


def test_the_image_collects_static_when_built_and_only_serves_when_started():
    dockerfile = (ROOT / "Dockerfile").read_text()
    build, cmd = dockerfile.split("\nCMD ", 1)
    assert "collectstatic" in build
    assert "gunicorn.conf.py" in cmd
    assert "migrate" not in cmd and "collectstatic" not in cmd
