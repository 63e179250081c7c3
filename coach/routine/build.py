"""Build the routine model from a YAML node tree, checking how the values fit together.

Each part (settings, sections, exercises and their notch variants) is converted by
`NodeReader`; the checks here are about combinations: reps or work, holds and pulses
that need reps, alternate sides, tempo fast enough to count, a session not too long.
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Any

from yaml.nodes import MappingNode, Node

from coach.routine import spec
from coach.routine.durations import exact_duration, format_duration
from coach.routine.model import Exercise, Location, Reminders, Routine, Section, Settings
from coach.routine.nodes import Bad, NodeReader, Value, describe, short_text
from coach.routine.spec import Key


class RoutineBuilder(NodeReader):
    """Walks the node tree, builds the model, and records every problem on the way."""

    def routine(self, root: Node, name: str) -> Routine:
        self.check_tags(root)
        self.raise_problems()
        if not isinstance(root, MappingNode):
            self.fail(
                root,
                f"the top level must be a mapping of keys (title:, exercises:, ...), "
                f"got {describe(root)}",
            )
            self.raise_problems()
        fields = self.mapping(root, "routine")
        values = self.values("routine", fields)
        settings = self.settings(fields.get("settings"))
        body = [fields[k] for k in spec.BODY_KEYS if k in fields]
        sections: list[Section] = []
        if len(body) == 2:
            self.fail(
                body[1][0],
                "give either exercises or sections, not both; move the exercises into a section",
            )
        elif not body:
            self.fail(
                root,
                "missing exercises: add an 'exercises:' list (or 'sections:' with "
                "exercises in each)",
            )
        elif "exercises" in fields:
            node = fields["exercises"][1]
            exercises = self.exercises(node, settings)
            sections = [Section(title=None, exercises=exercises, location=self.loc(node))]
        else:
            sections = self.sections(fields["sections"][1], settings)
        reminders = self.reminders(fields.get("reminders"))
        phrases, phrase_locations = self.phrases(fields.get("phrases"))
        self.raise_problems()

        def get(key: str, default: Any) -> Any:
            return values[key].value if key in values else default

        routine = Routine(
            title=get("title", ""),
            sections=tuple(sections),
            name=name,
            source=self.source,
            description=get("description", ""),
            level=get("level", 1),
            settings=settings,
            reminders=reminders,
            intro=get("intro", ()),
            outro=get("outro", ()),
            continuous=get("continuous", False),
            phrases=phrases,
            phrase_locations=phrase_locations,
            location=self.loc(root),
        )
        self.check_length(root, routine)
        if routine.sections and not routine.at_level(1).sections:
            self.fail(
                root,
                "every exercise has from_level: 2, so level 1 has nothing to do; "
                "keep at least one exercise without from_level",
            )
        self.raise_problems()
        level = values.get("level")
        if level is not None and routine.level >= 2 and not routine.has_notch:
            self.note(
                level.node,
                f"level {routine.level} changes nothing: no exercise in this routine has a "
                "notch (a harder variant) and none has from_level: 2; add one of them to an "
                "exercise, or remove level",
            )
        self.notes.sort(key=lambda p: (p.line, p.column))
        return replace(routine, notes=tuple(self.notes))

    def check_length(self, root: Node, routine: Routine) -> None:
        from coach.routine.plan import declared_seconds

        for level in (1, 2):
            seconds = declared_seconds(routine, level)
            if seconds > spec.MAX_SESSION:
                self.fail(
                    root,
                    f"the session would last about {format_duration(seconds)} at "
                    f"level {level}; the limit is {format_duration(spec.MAX_SESSION)}: "
                    "use fewer sets, reps or rounds",
                )
                return

    # -- nested parts ------------------------------------------------------------

    def settings(self, field: tuple[Node, Node] | None) -> Settings:
        if field is None:
            return Settings()
        try:
            values = self.values("settings", self.mapping(field[1], "settings"))
        except Bad:
            return Settings()
        given = {k: v.value for k, v in values.items() if v.value is not Bad}
        if "tempo" in given:
            self.tempo_node = values["tempo"].node
        return Settings(**given)

    def reminders(self, field: tuple[Node, Node] | None) -> Reminders | None:
        if field is None:
            return None
        try:
            values = self.values("reminders", self.mapping(field[1], "reminders"))
        except Bad:
            return None
        every, phrases = values.get("every"), values.get("phrases")
        if every is None or phrases is None or Bad in (every.value, phrases.value):
            return None
        if not phrases.value:
            self.fail(phrases.node, "reminders need at least one phrase")
            return None
        return Reminders(every=every.value, phrases=phrases.value)

    def phrases(
        self, field: tuple[Node, Node] | None
    ) -> tuple[dict[str, tuple[str, ...]], dict[str, Location]]:
        texts: dict[str, tuple[str, ...]] = {}
        where: dict[str, Location] = {}
        if field is None:
            return texts, where
        node = field[1]
        if not isinstance(node, MappingNode):
            self.fail(
                node, f"phrases must be a mapping of phrase names to texts, got {describe(node)}"
            )
            return texts, where
        for key_node, value_node in node.value:
            name = self.key_name(key_node)
            if name is None:
                continue
            if name in texts:
                self.fail(key_node, f"duplicate phrase '{short_text(name)}'; keep only one")
                continue
            try:
                value = self.texts(Key(name, "texts", ""), value_node)
            except Bad:
                continue
            if not value:
                self.fail(value_node, f"phrase '{name}' is empty; give at least one text")
                continue
            texts[name] = value
            where[name] = self.loc(key_node)
        return texts, where

    def sections(self, node: Node, settings: Settings) -> list[Section]:
        items = self.sequence(node, "sections", "sections")
        out: list[Section] = []
        for item in items:
            try:
                fields = self.mapping(item, "section")
            except Bad:
                continue
            values = self.values("section", fields)
            exercises: tuple[Exercise, ...] = ()
            if "exercises" in fields:
                exercises = self.exercises(fields["exercises"][1], settings)
            if "title" not in values or any(v.value is Bad for v in values.values()):
                continue
            out.append(
                Section(
                    title=values["title"].value,
                    exercises=exercises,
                    location=self.loc(item),
                    rounds=values["rounds"].value if "rounds" in values else 1,
                    rest_between_rounds=(
                        values["rest_between_rounds"].value
                        if "rest_between_rounds" in values
                        else 0.0
                    ),
                    continuous=values["continuous"].value if "continuous" in values else False,
                )
            )
        return out

    def exercises(self, node: Node, settings: Settings) -> tuple[Exercise, ...]:
        out: list[Exercise] = []
        for item in self.sequence(node, "exercises", "exercises"):
            exercise = self.exercise(item, settings)
            if exercise is not None:
                out.append(exercise)
        return tuple(out)

    def exercise(self, node: Node, settings: Settings) -> Exercise | None:
        try:
            fields = self.mapping(node, "exercise")
        except Bad:
            return None
        values = self.values("exercise", fields)
        notch_values: dict[str, Value] | None = None
        notch_node: Node | None = None
        if "notch" in fields:
            notch_node = fields["notch"][1]
            try:
                notch_values = self.values("notch", self.mapping(notch_node, "notch"))
            except Bad:
                notch_values = None
        base = self.build_exercise(node, values, settings)
        if base is None or notch_values is None or notch_node is None:
            return base
        if any(v.value is Bad for v in notch_values.values()):
            return base
        notch = self.build_exercise(notch_node, _merge(values, notch_values), settings)
        if notch is None:
            return base
        return replace(base, notch=notch)

    def build_exercise(
        self, node: Node, values: dict[str, Value], settings: Settings
    ) -> Exercise | None:
        if "name" not in values or any(v.value is Bad for v in values.values()):
            return None
        reps, work = values.get("reps"), values.get("work")
        failure = values.get("to_failure")
        to_failure = bool(failure and failure.value)
        ok = True
        if to_failure and failure is not None:
            if reps is not None:
                self.fail(
                    reps.key,
                    "a set to failure has no rep count; remove reps and give work as the time cap",
                )
                ok = False
            if work is None:
                self.fail(failure.key, "to_failure needs a time cap: add work, e.g. work: 60s")
                ok = False
        elif reps is not None and work is not None:
            later = max(reps, work, key=lambda v: (v.key.start_mark.line, v.key.start_mark.column))
            self.fail(later.key, "give either reps (counted) or work (timed), not both")
            ok = False
        elif reps is None and work is None:
            self.fail(
                node,
                f"exercise '{values['name'].value}' needs reps or work: e.g. "
                "reps: 10 for counted reps, or work: 45s for a timed set",
            )
            ok = False
        hold = values.get("hold")
        if hold is not None and hold.value > 0 and reps is None and not to_failure:
            self.fail(hold.key, "hold is a pause in each rep; it needs reps, not work")
            ok = False
        sides: tuple[str, ...] = values["sides"].value if "sides" in values else ()
        alternate = values.get("alternate")
        if alternate is not None and alternate.value:
            if "sides" not in values:
                sides = ("right", "left")
            elif len(sides) != 2:
                self.fail(
                    values["sides"].node, f"alternate needs exactly two sides, got {len(sides)}"
                )
                ok = False
        pulses = values.get("pulses")
        if pulses is not None and pulses.value > 0 and (reps is None or to_failure):
            self.fail(pulses.key, "pulses are part of each rep; they need reps, not work")
            ok = False
        if not ok:
            return None
        given = {k: v.value for k, v in values.items() if k != "notch"}
        given.update(
            sides=sides,
            tempo=given.get("tempo", settings.tempo),
            rest=given.get("rest", settings.rest),
            get_ready=given.get("get_ready", settings.get_ready),
            switch=given.get("switch", settings.switch),
            counting=given.get("counting", settings.counting),
            location=self.loc(node),
        )
        exercise = Exercise(**given)
        return exercise if self.check_counts(exercise, values) else None

    def check_counts(self, exercise: Exercise, values: dict[str, Value]) -> bool:
        """Whether every rep count has time to be said; a hold too short for it is noted."""
        if exercise.reps is None or exercise.to_failure:
            return True
        from coach.compiler.compile import count_seconds

        need, word = count_seconds(exercise.reps)
        smallest = f"{math.ceil(need * 10) / 10:g}s"
        saying = f"saying '{word}' takes about {need:.1f} s"
        hold = values.get("hold")
        if hold is not None and 0 < exercise.hold < need:
            self.note(
                hold.node,
                f"hold {exact_duration(exercise.hold)} is too short to say the count before "
                f"'down' ({saying}), so counts will be dropped; use hold: {smallest} or more, "
                "or no hold",
            )
        if exercise.tempo >= need:
            return True
        given = values.get("tempo")
        where = given.node if given else self.tempo_node or values["reps"].node
        self.fail(
            where,
            f"tempo {exact_duration(exercise.tempo)} is too fast to count {exercise.reps} reps "
            f"({saying}); use tempo: {smallest} or more",
        )
        return False


def _merge(base: dict[str, Value], notch: dict[str, Value]) -> dict[str, Value]:
    """The notch variant's values: the base exercise with the notch keys laid over it."""
    merged = {k: v for k, v in base.items() if k != "notch"}
    if "reps" in notch:
        merged.pop("work", None)
        merged.pop("to_failure", None)
    if "work" in notch:
        merged.pop("reps", None)
    if "to_failure" in notch and notch["to_failure"].value:
        merged.pop("reps", None)
    merged.update(notch)
    return merged
