from django.apps import AppConfig


class ProvisioningConfig(AppConfig):
    name = "pathcraft.provisioning"
    label = "provisioning"
    verbose_name = "Provisioning (SCIM) and leavers"
    # The handover page: for a leaver's manager, and administrators.
    nav_items = [("leavers", "Leavers", "provisioning:leavers", ("manager", "admin"))]
