"""The `resume-parser` command: local parsing writes the API's completed document; keys work on the server;
`taxonomy` shows what the skills stage recognises."""

from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path

import httpx
import msgspec
import pytest

from resume_parser.settings import Settings
from schemas.response import Completed
from tests import samples
from tests.processes import CLI, REPO, create_key, run_cli, service_env, start_api, wait_terminal


def test_parse_one_file_prints_the_completed_document(tmp_path: Path) -> None:
    pdf = tmp_path / "resume.pdf"
    pdf.write_bytes(samples.resume_pdf())
    output = run_cli(service_env(), "parse", str(pdf))
    document = json.loads(output)
    completed = msgspec.convert(document, Completed)
    assert completed.status == "completed"
    assert completed.result is not None
    assert completed.result.personal_info.email == samples.EMAIL
    assert completed.metadata.extract.source_format == "pdf"


def test_parse_many_files_writes_one_json_each_and_markdown(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(samples.resume_text(), encoding="utf-8")
    (tmp_path / "b.md").write_text(samples.resume_markdown(), encoding="utf-8")
    (tmp_path / "c.docx").write_bytes(samples.resume_docx())
    jd = tmp_path / "job.txt"
    jd.write_text(samples.JOB_DESCRIPTION * 2, encoding="utf-8")
    out = tmp_path / "out"
    run_cli(service_env(), "parse", str(tmp_path / "a.txt"), str(tmp_path / "b.md"), str(tmp_path / "c.docx"),
            "--jd", str(jd), "--output-dir", str(out))
    assert sorted(p.name for p in out.iterdir()) == ["a.json", "b.json", "c.json"]
    for path in out.iterdir():
        document = json.loads(path.read_text())
        assert document["status"] == "completed"
        assert document["result"]["personal_info"]["email"] == samples.EMAIL
        assert document["matching"] is not None
    markdown = run_cli(service_env(), "parse", str(tmp_path / "a.txt"), "--format", "markdown")
    assert markdown.startswith(f"# {samples.NAME}")
    assert "## Experience" in markdown


def test_parse_writes_json_resume_and_hropen_and_redacts(tmp_path: Path) -> None:
    from tests.formats.test_formats import errors_of

    resume = tmp_path / "a.txt"
    resume.write_text(samples.resume_text(), encoding="utf-8")
    out = tmp_path / "out"
    for fmt in ("jsonresume", "hropen"):
        document = json.loads(run_cli(service_env(), "parse", str(resume), "--format", fmt))
        assert errors_of(fmt, document) == []
        run_cli(service_env(), "parse", str(resume), "--format", fmt, "--output-dir", str(out))
    assert sorted(p.name for p in out.iterdir()) == ["a.hropen.json", "a.jsonresume.json"]
    assert json.loads((out / "a.jsonresume.json").read_text())["basics"]["email"] == samples.EMAIL
    redacted = run_cli(service_env(), "parse", str(resume), "--format", "markdown", "--redact", "default")
    assert redacted.startswith("# Candidate\n")
    for value in (samples.NAME, samples.EMAIL, "555 0134"):
        assert value not in redacted
    bad = subprocess.run([*CLI, "parse", str(resume), "--redact", "names"], env=service_env(), cwd=REPO,
                         capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2 and "redact takes" in bad.stderr


def test_parse_reports_a_broken_file_as_failed(tmp_path: Path) -> None:
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7\n" + b"\x00" * 50)
    done = subprocess.run([*CLI, "parse", str(broken)], env=service_env(), cwd=REPO, capture_output=True,
                          text=True, timeout=60)
    document = json.loads(done.stdout)
    assert document["status"] == "failed"
    assert document["error_code"] == "EXTRACTION_FAILED"
    assert done.returncode == 1


def test_keys_created_by_the_cli_work_on_the_embedded_server(tmp_path: Path) -> None:
    env = service_env(RESUME_PARSER_DATA_DIR=str(tmp_path / "data"))
    key = create_key(env, 5)
    assert key["key"].startswith("rp_live_")
    listed = [json.loads(line) for line in run_cli(env, "keys", "list").splitlines()]
    assert [entry["id"] for entry in listed] == [key["key_id"]]
    assert all("hash" not in json.dumps(entry) for entry in listed)
    api, base = start_api(env, tmp_path / "api.log")
    try:
        headers = {"Authorization": f"Bearer {key['key']}"}
        response = httpx.post(f"{base}/v1/parse", files={"file": ("cv.pdf", samples.resume_pdf())}, headers=headers)
        assert response.status_code == 202, response.text
        done = wait_terminal(base, key["key"], response.json()["request_id"])
        assert done["result"]["personal_info"]["name"] == samples.NAME
        run_cli(env, "keys", "revoke", key["key_id"])
        deadline = time.monotonic() + Settings().key_cache_seconds + 2  # the API keeps a key it saw for 5 s
        while (status := httpx.get(f"{base}/v1/usage", headers=headers).status_code) == 200:
            assert time.monotonic() < deadline, "the revoked key was still accepted"
            time.sleep(0.25)
        assert status == 401
    finally:
        api.stop()
    test_key = create_key(env, 0, "--test")
    assert test_key["key"].startswith("rp_test_")


def _taxonomy_cli(*args: str, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([*CLI, "taxonomy", *args], env=service_env(), cwd=REPO, input=stdin, capture_output=True,
                          timeout=120)


def test_taxonomy_stats_prints_the_counts() -> None:
    done = _taxonomy_cli("stats")
    assert done.returncode == 0, done.stderr
    stats = json.loads(done.stdout)
    assert stats["skills"] >= 1000
    assert stats["aliases"] >= stats["skills"] // 2
    assert stats["categories"] >= 10
    assert stats["broader_relations"] > 0 and stats["implications"] > 0
    assert {"hard", "soft"} <= set(stats["by_type"])
    assert sum(stats["by_type"].values()) == stats["skills"]


def test_taxonomy_find_reports_what_the_skills_stage_finds() -> None:
    from pipeline.skills import normalise_skills
    from schemas.result import ResumeResult

    text = "Deployed JS front ends on K8s clusters; wrote backend services in Go and Rust for the payments stack."
    done = _taxonomy_cli("find", text)
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)["skills"]
    expected = normalise_skills(ResumeResult(summary=text), text)
    assert [(s["skill"], s["skill_id"], s["match_method"]) for s in found] == [
        (s.skill, s.skill_id, s.match_method) for s in expected]
    by_name = {entry["skill"]: entry for entry in found}
    assert by_name["K8s"]["preferred_name"] == "Kubernetes"
    assert by_name["K8s"]["match_method"] == "alias"
    assert {"Go", "Rust", "JS"} <= set(by_name)
    for entry in found:
        assert {"skill", "skill_id", "preferred_name", "category", "skill_type", "match_method",
                "confidence"} <= set(entry)
        assert ("implied_by" in entry) == (entry["match_method"] == "implied")


def test_taxonomy_find_drops_false_friends_and_reads_stdin() -> None:
    done = _taxonomy_cli("find", "-", stdin=b"Led our Go to market plan and gave the team access to data.")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"skills": []}
    implied = json.loads(_taxonomy_cli("find", "-", stdin=b"Built Django apps").stdout)["skills"]
    assert [entry["implied_by"] for entry in implied if entry["match_method"] == "implied"] == [["Django"]]


@pytest.mark.parametrize(("args", "stdin", "message"), [
    (("find", ""), b"", "empty"),
    (("find", "-"), b"  \n", "empty"),
    (("find", "-"), b"\xff\xfe caf\xe9", "UTF-8"),
    (("find",), b"", "TEXT"),
    ((), b"", "required"),
])
def test_taxonomy_bad_input_is_a_message_and_an_error_code(args: tuple[str, ...], stdin: bytes, message: str) -> None:
    done = _taxonomy_cli(*args, stdin=stdin)
    assert done.returncode == 2
    assert message in done.stderr.decode()
    assert b"Traceback" not in done.stderr
    assert done.stdout == b""
