"""Recommended reads' links: normalised at ingest, or dropped with a note, so the admin can always save the digest."""
import datetime
import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from digest.ingest.links import normalise_url
from digest.ingest.service import CREATED, ingest_input
from digest.ingest.sources import InputFile


@pytest.mark.parametrize("url, stored", [
    ("https://www.theguardian.com/world/x", "https://www.theguardian.com/world/x"),
    ("  HTTPS://Example.COM:8080/Path?q=1&r=%20#top ", "https://example.com:8080/Path?q=1&r=%20#top"),
    ('https://example.com/freeze"plan<1>.html', "https://example.com/freeze%22plan%3C1%3E.html"),
    ("https://例え.jp/パス", "https://xn--r8jz45g.jp/%E3%83%91%E3%82%B9"),
    ("http://[2001:db8::1]/report", "http://[2001:db8::1]/report"),
])
def test_links_are_normalised(url, stored):
    assert normalise_url(url) == stored


@pytest.mark.parametrize("url, reason", [
    ("https://example.com/a\nb", "it contains a space or a line break"),
    ("https://example.com/a b", "it contains a space or a line break"),
    ("javascript:alert(1)", "only http and https links are kept"),
    ("ftp://example.com/file", "only http and https links are kept"),
    ("https://example.com/" + "a" * 2000, "it is 2,020 characters long; at most 2,000 are stored"),
    ('https://exa"mple.com/', "it is not a valid web address"),
    ("https://example.com:99999/", "it is not a valid web address"),
    ("http://editor:secret@example.com/", "it carries a user name or password"),
])
def test_links_that_cannot_be_stored_are_refused_with_a_reason(url, reason):
    with pytest.raises(ValueError) as refused:
        normalise_url(url)
    assert str(refused.value) == reason


@pytest.mark.django_db
def test_a_read_whose_link_fails_keeps_its_outlet_and_title_and_the_digest_saves_in_the_admin(
    fixtures_dir, admin_client
):
    path = fixtures_dir / "links" / "2015-01-15-links.html"
    outcome = ingest_input(InputFile(path.name, path.read_bytes(), None))

    assert outcome.status == CREATED, outcome.error
    reads = list(outcome.digest.recommended_reads.order_by("position").values_list("outlet", "title", "url"))
    assert reads == [
        ("The Guardian", "Inside the Madaya Convoy", "https://www.theguardian.com/world/2015/jan/15/madaya-convoy"),
        ("Al Monitor", "What the Freeze Plan Means", "https://www.al-monitor.com/pulse/2015/01/freeze%22plan.html"),
        ("Foreign Policy", "Why Aid Stalls", None),
        ("BBC", "The Long Road to Madaya", None),
        ("Reuters", "Convoy Timeline", None),
    ]
    assert outcome.notes == [
        "recommended read 3 (Foreign Policy: Why Aid Stalls) is kept without its link: it contains a space or a line break",
        "recommended read 4 (BBC: The Long Road to Madaya) is kept without its link: it is 2,452 characters long; "
        "at most 2,000 are stored",
    ]
    assert outcome.as_json()["notes"] == outcome.notes

    digest = outcome.digest
    stories = list(digest.stories.all())
    stored = list(digest.recommended_reads.order_by("position"))
    form = {
        "date": digest.date.isoformat(), "title": digest.title, "newsletter": digest.newsletter,
        "stories-TOTAL_FORMS": str(len(stories)), "stories-INITIAL_FORMS": str(len(stories)),
        "stories-MIN_NUM_FORMS": "0", "stories-MAX_NUM_FORMS": "1000",
        **{f"stories-{n}-id": str(s.pk) for n, s in enumerate(stories)},
        **{f"stories-{n}-digest": str(digest.pk) for n in range(len(stories))},
        "recommended_reads-TOTAL_FORMS": str(len(stored)), "recommended_reads-INITIAL_FORMS": str(len(stored)),
        "recommended_reads-MIN_NUM_FORMS": "0", "recommended_reads-MAX_NUM_FORMS": "1000",
    }
    for n, read in enumerate(stored):
        form.update({f"recommended_reads-{n}-{name}": value for name, value in (
            ("id", read.pk), ("digest", digest.pk), ("position", read.position), ("outlet", read.outlet),
            ("title", read.title), ("url", read.url or ""),
        )})
    response = admin_client.post(reverse("admin:digest_digest_change", args=[digest.pk]), form)
    assert response.status_code == 302, response.context["errors"] if response.context else response


def test_the_ingest_command_prints_the_notes(fixtures_dir, db, capsys):
    from django.core.management import call_command

    call_command("ingest", "--dry-run", str(fixtures_dir / "links" / "2015-01-15-links.html"))
    out = capsys.readouterr().out
    assert "  note: recommended read 3 (Foreign Policy: Why Aid Stalls) is kept without its link" in out


@pytest.mark.django_db
def test_the_migration_brings_stored_links_to_the_same_rule(seed_path):
    """Reads stored before links were checked: normalised, or kept without the link."""
    from digest.models import RecommendedRead

    outcome = ingest_input(InputFile(seed_path.name, seed_path.read_bytes(), None), date=datetime.date(2014, 11, 26))
    reads = list(outcome.digest.recommended_reads.order_by("position"))
    stored = ["https://example.com/a\nb", 'HTTPS://Example.com/say"what"', "https://www.dw.com/en/x", None]
    for read, url in zip(reads, stored):
        RecommendedRead.objects.filter(pk=read.pk).update(url=url)

    importlib.import_module("digest.migrations.0006_read_links").normalise_stored_links(apps, None)

    after = list(RecommendedRead.objects.filter(pk__in=[r.pk for r in reads[:4]]).order_by("position").values_list("url", flat=True))
    assert after == [None, "https://example.com/say%22what%22", "https://www.dw.com/en/x", None]
