from django.apps import AppConfig


class ProvisioningConfig(AppConfig):
    name = "pathcraft.provisioning"
    label = "provisioning"
    verbose_name = "Provisioning (SCIM) and leavers"
    nav_items = [("leavers", "Leavers", "provisioning:leavers")]
