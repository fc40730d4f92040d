from django.db import models

from ..choices import ContributorAction, Entity, Strategy
from ..survivorship import Rule


class OwnershipRule(models.Model):
    """Who may say what about one attribute of one entity, and how competing values are settled."""

    entity = models.CharField(max_length=20, choices=Entity.choices)
    attribute = models.CharField(max_length=60)
    authoritative = models.JSONField(
        default=list, blank=True, help_text='Systems in rank order, by code ("sap") or kind ("kind:erp").'
    )
    contributors = models.JSONField(
        default=list, blank=True, help_text='Systems that may propose a value; "*" for any system.'
    )
    contributor_action = models.CharField(
        max_length=20, choices=ContributorAction.choices, default=ContributorAction.ACCEPT
    )
    strategy = models.CharField(max_length=20, choices=Strategy.choices, default=Strategy.SOURCE_RANK)
    fallback_to_any = models.BooleanField(
        default=True, help_text="Use any system's value when no authoritative system or contributor has one."
    )
    flag_conflicts = models.BooleanField(
        default=True, help_text="Show values from systems that may not write this attribute as conflicts."
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["entity", "attribute"]
        constraints = [models.UniqueConstraint(fields=["entity", "attribute"], name="uniq_ownership_rule")]

    def __str__(self) -> str:
        return f"{self.entity}.{self.attribute}"

    def as_rule(self) -> Rule:
        return Rule(
            attribute=self.attribute,
            authoritative=tuple(self.authoritative),
            contributors=tuple(self.contributors),
            contributor_action=self.contributor_action,
            strategy=self.strategy,
            fallback_to_any=self.fallback_to_any,
            flag_conflicts=self.flag_conflicts,
        )
