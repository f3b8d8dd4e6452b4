"""Admin pages for digests, stories and recommended reads, and the staff upload form."""
from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from digest import curation
from digest.ingest.corrections import CorrectionError
from digest.ingest.sources import InputFile, inputs_from_bytes
from digest.ingest.staging import (
    correct_staged_file, date_staged_file, discard_staged_file, live_uploads, reset_staged_file, stage_upload,
    store_staged_upload,
)
from digest.models import Digest, RecommendedRead, Story
from digest.resplit import correct_digest, digest_split

from .split_review import CorrectionForm, split_review, staged_file_reviews


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


class StagedDateForm(forms.Form):
    """The publication date an editor gives a staged file on its review."""

    date = forms.DateField()


class StoreUploadForm(forms.Form):
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
    readonly_fields = ["split_flags", "sha256", "file_name", "source_format", "ingested_at", "source_text"]
    fields = ["date", "title", "intro", "newsletter", "split_flags", "file_name", "source_format", "sha256",
              "ingested_at", "source_text"]
    inlines = [StoryInline, RecommendedReadInline]
    change_list_template = "admin/digest/digest/change_list.html"

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(story_count=Count("stories"))

    def save_model(self, request, digest, form, change):
        super().save_model(request, digest, form, change)
        curation.digest_edited(digest)

    @admin.display(description="split")
    def split_flags(self, digest):
        if digest.pk is None:
            return "—"
        flags = split_review(digest_split(digest), digest.title).flags
        summary = f"{len(flags)} flag{'s' if len(flags) != 1 else ''}" if flags else "nothing looks doubtful"
        url = reverse("admin:digest_digest_split", args=[digest.pk])
        return format_html('{} · <a href="{}">review and correct the split</a>', summary, url)

    @admin.display(ordering="story_count", description="stories")
    def story_count(self, digest):
        return digest.story_count

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("upload/", view(self.upload_view), name="digest_digest_upload"),
            path("upload/<uuid:upload_id>/", view(self.upload_review_view), name="digest_digest_upload_review"),
            path("upload/<uuid:upload_id>/file/<int:file_id>/", view(self.upload_file_view),
                 name="digest_digest_upload_file"),
            path("upload/<uuid:upload_id>/store/", view(self.upload_store_view), name="digest_digest_upload_store"),
            path("<int:digest_id>/split/", view(self.split_view), name="digest_digest_split"),
            *super().get_urls(),
        ]

    def _context(self, request, title, **context):
        return {**self.admin_site.each_context(request), "opts": self.model._meta, "title": title, **context}

    def _check_upload_permission(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied

    def upload_view(self, request):
        """Upload files: each is read and split, nothing is stored; the review comes next."""
        self._check_upload_permission(request)
        form = UploadDigestsForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = stage_upload(
                _uploaded_inputs(form.cleaned_data["files"]),
                date=form.cleaned_data["date"],
                replace=form.cleaned_data["replace"],
                user=request.user,
            )
            return HttpResponseRedirect(reverse("admin:digest_digest_upload_review", args=[upload.pk]))
        context = self._context(
            request, "Upload digests", form=form, max_file_mb=settings.INGEST_MAX_FILE_BYTES // (1024 * 1024)
        )
        return TemplateResponse(request, "admin/digest/digest/upload.html", context)

    def _upload_gone(self, request):
        messages.warning(
            request, "That upload was stored, discarded or has expired (an upload waits a day for its review); "
            "what was stored is in the list of digests."
        )
        return HttpResponseRedirect(reverse("admin:digest_digest_upload"))

    def upload_review_view(self, request, upload_id):
        """How each file of an upload was split, its flags, the corrections, and the store button."""
        self._check_upload_permission(request)
        upload = _live_upload(upload_id)
        if upload is None:
            return self._upload_gone(request)
        files = staged_file_reviews(upload)
        context = self._context(
            request, "Review the split", upload=upload, files=files,
            storable=sum(1 for f in files if f.review is not None and f.duplicate_of is None),
            store_form=StoreUploadForm(initial={"replace": upload.replace}),
        )
        return TemplateResponse(request, "admin/digest/digest/upload_review.html", context)

    @method_decorator(require_POST)
    def upload_file_view(self, request, upload_id, file_id):
        """One correction to one staged file (its split or its date; or start it again, or leave it out);
        back to the review."""
        self._check_upload_permission(request)
        upload = _live_upload(upload_id)
        if upload is None:
            return self._upload_gone(request)
        staged = get_object_or_404(upload.files, pk=file_id)
        review_url = reverse("admin:digest_digest_upload_review", args=[upload.pk])
        action = request.POST.get("action")
        if action == "discard":
            discard_staged_file(staged)
            messages.success(request, f"{staged.name} was left out of the upload.")
            still_there = live_uploads().filter(pk=upload.pk).exists()
            return HttpResponseRedirect(review_url if still_there else reverse("admin:digest_digest_upload"))
        anchor = f"file-{staged.position}"
        try:
            if action == "reset":
                reset_staged_file(staged)
                messages.success(request, f"{staged.name} is back as the splitter split it.")
            elif action == "date":
                form = StagedDateForm(request.POST)
                if not form.is_valid():
                    raise CorrectionError("the date could not be read: give it as YYYY-MM-DD")
                staged = date_staged_file(staged, form.cleaned_data["date"])
                messages.success(request, f"{staged.name} will be stored as the digest of {staged.date:%Y-%m-%d}.")
            else:
                correction = _posted_correction(request)
                correct_staged_file(staged, **correction)
                messages.success(request, CORRECTED)
                anchor += f"-story-{correction['story'] + 1}"
        except CorrectionError as error:
            messages.error(request, f"{staged.name}: {error}")
        return HttpResponseRedirect(f"{review_url}#{anchor}")

    @method_decorator(require_POST)
    def upload_store_view(self, request, upload_id):
        """Store every file of the upload as reviewed; show what happened to each."""
        self._check_upload_permission(request)
        upload = _live_upload(upload_id)
        if upload is None:
            return self._upload_gone(request)
        if "discard" in request.POST:
            upload.delete()
            messages.success(request, "The upload was discarded; nothing was stored.")
            return HttpResponseRedirect(reverse("admin:digest_digest_upload"))
        form = StoreUploadForm(request.POST)
        form.is_valid()  # a single checkbox: always valid
        outcomes = store_staged_upload(upload, replace=form.cleaned_data["replace"])
        remaining = _live_upload(upload.pk)
        context = self._context(
            request, "Upload digests", form=UploadDigestsForm(), outcomes=outcomes, remaining=remaining,
            max_file_mb=settings.INGEST_MAX_FILE_BYTES // (1024 * 1024),
        )
        return TemplateResponse(request, "admin/digest/digest/upload.html", context)

    def split_view(self, request, digest_id):
        """A stored digest's split with its flags; the same corrections as before storing."""
        digest = get_object_or_404(Digest, pk=digest_id)
        if not self.has_change_permission(request, digest):
            raise PermissionDenied
        if request.method == "POST":
            anchor = ""
            try:
                correction = _posted_correction(request)
                correct_digest(digest, **correction)
                messages.success(request, CORRECTED)
                anchor = f"#digest-story-{correction['story'] + 1}"
            except CorrectionError as error:
                messages.error(request, str(error))
            return HttpResponseRedirect(request.path + anchor)
        context = self._context(
            request, f"Split of {digest}", digest=digest, review=split_review(digest_split(digest), digest.title)
        )
        return TemplateResponse(request, "admin/digest/digest/split.html", context)


CORRECTED = "Corrected. The flags below are those of the corrected split."


def _live_upload(upload_id):
    return live_uploads().select_related("uploaded_by").filter(pk=upload_id).first()


def _posted_correction(request):
    """The posted correction as keyword arguments of the correction services; CorrectionError when malformed."""
    form = CorrectionForm(request.POST)
    if not form.is_valid():
        raise CorrectionError(f"the correction could not be read ({form.problem()})")
    return form.cleaned_data


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
        curation.story_edited(story, text_changed=bool({"headline", "body"} & set(form.changed_data)))

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
