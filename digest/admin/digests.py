"""Admin pages for digests, stories and recommended reads, and the staff upload form."""
from django import forms
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.html import format_html

from digest.curation import reextract_stories
from digest.ingest.service import ingest_inputs
from digest.ingest.sources import InputFile, inputs_from_bytes
from digest.models import Digest, RecommendedRead, Story
from search.indexing import batched_indexing, follow_after_commit


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = [one for one in (data if isinstance(data, (list, tuple)) else [data]) if one]
        if not files:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        single_clean = super().clean
        return [single_clean(one, initial) for one in files]


class UploadDigestsForm(forms.Form):
    files = MultipleFileField(
        allow_empty_file=True,  # the ingestion service reports an empty file like any other bad one
        help_text="One or many digest files (.txt, .md, .html, .eml), a .zip of them, or an .mbox mail folder."
    )
    date = forms.DateField(
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Publication date for files that state none (the file's own date wins).",
    )
    replace = forms.BooleanField(
        required=False, help_text="Replace a stored digest of the same day with the uploaded file."
    )


class StoryInline(admin.TabularInline):
    model = Story
    fields = ["position", "headline", "slug"]
    readonly_fields = ["position", "headline", "slug"]
    show_change_link = True
    extra = 0
    can_delete = False


class RecommendedReadInline(admin.TabularInline):
    model = RecommendedRead
    fields = ["position", "outlet", "title", "url"]
    extra = 0


@admin.register(Digest)
class DigestAdmin(admin.ModelAdmin):
    list_display = ["date", "title", "newsletter", "story_count", "file_name", "source_format", "ingested_at"]
    list_filter = ["newsletter", "source_format", ("date", admin.DateFieldListFilter)]
    search_fields = ["title", "file_name", "sha256", "stories__headline"]
    date_hierarchy = "date"
    readonly_fields = ["sha256", "file_name", "source_format", "ingested_at", "source_text"]
    fields = ["date", "title", "intro", "newsletter", "file_name", "source_format", "sha256", "ingested_at", "source_text"]
    inlines = [StoryInline, RecommendedReadInline]
    change_list_template = "admin/digest/digest/change_list.html"

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(story_count=Count("stories"))

    def save_model(self, request, digest, form, change):
        super().save_model(request, digest, form, change)
        # The date is in every story's index entry (date filter, month facet).
        follow_after_commit(digest.stories.values_list("pk", flat=True))

    @admin.display(ordering="story_count", description="stories")
    def story_count(self, digest):
        return digest.story_count

    def get_urls(self):
        upload = path("upload/", self.admin_site.admin_view(self.upload_view), name="digest_digest_upload")
        return [upload, *super().get_urls()]

    def upload_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        outcomes = None
        form = UploadDigestsForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            with batched_indexing():
                outcomes = list(
                    ingest_inputs(
                        _uploaded_inputs(form.cleaned_data["files"]),
                        date=form.cleaned_data["date"],
                        replace=form.cleaned_data["replace"],
                    )
                )
            form = UploadDigestsForm()
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Upload digests",
            "form": form,
            "outcomes": outcomes,
            "max_file_mb": settings.INGEST_MAX_FILE_BYTES // (1024 * 1024),
        }
        return TemplateResponse(request, "admin/digest/digest/upload.html", context)


def _uploaded_inputs(files):
    for upload in files:
        if upload.size > settings.INGEST_MAX_ARCHIVE_BYTES:
            limit = settings.INGEST_MAX_ARCHIVE_BYTES // (1024 * 1024)
            yield InputFile(upload.name, None, f"the upload is larger than the {limit} MB limit")
            continue
        yield from inputs_from_bytes(
            upload.name,
            upload.read(),
            max_file_bytes=settings.INGEST_MAX_FILE_BYTES,
            max_archive_bytes=settings.INGEST_MAX_ARCHIVE_BYTES,
            max_members=settings.INGEST_MAX_ARCHIVE_MEMBERS,
        )


@admin.register(Story)
class StoryAdmin(admin.ModelAdmin):
    list_display = ["headline", "digest_date", "position", "view_on_site_link"]
    list_filter = [("digest__date", admin.DateFieldListFilter)]
    search_fields = ["headline", "body"]
    list_select_related = ["digest"]
    raw_id_fields = ["digest"]

    def save_model(self, request, story, form, change):
        super().save_model(request, story, form, change)
        if {"headline", "body"} & set(form.changed_data):
            reextract_stories([story])  # its places, actors and sources follow the new text
        follow_after_commit([story.pk])

    @admin.display(ordering="digest__date", description="date")
    def digest_date(self, story):
        return story.digest.date

    @admin.display(description="")
    def view_on_site_link(self, story):
        return format_html('<a href="{}">view</a>', story.get_absolute_url())


@admin.register(RecommendedRead)
class RecommendedReadAdmin(admin.ModelAdmin):
    list_display = ["outlet", "title", "url", "digest"]
    list_filter = ["outlet"]
    search_fields = ["outlet", "title", "url"]
    list_select_related = ["digest"]
    raw_id_fields = ["digest"]
