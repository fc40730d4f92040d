from django.db import migrations

from canonical.default_rules import DEFAULT_RULES, FLAGGED


def create_rules(apps, schema_editor):
    OwnershipRule = apps.get_model("canonical", "OwnershipRule")
    for (entity, attribute), (authoritative, contributors, action, strategy, fallback) in DEFAULT_RULES.items():
        OwnershipRule.objects.get_or_create(
            entity=entity,
            attribute=attribute,
            defaults={
                "authoritative": authoritative,
                "contributors": contributors,
                "contributor_action": action,
                "strategy": strategy,
                "fallback_to_any": fallback,
                "flag_conflicts": (entity, attribute) in FLAGGED,
            },
        )


def remove_rules(apps, schema_editor):
    OwnershipRule = apps.get_model("canonical", "OwnershipRule")
    for entity, attribute in DEFAULT_RULES:
        OwnershipRule.objects.filter(entity=entity, attribute=attribute).delete()


class Migration(migrations.Migration):
    dependencies = [("canonical", "0001_initial")]
    operations = [migrations.RunPython(create_rules, remove_rules)]
