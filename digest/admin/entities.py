"""Admin pages for the entity registry and its curation.

Every change that alters what extraction finds goes through the services in digest.curation,
so mentions and the search index follow."""
from django.contrib import admin, messages
from django.db import transaction
from django.db.models import Count

from digest import curation
from digest.models import Alias, Entity, Mention, StopForm


class AliasInline(admin.TabularInline):
    model = Alias
    extra = 1
    fields = ["name"]


@admin.register(Entity)
class EntityAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "actor_type", "country", "mention_count", "discovered"]
    list_filter = ["kind", "actor_type", "discovered", "country"]
    search_fields = ["name", "aliases__name", "slug"]
    readonly_fields = ["slug", "geonameid", "created_at", "updated_at"]
    fields = ["kind", "actor_type", "name", "slug", "country", "latitude", "longitude", "geonameid", "discovered",
              "created_at", "updated_at"]
    inlines = [AliasInline]
    actions = ["merge_selected", "mark_never_entity"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(mention_total=Count("mentions", distinct=True))

    @admin.display(description="stories", ordering="mention_total")
    def mention_count(self, entity):
        return entity.mention_total

    def save_model(self, request, entity, form, change):
        if change and "name" in form.changed_data:
            new_name = entity.name
            entity.name = form.initial["name"]
            super().save_model(request, entity, form, change)
            curation.rename_entity(entity, new_name)
        else:
            entity.slug = entity.slug or curation.free_slug(entity)
            super().save_model(request, entity, form, change)

    def save_formset(self, request, form, formset, change):
        """Alias changes go through curation, so the stories that use the names are extracted again."""
        aliases = formset.save(commit=False)
        for removed in formset.deleted_objects:
            curation.remove_alias(removed)
        for alias in aliases:
            if alias.pk:  # an alias renamed in place: forget the old name, learn the new one
                curation.remove_alias(Alias.objects.get(pk=alias.pk))
            curation.add_alias(alias.entity, alias.name)

    @admin.action(description="Merge selected into the one with the most stories")
    def merge_selected(self, request, queryset):
        entities = list(queryset.order_by("-mention_total", "created_at"))
        if len(entities) < 2 or len({e.kind for e in entities}) > 1:
            self.message_user(request, "Select two or more entities of one kind to merge.", messages.ERROR)
            return
        target = curation.merge_entities(entities[0], entities[1:])
        self.message_user(request, f"Merged {len(entities) - 1} into “{target.name}”.")

    @admin.action(description="Mark names as never an entity (and delete these entities)")
    def mark_never_entity(self, request, queryset):
        for entity in queryset:
            with transaction.atomic():  # the forms and the deletion go together or not at all
                for form in [entity.name, *entity.aliases.values_list("name", flat=True)]:
                    curation.mark_never_entity(form, note=f"was {entity.kind} “{entity.name}”")
                entity.delete()
        self.message_user(request, "Marked as never an entity.")


@admin.register(Mention)
class MentionAdmin(admin.ModelAdmin):
    list_display = ["entity", "story", "count", "surface_forms"]
    list_filter = ["entity__kind"]
    search_fields = ["entity__name", "story__headline"]
    raw_id_fields = ["story", "entity"]
    list_select_related = ["entity", "story"]


@admin.register(StopForm)
class StopFormAdmin(admin.ModelAdmin):
    list_display = ["form", "note", "created_at"]
    search_fields = ["form", "note"]

    def save_model(self, request, stop_form, form, change):
        if change:
            super().save_model(request, stop_form, form, change)
        else:
            stop_form.pk = curation.mark_never_entity(stop_form.form, note=stop_form.note).pk
