"""What the archive stores: digests, their stories and reads, and the entities stories mention."""
import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from . import kinds


class Digest(models.Model):
    """One daily newsletter issue, kept with the exact text it was made from."""

    date = models.DateField("publication date", db_index=True)
    title = models.CharField(max_length=300)
    intro = models.TextField(
        blank=True,
        help_text="The issue's own front matter before its first story (blurb, greeting, update notes), "
        "paragraphs separated by a blank line; never a story.",
    )
    newsletter = models.CharField(max_length=200, blank=True)
    file_name = models.CharField("original file name", max_length=255)
    source_format = models.CharField(max_length=20, blank=True)
    sha256 = models.CharField("SHA-256 of the raw bytes", max_length=64, unique=True)
    source_text = models.TextField("decoded source text", help_text="Kept verbatim for provenance.")
    ingested_at = models.DateTimeField(default=timezone.now, editable=False)
    stories_sha256 = models.CharField(
        "SHA-256 of the stories as ingested", max_length=64, null=True, blank=True, editable=False,
        help_text="Headlines and text with whitespace and quotes normalised (digest.ingest.fingerprint): "
        "the same issue in another format has the same.",
    )
    index_pending = models.BooleanField(
        default=False, editable=False,
        help_text="Stored, and its stories not yet indexed: the next `ingest` indexes them if this one was interrupted.",
    )

    class Meta:
        ordering = ["-date", "-id"]
        constraints = [
            # One issue of a newsletter per day: a second file for the same day is a
            # replacement (ingest --replace), never a silent copy.
            models.UniqueConstraint(fields=["newsletter", "date"], name="one_issue_per_newsletter_and_day"),
            # The same issue in another format (a .txt and the .eml it was pasted from) is a duplicate.
            models.UniqueConstraint(fields=["date", "stories_sha256"], name="one_digest_per_issue_and_day"),
        ]
        indexes = [
            models.Index(fields=["index_pending"], condition=models.Q(index_pending=True), name="digest_index_pending"),
        ]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.title}"

    @property
    def intro_paragraphs(self):
        return [p for p in self.intro.split("\n\n") if p.strip()]

    def get_absolute_url(self):
        return reverse("digest:digest", args=[self.pk])


class Story(models.Model):
    """A story of a digest: a headline and its paragraphs, in the digest's order."""

    digest = models.ForeignKey(Digest, on_delete=models.CASCADE, related_name="stories")
    position = models.PositiveIntegerField()
    headline = models.CharField(max_length=500)
    body = models.TextField(help_text="Paragraphs separated by a blank line.")
    slug = models.SlugField(max_length=200)

    class Meta:
        ordering = ["digest", "position"]
        verbose_name_plural = "stories"
        constraints = [
            models.UniqueConstraint(fields=["digest", "position"], name="story_position_unique_in_digest"),
        ]
        # The near-duplicate candidates query reads the digest of every story that shares a band key
        # with a new one: from this index, instead of from the story's row, which holds its text.
        indexes = [models.Index(fields=["id", "digest"], name="story_digest_by_id")]

    def __str__(self):
        return self.headline

    @property
    def paragraphs(self):
        return [p for p in self.body.split("\n\n") if p]

    def get_absolute_url(self):
        return reverse("digest:story", args=[self.pk, self.slug])


class MovedStory(models.Model):
    """Where the address of a story that no longer exists leads, so that a link an analyst saved or
    cited keeps working after an editor corrects a split or replaces a digest: the story it was
    merged into, else its digest (its text became the front matter, the digest was replaced, or
    the story it was merged into went since)."""

    old_id = models.PositiveBigIntegerField(primary_key=True)
    digest = models.ForeignKey(Digest, on_delete=models.CASCADE, related_name="+")
    story = models.ForeignKey(Story, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    @property
    def target(self):
        return self.story or self.digest


class RecommendedRead(models.Model):
    """An "Outlet: Title" link listed under a digest's Recommended Reads."""

    digest = models.ForeignKey(Digest, on_delete=models.CASCADE, related_name="recommended_reads")
    position = models.PositiveIntegerField()
    outlet = models.CharField(max_length=200)
    title = models.CharField(max_length=500)
    url = models.URLField(max_length=2000, null=True, blank=True)

    class Meta:
        ordering = ["digest", "position"]
        constraints = [
            models.UniqueConstraint(fields=["digest", "position"], name="read_position_unique_in_digest"),
        ]

    def __str__(self):
        return f"{self.outlet}: {self.title}"


class Entity(models.Model):
    """A place, actor or cited news outlet, under the name analysts browse it by."""

    PLACE, ACTOR, SOURCE = kinds.PLACE.name, kinds.ACTOR.name, kinds.SOURCE.name
    KINDS = [(kind.name, kind.label) for kind in kinds.ENTITY_KINDS]
    PERSON, ORGANIZATION, ARMED_GROUP, GOVERNMENT, INTERNATIONAL_BODY = (
        "person", "organization", "armed_group", "government", "international_body",
    )
    ACTOR_TYPES = [
        (PERSON, "Person"),
        (ORGANIZATION, "Organization"),
        (ARMED_GROUP, "Armed group"),
        (GOVERNMENT, "Government or state force"),
        (INTERNATIONAL_BODY, "International body"),
    ]

    kind = models.CharField(max_length=10, choices=KINDS, db_index=True)
    actor_type = models.CharField(max_length=20, choices=ACTOR_TYPES, blank=True)
    name = models.CharField("canonical name", max_length=200)
    slug = models.SlugField(max_length=200)
    country = models.CharField(max_length=2, blank=True, help_text="ISO 3166 code, for places.")
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    geonameid = models.PositiveIntegerField(null=True, blank=True, unique=True)
    discovered = models.BooleanField(
        default=False, help_text="Found from how the text introduces it, not from a curated table."
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    # Any edit changes the registry's fingerprint, so extractors catch up (digest.extract.current);
    # indexed, so that fingerprint costs the same however many entities there are.
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name_plural = "entities"
        constraints = [
            models.UniqueConstraint(fields=["kind", "name"], name="entity_name_unique_per_kind"),
            models.UniqueConstraint(fields=["kind", "slug"], name="entity_slug_unique_per_kind"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("entities:entity", args=[self.pk, self.slug])


class MovedEntity(models.Model):
    """The address of an entity merged into another leads to the one it became (digest.curation):
    a link to its page, saved or cited, keeps working."""

    old_id = models.PositiveBigIntegerField(primary_key=True)
    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="+")


class Alias(models.Model):
    """Another name the text may use for an entity ("ISIL", "Daesh" for ISIS)."""

    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=200)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "aliases"
        constraints = [models.UniqueConstraint(fields=["entity", "name"], name="alias_unique_per_entity")]

    def __str__(self):
        return self.name


class Mention(models.Model):
    """That a story mentions an entity, with the words it used and how often."""

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="mentions")
    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="mentions")
    surface_forms = models.JSONField(default=list)
    count = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["story", "entity"], name="one_mention_per_story_entity")]

    def __str__(self):
        return f"{self.entity} in {self.story_id}"


class StopForm(models.Model):
    """A word or phrase that is never an entity ("Tuesday", "Recommended Reads")."""

    form = models.CharField(max_length=200, unique=True)
    note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        ordering = ["form"]
        verbose_name = "never-an-entity form"

    def __str__(self):
        return self.form


class StagedUpload(models.Model):
    """An admin upload between its preview and its storing: the editor reviews how each file was
    split, corrects it, then stores it. Kept in the database, so any server process can take the
    next request; removed once stored, and after a day when it never is (digest.ingest.staging)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    date = models.DateField(null=True, blank=True, help_text="The upload's date for files that state none.")
    replace = models.BooleanField(default=False)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(default=timezone.now, editable=False, db_index=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"upload of {self.created_at:%Y-%m-%d %H:%M}"


class StagedFile(models.Model):
    """One file of a staged upload: its bytes, and its split as corrected so far (or why it cannot be read)."""

    upload = models.ForeignKey(StagedUpload, on_delete=models.CASCADE, related_name="files")
    position = models.PositiveIntegerField()
    name = models.CharField(max_length=1000)
    data = models.BinaryField(null=True)
    sha256 = models.CharField(max_length=64, blank=True)
    split = models.JSONField(null=True, help_text="SplitDigest as JSON (digest.ingest.serialise).")
    date = models.DateField(null=True)
    title = models.CharField(max_length=300, blank=True)
    newsletter = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True, help_text="Why the file cannot be stored, from its reading or its last storing.")

    class Meta:
        ordering = ["upload", "position"]
        constraints = [
            models.UniqueConstraint(fields=["upload", "position"], name="staged_file_position_unique_in_upload"),
        ]

    def __str__(self):
        return self.name


class StorySignature(models.Model):
    """A story's MinHash signature (digest.duplicates.signature), kept so that a new story can be
    compared with the candidates its band keys find without reading their text again."""

    story = models.OneToOneField(Story, on_delete=models.CASCADE, primary_key=True, related_name="signature")
    minhash = models.BinaryField(null=True, help_text="NUM_PERM little-endian uint32 values; empty when too short to tell.")
    version = models.PositiveSmallIntegerField(help_text="digest.duplicates.signature.VERSION when signed.")


class StoryBand(models.Model):
    """One LSH band key of a story's signature: stories that share a key are candidate near-duplicates.
    Indexed by key, so a writer finds candidates with one query, on any database and in any process."""

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="+")
    key = models.BigIntegerField()

    class Meta:
        indexes = [models.Index(fields=["key", "story"], name="story_band_key")]


class NearDuplicate(models.Model):
    """That two stories of different digests tell the same event; stored once each way, so a
    story's duplicates are one indexed lookup."""

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="near_duplicates")
    other = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="+")
    similarity = models.FloatField(help_text="Estimated Jaccard similarity of the two stories' words.")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["story", "other"], name="near_duplicate_once"),
            models.CheckConstraint(condition=~models.Q(story=models.F("other")), name="near_duplicate_not_itself"),
        ]
