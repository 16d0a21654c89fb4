"""`resume-parser`: serve the API, run a worker, migrate, manage keys, parse files locally, inspect the taxonomy."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import msgspec

from pipeline.formats import OUTPUT_FORMATS
from resume_parser.clock import now_iso
from resume_parser.credits import estimate_credits
from resume_parser.keys import display_prefix, generate_key, hash_key
from resume_parser.settings import Settings, SettingsError, load_settings
from taxonomy import Taxonomy, load

PLANS = {"starter": 4, "pro": 8}


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    if not settings.distributed:
        import threading

        from workers.isolation import start_extraction_server

        start_extraction_server()  # the embedded pool's readers load in another process while the API loads here
        from workers.runner import warm_up

        threading.Thread(target=warm_up, name="warm-up", daemon=True).start()  # and the taxonomy beside it
    import uvicorn

    from api.app import create_app

    uvicorn.run(create_app(settings), host=args.host or settings.host, port=args.port or settings.port,
                log_level="info", access_log=False)
    return 0


def _worker(args: argparse.Namespace, settings: Settings) -> int:
    if not settings.distributed:
        print("worker needs RESUME_PARSER_BROKER_URL and RESUME_PARSER_DATABASE_URL; the embedded mode "
              "runs its workers inside `serve`", file=sys.stderr)
        return 2
    from workers.celery_app import app

    # No mingle: at start it asks the other workers for the tasks they revoked and waits a second for replies,
    # and nothing here revokes tasks. Heartbeats stay on, for Flower to see the worker.
    argv = ["worker", "--loglevel", args.loglevel, "--concurrency", str(args.concurrency),
            "--queues", settings.queue, "--pool", "prefork", "--without-mingle"]
    app.worker_main(argv)
    return 0


def _migrate(_: argparse.Namespace, settings: Settings) -> int:
    from store import open_store

    store = open_store(settings)
    try:
        store.migrate()
    finally:
        store.close()
    print(f"migrated {store.kind} store")
    return 0


def _keys(args: argparse.Namespace, settings: Settings) -> int:
    from store import open_store

    store = open_store(settings)
    try:
        if not settings.database_url:
            store.migrate()
        if args.keys_command == "create":
            if args.account:
                account = store.get_account(args.account)
                if account is None:
                    print(f"no account {args.account}", file=sys.stderr)
                    return 1
                if args.credits:
                    account = store.add_credits(account.id, args.credits)
            else:
                account = store.create_account(args.name, args.credits, PLANS[args.plan])
            key = generate_key(args.test)
            record = store.create_key(account.id, args.name, hash_key(key), display_prefix(key), args.test,
                                      args.expires_at, args.webhook_url)
            print(msgspec.json.encode({"key": key, "key_id": record.id, "account_id": account.id,
                                       "credits": account.remaining, "page_limit": account.page_limit,
                                       "test": args.test, "webhook_url": args.webhook_url,
                                       "webhook_secret": store.webhook_secret(account.id)}).decode())
            print("store this key now: it is shown only once", file=sys.stderr)
        elif args.keys_command == "webhook-secret":
            if store.get_account(args.account) is None:
                print(f"no account {args.account}", file=sys.stderr)
                return 1
            print(store.webhook_secret(args.account, rotate=args.rotate))
        elif args.keys_command == "list":
            for key_record in store.list_keys():
                print(msgspec.json.encode(key_record).decode())
        elif args.keys_command == "revoke":
            if not store.revoke_key(args.key_id):
                print(f"no active key {args.key_id}", file=sys.stderr)
                return 1
            print(f"revoked {args.key_id}")
    finally:
        store.close()
    return 0


class _Progress:
    """A one-line progress bar on stderr when it is a terminal; silent otherwise."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.done = 0
        self.enabled = sys.stderr.isatty() and total > 1

    def step(self, label: str) -> None:
        self.done += 1
        if self.enabled:
            width = 30
            filled = int(width * self.done / self.total)
            sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total} {label[:40]:40}")
            sys.stderr.flush()
            if self.done == self.total:
                sys.stderr.write("\n")


def _parse(args: argparse.Namespace, settings: Settings) -> int:
    import secrets

    from pipeline.errors import PipelineError
    from pipeline.formats import render
    from pipeline.llm import Llm
    from pipeline.run import PipelineInput, run_pipeline
    from schemas.request import ModelTier, ParseConfig, ParseRequestConfig, redact_config_from, resolve_config
    from schemas.response import Redaction
    from schemas.result import ResumeResult
    from workers.documents import completed_document, failed_document

    job_description = Path(args.jd).read_text(encoding="utf-8") if args.jd else None
    tier: ModelTier = args.tier
    if tier != "basic" and not settings.anthropic_api_key:
        print(f"tier {tier!r} needs ANTHROPIC_API_KEY; use --tier basic", file=sys.stderr)
        return 2
    try:
        redact = redact_config_from(args.redact) if args.redact is not None else None
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 2
    config = resolve_config(ParseRequestConfig(parse=ParseConfig(model_tier=tier), redact=redact),
                            bool(job_description))
    llm = Llm(settings.llm) if settings.llm is not None and tier != "basic" else None
    files = [Path(name) for name in args.files]
    if args.output_dir:
        Path(args.output_dir).mkdir(parents=True, exist_ok=True)
    progress = _Progress(len(files))
    failures = 0
    for path in files:
        request_id = "local_" + secrets.token_hex(8)
        created_at = now_iso()
        started = time.monotonic()
        try:
            data = path.read_bytes()
            output = run_pipeline(
                PipelineInput(kind="file", file_bytes=data, file_name=path.name, job_description=job_description),
                config,
                llm=llm,
            )
            credits = estimate_credits(config, "file", output.extract.ocr_pages is not None)
            document = completed_document(
                request_id=request_id, created_at=created_at, completed_at=now_iso(),
                duration_ms=int((time.monotonic() - started) * 1000), credits=credits, remaining_balance=0,
                estimated_credits=credits, file_size_bytes=len(data), output=output, test_mode=False,
            )
        except (PipelineError, OSError) as exc:
            failures += 1
            code, message, stage = (
                (exc.code, exc.message, exc.stage) if isinstance(exc, PipelineError)
                else ("EXTRACTION_FAILED", f"cannot read {path}: {exc.strerror}", "extract")
            )
            document = failed_document(request_id=request_id, created_at=created_at, completed_at=now_iso(),
                                       code=code, message=message, stage=stage, remaining_balance=0)
        if args.format != "json" and document.get("result") is not None:
            report = msgspec.convert(document["redaction"], Redaction) if document.get("redaction") else None
            text = render(msgspec.convert(document["result"], ResumeResult), args.format, report).decode()
            text += "" if text.endswith("\n") else "\n"
            suffix = ".md" if args.format == "markdown" else f".{args.format}.json"
        else:
            text = msgspec.json.encode(document).decode() + "\n"
            suffix = ".json"
        if args.output_dir:
            (Path(args.output_dir) / (path.stem + suffix)).write_text(text, encoding="utf-8")
        elif len(files) == 1:
            sys.stdout.write(text)
        else:
            sys.stdout.write(text if suffix == ".json" else text + "\n")
        progress.step(path.name)
    return 1 if failures == len(files) else 0


class FoundSkill(msgspec.Struct):
    """One skill `taxonomy find` reports: what the skills stage would put in a result, plus the concept's name."""

    skill: str
    skill_id: str | None
    preferred_name: str | None
    category: str | None
    skill_type: str | None
    match_method: str | None
    confidence: float | None
    implied_by: list[str] | msgspec.UnsetType = msgspec.UNSET


def _find_text(argument: str) -> str:
    """The text to search: the argument itself, or standard input for `-` (UTF-8)."""
    if argument != "-":
        return argument
    try:
        return sys.stdin.buffer.read().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValueError(f"standard input is not UTF-8 text ({exc.reason} at byte {exc.start})") from exc


def _load_taxonomy() -> Taxonomy | None:
    """The shipped taxonomy, or None (with the reason on stderr) when its data files are missing or broken."""
    try:
        return load()
    except (OSError, EOFError, ValueError, KeyError, AssertionError) as exc:
        print(f"cannot load the skills taxonomy: {exc}", file=sys.stderr)
        return None


def _taxonomy_stats(_: argparse.Namespace, __: Settings) -> int:
    taxonomy = _load_taxonomy()
    if taxonomy is None:
        return 1
    print(msgspec.json.encode(taxonomy.stats()).decode())
    return 0


def _taxonomy_find(args: argparse.Namespace, _: Settings) -> int:
    """Runs the real skills stage on the text as a resume summary, so false friends are dropped as in a parse."""
    try:
        text = _find_text(args.text)
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 2
    if not text.strip():
        print("nothing to search: the text is empty", file=sys.stderr)
        return 2
    taxonomy = _load_taxonomy()
    if taxonomy is None:
        return 1
    from pipeline.skills import normalise_skills
    from schemas.result import ResumeResult

    found = [
        FoundSkill(
            skill=skill.skill, skill_id=skill.skill_id,
            preferred_name=taxonomy.by_id[skill.skill_id].name if skill.skill_id else None,
            category=skill.category, skill_type=skill.skill_type, match_method=skill.match_method,
            confidence=skill.confidence,
            implied_by=skill.implied_by or msgspec.UNSET,
        )
        for skill in normalise_skills(ResumeResult(summary=text), text)
    ]
    print(msgspec.json.encode({"skills": found}).decode())
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="resume-parser", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="run the HTTP API (embedded workers unless a broker is set)")
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)
    serve.set_defaults(handler=_serve)

    worker = commands.add_parser("worker", help="run a Celery worker (distributed mode)")
    worker.add_argument("--concurrency", type=int, default=2)
    worker.add_argument("--loglevel", default="INFO")
    worker.set_defaults(handler=_worker)

    migrate = commands.add_parser("migrate", help="create or upgrade the database schema")
    migrate.set_defaults(handler=_migrate)

    keys = commands.add_parser("keys", help="manage API keys")
    key_commands = keys.add_subparsers(dest="keys_command", required=True)
    create = key_commands.add_parser("create", help="create an account and a key; prints the key once")
    create.add_argument("--name", required=True)
    create.add_argument("--credits", type=int, default=100)
    create.add_argument("--test", action="store_true", help="a test key (rp_test_): never spends credits")
    create.add_argument("--plan", choices=sorted(PLANS), default="starter", help="page limit: starter 4, pro 8")
    create.add_argument("--account", help="add the key to this existing account instead")
    create.add_argument("--expires-at", help="ISO 8601 UTC time after which the key is refused")
    create.add_argument("--webhook-url", help="default callback URL for this key's requests")
    secret = key_commands.add_parser("webhook-secret", help="print (or --rotate) an account's webhook signing secret")
    secret.add_argument("--account", required=True)
    secret.add_argument("--rotate", action="store_true", help="replace the secret; the old one stops verifying")
    key_commands.add_parser("list", help="list keys (never the secret)")
    revoke = key_commands.add_parser("revoke", help="revoke a key by id")
    revoke.add_argument("key_id")
    keys.set_defaults(handler=_keys)

    parse = commands.add_parser("parse", help="parse files locally, no server needed")
    parse.add_argument("files", nargs="+")
    parse.add_argument("--jd", help="a job description file to match against")
    parse.add_argument("--tier", choices=["basic", "standard", "premium"], default="basic")
    parse.add_argument("--output-dir", help="write DIR/<file stem>.json (.md, .jsonresume.json, .hropen.json) "
                                            "for each input")
    parse.add_argument("--format", choices=OUTPUT_FORMATS, default="json",
                       help="json: the whole response document; the others: the parsed resume alone")
    parse.add_argument("--redact", metavar="CATEGORIES",
                       help="redact for fair screening: default, all, or a list such as name,contact,schools")
    parse.set_defaults(handler=_parse)

    taxonomy = commands.add_parser("taxonomy", help="inspect the skills taxonomy")
    taxonomy_commands = taxonomy.add_subparsers(dest="taxonomy_command", required=True)
    stats = taxonomy_commands.add_parser("stats", help="counts of skills, aliases, categories, relations and types")
    stats.set_defaults(handler=_taxonomy_stats)
    find = taxonomy_commands.add_parser(
        "find", help="the skills the skills stage recognises in a text, as it would in a resume's summary")
    find.add_argument("text", metavar="TEXT", help="the text to search; - reads standard input")
    find.set_defaults(handler=_taxonomy_find)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = load_settings()
    except SettingsError as exc:
        print(f"resume-parser: invalid setting {exc}", file=sys.stderr)
        return 2
    result: int = args.handler(args, settings)
    return result


if __name__ == "__main__":
    raise SystemExit(main())
