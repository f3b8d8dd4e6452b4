"""Find the near-duplicate stories of the archive: sign every story that has no signature (or
one of an older version of the shingling) and link it to the stories of other digests that
tell the same event. Ingestion does this for each new story; this command does it for stories
stored before, or while NEAR_DUPLICATES_AT_INGEST was off. Running it again signs nothing."""
from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Q
from tqdm import tqdm

from digest.duplicates.signature import VERSION
from digest.duplicates.store import LinkReport, link_near_duplicates
from digest.models import NearDuplicate, Story


class Command(BaseCommand):
    help = "Sign unsigned stories and link the near-duplicates among them and the stored stories."

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="Sign every story again, not only unsigned ones.")
        parser.add_argument("--batch-size", type=int, default=1000, help="Stories per transaction (default 1000).")

    def handle(self, *args, all, batch_size, verbosity, **options):
        stories = Story.objects.order_by("pk").only("headline", "body", "digest_id")
        if not all:
            stories = stories.filter(Q(signature__isnull=True) | ~Q(signature__version=VERSION))
        progress = tqdm(total=stories.count(), unit="story", disable=None if verbosity else True, file=self.stderr)
        report, found, last = LinkReport(), set(), 0
        # Batches by primary key, not by offset: each is one indexed range read however far in.
        while batch := list(stories.filter(pk__gt=last)[:batch_size]):
            with transaction.atomic():
                done = link_near_duplicates(batch)
            report.add(done)
            found.update((a, b) for a, b, _ in done.pairs)
            last = batch[-1].pk
            progress.update(len(batch))
        progress.close()
        if verbosity >= 2:
            self._list_pairs(report.pairs)
        if verbosity >= 1:
            self.stdout.write(self._summary(report, len(found)))

    def _summary(self, report, pairs_found):
        signed = report.signed + report.too_short
        if not signed:
            lines = ["Nothing to sign: every story has a signature."]
        else:
            lines = [f"Signed {signed} stor{'y' if signed == 1 else 'ies'} ({report.too_short} too short to tell); "
                     f"found {pairs_found} pair{'' if pairs_found == 1 else 's'} of near-duplicates."]
        if report.recurring:
            lines.append(f"{len(report.recurring)} stories are recurring text (found in more digests than an event is "
                         f"retold in) and were linked to none: {', '.join(map(str, sorted(report.recurring)[:20]))}"
                         + ("…" if len(report.recurring) > 20 else ""))
        pairs = NearDuplicate.objects.count() // 2
        linked = NearDuplicate.objects.values("story").distinct().count()
        lines.append(f"The archive has {pairs} pair{'' if pairs == 1 else 's'} of near-duplicates, among {linked} stories.")
        return "\n".join(lines)

    def _list_pairs(self, pairs):
        seen = set()
        ids = {pk for a, b, _ in pairs for pk in (a, b)}
        stories = Story.objects.select_related("digest").only("headline", "digest__date").in_bulk(ids)
        for a, b, score in pairs:
            if (a, b) in seen or a not in stories or b not in stories:
                continue
            seen.add((a, b))
            first, second = stories[a], stories[b]
            self.stdout.write(f"{score:.2f}  {a} ({first.digest.date:%Y-%m-%d}) {first.headline}\n"
                              f"      {b} ({second.digest.date:%Y-%m-%d}) {second.headline}")
