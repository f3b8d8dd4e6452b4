"""Browsing pages: the list of digests, one digest, one story."""
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render

from .models import Digest, Story


def digest_list(request):
    digests = Digest.objects.only("id", "date", "title", "newsletter")
    page = Paginator(digests, 50).get_page(request.GET.get("page"))
    return render(request, "digest/digest_list.html", {"page": page})


def digest_detail(request, pk):
    digest = get_object_or_404(Digest, pk=pk)
    return render(
        request,
        "digest/digest_detail.html",
        {
            "digest": digest,
            "stories": digest.stories.all(),
            "reads": digest.recommended_reads.all(),
        },
    )


def story_detail(request, pk, slug=None):
    story = get_object_or_404(Story.objects.select_related("digest"), pk=pk)
    if slug != story.slug:
        return redirect(story, permanent=True)
    return render(request, "digest/story_detail.html", {"story": story, "digest": story.digest})
