"""docs/schema.sql is the schema the migrations produce, as test/schema_dump.py prints it."""

import difflib

from config_service.db import migrations
from test import schema_dump


def test_docs_schema_sql_is_what_the_migrations_produce(empty_database_url):
    migrations.migrate(empty_database_url)
    produced = schema_dump.dump(empty_database_url)
    kept = schema_dump.SCHEMA_FILE.read_text(encoding="utf-8") if schema_dump.SCHEMA_FILE.exists() else ""
    if produced != kept:
        diff = "".join(difflib.unified_diff(
            kept.splitlines(keepends=True), produced.splitlines(keepends=True),
            "docs/schema.sql (kept)", "the migrations (produced)", n=1,
        ))
        raise AssertionError(
            "docs/schema.sql is not the schema the migrations produce; regenerate it from svc/ with\n"
            f"    {schema_dump.REGENERATE}\n"
            f"and commit it with the migration. First differences:\n{diff[:4000]}"
        )


def test_the_dump_is_normalised_and_keeps_the_schema_and_its_grants(empty_database_url):
    migrations.migrate(empty_database_url)
    text = schema_dump.dump(empty_database_url)
    assert text.startswith(schema_dump.HEADER)
    body = text[len(schema_dump.HEADER):]
    for noise in ("\nSET ", "set_config(", "\\restrict", "Dumped from", "Dumped by", "\n\n\n", "OWNER TO"):
        assert noise not in body, noise
    assert "CREATE TABLE public.config_events (" in body
    assert "CREATE TRIGGER" in body and "CREATE FUNCTION public.config_events_verify(" in body
    assert "GRANT SELECT,INSERT ON TABLE public.config_events TO config_service_app;" in body
    assert text.endswith(";\n")


def test_normalising_drops_how_it_was_dumped_and_keeps_what_was_dumped():
    raw = (
        "--\n-- PostgreSQL database dump\n--\n\n\\restrict AbC123\n\n"
        "-- Dumped from database version 16.14\n-- Dumped by pg_dump version 16.14\n\n"
        "SET statement_timeout = 0;\nSELECT pg_catalog.set_config('search_path', '', false);\n\n\n\n"
        "--\n-- Name: t; Type: TABLE; Schema: public; Owner: -\n--\n\n"
        "CREATE TABLE public.t (\n    id integer   \n);\n\n\n"
        "--\n-- PostgreSQL database dump complete\n--\n\n\\unrestrict AbC123\n\n"
    )
    assert schema_dump.normalise(raw) == (
        "--\n-- Name: t; Type: TABLE; Schema: public; Owner: -\n--\n\nCREATE TABLE public.t (\n    id integer\n);\n"
    )
