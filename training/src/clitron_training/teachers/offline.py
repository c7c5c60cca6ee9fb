"""The offline teacher: a rule-based writer of requests, for any schema, with no network.

Wording comes from the schema alone (command, arg and flag names and descriptions) and the
general lexicon in `lexicon.py`. For each target it picks the command's values first, then says
each of them with a phrase chosen by the arg's meaning, builds an object phrase ("the first 10
closed issues labeled bug"), a verb phrase and a sentence frame (terse, imperative, polite,
question, first-person need, object first, literal CLI spelling), and adds fillers, casing and
the odd typo. Free text may close the request after a colon ("comment on pr 42: looks good"), or
be the verb's object ("comment LGTM on pr 42"). Every value in the output is stated in the text (verbatim, or as "my" for "@me",
"8080 to 80" for "8080:80", "NODE_ENV to production" for "NODE_ENV=production"); typos and case
changes never touch values. Values come from the schema's examples, the lexicon's pools, and
templates that compose fresh ones ("globex/ledger"), so the model learns to copy a value rather
than recall it. An option left out is sometimes said by its default ("the pr for this branch").
Per-command phrase tables are built once per schema.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from typing import Any

from clitron_training.command import canonical, make
from clitron_training.schema import Arg, Command, Flag, Schema
from clitron_training.teachers import lexicon as lx
from clitron_training.teachers.base import Batch, Reply, Target

V0, V1 = "\x02", "\x03"  # brackets around values in a sentence being built
OPEN_END = "\x04"  # marks a request that ends in free text: nothing may follow it
_VALUE = re.compile(f"({V0}[^{V1}]*{V1})")
_WORD = re.compile(r"(?<![-\w])[A-Za-z]{4,}")  # a word a typo may hit (not an --option)
_ARTICLE = re.compile(rf"(?<![-\w./:'])([Aa]n?) ({V0}?)([\w']+)")
_TRAILING_PREP = re.compile(r"(\s+(to|of|for|on|in|with|from|at|into))+$")
_IDENT_NAMES = {"number", "id", "name", "names", "tag", "identifier", "num", "object", "server"}
_SLOTS = ("poss", "qty", "pre", "obj", "post", "pred", "adv", "vpre", "tail")  # where a phrase goes: lexicon.CONCEPTS
_QUESTION_START = ("what", "which", "are there", "any ", "do we", "got any", "is there", "can i", "how", "can you tell")


def _q(value: Any) -> str:
    """A value as it is written in a sentence, bracketed so later edits leave it alone."""
    return f"{V0}{value}{V1}"


def _words(name: str) -> str:
    return re.sub(r"[-_.]+", " ", name).strip()


def _pick(rng: random.Random, items: list | tuple):
    return items[rng.randrange(len(items))]


def _join(parts: list[str]) -> str:
    return " ".join(p for p in parts if p)


def _say_list(values: list[str], rng: random.Random) -> str:
    if len(values) == 1:
        return values[0]
    if rng.random() < 0.7:
        return ", ".join(values[:-1]) + " and " + values[-1]
    return ", ".join(values)


def _concept_key(name: str) -> str | None:
    """The lexicon concept for an arg name: the whole name, a `-file`, else its last word when
    that decides (`--init-timeout`; but `--memory-swap` is no memory)."""
    if name in lx.ARG_CONCEPTS:
        return lx.ARG_CONCEPTS[name]
    if name.endswith("-file"):
        return "file"
    return lx.TOKEN_CONCEPTS.get(re.split(r"[-_.]+", name)[-1])


def _noun_key(name: str) -> str:
    return lx.NOUN_ALIASES.get(name, name)


def _plural(word: str) -> str:
    if word.endswith(("s", "x", "ch", "sh")):
        return word + "es"
    if word.endswith("y") and word[-2:-1] not in "aeiou":
        return word[:-1] + "ies"
    return word + "s"


def _nouns(key: str, service: str, cli: str) -> list[tuple[str, str]]:
    """(singular, plural) forms for a noun key; unknown keys are said as their words."""
    text = lx.NOUNS.get(key)
    if text is None:
        words = _words(key)
        return [(words, _plural(words))]
    return [tuple(f.replace("{service}", service).replace("{cli}", cli).split("/")) for f in lx.alts(text)]


def _is_fixed(noun: str) -> bool:
    return noun.startswith(("the ", "!", "everything")) or noun == ""


def _bare(noun: str) -> str:
    return noun.lstrip("!")


def _adjective(value: str) -> bool:
    return isinstance(value, str) and value.isalpha() and value.endswith(lx.ADJECTIVE_ENDINGS)


# --- values and phrases for one arg or flag -----------------------------------------------


@dataclass
class _Phraser:
    """How one arg or flag of a command is sampled and said."""

    opt: Arg | Flag
    tables: dict[str, list[str]]  # slot -> templates
    me: dict[str, list[str]] = field(default_factory=dict)
    by_value: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    pool: str = "word"  # the values to sample: a key of INT_POOLS, else of POOLS (and COMPOSED)
    specific: bool = False  # the pool comes from a known concept (not a guess)
    me_ok: bool = False
    split: str | None = None
    each: bool = False
    words: bool = False  # a repeatable value is the words of one phrase (a command line)

    @property
    def is_flag(self) -> bool:
        return isinstance(self.opt, Flag)

    # values

    def sample(self, rng: random.Random, avoid: set) -> Any:
        arg = self.opt
        if arg.repeatable and self.words:
            return str(self._one(rng, avoid)).split()
        if arg.repeatable:
            first = self._one(rng, avoid)
            if rng.random() < 0.2:
                second = self._one(rng, avoid | {first})
                if second != first:
                    return [first, second]
            return [first]
        return self._one(rng, avoid)

    def _one(self, rng: random.Random, avoid: set) -> Any:
        value = None
        for _ in range(8):
            value = self._draw(rng)
            if value != self.opt.default and value not in avoid:
                return value
        return value

    def _draw(self, rng: random.Random) -> Any:
        arg = self.opt
        if arg.type == "enum":
            return _pick(rng, arg.values)
        if arg.type == "boolean":
            return not bool(arg.default)
        if arg.type == "float":
            return _pick(rng, lx.FLOAT_POOL)
        if self.me_ok and rng.random() < 0.5:
            return "@me"
        if arg.examples and (not self.specific or rng.random() < 0.4):
            return _pick(rng, arg.examples)
        if self.pool in lx.INT_POOLS:
            low, high, rounds = lx.INT_POOLS[self.pool]
            number = _pick(rng, rounds) if rounds and rng.random() < 0.7 else rng.randint(low, high)
            if low >= 1 and high <= 5000 and not rounds and rng.random() < 0.6:
                number = rng.randint(1, 999)
            return number if arg.type == "integer" else str(number)
        if self.pool in _COMPOSED and rng.random() < 0.5:
            return _compose(_pick(rng, _COMPOSED[self.pool]), rng)
        return _pick(rng, _POOLS[self.pool])

    # phrases

    def table(self, value: Any) -> dict[str, list[str]]:
        if value in ("@me", ["@me"]) and self.me:
            return self.me
        if isinstance(value, str) and value in self.by_value:
            return self.by_value[value]
        return self.tables

    def has(self, value: Any, slot: str) -> bool:
        return bool(self.table(value).get(slot))

    def say(self, value: Any, rng: random.Random, slots: set[str]) -> tuple[str, str]:
        """(slot, text) for a value, in one of the allowed slots (falls back to post/adv)."""
        table = self.table(value)
        if "pred" in slots:
            if table.get("pred"):
                return "pred", self.fill(_pick(rng, table["pred"]), value, rng)
            slots = {"adv"}
        usable = [s for s in _SLOTS if s in slots and table.get(s)]
        if not usable:
            usable = [s for s in ("post", "adv") if table.get(s)]
        slot = _pick(rng, usable)
        templates = [t for t in table[slot] if self._fits(t, value)] or table[slot]
        if self.each and isinstance(value, list) and len(value) > 1:
            said = [self.fill(_pick(rng, templates), [v], rng) for v in value]
            text = " and ".join([said[0]] + [p.removeprefix("and ") for p in said[1:]])
        else:
            text = self.fill(_pick(rng, templates), value, rng)
        return slot, text

    def _fits(self, template: str, value: Any) -> bool:
        if "{a}" not in template:
            return True
        values = value if isinstance(value, list) else [value]
        return len(values) == 1 and self._halves(values[0]) is not None

    def _halves(self, value: Any) -> tuple[str, str] | None:
        if not self.split or not isinstance(value, str):
            return None
        parts = value.split(self.split)
        return (parts[0], parts[1]) if len(parts) == 2 and all(parts) else None

    def fill(self, template: str, value: Any, rng: random.Random) -> str:
        """A template with the value said in it."""
        values = value if isinstance(value, list) else [value]
        if self.words:
            spoken = [_q(" ".join(map(str, values)))]
        else:  # "assigned to octocat and me"
            spoken = ["me" if v == "@me" and self.me and len(values) > 1 else _spoken(v, rng) for v in values]
        text = template.replace("{v}", _say_list(spoken, rng))
        if "{a}" in text:
            a, b = self._halves(values[0])
            text = text.replace("{a}", _q(a)).replace("{b}", _q(b))
        return text.replace("{w}", _words(self.opt.name))

    def literal(self, value: Any, rng: random.Random) -> str:
        """The CLI spelling: `--state closed`, `-p 8080:80`, `--web`."""
        opt = self.opt
        if self.is_flag:
            return f"-{opt.short}" if opt.short and rng.random() < 0.5 else f"--{opt.name}"
        values = value if isinstance(value, list) else [value]
        if opt.positional:
            return " ".join(_q(_shell(v)) for v in values)
        out = []
        for v in values:
            shown = ("true" if v else "false") if isinstance(v, bool) else _q(_shell(v))
            r = rng.random()
            if isinstance(v, bool) or r < 0.2:
                out.append(f"--{opt.name}={shown}")
            elif opt.short and r < 0.6:
                out.append(f"-{opt.short} {shown}")
            else:
                out.append(f"--{opt.name} {shown}")
        return " ".join(out)


_POOLS = {name: lx.alts(values) for name, values in lx.POOLS.items()}
_COMPOSED = {name: lx.alts(templates) for name, templates in lx.COMPOSED.items()}
_PARTS = {name: lx.alts(words) for name, words in lx.PARTS.items()}


def _compose(template: str, rng: random.Random) -> str:
    """A fresh value from a COMPOSED template: "{org}/{proj}" -> "globex/ledger"."""
    def part(match: re.Match) -> str:
        name = match.group(1)
        word = _pick(rng, _PARTS[name.lower()])
        return word[0].upper() + word[1:] if name[0].isupper() else word
    return re.sub(r"\{(\w+)\}", part, template)


def _spoken(value: Any, rng: random.Random) -> str:
    """A value as said in words: verbatim, but "." may be "the current directory"."""
    if value == "." and rng.random() < 0.6:
        return _pick(rng, ("the current directory", "this directory", "the current folder"))
    return _q(value)


def _shell(value: Any) -> str:
    text = str(value)
    return f'"{text}"' if " " in text else text


def _phraser(opt: Arg | Flag, kind: str, noun_key: str | None) -> _Phraser:
    """The phrase tables for one arg or flag of a command of the given kind. Commands that act
    on an existing thing take no adjectives: "edit the public repo" would describe, not set."""
    phraser = _option_phraser(opt, kind, noun_key)
    if kind in ("act", "delete"):
        phraser.tables = {s: t for s, t in phraser.tables.items() if s not in ("pre", "poss", "qty")} or phraser.tables
    return phraser


def _option_phraser(opt: Arg | Flag, kind: str, noun_key: str | None) -> _Phraser:
    if isinstance(opt, Flag):
        return _flag_phraser(opt)
    if opt.type == "boolean":
        return _bool_phraser(opt)
    if opt.name in lx.ADD_REMOVE or re.match(r"(add|remove)-", opt.name):
        return _add_remove_phraser(opt)
    # filtering (list --name web) or setting (create --name web), by kind and description
    setting = kind in ("create", "act", "delete") and not re.search(r"(?i)\b(filter|match|only)", opt.description)
    key = _concept_key(opt.name)
    if key == "label" and opt.examples and all("=" in str(e) for e in opt.examples):
        key = "kvlabel"
    if key == "user" and setting:
        key = "runas"
    if key in ("state", "status") and opt.type != "enum":
        key = "status"
    if key == "file":  # which file: by the description, else by what the command works on
        about = f"{opt.description.lower()} {noun_key}"
        key = next((k for w, k in (("dockerfile", "dockerfile"), ("compose", "composefile"), ("image", "dockerfile"))
                    if w in about), key)
    concept = lx.CONCEPTS.get(key) if key else None
    if concept is None:
        return _generic_phraser(opt, setting)
    if setting and "set" in concept:
        concept = {**concept, **concept["set"]}
    tables = {slot: lx.alts(concept[slot]) for slot in _SLOTS if slot in concept}
    if opt.type == "enum" and key not in ("state", "visibility", "format", "order", "sort") and "pre" not in tables:
        tables.setdefault("post", []).extend(lx.alts(lx.GENERIC_ARG[setting]))
    phraser = _Phraser(
        opt, tables, pool=_pool(opt, concept.get("pool")), specific=True,
        me_ok=concept.get("me_ok", False) and opt.type == "string",
        split=concept.get("split"), each=concept.get("each", False), words=concept.get("words", False),
    )
    if "me" in concept:
        phraser.me = {slot: lx.alts(t) for slot, t in concept["me"].items()}
    for value, table in concept.get("values", {}).items():
        phraser.by_value[value] = {slot: lx.alts(t) for slot, t in table.items()}
    if key == "state" and opt.type == "enum":
        for value in opt.values:
            if not _adjective(value) and value not in phraser.by_value:
                phraser.by_value[value] = {"post": lx.alts("with state {v}|in state {v}|where the state is {v}")}
    return phraser


def _bool_phraser(opt: Arg) -> _Phraser:
    """`--enable-issues=true` -> "with issues enabled"; others "with <name> on"."""
    value = not bool(opt.default)
    switch = re.match(r"(enable|allow|disable)-(.+)", opt.name)
    if switch:
        on = value != (switch.group(1) == "disable")
        templates = [t.replace("{x}", _words(switch.group(2))) for t in lx.alts(lx.BOOL_SWITCH[on])]
    else:
        templates = lx.alts(lx.BOOL_ARG[value])
    return _Phraser(opt, {"adv": templates})


def _generic_phraser(opt: Arg, setting: bool) -> _Phraser:
    """An arg no concept knows: said by its name, or by its description ("Filter by author")."""
    tables = {"post": lx.alts(lx.GENERIC_ARG[setting])}
    description = opt.description.strip().rstrip(".")
    match = re.match(r"(?i)filter (?:\w+ )?by (.+)", description)
    if match and len(match.group(1).split()) <= 4:
        tables["post"] += lx.alts(lx.FILTER_BY.replace("{d}", match.group(1).lower()))
    if opt.type == "enum" and all(_adjective(v) for v in opt.values):
        tables["pre"] = tables["pred"] = ["{v}"]  # "archived repos", "which repos are archived"
    return _Phraser(opt, tables, pool=_pool(opt, None))


def _add_remove_phraser(opt: Arg) -> _Phraser:
    """`--add-label bug` -> "and add the bug label"; `--remove-assignee @me` -> "and unassign me"."""
    prefix, _, base = opt.name.partition("-")
    if opt.name in lx.ADD_REMOVE:
        templates, mine = lx.ADD_REMOVE[opt.name]
    else:
        templates, mine = (lx.ADD_ARG if prefix == "add" else lx.REMOVE_ARG).replace("{w}", _words(base)), ""
    base_key = _concept_key(base) if base else None
    concept = lx.CONCEPTS.get(base_key, {}) if base_key else {}
    phraser = _Phraser(opt, {"post": lx.alts(templates)}, pool=_pool(opt, concept.get("pool")), specific=bool(concept),
                       me_ok=bool(mine) and opt.type == "string")
    if mine:
        phraser.me = {"post": lx.alts(mine)}
    return phraser


def _flag_phraser(flag: Flag) -> _Phraser:
    tables = None
    for key, table in lx.FLAGS.items():
        name, _, when = key.partition(":")
        if name == flag.name and when and re.search(rf"\b({when})\b", flag.description):
            tables = table
            break
    tables = tables or lx.FLAGS.get(flag.name)
    if tables is None:
        return _Phraser(flag, {"adv": _flag_fallback(flag)})
    return _Phraser(flag, {slot: lx.alts(t) for slot, t in tables.items()})


def _flag_fallback(flag: Flag) -> list[str]:
    words = _words(flag.name)
    out = [words if re.match(r"(with|without|no|skip) ", words) else f"with {words}", f"with the {flag.name} flag",
           f"using --{flag.name}"]
    description = re.sub(r"\s*\(.*?\)", "", flag.description).strip().rstrip(".")
    if description and len(description.split()) <= 8:
        phrase = description[0].lower() + description[1:]
        out += [f"and {phrase}"] * 2 if phrase.split()[0] in lx.DESCRIPTION_VERBS else [f"with {phrase}"]
    return out


def _pool(opt: Arg, concept_pool: str | None) -> str:
    """The pool of values for an arg: by concept, then by name and type."""
    name = opt.name.lower()
    if opt.type == "integer" or (concept_pool in lx.INT_POOLS):
        if concept_pool in lx.INT_POOLS:
            return concept_pool
        for word, pool in (("limit", "limit"), ("max", "limit"), ("tail", "lines"), ("lines", "lines"),
                           ("timeout", "seconds"), ("time", "seconds"), ("wait", "seconds"), ("port", "port"),
                           ("day", "days"), ("depth", "depth"), ("id", "id"), ("number", "number"), ("pr", "number"),
                           ("issue", "number")):
            if word in name:
                return pool
        return "small"
    if concept_pool:
        return concept_pool
    for word, pool in (("name", "name"), ("file", "file"), ("dir", "dir"), ("path", "path"), ("url", "url"),
                       ("user", "user"), ("repo", "repo"), ("branch", "branch"), ("tag", "tag"), ("image", "image"),
                       ("container", "container"), ("key", "key"), ("value", "value"), ("email", "email")):
        if word in name:
            return pool
    return "path" if opt.type == "path" else "word"


# --- one command ----------------------------------------------------------------------------

_FRAMES = {
    "list": {"imp": 24, "polite": 14, "need": 10, "terse": 16, "ask": 10, "pred": 6, "see": 8, "then": 5, "literal": 5},
    "view": {"imp": 30, "polite": 18, "need": 14, "terse": 8, "ask": 14, "then": 6, "literal": 6},
    "create": {"imp": 32, "polite": 18, "need": 16, "terse": 8, "ask": 12, "literal": 6},
    "act": {"imp": 36, "polite": 20, "need": 20, "then": 10, "literal": 7},
    "delete": {"imp": 36, "polite": 20, "need": 20, "then": 10, "literal": 7},
    "search": {"imp": 40, "polite": 22, "need": 22, "then": 6, "literal": 8},
}
_SLOT_WEIGHT = {"poss": 3, "qty": 3, "pre": 3, "obj": 2, "post": 3, "adv": 3, "vpre": 1, "tail": 3}
_PARTNER = {"interactive": "tty", "tty": "interactive"}


@dataclass
class _Leaf:
    """Precomputed wording for one command."""

    path: tuple[str, ...]
    node: Command
    kind: str  # list, search, view, create, act, delete
    plain_view: bool  # just shows its object: "what's in pr 12?" fits
    plural: bool  # its object is a set of things (lists, searches, prunes)
    verbless: bool  # the only command of its kind on its object: "closed issues" needs no verb
    pronoun: bool  # "the web container: stop it" fits its verbs
    obj_ok: bool  # a value may stand for the object: "run nginx"
    group: Any  # commands of one group share an object and compete for verbs
    verb_name: str
    verbs: list[str]  # templates with {O}
    nouns: list[tuple[str, str]]  # (singular, plural); ("", "") for a command without an object
    ident: Arg | None  # the positional that names the object
    ident_nouns: list[tuple[str, str]]
    phrasers: dict[str, _Phraser]
    default_state: list[str]  # adjectives true of a plain listing ("running" containers, "open" issues)
    state_arg: str | None  # the enum arg whose default those adjectives state (None: any option may contradict them)
    all_word_ok: bool  # "all" may be said without meaning an option
    bare_ok: bool = True  # its verb names no other kind of thing: "stop web" can only be a container
    implied: list[tuple[str, str, list[str]]] = field(default_factory=list)  # (option, slot, its default in words)
    content: str | None = None  # the free text people mostly give: an issue's title, a comment's body
    mine: str | None = None  # the option "my" sets on a listing: `gh pr list --author @me` for "my prs"

    def choose(self, focus: str | None, rng: random.Random) -> tuple[dict, list]:
        """Values for a target: required args, its focus, often its content or "my", and 0-2 optional extras."""
        args: dict[str, Any] = {}
        flags: list[str] = []
        used: set = set()

        def add(name: str, value: Any = None) -> None:
            phraser = self.phrasers[name]
            if phraser.is_flag:
                flags.append(name)
                return
            if value is None:
                value = phraser.sample(rng, used)
            elif phraser.opt.repeatable and not isinstance(value, list):
                value = [value]
            args[name] = value
            used.update(value if isinstance(value, list) else [value])

        for arg in self.node.args:
            if arg.required:
                add(arg.name)
        if focus:
            name, eq, value = focus.partition("=")
            if name not in self.phrasers:
                raise ValueError(f"{' '.join(self.path)} has no option {name!r} (target focus {focus!r})")
            if eq:
                add(name, value)
            elif name not in args:
                add(name)
        for name, value, chance in ((self.content, None, 0.5), (self.mine, "@me", 0.25)):
            if name and name not in args and not self._clashes(name, args, flags) and rng.random() < chance:
                add(name, value)
        extras = rng.choices((0, 1, 2), (50, 30, 20) if focus is None else (45, 35, 20))[0]
        optional = [n for n in self.phrasers if n not in args and n not in flags]
        rng.shuffle(optional)
        for name in optional:
            if extras <= 0:
                break
            if name in args or name in flags or self._clashes(name, args, flags):
                continue
            add(name)
            extras -= 1
            needed = lx.REQUIRES.get(name)
            if needed in self.phrasers and needed not in args and needed not in flags:
                add(needed)
            partner = _PARTNER.get(name)
            if partner in self.phrasers and partner not in flags and rng.random() < 0.6:
                add(partner)
        positionals = [a.name for a in self.node.args if a.positional]
        for i, name in enumerate(positionals):  # a command line gives a positional after the ones before it
            if name not in args and any(later in args for later in positionals[i + 1:]):
                add(name)
        return args, flags

    def _clashes(self, name: str, args: dict, flags: list) -> bool:
        on = set(args) | set(flags)
        return any(name in group and on & (group - {name}) for group in lx.EXCLUSIVE)

    # sentences

    def say(self, args: dict, flags: list, rng: random.Random, cli: str) -> tuple[str, bool]:
        """The request text (values bracketed) and whether it is a question."""
        ident = args.get(self.ident.name) if self.ident else None
        plural = self.plural or (isinstance(ident, list) and len(ident) > 1)
        text, question = self._say(args, flags, rng, cli, plural)
        return text.replace("{it}", "them" if plural else "it"), question

    def _say(self, args: dict, flags: list, rng: random.Random, cli: str, plural: bool) -> tuple[str, bool]:
        frames = _FRAMES[self.kind]
        if not self.verbless:
            frames = {f: w for f, w in frames.items() if f not in ("terse", "ask", "pred", "see")}
        if not self.pronoun:
            frames = {f: w for f, w in frames.items() if f != "then"}
        frame = rng.choices(list(frames), list(frames.values()))[0]
        ident_value = args.get(self.ident.name) if self.ident else None
        items = [(n, v) for n, v in args.items() if not (self.ident and n == self.ident.name)]
        items += [(f, True) for f in flags]
        if frame == "literal":
            return self._literal(args, items, rng, cli), False
        lead = None  # a flag said as the verb: "approve pr 512"; a value as its object: "comment LGTM on pr 42"
        leading = [(n, v) for n, v in items if self.phrasers[n].has(v, "verb")]
        if leading and frame in ("imp", "polite", "need", "then"):
            candidate = _pick(rng, leading)
            if rng.random() < (0.6 if self.phrasers[candidate[0]].is_flag or self.verb_name == "edit" else 0.35):
                lead = candidate
                items.remove(lead)
        if frame == "pred" and not all(self.phrasers[n].has(v, "pred") or self.phrasers[n].has(v, "adv")
                                       for n, v in items):
            frame = "ask"
        noun = _pick(rng, self.nouns)[plural]
        ident_noun = _bare(_pick(rng, self.ident_nouns)[plural]) if ident_value is not None else ""
        slots = self._slots(frame, noun, ident_value, ident_noun)
        mods = self._mods(items, rng, slots)
        for name, slot, phrases in self.implied:  # "the pr for this branch": a default said, not a value
            if name not in args and slot in slots and not (slot == "poss" and mods.get(slot)) and rng.random() < 0.12:
                mods.setdefault(slot, []).append(_pick(rng, phrases))
        if "obj" in mods:
            noun = ""
        if frame == "pred" and not mods.get("pred"):
            frame = "ask"
        stated = any(n == self.state_arg for n, _ in items) if self.state_arg else bool(items)
        if self.default_state and not stated and frame != "pred" and rng.random() < 0.5:
            mods["pre"] = [_pick(rng, self.default_state), *mods.get("pre", [])]
        adverbs = mods.get("adv", [])
        rng.shuffle(adverbs)
        adv = _join(adverbs) if rng.random() < 0.8 else ", ".join(adverbs)
        vpre = _join(mods.get("vpre", []))
        has_object = bool(noun) or ident_value is not None or "obj" in mods

        def obj(det: str | None = None) -> str:
            return _join(self._object(noun, ident_noun, mods, ident_value, plural, rng, det))

        verbs = [v for v in self.verbs if " me " not in v] if frame in ("need", "polite") else self.verbs
        if lead:
            phraser = self.phrasers[lead[0]]
            verb = phraser.fill(_pick(rng, phraser.table(lead[1])["verb"]), lead[1], rng)
        else:
            verb = _pick(rng, verbs or self.verbs)
        if frame == "terse" and has_object:
            det = "new" if self.kind == "create" and ident_value is None and not _is_fixed(noun) else ""
            return _join([obj(det), adv]), False
        if frame == "ask" and self.kind == "list" and noun and not _is_fixed(noun):
            every = any(p.strip(V0 + V1) == "all" for p in mods.get("pre", []))  # not "any all containers"
            determined = mods.get("poss") or mods.get("qty") or every
            template = _pick(rng, lx.alts(lx.LIST_ASK_DET if determined else lx.LIST_ASK))
            return _join([template.replace("{O}", obj("")), adv]), not template.startswith("is there")
        if frame == "pred" and noun and not _is_fixed(noun):
            template = _pick(rng, lx.alts(lx.LIST_PRED))
            preds = mods["pred"]
            rng.shuffle(preds)
            text = template.replace("{N}", noun).replace("{P}", " and ".join(preds))
            return _join([text, _join(mods.get("post", [])), adv]), template.startswith(("which", "what", "any"))
        if frame == "see" and noun:
            text = _pick(rng, lx.alts(lx.LIST_SEE)).replace("{O}", obj(""))
            return _join([text, adv]), text.startswith("can I")
        if frame == "ask" and self.plain_view and has_object:
            template = _pick(rng, lx.alts(lx.VIEW_ASK))
            return _join([template.replace("{O}", obj()), adv]), template in lx.VIEW_ASK_Q
        if frame == "ask" and self.kind == "create" and has_object:
            template = _pick(rng, lx.alts(lx.CREATE_ASK))
            return _join([template.replace("{O}", obj()), adv]), template in lx.CREATE_ASK_Q
        if frame == "then" and has_object and not _is_fixed(noun):
            # "and ask octocat to review" follows the verb, not the object
            later = [p for p in mods.get("post", []) if p.startswith("and ")]
            mods["post"] = [p for p in mods.get("post", []) if p not in later]
            verb_it = _join([vpre, _fill_verb(verb, "them" if plural else "it"), *later])
            text = _pick(rng, lx.alts(lx.THEN_IT)).replace("{O}", obj()).replace("{V}", verb_it)
            return _join([text, adv]), False
        core, posts = self._object(noun, ident_noun, mods, ident_value, plural, rng, None)
        text = _join([vpre, _fill_verb(verb, core), posts])
        if frame == "imp" and adv and not adv.startswith("and ") and rng.random() < 0.15:
            text = f"{adv}, {text}"
        else:
            text = _join([text, adv])
        if mods.get("tail"):
            text += mods["tail"][0] + OPEN_END
        if frame == "polite":
            opener = _pick(rng, lx.alts(lx.POLITE))
            return f"{opener} {text}", opener in lx.POLITE_Q
        if frame == "need":
            opener = _pick(rng, lx.alts(lx.NEED))
            return f"{opener} {text}", opener in lx.NEED_Q
        return text, False

    def _slots(self, frame: str, noun: str, ident: Any, ident_noun: str) -> set[str]:
        """Where phrases may go, given the frame and what the object is."""
        if frame == "pred":
            return {"pred"}
        slots = {"poss", "qty", "pre", "obj", "post", "adv", "vpre"}
        if frame in ("imp", "polite", "need"):
            slots.add("tail")
        if ident is not None:
            slots -= {"poss", "qty", "obj"} | ({"pre"} if not ident_noun else set())
        elif _is_fixed(noun):
            slots -= {"poss", "qty", "pre"}
        if not self.obj_ok or frame in ("ask", "see", "terse"):
            slots.discard("obj")
        return slots

    def _mods(self, items: list, rng: random.Random, slots: set[str]) -> dict[str, list[str]]:
        """Each arg or flag said in a slot; interactive + tty often as one phrase. A value said as
        the object itself ("run nginx") leaves no room for adjectives or determiners."""
        mods: dict[str, list[str]] = {}
        names = {n for n, _ in items}
        for combo, text in lx.FLAG_COMBOS.items():
            if combo <= names and "pred" not in slots and rng.random() < 0.7:
                mods.setdefault("adv", []).append(_pick(rng, lx.alts(text)))
                items = [(n, v) for n, v in items if n not in combo]
        rng.shuffle(items)
        if "obj" in slots:
            slots = slots - {"obj"}
            for i, (name, value) in enumerate(items):
                if self.phrasers[name].has(value, "obj") and rng.random() < 0.5:
                    mods["obj"] = [self.phrasers[name].say(value, rng, {"obj"})[1]]
                    slots -= {"pre", "poss", "qty"}
                    del items[i]
                    break
        for name, value in items:
            phraser = self.phrasers[name]
            if "pred" not in slots and not getattr(phraser.opt, "positional", False) and rng.random() < 0.06:
                slot, text = "post", phraser.literal(value, rng)
            else:
                allowed = slots - {s for s in ("poss", "qty", "tail") if mods.get(s)}
                allowed = allowed if "pred" in slots else _weighted(allowed, phraser, value, rng)
                slot, text = phraser.say(value, rng, allowed)
            mods.setdefault(slot, []).append(text)
        return mods

    def _object(self, noun: str, ident_noun: str, mods: dict, ident: Any, plural: bool, rng: random.Random,
                det: str | None) -> tuple[str, str]:
        """The object phrase: determiner, quantity, owner, adjectives, noun or name; and the
        phrases that follow it."""
        pres = mods.get("pre", [])
        posts = list(mods.get("post", []))
        rng.shuffle(posts)
        if len(posts) > 1 and rng.random() < 0.3 and not posts[-1].startswith("and "):
            posts[-1] = "and " + posts[-1]
        if ident is not None:
            core = self._ident_phrase(ident, ident_noun, pres, rng)
        elif "obj" in mods:
            core = mods["obj"][0]
        elif _is_fixed(noun):
            core = _bare(noun)
        else:
            everything = [p for p in pres if p.strip(V0 + V1) == "all"]
            head = _join([p for p in pres if p not in everything] + [noun])
            poss, qty = mods.get("poss"), mods.get("qty")
            if everything:  # "the first 10 of all my prs"
                whose = _join([*everything, poss[0] if poss else "", head])
                core = f"{qty[0]} of {whose}" if qty else whose
            elif poss and qty:
                core = f"{qty[0]} of {poss[0]} {head}"
            elif poss or qty:
                core = f"{(poss or qty)[0]} {head}"
            else:
                core = _join([self._det(plural, rng) if det is None else det, head])
        return core, _join(posts)

    def _det(self, plural: bool, rng: random.Random) -> str:
        if plural:
            choices = ["", "", "", "the", "the"] + (["all", "all the", "all of the"] if self.all_word_ok else [])
        elif self.kind == "create":
            choices = ["a", "a", "a new", "new"]
        else:
            choices = ["the", "the", "the", "this", "", "that"]
        return _pick(rng, choices)

    def _ident_phrase(self, value: Any, noun: str, pres: list[str], rng: random.Random) -> str:
        """The object named by its positional: "pr #123", "the web container", "a repo called demo"."""
        values = value if isinstance(value, list) else [value]
        v = _say_list([_spoken(x, rng) for x in values], rng)
        if not noun:
            return v
        if len(values) > 1:
            templates = ["{n} {v}", "the {v} {n}", "{v}", "the {n} {v}"] + (["both {v}"] if len(values) == 2 else [])
        elif all(isinstance(x, int) or str(x).isdigit() for x in values):
            templates = ["{n} {v}", "{n} #{v}", "#{v}", "{n} number {v}", "{n} {v}"]
        elif not re.fullmatch(r"[\w.-]+", str(values[0])):  # a URL, path or slug
            templates = ["{n} {v}", "{v}", "the {n} {v}", "{n} {v}"]
        elif self.kind == "create":
            templates = ["a {n} called {v}", "a new {n} named {v}", "a {n} named {v}", "{n} {v}",
                         "a new {n} called {v}"]
        else:
            templates = ["{n} {v}", "the {v} {n}", "{v}", "the {n} {v}", "the {n} called {v}", "{n} named {v}",
                         "{n} {v}"]
        if pres or not self.bare_ok:
            templates = [t for t in templates if "{n}" in t]
        return _pick(rng, templates).replace("{n}", _join(pres + [noun])).replace("{v}", v)

    def _literal(self, args: dict, items: list, rng: random.Random, cli: str) -> str:
        """The CLI spelling with some options said in words: "gh pr list but only closed ones"."""
        options, natural = [], {}
        positionals = [self.phrasers[a.name].literal(args[a.name], rng)
                       for a in self.node.args if a.positional and a.name in args]
        for name, value in items:
            phraser = self.phrasers[name]
            if getattr(phraser.opt, "positional", False):
                continue
            if rng.random() < 0.6:
                options.append(phraser.literal(value, rng))
            else:  # "ones" only for lists: "gh pr list but only closed ones"
                slot, text = phraser.say(value, rng, {"pre", "adv"} if self.plural else {"adv", "post"})
                if slot == "pre" and text.strip(V0 + V1) == "all":  # not "just the all ones"
                    slot, text = phraser.say(value, rng, {"post"})
                natural.setdefault(slot, []).append(text)
        rng.shuffle(options)
        line = _join([cli, *self.path, *options, *positionals])
        words = natural.get("post", []) + natural.get("adv", [])
        rng.shuffle(words)
        if natural.get("pre"):
            template = _pick(rng, lx.alts(lx.LITERAL_ONES))
            return _join([template.replace("{L}", line).replace("{P}", _join(natural["pre"])), *words])
        return _join([_pick(rng, lx.alts(lx.LITERAL)).replace("{L}", line), *words])


def _weighted(allowed: set[str], phraser: _Phraser, value: Any, rng: random.Random) -> set[str]:
    """Narrow the allowed slots to one, drawn by weight among those the phraser can fill."""
    table = phraser.table(value)
    usable = sorted(s for s in allowed if table.get(s))
    if not usable:
        return allowed
    return {rng.choices(usable, [_SLOT_WEIGHT[s] for s in usable])[0]}


def _fill_verb(template: str, obj: str) -> str:
    """The verb phrase with its object; a pronoun goes inside a phrasal verb ("bring it up")."""
    phrasal = re.fullmatch(r"(\w+) (up|down|out|off|back|on) \{O\}(.*)", template)
    if phrasal and obj in ("it", "them"):
        return f"{phrasal.group(1)} {obj} {phrasal.group(2)}{phrasal.group(3)}"
    if obj:
        return template.replace("{O}", obj)
    return _TRAILING_PREP.sub("", " ".join(template.replace("{O}", "").split()))


# --- one schema -----------------------------------------------------------------------------


class _Writer:
    """The offline teacher's tables for one schema."""

    def __init__(self, schema: Schema):
        self.schema = schema
        self.cli = schema.cli_name
        first = (schema.description.split() or [""])[0]
        self.service = first if first[:1].isupper() and first not in ("A", "An", "The") else schema.cli_name
        self.leaves = {path: self._leaf(path, node) for path, node in schema.leaves.items()}
        self._prune_verbs()
        kinds = [(leaf.group, leaf.kind) for leaf in self.leaves.values()]
        groups_of: dict[str, set] = {}
        for leaf in self.leaves.values():
            groups_of.setdefault(leaf.verb_name, set()).add(leaf.group)
        for leaf in self.leaves.values():
            leaf.verbless = kinds.count((leaf.group, leaf.kind)) == 1 and not _is_fixed(leaf.nouns[0][0])
            leaf.bare_ok = len(groups_of[leaf.verb_name]) == 1

    def _leaf(self, path: tuple[str, ...], node: Command) -> _Leaf:
        """A command's verb (from its name, else its group's), object (from its group, else its
        name or description), the positional naming that object, and a phraser per option."""
        source = tuple(node.alias_of.split()) if node.alias_of else path
        name, group = source[-1], (source[-2] if len(source) > 1 else None)
        verb_name = lx.VERB_ALIASES.get(name, name)
        noun_key = _noun_key(group) if group else None
        positionals = [a for a in node.args if a.positional]
        if verb_name not in lx.VERBS and group and lx.VERB_ALIASES.get(group, group) in lx.VERBS:
            verb_name, noun_key = lx.VERB_ALIASES.get(group, group), _noun_key(name)  # gh search issues
        if name in lx.NOUN_COMMANDS and (not group or verb_name not in lx.VERBS):  # docker version
            verb_name, noun_key = "show", None
            nouns = _nouns(name, self.service, self.cli) if name in lx.NOUNS else [(_words(name),) * 2]
            if group:
                nouns.append((f"{_words(group)} {_words(name)}",) * 2)
        else:
            if not group and noun_key is None:
                noun_key = self._description_noun(node, positionals, lx.VERBS.get(verb_name, ("",))[0] == "search")
            nouns = _nouns(noun_key, self.service, self.cli) if noun_key else [("", "")]
        kind, templates = lx.VERBS.get(verb_name, ("act", _words(name)))
        kind = lx.VERB_KIND.get((verb_name, noun_key), kind)
        verbs = lx.alts(templates)
        if (verb_name, noun_key) in lx.VERB_NOUN:
            verbs += lx.alts(lx.VERB_NOUN[(verb_name, noun_key)])
        if (verb_name, noun_key) in lx.VERB_NOUN_ONLY:
            verbs = lx.alts(lx.VERB_NOUN_ONLY[(verb_name, noun_key)].replace("{cli}", self.cli))
            nouns = [("", "")]
        if kind == "view" and any(f.name == "web" for f in node.flags):  # "open pr 12" would mean --web
            verbs = [v for v in verbs if not v.startswith("open")] or verbs
        verbs = [v if "{O}" in v else f"{v} {{O}}" for v in verbs]
        ident, ident_key, ident_nouns = self._ident(positionals, noun_key, nouns, kind)
        if ident is None and len([a for a in positionals if a.required]) > 1:
            nouns = [("", "")]  # `cp SRC DEST`: the values are the objects
        phrasers = {o.name: _phraser(o, kind, noun_key) for o in (*node.args, *node.flags)}
        for (verb, arg), templates in lx.VALUE_VERBS.items():
            if verb == verb_name and arg in phrasers and not phrasers[arg].is_flag:
                phrasers[arg].tables["verb"] = lx.alts(templates)
                if phrasers[arg].me and (verb, arg) in lx.VALUE_VERBS_ME:
                    phrasers[arg].me["verb"] = lx.alts(lx.VALUE_VERBS_ME[(verb, arg)])
        tailed = [a.name for a in node.args if "tail" in phrasers[a.name].tables]
        for name in tailed[1:]:  # "open an issue: Login fails" names its title, not its body
            del phrasers[name].tables["tail"]
        content = tailed[0] if tailed and (kind == "create" or verb_name == "comment") else None
        # "my prs" is a listing of one's own work; a search runs across everyone's
        mine = next((n for n, p in phrasers.items() if p.me_ok and p.me.get("poss")), None) if kind == "list" else None
        if ident is not None and ident_key in lx.NOUN_POOLS:
            phrasers[ident.name].pool = lx.NOUN_POOLS[ident_key]
        all_flag = "all" in phrasers and phrasers["all"].is_flag
        state_arg = next((a.name for a in node.args if a.type == "enum" and "all" in a.values and a.default), None)
        all_value = any(a.type == "enum" and "all" in a.values for a in node.args)
        listing_all = kind == "list" and (all_flag or state_arg) and noun_key in lx.DEFAULT_STATE
        return _Leaf(
            path=path, node=node, kind=kind, plain_view=verb_name in lx.PLAIN_VIEW,
            plural=kind in ("list", "search") or verb_name in lx.PLURAL_VERBS, verbless=True,
            pronoun=verb_name not in lx.PLURAL_VERBS, obj_ok=verb_name in lx.OBJ_VERBS,
            group=noun_key or (ident_key and "#" + ident_key) or path[:-1], verb_name=verb_name, verbs=verbs,
            nouns=nouns, ident=ident, ident_nouns=ident_nouns, phrasers=phrasers,
            default_state=lx.alts(lx.DEFAULT_STATE[noun_key]) if listing_all else [],
            state_arg=None if all_flag else state_arg,
            all_word_ok=not (all_flag or all_value),
            implied=[(a.name, slot, lx.alts(phrases)) for a in node.args if not a.required
                     for words, (slot, phrases) in lx.IMPLIED_DEFAULTS.items() if words in a.description.lower()],
            content=content, mine=mine,
        )

    @staticmethod
    def _description_noun(node: Command, positionals: list[Arg], search: bool) -> str | None:
        """A thing named in the description of a command outside any group ("Build an image ..."),
        unless a required positional is something else (a search term is not)."""
        for word in re.findall(r"[a-z]+", node.description.lower()):
            key = lx.DESCRIPTION_NOUNS.get(word)
            if key:
                names = set(re.split(r"[-_.]+", positionals[0].name)) if positionals else set()
                fits = {_noun_key(n) for n in names} & {key} or names & _IDENT_NAMES or search
                return key if fits or not any(a.required for a in positionals) else None
        return None

    def _ident(self, positionals: list[Arg], noun_key: str | None, nouns: list, kind: str) -> tuple:
        """The positional that names the object ("pr 123", "the web container"), its noun key and nouns."""
        if kind in ("list", "search") or not positionals:
            return None, None, nouns
        first = positionals[0]
        words = set(re.split(r"[-_.]+", first.name))
        objectless = all(_is_fixed(s) for s, _ in nouns)
        if noun_key in {_noun_key(w) for w in words} or words & _IDENT_NAMES:
            return first, noun_key, [(s, p) for s, p in nouns if not _is_fixed(s)] or [("", "")]
        own = next((_noun_key(w) for w in (first.name, *words) if _noun_key(w) in lx.NOUNS), None)
        if own and objectless:
            forms = [(s, p) for s, p in _nouns(own, self.service, self.cli) if not _is_fixed(s)]
            return first, own, forms or [("", "")]
        return None, None, nouns

    def _prune_verbs(self) -> None:
        """Among commands on the same object, drop a verb phrase that names a sibling ("start"
        for `run` beside `start`), or that a sibling of a like kind lists earlier."""
        by_object: dict[Any, list[_Leaf]] = {}
        for leaf in self.leaves.values():
            by_object.setdefault(leaf.group, []).append(leaf)
        bucket = {"list": 0, "search": 0, "view": 1}
        for siblings in by_object.values():
            names = [{_words(n) for n in (s.node.name, *s.node.aliases)} for s in siblings]
            best: dict[tuple, tuple[int, int]] = {}
            for order, leaf in enumerate(siblings):
                for rank, verb in enumerate(leaf.verbs):
                    key = (verb, bucket.get(leaf.kind, 2))
                    best[key] = min(best.get(key, (rank, order)), (rank, order))
            for order, leaf in enumerate(siblings):
                others = set().union(*(n for i, n in enumerate(names) if i != order))
                kept = []
                for rank, verb in enumerate(leaf.verbs):
                    said = _fill_verb(verb, "")
                    if said in others or said.split()[0] in others:
                        continue
                    if best[(verb, bucket.get(leaf.kind, 2))] == (rank, order):
                        kept.append(verb)
                leaf.verbs = kept or [f"{_words(leaf.node.name)} {{O}}"]

    def example(self, target: Target, rng: random.Random) -> dict:
        leaf = self.leaves[target.path]
        args, flags = leaf.choose(target.focus, rng)
        text, question = leaf.say(args, flags, rng, self.cli)
        output = canonical(make(target.path, args, flags), self.schema)
        return {"input": _finish(text, question, rng, {self.cli.lower(), *target.path}), "output": output}


def _finish(text: str, question: bool, rng: random.Random, keep_case: set[str]) -> str:
    """Fillers, articles, casing, punctuation and the odd typo; then the value brackets go. A
    request that ends in free text gets nothing after it."""
    open_end = text.endswith(OPEN_END)
    text = text.removesuffix(OPEN_END)
    if rng.random() < 0.1:
        text = f"{_pick(rng, lx.alts(lx.LEAD))} {text}"
    if not open_end and rng.random() < 0.12:
        trail = _pick(rng, lx.alts(lx.TRAIL))
        if trail not in text:
            text = f"{text} {trail}"
    text = _ARTICLE.sub(_article, " ".join(text.split()).replace(" ,", ","))
    parts = _VALUE.split(text)
    roll = rng.random()
    if roll < 0.3:
        parts = [p if p.startswith(V0) else p.lower() for p in parts]
    elif roll < 0.75 and parts[0] and parts[0].split(" ", 1)[0].lower() not in keep_case:
        parts[0] = parts[0][0].upper() + parts[0][1:]
    if rng.random() < 0.07:
        _typo(parts, rng)
    text = "".join(parts)
    if open_end:
        ending = ""
    elif question or text.lower().startswith(_QUESTION_START):
        ending = "?" if rng.random() < 0.75 else ""
    else:
        ending = _pick(rng, ["", "", "", "", "", ".", ".", "!"])
    return (text + ending).replace(V0, "").replace(V1, "")


def _article(match: re.Match) -> str:
    """"a" or "an" by the sound of the next word: an issue, a user, an unused, an SSH key, a PR."""
    article, bracket, word = match.groups()
    if len(word) > 1 and word.isupper():
        vowel = word[0] in "AEFHILMNORSX"
    else:
        vowel = word[0].lower() in "aeio" or word[:2].lower() in ("un", "up", "ut", "ug")
    chosen = "an" if vowel else "a"
    return f"{chosen.capitalize() if article[0].isupper() else chosen} {bracket}{word}"


def _typo(parts: list[str], rng: random.Random) -> None:
    """Swap or drop one letter of one word outside the values; command words too ("chekcout pr 56")."""
    spots = [(i, m) for i, p in enumerate(parts) if not p.startswith(V0) for m in _WORD.finditer(p)]
    if not spots:
        return
    i, match = _pick(rng, spots)
    word = match.group()
    k = rng.randrange(1, len(word) - 1)
    typo = word[:k] + word[k + 1] + word[k] + word[k + 2:] if rng.random() < 0.6 else word[:k] + word[k + 1:]
    parts[i] = parts[i][:match.start()] + typo + parts[i][match.end():]


class OfflineTeacher:
    """Writes examples by rule: no network, no key, deterministic in (batch seed, schema)."""

    name = "offline"
    model = "rules"

    def __init__(self, seed: int = 0):
        self.seed = seed
        self._writers: dict[int, tuple[Schema, _Writer]] = {}

    def writer(self, schema: Schema) -> _Writer:
        cached = self._writers.get(id(schema))
        if cached is None or cached[0] is not schema:
            cached = self._writers[id(schema)] = (schema, _Writer(schema))
        return cached[1]

    def generate(self, schema: Schema, batch: Batch) -> Reply:
        writer = self.writer(schema)
        rng = random.Random(batch.seed if self.seed == 0 else f"{self.seed}:{batch.seed}")
        return Reply(examples=[writer.example(target, rng) for target in batch.targets])
