"""Invites record who stands behind an address and whether an outside address was approved (issue 18)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def fill_identity(apps, schema_editor):
    # Existing invites: directory people by id, other addresses by the mailbox they reach.
    from pathcraft.feedback.addresses import mailbox

    Invite = apps.get_model("feedback", "Invite")
    for invite in Invite.objects.all().only("pk", "person_id", "email"):
        invite.identity = f"person:{invite.person_id}" if invite.person_id else f"mailbox:{mailbox(invite.email)}"
        invite.save(update_fields=["identity"])


class Migration(migrations.Migration):
    dependencies = [
        ("feedback", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="invite",
            name="identity",
            field=models.CharField(default="", max_length=340),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="invite",
            name="approval",
            field=models.CharField(
                choices=[
                    ("directory", "in the directory"),
                    ("pending", "waiting for approval"),
                    ("approved", "approved"),
                    ("refused", "refused"),
                ],
                default="directory",
                max_length=10,
            ),
        ),
        migrations.AddField(
            model_name="invite",
            name="decided_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="invite",
            name="decided_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AlterField(
            model_name="invite",
            name="token_hash",
            field=models.CharField(blank=True, max_length=64, null=True, unique=True),
        ),
        migrations.RunPython(fill_identity, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="invite",
            constraint=models.UniqueConstraint(fields=("request", "identity"), name="feedback_invite_identity_once"),
        ),
    ]
