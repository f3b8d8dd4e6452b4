"""The entity pages, the entity index, and their JSON twins: parse the request, read, render.

A bad parameter is the user's to fix (400 with the reason); an unknown entity is 404; an engine
that fails is 503 with an apology, never a server error.
"""
import logging

from django.http import Http404, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from digest.moved import moved_entity
from search.contract import ENGINE_UNAVAILABLE, EngineUnavailable

from .maps.world import draw_map
from .params import KINDS, EntityParamsError, parse_list_params
from .selectors import KIND_LABELS, entity_by_id, entity_detail, entity_index, entity_list, entity_profile
from .timeline import draw_timeline

logger = logging.getLogger(__name__)
NO_ENTITY = "No place, actor or source has this id."


def _json(body, status=200):
    return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})


def entity_index_page(request):
    try:
        params = parse_list_params(request.GET)
        listing = entity_list(params)
    except EntityParamsError as error:
        return render(request, "entities/entity_list.html", {"error": str(error), "tabs": _tabs(None)}, status=400)
    except EngineUnavailable:
        return render(request, "entities/entity_list.html", {"error": ENGINE_UNAVAILABLE, "tabs": _tabs(None)},
                      status=503)
    return render(request, "entities/entity_list.html", {
        "listing": listing,
        "params": params,
        "tabs": _tabs(params),
        "sorts": [(label, "?" + params.query_string(sort=sort), sort == params.sort)
                  for sort, label in (("stories", "Most stories"), ("name", "Name"))],
        "previous_url": "?" + params.query_string(page=params.page - 1) if params.page > 1 else "",
        "next_url": "?" + params.query_string(page=params.page + 1) if params.page < listing.pages else "",
    })


def _tabs(params):
    """(label, url, current) per kind, "All" first; the name filter and sort stay."""
    choices = [("", "All")] + [(kind, KIND_LABELS[kind] + "s") for kind in KINDS]
    if params is None:
        return [(label, f"?kind={kind}" if kind else "?", False) for kind, label in choices]
    return [(label, "?" + params.query_string(kind=kind), kind == params.kind) for kind, label in choices]


def entity_index_api(request):
    """Served at /api/entities/ by the API (api/entities.py), which describes it."""
    try:
        return _json(entity_index(parse_list_params(request.GET)))
    except EntityParamsError as error:
        return _json({"error": str(error)}, 400)
    except EngineUnavailable:
        return _json({"error": ENGINE_UNAVAILABLE}, 503)


def entity_page(request, pk, slug=None):
    entity = entity_by_id(pk)
    if entity is None:
        moved = moved_entity(pk)  # merged into another by a curator
        if moved is None:
            raise Http404(NO_ENTITY)
        return redirect(moved, permanent=True)
    if slug != entity.slug:
        return redirect(entity, permanent=True)
    try:
        profile = entity_profile(entity)
    except EngineUnavailable:
        return render(request, "entities/entity_detail.html", {"entity": entity, "error": ENGINE_UNAVAILABLE},
                      status=503)
    return render(request, "entities/entity_detail.html", {
        "entity": entity,
        "profile": profile,
        "timeline": draw_timeline([(m.value, m.count) for m in profile.timeline]),
        "map": draw_map(profile.places) if entity.kind == entity.PLACE else None,
    })


def entity_api(request, pk):
    """Served at /api/entities/<id>/ by the API (api/entities.py), which describes it."""
    try:
        body = entity_detail(pk)
    except EngineUnavailable:
        return _json({"error": ENGINE_UNAVAILABLE}, 503)
    if body is None:
        moved = moved_entity(pk)  # merged into another: its JSON is at that one's address
        if moved is not None:
            return HttpResponsePermanentRedirect(reverse("api:entity", kwargs={"entity_id": moved.pk}))
        return _json({"error": NO_ENTITY}, 404)
    return _json(body)
