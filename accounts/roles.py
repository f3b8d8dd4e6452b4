"""The archive's roles: groups of Django permissions, made by a data migration.

Analysts read: the pages, the API (and, once they exist, exports and their own saved
searches: add their permission codenames here and a migration that calls sync_roles).
Editors also upload and curate in the admin, and revoke API tokens. Superusers hold every
permission anyway. Being in Editors is what makes an account staff, so putting a person in
the group is the one step that opens the admin to them.
"""
from django.contrib.auth import get_user_model
from django.db.models.signals import m2m_changed
from django.dispatch import receiver

ANALYSTS = "Analysts"
EDITORS = "Editors"
# What every page and the API ask of a logged-in user (accounts.access).
READ_PERMISSION = "digest.view_story"

_READ = ["digest.view_digest", "digest.view_story", "digest.view_recommendedread", "digest.view_entity"]
_CURATE = [
    f"digest.{action}_{model}"
    for model in ("digest", "story", "recommendedread", "entity", "alias", "stopform")
    for action in ("add", "change", "delete", "view")
]
ROLES = {
    ANALYSTS: _READ,
    EDITORS: sorted(set(_READ + _CURATE + ["accounts.view_apitoken", "accounts.delete_apitoken"])),
}


def sync_roles(apps):
    """Make each group hold exactly its role's permissions (with `apps` a migration's historical registry)."""
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations ran; a fresh database needs them now.
    for app_config in apps.get_app_configs():
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = True  # a migration's app stubs have none, and create_permissions skips those
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = models_module
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLES.items():
        wanted = []
        for dotted in codenames:
            app_label, codename = dotted.split(".")
            wanted.append(Permission.objects.get(content_type__app_label=app_label, codename=codename))
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(wanted)


@receiver(m2m_changed, sender=get_user_model().groups.through)
def editors_are_staff(sender, instance, action, reverse, pk_set, **kwargs):
    """Joining Editors makes an account staff (the admin lets in staff only); leaving it undoes that."""
    from django.contrib.auth.models import Group

    User = get_user_model()
    editors = Group.objects.filter(name=EDITORS).values_list("pk", flat=True).first()
    if editors is None or action not in ("post_add", "pre_remove", "pre_clear"):
        return
    if reverse:  # group.user_set.add(...): instance is the group, pk_set the users
        if instance.pk != editors:
            return
        users = User.objects.filter(groups=editors) if action == "pre_clear" else User.objects.filter(pk__in=pk_set)
    else:  # user.groups.add(...): instance is the user, pk_set the groups
        if action != "pre_clear" and editors not in pk_set:
            return
        if action == "pre_clear" and not instance.groups.filter(pk=editors).exists():
            return
        users = User.objects.filter(pk=instance.pk)
    joining = action == "post_add"
    users.filter(is_superuser=False).update(is_staff=joining)
    if not reverse:
        instance.is_staff = joining or instance.is_superuser
