"""The per-authority procedure profile: local practice as a versioned, validated file.

statutory-rules.md marks local practice (L) as configuration, never a constant. A profile is a TOML file
under `profiles/`; it sets local timescales over the national rules table (`rules.py`), defines the
authority's own local rules, and holds the office hours, reminder offsets and escalation interval that
the deadline watch uses. A national rule that is not marked local cannot be overridden: the file is
refused.

A running process records the profile's `ref` (authority, version and a digest of the file's content),
and carries the profile snapshot in its input so it never reads a file.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from datetime import date, time
from enum import StrEnum
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from safeguarding.codes import ClockKind, DisagreementStage, Role
from safeguarding.descriptions.roles import DISAGREEMENT_DECIDERS
from safeguarding.rules import RULES, Rule, UnknownRule
from safeguarding.text import check_clear

_NUMBERED = re.compile(r"\^(?P<prefix>[A-Z0-9-]*)\[0-9\]\{(?P<digits>[1-9][0-9]?)\}\$")
"""A case reference pattern that can be numbered: `^PREFIX[0-9]{n}$`."""


class IcpcAnchor(StrEnum):
    """Which date the initial conference's 15 working days count from (statutory-rules.md §5)."""

    FIRST_STRATEGY_DISCUSSION = "first_strategy_discussion"
    LAST_STRATEGY_DISCUSSION = "last_strategy_discussion"
    S47_START = "s47_start"


class RuleSetting(BaseModel):
    """A profile's setting of one rule: an override of a local rule, or a wholly local rule."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    clock: ClockKind | None = None
    amount: int | None = Field(default=None, ge=1)
    title: str | None = None
    trigger: str | None = None
    source: str = Field(min_length=1, description="The local procedure this setting comes from.")
    reminders: tuple[int, ...] | None = None


class ReferencePatterns(BaseModel):
    """What the authority's own references look like: a reference a person chooses is checked against these.

    A reference becomes a workflow id, a search attribute and an e-mail subject, all in the clear; a pattern
    of letters and digits keeps a name (say, the adult an allegation is about) from ever becoming one. A
    child's case reference is not chosen but made when the case is opened (`next_case`), so its pattern is a
    fixed prefix and a number of digits: the next free number after the highest in use.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    allegation: str = Field(
        default=r"^[A-Z]{2,8}-[0-9]{1,10}$", description="A LADO allegation's reference, e.g. LADO-0002."
    )
    case: str = Field(
        default=r"^CASE-[0-9]{6}$",
        description="A child's case reference, made when the case is opened: ^PREFIX[0-9]{n}$, e.g. ^EX-[0-9]{4}$. "
        "Without one, cases are numbered CASE-000001, CASE-000002, ...",
    )

    @field_validator("allegation", "case")
    @classmethod
    def _anchored_regex(cls, pattern: str) -> str:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise ValueError(f"{pattern!r} is not a regular expression: {exc}") from None
        if not (pattern.startswith("^") and pattern.endswith("$")):
            raise ValueError(f"{pattern!r} must match the whole reference: start it with ^ and end it with $")
        return pattern

    @field_validator("case")
    @classmethod
    def _numbered(cls, pattern: str) -> str:
        if _NUMBERED.fullmatch(pattern) is None:
            raise ValueError(
                f"{pattern!r} cannot be numbered: a case reference pattern is a prefix of capital letters, digits "
                "and hyphens, then [0-9]{n}, e.g. ^EX-[0-9]{4}$"
            )
        return pattern

    def next_case(self, last: str | None) -> str:
        """Return the case reference after `last` (the highest of this pattern in use), or the first one.

        Raises ValueError when every number of the pattern is used: the profile needs more digits.
        """
        numbered = _NUMBERED.fullmatch(self.case)
        assert numbered is not None  # checked when the profile was loaded
        prefix, digits = numbered["prefix"], int(numbered["digits"])
        number = int(last.removeprefix(prefix)) + 1 if last else 1
        if number >= 10**digits:
            raise ValueError(f"every case reference of the form {self.case} is in use; the profile needs more digits")
        return f"{prefix}{number:0{digits}d}"

    def check(self, kind: str, reference: str) -> str:
        """Return `reference` if it has the form of a `kind` reference; raise ValueError saying the form if not."""
        pattern: str = getattr(self, kind)
        if re.fullmatch(pattern, reference) is None:
            raise ValueError(
                f"the {kind} reference does not have this authority's form ({pattern}); "
                "references are codes, never names"
            )
        return reference


class OfficeHours(BaseModel):
    """When the day team works; outside these hours the Emergency Duty Team covers (§1)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    opens: time = time(9, 0)
    closes: time = time(17, 0)
    reminder_time: time = time(9, 0)
    digest_time: time = time(8, 30)


class Reminders(BaseModel):
    """How long before a deadline the responsible practitioner is reminded."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    working_days_before: tuple[int, ...] = (5, 1)
    hours_before: tuple[int, ...] = (4,)


class Escalation(BaseModel):
    """When a missed deadline goes on from the team manager to the service manager."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    service_manager_after_working_days: int = Field(ge=1)


class TraySettings(BaseModel):
    """How the work tray colours a task against its deadline (local practice; working days as statutory-rules.md §1).

    Red: the deadline has passed. Amber: it falls due within `amber_within_working_days` working days,
    counted on the working-day calendar (today is day 0, so 2 means by the end of the second working day
    from today; 0 means today only). Green: later, or no deadline. The reference sets no such threshold.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    amber_within_working_days: int = Field(default=2, ge=0, le=20)


class CensusSettings(BaseModel):
    """What the Children in Need census return says about the authority that sends it (statutory-rules.md §9)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    la_code: str = Field(pattern=r"^[0-9]{3}$", description="The authority's three-digit DfE number (header LEA).")


class LadoSettings(BaseModel):
    """LADO facts the reference does not give (statutory-rules.md §6): set by the authority, with their source."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    normal_retirement_age: int = Field(
        ge=55,
        le=75,
        description="Records of an allegation are kept until the person reaches this age or for 10 years, "
        "whichever is longer (§6). The state pension age depends on the law and the person's date of birth.",
    )
    source: str = Field(min_length=1, description="Where the value comes from; say when it is an example.")


class DisagreementStageSetting(BaseModel):
    """One stage of the professional disagreement procedure: who may decide at it (statutory-rules.md §8).

    Its time limit is the rule `disagreement_stage_<id>`, set under `[rules]` like every other timescale.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: DisagreementStage
    deciders: tuple[Role, ...] = Field(min_length=1)

    @property
    def rule_id(self) -> str:
        """Return the id of the rule that holds this stage's time limit."""
        return f"disagreement_stage_{self.id}"


class DisagreementProcedure(BaseModel):
    """The partnership's dispute-resolution system (§8, local): its stages in order, lowest first."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    partnership: str = Field(pattern=r"^[A-Za-z0-9._:-]+$", description="The safeguarding partnership's id.")
    stages: tuple[DisagreementStageSetting, ...] = Field(min_length=1)
    immediate_risk_starts_at: DisagreementStage
    source: str = Field(min_length=1, description="Where the stages come from; say which choices are local.")

    @model_validator(mode="after")
    def _stages_rise(self) -> DisagreementProcedure:
        levels = [list(DisagreementStage).index(stage.id) for stage in self.stages]
        if levels != sorted(set(levels)):
            raise ValueError("disagreement stages must each appear once, lowest first (practitioners first)")
        if self.immediate_risk_starts_at not in [stage.id for stage in self.stages[1:]]:
            raise ValueError("immediate_risk_starts_at must be one of the higher stages (not the first)")
        entitled = set(DISAGREEMENT_DECIDERS)
        for stage in self.stages:
            if not set(stage.deciders) <= entitled:
                refused = ", ".join(sorted(set(stage.deciders) - entitled))
                raise ValueError(f"disagreement stage '{stage.id}': {refused} may not decide a disagreement")
        return self

    def stage(self, stage_id: DisagreementStage) -> DisagreementStageSetting:
        """Return the setting of `stage_id`, which must be one of the profile's stages."""
        return next(stage for stage in self.stages if stage.id is stage_id)

    def after(self, stage_id: DisagreementStage) -> DisagreementStageSetting | None:
        """Return the stage a disagreement escalates to from `stage_id`; None at the last."""
        ids = [stage.id for stage in self.stages]
        position = ids.index(stage_id) + 1
        return self.stages[position] if position < len(ids) else None


class ProcedureProfile(BaseModel):
    """An authority's procedure profile, as validated from its file."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    authority: str = Field(pattern=r"^[a-z0-9-]+$")
    name: str
    version: str
    digest: str = ""
    effective_from: date
    office: OfficeHours = OfficeHours()
    reminders: Reminders = Reminders()
    escalation: Escalation
    tray: TraySettings = TraySettings()
    icpc_anchor: IcpcAnchor = IcpcAnchor.FIRST_STRATEGY_DISCUSSION
    strategy_discussion_telephone_first: bool = Field(
        default=False,
        description="A telephone discussion first, then a meeting within the time limit (Lewisham, §4): "
        "only the meeting meets rule strategy_discussion.",
    )
    local_closures: dict[date, str] = Field(default_factory=dict)
    references: ReferencePatterns = ReferencePatterns()
    rules: dict[str, RuleSetting] = Field(default_factory=dict)
    lado: LadoSettings | None = None
    census: CensusSettings | None = None
    disagreement: DisagreementProcedure | None = None

    @model_validator(mode="after")
    def _rules_are_local_and_complete(self) -> ProcedureProfile:
        for rule_id, setting in self.rules.items():
            national = RULES.get(rule_id)
            if national is None:
                missing = [f for f in ("clock", "amount", "title", "trigger") if getattr(setting, f) is None]
                if missing:
                    raise ValueError(f"local rule {rule_id!r} must define {', '.join(missing)}")
            elif not national.local:
                raise ValueError(f"rule {rule_id!r} is national ({national.citation}) and cannot be overridden")
        for stage in self.disagreement.stages if self.disagreement else ():
            if self.rule(stage.rule_id).amount is None:
                raise ValueError(f"disagreement stage '{stage.id}' needs its time limit: set [rules.{stage.rule_id}]")
        return self

    @property
    def ref(self) -> str:
        """Return the identity a running process records: authority, version and content digest."""
        return f"{self.authority}@{self.version}#{self.digest}"

    @property
    def partnership_id(self) -> str | None:
        """Return the safeguarding partnership disagreements escalate to, if this profile has that procedure (§8)."""
        return self.disagreement.partnership if self.disagreement else None

    def rule_ids(self) -> list[str]:
        """Return every rule id this profile can answer: national ones and its own local ones."""
        return sorted(set(RULES) | set(self.rules))

    def rule(self, rule_id: str) -> Rule:
        """Return the effective rule: the national definition with this profile's setting laid over it."""
        setting = self.rules.get(rule_id)
        national = RULES.get(rule_id)
        if national is None and setting is None:
            raise UnknownRule(rule_id)
        if setting is None:
            assert national is not None
            return national
        if national is None:
            return Rule(
                rule_id,
                setting.title or rule_id,
                setting.clock or ClockKind.WORKING_DAYS,
                setting.amount,
                setting.trigger or "",
                f"local: {setting.source}",
                local=True,
            )
        return Rule(
            rule_id,
            setting.title or national.title,
            setting.clock or national.clock,
            setting.amount if setting.amount is not None else national.amount,
            setting.trigger or national.trigger,
            f"{national.citation}; local: {setting.source}",
            local=True,
            direction=national.direction,
        )

    def reminder_offsets(self, rule: Rule) -> tuple[int, ...]:
        """Return the reminder offsets of `rule`, in its own clock's unit (hours or working days)."""
        setting = self.rules.get(rule.id)
        if setting is not None and setting.reminders is not None:
            return setting.reminders
        return self.reminders.hours_before if rule.clock is ClockKind.HOURS else self.reminders.working_days_before


class ProfileError(ValueError):
    """A profile file that cannot be read or does not validate; the message names the file."""


def load_profile(path: Path) -> ProcedureProfile:
    """Read and validate a profile file, stamping it with a digest of its content."""
    try:
        raw = path.read_bytes()
        data = tomllib.loads(raw.decode())
        # Its titles and sources reach letters and the case store, which cannot hold control characters.
        check_clear(data)
        return ProcedureProfile.model_validate({**data, "digest": hashlib.sha256(raw).hexdigest()[:12]})
    except FileNotFoundError:
        raise ProfileError(f"procedure profile {path} does not exist") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ProfileError(f"procedure profile {path} is not valid TOML: {exc}") from None
    except ValidationError as exc:
        raise ProfileError(f"procedure profile {path} is invalid:\n{exc}") from None
    except ValueError as exc:
        raise ProfileError(f"procedure profile {path} has text that cannot be recorded: {exc}") from None
