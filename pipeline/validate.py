"""The validate stage: is this text usable as a resume, and does it carry instructions aimed at AI screeners?

The prompt check reads the text the way a language model would: obfuscation that leaves the words readable to
a model (zero-width characters, Cyrillic or Greek look-alikes, fullwidth or mathematical letters, accents,
letter spacing, odd case, extra whitespace and line breaks) is undone first. One regex, compiled once per
process, then looks for the shapes such instructions take in English, German, French, Spanish and Portuguese,
tried only at the words where a cheaper first regex says one could start.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterator
from typing import Final, NamedTuple

from schemas.document import Document, HiddenText
from schemas.request import ValidateConfig
from schemas.result import Checks, HiddenTextFinding, PromptCheck, PromptDetection, TextValidation

MIN_CHARS: Final = 200
MIN_WORDS: Final = 40
MIN_LETTER_SHARE: Final = 0.5
_RESUME_CUES: Final = re.compile(
    r"\b(experience|education|skills|work|employment|university|college|school|projects?|summary|profile|"
    r"erfahrung|ausbildung|kenntnisse|expérience|formation|compétences|experiencia|educación|habilidades|"
    r"experiência|formação|competências|\d{4})\b",
    re.IGNORECASE,
)
CONTEXT_CHARS: Final = 40


def validate(document: Document, raw_text: str, config: ValidateConfig) -> Checks:
    """Text validation always; the prompt check only when asked (level basic)."""
    prompt = None
    if not config.prompt.skip:
        prompt = check_prompt(raw_text, document, config.prompt.level)
    hidden = [
        HiddenTextFinding(reason=h.reason, page=h.page, text=h.text, bbox=h.bbox) for h in document.hidden
    ]
    return Checks(text_validation=validate_text(raw_text), prompt=prompt, hidden_text=hidden)


def validate_text(text: str) -> TextValidation:
    """Flag text too short, mostly non-letters, or without anything that reads like a resume."""
    stripped = text.strip()
    words = stripped.split()
    letters = sum(map(str.isalpha, stripped))
    visible = (len(stripped) - sum(map(str.isspace, stripped))) or 1
    reasons: list[str] = []
    if len(stripped) < MIN_CHARS or len(words) < MIN_WORDS:
        reasons.append("insufficient_text")
    if stripped and letters / visible < MIN_LETTER_SHARE:
        reasons.append("mostly_non_text")
    if stripped and len(_RESUME_CUES.findall(stripped)) < 2:
        reasons.append("not_a_resume")
    return TextValidation(passed=not reasons, reasons=reasons, char_count=len(stripped), word_count=len(words))


# --- Normalisation -------------------------------------------------------------------------------------------

# Look-alikes a model reads as Latin letters, mapped before lower-casing since case decides the look (Greek
# capital eta looks like H, its small letter like n).
_HOMOGLYPHS: Final = str.maketrans(dict(zip(
    "АВЕЅІЈКМНОРСТХУҮԁԛԝһӏаеорсухѕіјɡү" "ΑΒΕΖΗΙΚΜΝΟΡΤΥΧαβγεηικνορτυχωμ" "ıȷɑɩօսհոց",
    "ABESIJKMHOPCTXYYdqwhlaeopcyxsijgy" "ABEZHIKMNOPTYXabyenikvoptuxwu" "ijaiouhng",
    strict=True,
)))
_QUOTES: Final = str.maketrans("‘’‚‛′`´“”„‟″«»‹›–—‒−", "'''''''\"\"\"\"\"\"\"''----")
# Marks, format characters (zero-width, soft hyphen, bidirectional controls), controls and private-use glyphs
# carry nothing a reader sees; they go.
_INVISIBLE: Final = frozenset({"Mn", "Me", "Cf", "Cc", "Co", "Cs"})
_MAX_FOLDED_CHARS: Final = 20_000


def _fold_char(char: str) -> str:
    """One character as the screen compares it: compatibility form, no accents, Latin look-alike, lower case."""
    if char.isspace():
        return " "
    kept = [part for part in unicodedata.normalize("NFKD", char) if unicodedata.category(part) not in _INVISIBLE]
    return "".join(kept).translate(_HOMOGLYPHS).lower().translate(_QUOTES)


class _FoldTable(dict[int, str]):
    """A `str.translate` table filled on first sight of each character, so that folding stays a C-level pass."""

    def __missing__(self, code: int) -> str:
        folded = _fold_char(chr(code))
        if len(self) < _MAX_FOLDED_CHARS:
            self[code] = folded
        return folded


_FOLD: Final = _FoldTable()
_LETTER: Final = r"[^\W\d_]"
# Four or more single letters one to three spaces or one punctuation mark apart ("i g n o r e  a l l",
# "r.a.n.k"): one separator between two letters is inside a word, more is a word break.
_SPACED_RUN: Final = re.compile(rf"(?<!{_LETTER}){_LETTER}(?:(?: {{1,3}}|[.\-_*·•|/+~]){_LETTER}){{3,}}(?!{_LETTER})")
_LETTER_SEPARATOR: Final = re.compile(rf"(?<={_LETTER})[ .\-_*·•|/+~](?={_LETTER})")
# Punctuation splitting one word ("ig.no-re").
_SPLITTING_PUNCTUATION: Final = re.compile(rf"(?<={_LETTER})[.\-_*·•|~^+](?={_LETTER})")
_EXTRA_SPACE: Final = re.compile(r"(?<= ) +")


class _Normalised(NamedTuple):
    text: str
    origin: list[int]  # for each character of `text`, its index in the text it came from
    glued: list[tuple[int, int]]  # spans of `text` whose spaced-out letters were joined, word breaks unknown


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _shifted(position: int, cuts: list[tuple[int, int]]) -> int:
    """Where `position` lands once the `cuts` (merged, sorted) are taken out."""
    removed = 0
    for start, end in cuts:
        if start >= position:
            break
        removed += min(end, position) - start
    return position - removed


def _normalise(text: str) -> _Normalised:
    """The screened form of `text`, keeping where each of its characters came from."""
    folded = text.translate(_FOLD)
    if all(len(_FOLD[ord(char)]) == 1 for char in set(text)):
        origin = list(range(len(text)))
    else:
        origin = [index for index, char in enumerate(text) for _ in _FOLD[ord(char)]]
    removed: list[tuple[int, int]] = []
    runs: list[tuple[int, int]] = []
    for run in _SPACED_RUN.finditer(folded):
        separators = [found.span() for found in _LETTER_SEPARATOR.finditer(folded, run.start(), run.end())]
        if separators:
            removed.extend(separators)
            runs.append(run.span())
    removed.extend(found.span() for found in _SPLITTING_PUNCTUATION.finditer(folded))
    removed.extend(found.span() for found in _EXTRA_SPACE.finditer(folded))
    if not removed:
        return _Normalised(folded, origin, [])
    cuts = _merged(removed)
    pieces: list[str] = []
    kept: list[int] = []
    start = 0
    for cut_start, cut_end in cuts:
        pieces.append(folded[start:cut_start])
        kept.extend(origin[start:cut_start])
        start = cut_end
    pieces.append(folded[start:])
    kept.extend(origin[start:])
    glued = [(_shifted(run_start, cuts), _shifted(run_end, cuts)) for run_start, run_end in runs]
    return _Normalised("".join(pieces), kept, glued)


def normalise_for_screening(text: str) -> str:
    """Undo the usual obfuscations: zero-width characters, homoglyphs, compatibility forms, spaced letters."""
    return _normalise(text).text


# --- Patterns -------------------------------------------------------------------------------------------------
#
# Each rule is a shape an instruction to a screener takes ("<ignore> ... <previous> <instructions>"); each
# language fills the shapes with its own words. In rules and vocabularies a space stands for any short gap of
# spaces and punctuation, possibly none (spaced-out letters lose their word breaks when a PDF is read), and
# vocabularies are written with accents and folded like the text.

_GAP: Final = r"[\W_]{0,4}"
_ANY_WORD: Final = r"\w+[\W_]{1,4}"
_SPACE: Final = r"\x20"

# Rules are grouped by their first element, which the regex then tries once for the whole group. Look-behind
# guards (negations, "that the candidate meets...") sit behind a look-ahead on the word they guard, so that
# they cost nothing at the words that cannot start a rule.
_RULES: Final = (
    ("(?=<ignore>)<negations><ignore> ", (
        "(?:<determiner> ){0,4}(?:<previous> ){0,2}(?:<context> )?<instructions>",
        "(?:<determiner> ){0,4}(?:<previous> ){1,2}<material>",
        "(?:<determiner> ){0,4}(?:<context> )?(?:<instructions>|<material>) <previous_after>",
        "(?:<determiner> ){0,2}<everything>",
        "(?:<determiner> ){0,3}(?:<any_word>)?<gaps>",
    )),
    ("<previous> ", ("(?:<context> )?<instructions> (?:<any_word>){0,3}<void>",)),
    ("<instructions> ", ("<previous> (?:<any_word>){0,3}<void>",)),
    ("<rank> ", ("(?:<adverb> )?(?:<object_prep> )?<candidate> (?:<adverb> )?(?:<as> )?<superlative>",)),
    ("<pick>\\b ", (
        "(?:<adverb> )?(?:<object_prep> )?<this_candidate>",
        "(?:<any_word>){1,3}(?:<of> )?<this_candidate>",
    )),
    ("<this_candidate> ", ("<is> (?:<article> )?(?:<adverb> )?<best>", "<must> (?:<adverb> )?<chosen>")),
    ("<this_is> ", ("(?:<article> )?(?:<adverb> )?<best_person>\\b",)),
    ("(?=<candidate>)<not_after><candidate> ", (
        "(?:<adverb> )?<meets> <all> (?:<determiner> ){0,2}(?:<context> )?<requirements>",
    )),
    ("<respond> ", ("(?:<adverb> )?<only> (?:<with> )?<verdict>",)),
    ("<dont_mention> ", ("(?:<determiner> ){0,3}(?:<any_word>)?<gaps>",)),
    ("<new> ", ("<marker_noun> :",)),
    ("<system_marker> ", (":",)),
    ("<system_role> ", (": <instruction_start>",)),
    ("<note> ", ("(?:<determiner> )?<ai_addressee> (?:<reader> )?[:,!]",)),
    ("<assistant_label> ", (": <affirmative>\\b",)),
    ("<if_you_are> ", ("(?:<article> )?(?:<any_word>)?<ai_addressee>\\b",)),
)

# Chat-template and instruction-format markup, the same in every language.
_MARKUP: Final = (
    r"<\|[a-z_]{2,40}\|>",
    r"\[/?inst\]",
    r"<</?sys>>",
    r"\[/?(?:system|sys|assistant|user)\]",
    r"</?(?:system|instructions?|prompt|assistant|im_start|im_end|start_of_turn|end_of_turn)>",
    r"#{2,} ?(?:system|instructions?|response|input|prompt)(?: prompt| message)? ?:",
)

_Vocabulary = dict[str, str]

_ENGLISH: Final[_Vocabulary] = {
    "ignore": "ignore|disregard|forget|overlook|override|bypass|discard|set aside|put aside|pay no attention to"
              "|(?:do not|don't|dont|never|no longer|stop|cease) (?:follow|obey|apply|heed|observe)(?:ing)?",
    "negations": "not|never|n't|not to|never to|to not|refuse to|refuses to|refused to|cannot|won't",
    "determiner": "all|any|of|the|your|my|these|those|every|each|such|its|that|this",
    "previous": "previous|previously given|prior|earlier|preceding|above|foregoing|former|original|initial|old"
                "|past|given|aforementioned|above mentioned|system|hidden",
    "context": "scoring|evaluation|assessment|screening|ranking|hiring|grading|review|selection|rating"
               "|recruiting|recruitment|safety|security|system|filtering|moderation|content|job|role",
    "instructions": "instructions?|prompts?|system prompts?|directions|directives?|guidelines|rules|commands"
                    "|orders|guidance|programming|constraints|criteria|restrictions|requirements"
                    "|job (?:description|posting|ad|advert|requirements)|role description|posting",
    "material": "text|content|input|context|messages?|conversation|information",
    "this_is": "this is|here is",
    "best_person": "(?:perfect|ideal|best|top|strongest|most qualified|exceptional|outstanding|standout|number one"
                   ") (?:candidate|applicant|hire|person|profile)",
    "reader": "reviewers?|readers?|screeners?|evaluators?|agents?|tools?|systems?|models?|assistants?",
    "assistant_label": "assistant|ai|chatgpt|gpt|model|bot|llm",
    "affirmative": "yes|sure|certainly|absolutely|definitely|of course|hire|strong hire|recommended"
                   "|this (?:candidate|applicant|person)|the (?:candidate|applicant)",
    "previous_after": "above|before|so far|up to now|until now|earlier|previously"
                      "|(?:that )?you (?:were|have been|'ve been) (?:given|told|provided)|you (?:have )?received"
                      "|given (?:to you )?(?:earlier|before|previously|above)|provided (?:earlier|before|above)"
                      "|in (?:the|your) system prompt",
    "everything": "(?:everything|anything|all of (?:this|that|the above)|what) (?:you (?:were|have been|'ve been)"
                  " (?:told|given)|(?:that )?(?:was |has been )?(?:said|written|stated|mentioned)"
                  " (?:above|before|earlier|so far|previously)|above|before|so far|up to now|until now|prior)"
                  "|the above",
    "void": "(?:are|is|have been|has been|should be|must be|are to be|shall be|can be|will be)"
            " (?:now |hereby |henceforth |officially |all )?(?:void|null|invalid|cancell?ed|revoked|obsolete"
            "|superseded|overridden|overruled|replaced|ignored|disregarded|withdrawn|deleted|removed|lifted"
            "|suspended|no longer (?:valid|in effect|applicable|relevant|in force))"
            "|no longer apply|(?:do|does) not apply|don't apply|(?:are|is) not (?:valid|applicable|in effect)",
    "rank": "rank|rate|score|grade|mark|list|place|put|position|classify|evaluate|assess|consider|treat|label"
            "|flag|tag|sort|prioriti[sz]e|move|push|bump|regard|judge|deem|categori[sz]e|describe|present"
            "|report",
    "adverb": "please|always|clearly|definitely|immediately|automatically|unconditionally|simply|just|now"
              "|strongly|also|then|instead",
    "object_prep": "",
    "candidate": "(?:this|the|that|my|our|said|present) (?:candidate|applicant|resume|cv|profile|person"
                 "|individual|application|jobseeker|job seeker|submission|talent|prospect|nominee)"
                 "(?:'?s (?:resume|cv|profile|application|submission))?|me",
    "as": "as|at|in|among|with|to|into|on|for",
    "superlative": "(?:the |a |an |very )*(?:first|1st|top|highest|best|number one|no\\.? ?1|#1"
                   "|(?:10|100|5|five|ten)(?: out of |/)(?:10|100|5|five|ten)|100 ?%|five stars|perfect|ideal"
                   "|excellent|outstanding|exceptional|strongest|(?:most|highly|well|fully) qualified"
                   "|strong hire|must hire|top tier|top ranked|highest ranked|maximum"
                   "|ahead of (?:all|every|everyone|the rest|others?)|above (?:all|every|everyone|others?))",
    "pick": "recommend|shortlist|short list|select|hire|approve|advance|accept|pass|invite|interview"
            "|fast track|move forward(?: with)?|choose|pick|prioriti[sz]e|endorse|onboard|employ|green ?light"
            "|(?:offer|make an offer|extend an offer)(?: the job| the role| the position)? to|progress"
            "|favou?r|vote for|back",
    "this_candidate": "this (?:candidate|applicant|person|individual|profile|resume|cv|jobseeker|job seeker"
                      "|application|talent|prospect|nominee|professional)",
    "must": "(?:must|should|shall|will|needs to|has to|is to|ought to)(?: be)?",
    "chosen": "hired|shortlisted|selected|recommended|advanced|approved|ranked (?:first|highest|top)"
              "|rated (?:highly|top|highest|first)|scored|moved (?:forward|ahead|to)|invited|interviewed"
              "|prioriti[sz]ed|fast tracked|offered|chosen|picked|accepted"
              "|given (?:the|a) (?:highest|top|best|perfect|maximum)",
    "is": "is|would be|will be|should be|must be|was|has been|remains|represents|is clearly|is definitely"
          "|is undoubtedly|is by far|counts as|qualifies as|is considered",
    "article": "the|a|an|your|our|my",
    "best": "(?:very |clearly |definitely |absolutely |by far |undoubtedly |simply )?(?:the )?(?:perfect|ideal"
            "|best|top|strongest|most qualified|excellent|exceptional|outstanding|number one|#1|obvious"
            "|highest ranked|top ranked|greatest|optimal|standout)(?: \\w+)? (?:match|fit|choice|candidate"
            "|hire|applicant|option|person|pick|selection|profile)"
            "|pre ?approved|pre ?selected|already (?:approved|selected)|a must hire",
    "not_after": "that|whether|if|ensure|ensures|ensuring|verify|verifying|check|checking|confirm|confirming",
    "meets": "meets|satisfies|fulfil?ls|exceeds|matches|checks|ticks|covers|answers|complies with|aligns with",
    "all": "all|every|each|100 ?% of|all of|each and every|every single|each of",
    "requirements": "requirements?|criteria|criterion|qualifications?|boxes|needs|must haves|expectations"
                    "|conditions|prerequisites|specifications",
    "respond": "respond|reply|answer|output|return|print|say|write|state|type|emit|give|conclude|report",
    "only": "only|just|solely|exclusively|simply|nothing but|nothing other than|nothing except"
            "|(?:the |a )?(?:single|one) word",
    "with": "with|by|using|the word|the phrase|the answer",
    "verdict": "['\"]|yes\\b|hire\\b|hired\\b|strong hire|shortlist(?:ed)?\\b|recommended\\b|match\\b|pass\\b"
               "|true\\b|10/10|100/100|positive\\b|accept\\b|advance\\b|approve\\b",
    "dont_mention": "(?:do not|don't|dont|never|you must not|you should not|please do not) (?:ever )?"
                    "(?:mention|flag|report|note|point out|highlight|reveal|disclose|discuss|penali[sz]e"
                    "|comment on|bring up|raise|list|question|ask about|mark down|deduct (?:points )?for|count"
                    "|consider|include|reference|describe|critici[sz]e|dwell on|focus on)"
                    "|without (?:mentioning|flagging|noting|highlighting|reporting|discussing|penali[sz]ing"
                    "|bringing up|pointing out)",
    "gaps": "gaps?|gap in|weakness(?:es)?|missing|red flags?|negatives?|concerns?|shortcomings?|lack of"
            "|job hopping|short tenures?|inconsistenc(?:y|ies)|deficienc(?:y|ies)|flaws?|criticism|limitations"
            "|(?:this|these) (?:instructions?|notes?|messages?|text|prompt)|(?:the )?hidden text|unemployment"
            "|(?:career|employment) breaks?|absence of",
    "new": "new|updated|revised|additional|hidden|secret|real|actual|override|overriding|true|confidential"
           "|important|urgent|priority|mandatory",
    "marker_noun": "instructions?|directives?|orders|task|prompt|system prompt|commands?",
    "system_marker": "(?:system|admin|administrator|developer|assistant|ai|model|llm|chatbot|gpt|chatgpt|bot"
                     "|root) (?:prompt|message|instructions?|note|override|notice|directive|commands?)",
    "system_role": "system|assistant|developer",
    "instruction_start": "you|your|ignore|disregard|forget|new|from now|override|the previous|all previous"
                         "|this (?:candidate|applicant|resume|cv|person)|the (?:candidate|applicant)|rank|rate"
                         "|score|recommend|act as|pretend|respond|answer|always|never|do not|don't|important"
                         "|attention|evaluat\\w*|hire|approve",
    "note": "(?:note|message|notice|attention|hint|reminder|memo|psa|warning|request) (?:to|for)"
            "|dear|hey|hello|attn",
    "ai_addressee": "ai|a\\.i|llms?|gpt|chatgpt|claude|gemini|copilot|(?:large )?language models?"
                    "|ai (?:models?|systems?|tools?|screeners?|reviewers?|recruiters?|assistants?|readers?"
                    "|agents?|bots?)|(?:resume|cv|applicant) (?:screeners?|parsers?|screening (?:tools?"
                    "|systems?|software))|screening (?:ai|bots?|tools?|software|algorithms?|models?|systems?)"
                    "|ats|applicant tracking systems?|(?:hiring|recruiting|recruitment|hr) (?:ai|bots?"
                    "|algorithms?|tools?|software|models?)|chatbots?|bots?|automated (?:systems?|screeners?"
                    "|reviewers?|tools?|readers?)|algorithms?",
    "if_you_are": "(?:if|when|since|as|because) you (?:are|'re)",
    "ai_model": "chatgpt|chat gpt|gpt(?: ?\\d\\w*)?|claude|gemini|bard|llama|copilot|mistral|grok|ai|a\\.i|llm"
                "|(?:large )?language model|ai (?:model|assistant|system|screener|recruiter|tool|agent)|chatbot"
                "|chat bot|bot|screening (?:ai|bot|model|tool|system|assistant|algorithm)"
                "|resume (?:screener|parser|screening tool)|ats|applicant tracking system"
                "|(?:hiring|recruiting|recruitment|hr) (?:ai|bot|model|tool|screener|algorithm)|dan",
}
_ENGLISH_RULES: Final = (
    "you(?:'re| are| will be|'ll be| shall be| now are)(?: now)? (?:<article> )?(?:<any_word>)?<ai_model>\\b",
    "you(?: are|'re) now (?:a|an|the|my|in|no longer|going|acting|operating|free|called|named|playing"
    "|working)\\b",
    "(?:from now on|from this point (?:on|forward)|henceforth|starting now"
    "|for the rest of this (?:conversation|session|task)),? you\\b",
    "(?:act|behave|respond|answer|reply|function|operate|roleplay|role play|serve|write) (?:as|like)"
    " (?:if|though) you (?:are|were)\\b",
    "(?:act|behave|function|operate|roleplay|role play|pose|masquerade) (?:as|like) (?:<article> )?"
    "(?:<any_word>)?(?:chatgpt|gpt|claude|gemini|llama|dan|(?:large )?language model|llm|unrestricted"
    "|unfiltered|jailbroken|uncensored)\\b",
    "pretend (?:to be|you are|you're|that you are|that you're|you were)\\b",
    "your (?:new|real|actual|true|only|sole|primary|updated|revised|main) (?:role|task|job|goal|objective"
    "|purpose|mission|instructions?|directive|assignment|priority|function) (?:is|are|will be|now is|from now|:)",
    "<ai_addressee> (?:that is |which is |who is |currently |now )?(?:reading|screening|reviewing|evaluating"
    "|processing|parsing|analy[sz]ing|assessing|scanning|looking at|summari[sz]ing|ranking|scoring|grading"
    "|handling) (?:this|my|the following|the present|these) (?:resume|cv|document|application|profile"
    "|candidate|text|file|page|submission|applicant|lines?)\\b",
    "(?:your|the) (?:answer|response|output|reply|verdict|recommendation|decision|evaluation|assessment"
    "|conclusion) (?:must|should|shall|will|has to) (?:always )?(?:be|say|read|state) (?:only )?"
    "(?:['\"]|yes\\b|hire\\b|strong hire|positive\\b|favou?rable\\b)",
    "(?:give|assign|award|grant) (?:<candidate>|him|her|them) (?:the |a |an )?(?:perfect|highest|maximum|top"
    "|full|best|10/10|100/100)(?: possible)? (?:score|rating|grade|marks?|points|ranking|rank|evaluation|spot"
    "|position|review)",
    "(?:recommend|suggest|advise|propose) (?:<adverb> )?(?:the )?(?:hiring|interviewing|shortlisting|selecting"
    "|advancing|approving|employing|onboarding)(?: of)? (?:this|him|her|them|me)\\b",
    "(?:the |your )?(?:correct|expected|required|right|only|final) (?:output|answer|response|verdict|rating|score"
    "|recommendation|decision) (?:is|should be|must be|will be|:) <verdict>",
)

_GERMAN: Final[_Vocabulary] = {
    "ignore": "ignoriere|ignorieren|ignorier|ignoriert|vergiss|vergessen|vergesst|missachte|missachten"
              "|missachtet|verwirf|verwerfen|verwerft|übergehe|übergehen|übergeht|überspringe|überspringen"
              "|lösche|löschen|beachte (?:nicht|keine|keinerlei)|beachten (?:sie )?(?:nicht|keine)"
              "|befolge (?:nicht|keine)|befolgen (?:sie )?(?:nicht|keine)",
    "negations": "nicht|nie|niemals|keinesfalls|nicht zu|nie zu",
    "determiner": "sie|bitte|alle|alles|die|der|den|dem|deine|ihre|eure|sämtliche|jegliche|jede|jeden|diese"
                  "|dir|euch|ihnen|sofort|einfach|zuvor|bisher|vorher|mal|nun|jetzt",
    "previous": "vorherigen?|vorigen?|bisherigen?|obigen?|obenstehenden?|oben genannten|vorangegangenen?"
                "|vorausgegangenen?|vorstehenden?|früheren?|ursprünglichen?|alten|anfänglichen?|erteilten"
                "|gegebenen|erhaltenen|zuvor (?:erteilten|gegebenen|erhaltenen)|system"
                "|bis(?:her|lang) (?:geltenden|gültigen)",
    "context": "bewertungs|auswahl|screening|system|sicherheits|einstellungs|prüf",
    "instructions": "anweisungen|anweisung|instruktionen|instruktion|anordnungen|befehle|vorgaben|regeln"
                    "|richtlinien|prompts?|aufforderungen|aufträge|direktiven|kriterien|anleitungen|vorschriften"
                    "|hinweise|systemprompts?|anforderungen",
    "everything": "alles,? was (?:du|sie|dir|ihnen|man dir|man ihnen) (?:bisher |zuvor |vorher |oben |davor )?"
                  "(?:gesagt|mitgeteilt|gegeben|erhalten|gelesen)|alles (?:bisher|zuvor|vorher|oben|davor)"
                  " (?:gesagte|geschriebene|genannte|gesagt|geschrieben)"
                  "|alles (?:obige|vorherige|bisherige|vorangegangene|davor|oben)",
    "void": "(?:sind|ist|gelten|gilt|werden|wird) (?:ab sofort |ab jetzt |hiermit |nun |jetzt |ab heute )?"
            "(?:ungültig|nichtig|aufgehoben|hinfällig|außer kraft|nicht mehr|nicht|irrelevant|widerrufen"
            "|ersetzt|obsolet|gestrichen|zu ignorieren)|ignorieren|vergessen|missachten|verwerfen|übergehen"
            "|nicht (?:mehr )?(?:beachten|befolgen)|außer acht lassen",
    "rank": "bewerte|bewerten|bewertet|stufe|stufen|stuft|setze|setzen|setzt|platziere|platzieren|platziert"
            "|ranke|ranken|reihe|reihen|führe|führen|markiere|markieren|liste|listen|ordne|ordnen|betrachte"
            "|betrachten|behandle|behandeln|gib|geben|gebt|vergib|vergeben|beurteile|beurteilen|kennzeichne"
            "|kennzeichnen|nimm|nehmen|schätze|schätzen|sieh|sehen|beschreibe|beschreiben",
    "adverb": "sie|bitte|immer|unbedingt|sofort|eindeutig|klar|direkt|einfach|auf jeden fall|jetzt|nun"
              "|ausdrücklich",
    "object_prep": "",
    "candidate": "(?:diese[nrsm]?|den|die|der|dem|das|meine[nrsm]?) (?:kandidat(?:en|in)?|bewerber(?:in|s)?"
                 "|lebenslaufs?|person|bewerbung|profil|cv|unterlagen|bewerbungsunterlagen)|mich",
    "as": "als|auf|an|mit|zur|zum|ganz",
    "superlative": "(?:den |die |das |der |eine[nr]? |ein )?(?:besten?|bester|top|ersten?|erster|perfekten?"
                   "|perfekter|idealen?|idealer|optimalen?|stärksten?|nummer eins|höchstqualifiziert\\w*"
                   "|hochqualifiziert\\w*|geeignetsten?|hervorragend\\w*|exzellent\\w*|herausragend\\w*)"
                   "|(?:platz|rang|position) (?:1|eins)\\b|(?:die )?erster? stelle|(?:die )?spitze|ganz oben"
                   "|(?:der |die )?(?:höchsten?|maximalen?|bestmöglichen?|vollen?) (?:punktzahl|bewertung"
                   "|note|punkte|punkten|wertung)|(?:10|100) (?:von|/|aus) (?:10|100)|100 ?%",
    "pick": "empfiehl|empfehlen|empfehle|wähle|wählen|wählt|nimm|nehmen|stelle|stellen|stellt|lade|laden|ladet"
            "|bevorzuge|bevorzugen|akzeptiere|akzeptieren|genehmige|genehmigen|berücksichtige|berücksichtigen",
    "of": "des|der|dieses|dieser",
    "this_candidate": "diese[nrsm]? (?:kandidat(?:en|in)?|bewerber(?:in|s)?|lebenslaufs?|person|bewerbung"
                      "|profil)",
    "must": "muss|sollte|soll|wird",
    "chosen": "(?:eingestellt|eingeladen|empfohlen|ausgewählt|bevorzugt|vorgeschlagen|genommen|angenommen"
              "|priorisiert) werden",
    "is": "ist|wäre|sei|bleibt|gilt als|ist eindeutig|ist klar|ist definitiv",
    "article": "der|die|das|ein|eine|einen|unser|unsere|ihr|ihre|dein|deine",
    "best": "(?:absolut |eindeutig |klar |definitiv )?(?:perfekte|ideale|beste|optimale|stärkste|geeignetste"
            "|absolute|einzig richtige|top|herausragende|erste)[rns]? ?(?:besetzung|wahl|match|treffer"
            "|kandidat(?:in)?|bewerber(?:in)?|fit|lösung|option|person)",
    "not_after": "dass|ob|wenn|sicherstellen|prüfen|geprüft",
    "meets": "erfüllt|übertrifft|entspricht|deckt|erfüllt ab",
    "all": "alle|sämtliche|jede|jeder|jeglichen?|100 ?% der|allen|all",
    "requirements": "anforderungen|anforderung|kriterien|kriterium|voraussetzungen|qualifikationen|vorgaben"
                    "|erwartungen|bedingungen|muss kriterien",
    "respond": "antworte|antworten|antwortet|gib|geben|schreibe|schreiben|schreib|sag|sage|sagen|ausgeben"
               "|melde|melden|fasse|fassen",
    "only": "nur|ausschließlich|lediglich|einzig|allein|einzig und allein|immer|stets|nichts anderes als",
    "with": "mit|das wort|dem wort|den satz|aus|als",
    "verdict": "['\"]|ja\\b|einstellen\\b|eingestellt\\b|geeignet\\b|top\\b|zusage\\b|annehmen\\b|empfohlen\\b"
               "|empfehlenswert\\b|perfekt\\b|10/10|100/100|bestanden\\b",
    "dont_mention": "(?:erwähne|erwähnen|erwähnt|erwähn|nenne|nennen|nennt|melde|melden|kritisiere"
                    "|kritisieren|thematisiere|thematisieren|sprich|sprechen|berücksichtige|berücksichtigen"
                    "|bewerte|bewerten|beachte|beachten|zähle) (?:sie )?(?:bitte )?(?:keine|keinen|keinerlei"
                    "|nicht|nichts|niemals|nie)(?: die| den| das| über| von)?",
    "gaps": "lücken?|beschäftigungslücken?|lebenslauflücken?|schwächen?|mängel|defizite?|fehlzeiten|bedenken"
            "|auszeiten|unterbrechungen|kritik|negativ\\w*|diese (?:anweisung|nachricht|notiz)"
            "|diesen (?:hinweis|text)|versteckten text|arbeitslosigkeit",
    "new": "neue|neuen|neuer|aktualisierte|aktualisierten|geänderte|geheime|wichtige|zusätzliche|eigentliche"
           "|wahre|echte|überarbeitete|dringende|verbindliche",
    "marker_noun": "anweisungen?|instruktionen?|aufgaben?|befehle?|vorgaben|prompts?|direktiven?|aufträge|auftrag",
    "system_marker": "(?:system|ki|assistent|administrator|admin|entwickler|modell|chatbot|bot|gpt)"
                     " (?:anweisungen?|nachricht|hinweis|befehl|prompt|notiz|meldung|instruktion|vorgabe"
                     "|mitteilung)",
    "system_role": "system",
    "instruction_start": "du|sie|ignoriere|ignorieren|vergiss|neue|ab sofort|ab jetzt|bewerte|empfiehl"
                         "|diese[rnsm]? (?:kandidat|bewerber)|antworte|alle (?:vorherigen|bisherigen)"
                         "|die (?:obigen|vorherigen|bisherigen)",
    "note": "(?:hinweis|nachricht|notiz|botschaft|mitteilung|anmerkung|achtung|wichtig) (?:an|für)",
    "ai_addressee": "kis?|ki (?:systeme?|modelle?|assistent\\w*|recruiter)|künstliche intelligenz"
                    "|sprachmodelle?|chatgpt|gpt|llms?|bots?|ats|bewerbermanagementsysteme?|screening tools?"
                    "|algorithm(?:en|us)|automatisierte systeme?",
    "material": "text|texte|inhalte?|kontext|nachrichten?|informationen",
    "this_is": "das ist|dies ist|hier ist",
    "best_person": "(?:beste|ideale|perfekte|stärkste|geeignetste)[rn]? (?:kandidat(?:in)?|bewerber(?:in)?|person"
                   "|besetzung)",
    "reader": "leser|prüfer|bewerter|systeme?|tools?|modelle?",
    "assistant_label": "assistent|ki|chatgpt|gpt|modell|bot",
    "affirmative": "ja|sicher|natürlich|absolut|auf jeden fall|einstellen|diese[rnsm]? (?:kandidat|bewerber)",
    "ai_model": "chatgpt|gpt(?: ?\\d\\w*)?|ki|künstliche intelligenz|sprachmodell|ki assistent(?:in)?"
                "|ki modell|ki system|llm|chatbot|bot|ki recruiter|ki screener|screening tool|ats",
}
_GERMAN_RULES: Final = (
    "(?:du bist|sie sind|ihr seid|du wirst|sie werden) (?:ab sofort|ab jetzt|von nun an|ab heute|jetzt|nun"
    "|fortan|ab hier) (?:<article>|mein|meine|kein|keine|nicht mehr|nur noch)\\b",
    "(?:ab sofort|ab jetzt|von nun an|ab heute|fortan|ab hier|ab diesem moment),? (?:bist du|sind sie"
    "|handelst du|handeln sie|antwortest du|antworten sie|agierst du|agieren sie|wirst du|werden sie"
    "|darfst du|musst du|müssen sie|sollst du)\\b",
    "(?:du bist|sie sind|ihr seid) (?:jetzt |nun |ab sofort )?(?:<article> )?(?:<any_word>)?<ai_model>\\b",
    "(?:wenn|falls|sofern) (?:du|sie) (?:eine |ein )?(?:<any_word>)?<ai_model> (?:bist|sind)\\b",
    "(?:tu|tue|tun sie|tut) so,? als (?:ob|wärst|wären|seist|seien)\\b",
    "(?:verhalte|verhalten|benimm|benehmen|agiere|agieren|handle|handeln|fungiere|fungieren|antworte"
    "|antworten) (?:dich |sich |sie )?(?:wie|als) (?:<article> )?(?:<any_word>)?(?:chatgpt|gpt|ki"
    "|sprachmodell|llm|ki assistent|uneingeschränkte\\w*|ungefilterte\\w*)\\b",
    "(?:schlüpfe|schlüpfen|spiele|spielen|übernimm|übernehmen) (?:sie )?(?:die|in die) rolle (?:eines|einer"
    "|des|der) (?:<any_word>)?(?:ki|chatgpt|sprachmodell|llm|ki assistent\\w*|bots?)\\b",
    "(?:deine|ihre|eure) (?:neue|eigentliche|wahre|einzige|wirkliche|aktuelle|erste) (?:aufgabe|rolle"
    "|anweisung|funktion|mission|pflicht|ziel) (?:ist|lautet|besteht|:)",
    "<ai_addressee>,? (?:die|der|das) (?:diesen|dieses|diese) (?:lebenslauf|bewerbung|dokument|unterlagen"
    "|profil) (?:liest|prüft|bewertet|analysiert|auswertet|verarbeitet)",
    "<candidate> (?:<adverb> )?(?:<as> )?<superlative> (?:<adverb> )?(?:ein)?(?:stufen|bewerten|ranken"
    "|ordnen|setzen|platzieren|führen|listen|markieren|reihen|vergeben|geben)\\b",
    "(?:lücken|schwächen|mängel) (?:im lebenslauf |in der bewerbung )?(?:bitte )?(?:nicht|keinesfalls"
    "|niemals) (?:erwähnen|nennen|ansprechen|thematisieren|bewerten|berücksichtigen)",
)

_FRENCH: Final[_Vocabulary] = {
    "ignore": "ignore|ignorez|ignorer|ignores|oublie|oubliez|oublier"
              "|ne (?:tiens|tenez|tenir|pas tenir) (?:pas |plus |aucun |jamais )?compte|fais abstraction"
              "|faites abstraction|faire abstraction|écarte|écartez|écarter|annule|annulez"
              "|ne (?:suis|suivez|respecte|respectez) (?:pas|plus)|passe outre|passez outre|outrepasse"
              "|outrepassez|efface|effacez|laisse de côté|laissez de côté|néglige|négligez|contourne|contournez",
    "negations": "ne|pas|jamais|n'|sans|refuser d'|refuser de",
    "determiner": "de|des|du|d'|toutes|tous|toute|tout|les|la|le|l'|tes|vos|ta|ton|votre|ces|ses|leurs|aux|à"
                  "|absolument|simplement|immédiatement|donc|maintenant",
    "previous": "précédentes?|précédents?|antérieures?|antérieurs|ci dessus|plus haut|d'avant|initiales?"
                "|initiaux|préalables?|d'origine|originales?|originaux|passées|anciennes?|anciens|données"
                "|reçues|existantes|qui précèdent|qui (?:t'|vous )?ont été (?:données|fournies|transmises)"
                "|du système|système|de départ",
    "context": "",
    "instructions": "instructions?|consignes?|directives?|règles|ordres|indications|commandes|invites|prompts?"
                    "|messages?|recommandations|critères|exigences|contraintes|orientations|paramètres",
    "everything": "tout ce qui (?:précède|est (?:écrit )?(?:au dessus|ci dessus|plus haut)|a été dit|t'a été dit"
                  "|vous a été dit)|tout ce que (?:l'on |on )?(?:t'a|vous a) (?:dit|demandé)"
                  "|tout ce qui a été (?:dit|écrit|demandé)|(?:le|les) (?:texte|contenu|message)s?"
                  " (?:précédents?|ci dessus)",
    "void": "(?:sont|est|ont été|a été|seront|sera|doivent être|doit être) (?:désormais |maintenant "
            "|dorénavant |officiellement |toutes |tous )?(?:annulée?s?|caduques?|nulle?s?|obsolètes?"
            "|remplacée?s?|invalides?|révoquée?s?|supprimée?s?|levée?s?|ignorée?s?|périmée?s?|abrogée?s?"
            "|sans effet|sans objet|plus valables?|non valables?)|ne s'appliquent plus"
            "|ne sont plus (?:valables|valides|applicables|en vigueur)|n'ont plus cours",
    "rank": "classe|classez|classer|note|notez|noter|évalue|évaluez|évaluer|mets|mettez|mettre|place|placez"
            "|placer|positionne|positionnez|considère|considérez|considérer|attribue|attribuez|attribuer"
            "|donne|donnez|donner|accorde|accordez|qualifie|qualifiez|présente|présentez|décris|décrivez"
            "|juge|jugez|range|rangez|marque|marquez|indique|indiquez|signale|signalez|traite|traitez",
    "adverb": "s'il (?:te|vous) plaît|toujours|immédiatement|directement|clairement|absolument|simplement"
              "|systématiquement|donc|bien|maintenant|désormais",
    "object_prep": "à|au",
    "candidate": "(?:ce|cette|cet|le|la|l'|mon|ma|ce présent) (?:candidat|candidate|cv|curriculum(?: vitae)?"
                 "|profil|postulant|postulante|candidature|dossier|personne)|moi",
    "as": "comme|en|au|à la|à|parmi|avec|dans|sur",
    "superlative": "(?:le |la |l'|un |une |en )?(?:premier|première|1er|1re|1ère|tête|top|meilleure?s?"
                   "|parfaite?|idéale?|numéro un|n° ?1|no ?1|premier rang|première (?:place|position)"
                   "|premier choix|note maximale|meilleure note|note la plus (?:haute|élevée)|note de 10"
                   "|(?:10|20|100) ?(?:/|sur) ?(?:10|20|100)|100 ?%|excellente?|exceptionnelle?|remarquable"
                   "|candidat idéal|candidate idéale|choix idéal|haut de la liste|tête de liste|sommet)",
    "pick": "recommande|recommandez|recommander|sélectionne|sélectionnez|sélectionner|retiens|retenez|retenir"
            "|embauche|embauchez|embaucher|engage|engagez|engager|recrute|recrutez|recruter|convoque"
            "|convoquez|choisis|choisissez|choisir|privilégie|privilégiez|priorise|priorisez"
            "|présélectionne|présélectionnez|accepte|acceptez|approuve|approuvez|valide|validez|favorise"
            "|favorisez|invite|invitez|propose|proposez",
    "of": "de|d'|du",
    "this_candidate": "(?:ce|cette|cet) (?:candidat|candidate|cv|curriculum|profil|postulant|postulante"
                      "|candidature|dossier|personne|professionnel|professionnelle)",
    "must": "(?:doit|devrait|mérite d'|mérite de|va)(?: être)?",
    "chosen": "embauchée?|retenue?|sélectionnée?|recommandée?|classée? premiere?|convoquée?|recrutée?|choisie?"
              "|privilégiée?|présélectionnée?|acceptée?",
    "is": "est|serait|sera|représente|reste|demeure|constitue|est clairement|est sans aucun doute"
          "|est sans doute|est de loin",
    "article": "le|la|l'|un|une|votre|notre|ton|ta",
    "best": "(?:candidat |candidate |profil |choix |option |personne |recrutement )?(?:idéale?|parfaite?"
            "|meilleure?|optimale?|numéro un|incontournable|évidente?|rêvée?)"
            "|(?:meilleure?|parfaite?|idéale?) (?:choix|candidat|candidate|profil|option|recrue)",
    "not_after": "que|qu'|si|vérifier|s'assurer",
    "meets": "remplit|satisfait|répond|coche|correspond|dépasse|respecte|satisfait à|répond à|correspond à"
             "|réunit",
    "all": "à toutes|à tous|toutes|tous|chacune|chacun|l'ensemble|100 ?%",
    "requirements": "(?:les |des |de )?(?:exigences|critères|conditions|attentes|prérequis|cases"
                    "|compétences requises|qualifications|besoins)",
    "respond": "réponds|répondez|répondre|écris|écrivez|écrire|indique|indiquez|dis|dites|renvoie|renvoyez"
               "|affiche|affichez|retourne|retournez|conclus|concluez",
    "only": "uniquement|seulement|simplement|exclusivement|juste|rien d'autre que|toujours|que",
    "with": "par|avec|le mot|la phrase|les mots",
    "verdict": "['\"]|oui\\b|embaucher\\b|embauché\\w*|retenue?s?\\b|acceptée?s?\\b|à recruter|recruter\\b"
               "|recommandée?s?\\b|apte\\b|favorable\\b|validée?s?\\b|10/10|20/20",
    "dont_mention": "(?:ne |n')(?:mentionne|mentionnez|signale|signalez|relève|relevez|parle|parlez|cite"
                    "|citez|évoque|évoquez|souligne|soulignez|indique|indiquez|retiens|retenez|note|notez"
                    "|critique|critiquez|pénalise|pénalisez|tiens compte|tenez compte) (?:pas|aucun|aucune"
                    "|jamais|rien|surtout pas|en aucun cas)|sans (?:mentionner|signaler|évoquer|relever|souligner"
                    "|parler d)",
    "gaps": "trous?|lacunes?|périodes? (?:d'inactivité|de chômage|sans emploi|creuses?)|interruptions?"
            "|faiblesses?|manques?|points? faibles?|défauts?|absences?|creux|vides?|ces instructions"
            "|cette instruction|ce message|ce texte|chômage|inactivité|ruptures?",
    "new": "nouvelles?|nouveaux|nouvel|mises? à jour|véritables?|vraies?|secrètes?|importantes?|réelles?"
           "|prioritaires?|urgentes?",
    "marker_noun": "instructions?|consignes?|directives?|ordres|tâches?|missions?|prompts?|commandes?",
    "system_marker": "(?:message|instructions?|consignes?|note|directive|commande|invite|prompt|avis)"
                   " (?:du |de |de l'|pour l'|à l')?(?:système|ia|assistant|administrateur|modèle)",
    "system_role": "système",
    "instruction_start": "tu|vous|ignore|ignorez|oublie|oubliez|nouvelles?|désormais|à partir de maintenant"
                         "|classe|classez|recommande|recommandez|ce candidat|cette candidate"
                         "|les (?:instructions|consignes|directives|règles)|réponds|répondez",
    "note": "(?:note|message|avis|remarque|attention|information|rappel) (?:à|pour|aux)",
    "ai_addressee": "ia|intelligences? artificielles?|modèles? de langage|chatgpt|gpt|llms?|robots?|bots?|ats"
                    "|logiciels? de (?:tri|recrutement|présélection)|algorithmes?|systèmes? automatisés?"
                    "|assistants? (?:ia|virtuels?)|chatbots?",
    "if_you_are": "si (?:tu es|vous êtes|t'es)",
    "material": "textes?|contenus?|contexte|messages?|informations",
    "this_is": "c'est|voici|voilà",
    "best_person": "(?:le |la )?(?:candidat|candidate|profil|personne|postulant|postulante) (?:idéale?|parfaite?"
                   "|rêvée?)|(?:le |la )?meilleure? (?:candidat|candidate|profil|personne)",
    "reader": "lecteurs?|évaluateurs?|examinateurs?|systèmes?|outils?|modèles?",
    "assistant_label": "assistant|ia|chatgpt|gpt|modèle|bot",
    "affirmative": "oui|bien sûr|absolument|certainement|évidemment|embaucher|ce candidat|cette candidate",
    "ai_model": "chatgpt|gpt(?: ?\\d\\w*)?|ia|intelligence artificielle|modèle de langage|modèle d'ia"
                "|assistant (?:ia|virtuel|d'ia)|llm|chatbot|robot|bot|agent conversationnel|ats"
                "|logiciel de (?:tri|recrutement|présélection)",
}
_FRENCH_RULES: Final = (
    "(?:tu es|vous êtes|tu seras|vous serez|tu deviens|vous devenez) (?:maintenant|désormais|dorénavant"
    "|à présent|à partir de maintenant|à partir d'aujourd'hui) (?:<article>|mon|ma|mes|plus)\\b",
    "(?:à partir de maintenant|à partir d'aujourd'hui|désormais|dorénavant|à présent|dès maintenant),?"
    " (?:tu|vous)\\b",
    "(?:tu es|vous êtes|t'es) (?:maintenant |désormais )?(?:<article> )?(?:<any_word>)?<ai_model>\\b",
    "(?:fais|faites|faire|fait) comme si (?:tu étais|vous étiez|tu es|vous êtes|t'étais)\\b",
    "(?:agis|agissez|comporte toi|comportez vous|réponds|répondez|fonctionne|fonctionnez) (?:comme|en tant que"
    "|tel) (?:si (?:tu étais|vous étiez)\\b|(?:<article> )?(?:<any_word>)?(?:chatgpt|gpt|ia"
    "|intelligence artificielle|modèle de langage|llm|assistant ia)\\b)",
    "(?:joue|jouez|endosse|endossez|prends|prenez|incarne|incarnez) (?:le )?(?:rôle|personnage) (?:d'|de |du )?"
    "(?:<article> )?(?:<any_word>)?(?:chatgpt|gpt|ia|intelligence artificielle|modèle de langage|llm"
    "|assistant ia|robot)\\b",
    "(?:ton|votre|ta) (?:nouveau|nouvelle|nouvel|vrai|vraie|véritable|seul|seule|unique|réel|réelle)"
    " (?:rôle|tâche|mission|objectif|but|instruction|consigne|travail|métier|fonction) (?:est|sera|consiste|:)",
    "<ai_addressee> (?:qui )?(?:lit|lisez|lis|analyse|analysez|évalue|évaluez|examine|examinez|trie|triez"
    "|traite|traitez|parcourt|parcourez) (?:ce|cette|le|la|mon|ma) (?:cv|candidature|document|profil|texte"
    "|dossier)",
)

_SPANISH: Final[_Vocabulary] = {
    "ignore": "ignora|ignore|ignorad|ignoren|ignorar|olvida|olvide|olvidad|olviden|olvidar|olvídate de"
              "|olvídese de|descarta|descarte|descartad|descarten|descartar|omite|omita|omitid|omitan|omitir"
              "|pasa por alto|pase por alto|pasar por alto|(?:haz|haga|hagan|hacer) caso omiso (?:a|de)"
              "|no (?:hagas|haga) caso (?:a|de)|no (?:sigas|siga|sigan)|deja de seguir|deje de seguir"
              "|desestima|desestime|desatiende|desatienda|anula|anule|borra|borre|prescinde de|prescinda de"
              "|sáltate|sáltese|desobedece|desobedezca|no (?:tengas|tenga|tomes|tome) en cuenta",
    "negations": "no|nunca|jamás|sin",
    "determiner": "a|de|todas|todos|toda|todo|las|los|la|el|tus|sus|tu|su|esas|estas|esos|estos|cualquier"
                  "|cualesquiera|del|al|por favor|completamente|simplemente|ahora",
    "previous": "anteriores|anterior|previas?|previos?|de arriba|precedentes?|iniciales?|originales?|antiguas?"
                "|antiguos|dadas|recibidas|del sistema|de sistema|de antes|pasadas"
                "|que (?:te|le|les) (?:dieron|han dado|di|dimos|hemos dado)",
    "context": "",
    "instructions": "instrucciones|instrucción|indicaciones|órdenes|directrices|directivas|reglas|normas"
                    "|consignas|mensajes|comandos|prompts?|pautas|criterios|requisitos|restricciones",
    "everything": "todo lo (?:anterior|que (?:te|le) (?:dijeron|han dicho|dije|hemos dicho|indicaron)|dicho"
                  "|de arriba|que se dijo)|lo (?:anterior|de arriba|dicho antes)",
    "void": "(?:son|es|están|está|quedan|queda|han sido|ha sido|fueron|fue|quedaron|serán|deben ser|debe ser)"
            " (?:ahora |ya |desde ahora |oficialmente |todas |todos )?(?:nul[ao]s?|inválid[ao]s?|anulad[ao]s?"
            "|cancelad[ao]s?|obsolet[ao]s?|revocad[ao]s?|reemplazad[ao]s?|sustituid[ao]s?|ignorad[ao]s?"
            "|sin efecto|sin validez|derogad[ao]s?|suprimid[ao]s?)"
            "|ya no (?:son válidas|aplican|se aplican|valen|rigen|tienen validez)"
            "|no (?:aplican|se aplican|son válidas)|dejan de (?:aplicar|ser válidas)",
    "rank": "clasifica|clasifique|clasificad|clasificar|califica|califique|calificad|calificar|puntúa|puntúe"
            "|puntuar|evalúa|evalúe|evaluar|valora|valore|valorar|coloca|coloque|colocar|pon|ponga|poned"
            "|poner|sitúa|sitúe|situar|considera|considere|considerar|marca|marque|marcar|asigna|asigne"
            "|asignar|da|dale|dele|denle|dadle|otorga|otorgue|otórgale|otórguele|prioriza|priorice|ubica"
            "|ubique|ordena|ordene|rankea|rankee|presenta|presente|describe|describa|trata|trate|etiqueta"
            "|etiquete",
    "adverb": "por favor|siempre|inmediatamente|directamente|claramente|simplemente|ahora|automáticamente"
              "|sin dudar|sin duda",
    "object_prep": "a|al",
    "candidate": "(?:este|esta|el|la|al|mi|el presente|la presente|dicho|dicha) (?:candidato|candidata|cv"
                 "|currículum|currículo|perfil|postulante|aspirante|solicitante|candidatura|persona"
                 "|profesional)|me|mí",
    "as": "como|en|con|entre|al|a la|el|la|de",
    "superlative": "(?:el |la |lo |los |las |un |una |en |de )?(?:primer[oa]|primer (?:lugar|puesto)"
                   "|mejor(?:es)?|perfect[oa]|ideal|idóne[oa]|número uno|n\\.? ?º? ?1|top"
                   "|máxima (?:puntuación|nota|calificación)|(?:puntuación|nota|calificación|valoración)"
                   " (?:máxima|más alta)|la más alta|el más alto|más alt[oa]|10/10|100/100|100 ?%|excelente"
                   "|excepcional|sobresaliente|candidat[oa] ideal|lo más alto|primera posición"
                   "|cabeza de la lista|encima de (?:todos|todas|los demás))",
    "pick": "recomienda|recomiende|recomendad|recomienden|recomendar|selecciona|seleccione|seleccionad"
            "|seleccionar|contrata|contrate|contratad|contraten|contratar|elige|elija|elegid|elegir|escoge"
            "|escoja|preselecciona|preseleccione|aprueba|apruebe|aprobar|avanza|avance|prioriza|priorice"
            "|acepta|acepte|aceptar|favorece|favorezca|convoca|convoque|incorpora|incorpore|ficha|fiche|fichar",
    "of": "a|de|del|al",
    "this_candidate": "(?:a )?(?:este|esta) (?:candidato|candidata|cv|currículum|currículo|perfil|postulante"
                      "|aspirante|solicitante|candidatura|persona|profesional)",
    "must": "(?:debe|debería|tiene que|merece|va a)(?: ser)?",
    "chosen": "contratad[oa]|seleccionad[oa]|recomendad[oa]|elegid[oa]|aprobad[oa]|preseleccionad[oa]"
              "|entrevistad[oa]|priorizad[oa]|clasificad[oa] (?:en primer lugar|primer[oa])",
    "is": "es|sería|será|representa|resulta|parece|es claramente|es sin duda|es definitivamente|constituye",
    "article": "el|la|un|una|lo|su|tu|nuestro|nuestra",
    "best": "(?:candidat[oa] |perfil |opción |elección |persona )?(?:ideal|perfect[oa]|mejor|idóne[oa]"
            "|óptim[oa]|número uno|indiscutible|obvi[oa])|(?:mejor|perfect[oa]|ideal) (?:opción|elección"
            "|candidat[oa]|perfil)",
    "not_after": "que|si|verificar|comprobar",
    "meets": "cumple(?: con)?|satisface|reúne|supera|cubre|llena|tiene|posee|atiende",
    "all": "todos|todas|cada uno de|cada una de|el 100 ?% de",
    "requirements": "(?:los |las )?(?:requisitos|criterios|condiciones|requerimientos|exigencias|competencias"
                    "|expectativas|prerrequisitos)",
    "respond": "responde|responda|respondan|responder|contesta|conteste|contestar|di|diga|digan|escribe"
               "|escriba|escribir|devuelve|devuelva|indica|indique|muestra|muestre",
    "only": "solo|solamente|únicamente|exclusivamente|simplemente|siempre|nada más que",
    "with": "con|la palabra|el término|diciendo",
    "verdict": "['\"]|contratar\\b|contratad[oa]\\b|apt[oa]\\b|aprobad[oa]\\b|recomendad[oa]\\b"
               "|seleccionad[oa]\\b|perfect[oa]\\b|10/10|100/100",
    "dont_mention": "no (?:menciones|mencione|mencionen|mencionar|señales|señale|señalar|indiques|indique"
                    "|comentes|comente|hables|hable|destaques|destaque|incluyas|incluya|resaltes|resalte"
                    "|tengas en cuenta|tenga en cuenta|consideres|considere|penalices|penalice|critiques"
                    "|critique|reportes|reporte|cites|cite)|sin (?:mencionar|señalar|comentar|destacar|indicar)",
    "gaps": "vacíos?|lagunas?|huecos?|brechas?|períodos? (?:de inactividad|sin empleo|de desempleo|sin trabajo)"
            "|interrupciones?|debilidad(?:es)?|carencias?|inactividad|faltas|puntos débiles"
            "|estas instrucciones|esta instrucción|este mensaje|desempleo|paro",
    "new": "nuev[ao]s?|actualizad[ao]s?|verdader[ao]s?|reales?|secret[ao]s?|importantes?|prioritari[ao]s?"
           "|urgentes?|ocult[ao]s?",
    "marker_noun": "instrucciones|instrucción|órdenes|indicaciones|directrices|directivas|tareas?|prompts?"
                   "|comandos|consignas",
    "system_marker": "(?:mensaje|instrucción|instrucciones|nota|aviso|indicación|prompt|orden)"
                   " (?:del|de|para el|para la|a la|al) (?:sistema|ia|asistente|administrador|modelo|chatbot)",
    "system_role": "sistema",
    "instruction_start": "tú|tu|usted|ignora|ignore|olvida|nuevas?|a partir de ahora|desde ahora|clasifica"
                         "|recomienda|este candidato|esta candidata|responde|las (?:instrucciones|reglas)"
                         "|descarta",
    "note": "(?:nota|mensaje|aviso|atención|recordatorio|información) (?:para|a)",
    "ai_addressee": "ias?|inteligencias? artificiales?|modelos? de lenguaje|chatgpt|gpt|llms?|bots?|robots?"
                    "|chatbots?|ats|algoritmos?|sistemas? automatizados?|asistentes? de ia"
                    "|software de (?:selección|reclutamiento)",
    "if_you_are": "si (?:eres|es usted|usted es)",
    "material": "textos?|contenidos?|contexto|mensajes?|información",
    "this_is": "este es|esta es|aquí está|he aquí",
    "best_person": "(?:el |la )?(?:candidat[oa]|perfil|persona|postulante|aspirante) (?:ideal|perfect[oa]|idóne[oa])"
                   "|(?:el |la )?mejor (?:candidat[oa]|perfil|persona|postulante|aspirante)",
    "reader": "lectores?|evaluadores?|revisores?|sistemas?|herramientas?|modelos?",
    "assistant_label": "asistente|ia|chatgpt|gpt|modelo|bot",
    "affirmative": "sí|claro|por supuesto|absolutamente|desde luego|contratar|este candidato|esta candidata",
    "ai_model": "chatgpt|gpt(?: ?\\d\\w*)?|ia|inteligencia artificial|modelo de lenguaje|modelo de ia"
                "|asistente (?:de ia|virtual)|llm|chatbot|bot|robot|ats"
                "|sistema de (?:selección|reclutamiento) automatizado",
}
_SPANISH_RULES: Final = (
    "(?:a partir de ahora|desde ahora|de ahora en adelante|desde este momento|a partir de este momento),?"
    " (?:eres|serás|es usted|usted es|actúas|actuarás|actúa|responderás|debes|tienes que|vas a|tú)\\b",
    "(?:ahora|ya) (?:eres|es usted|serás) (?:<article>|mi)\\b",
    "(?:eres|es usted|usted es|serás) (?:ahora|a partir de ahora|desde ahora|de ahora en adelante)"
    " (?:<article>|mi)\\b",
    "(?:eres|es usted|usted es|serás) (?:ahora )?(?:<article> )?(?:<any_word>)?<ai_model>\\b",
    "(?:actúa|actúe|actuad|actúen|compórtate|compórtese|responde|responda|funciona|funcione) (?:como|cual)"
    " (?:si (?:fueras|fuera|fueses|fuese|eres|es)\\b|(?:<article> )?(?:<any_word>)?(?:chatgpt|gpt|ia"
    "|inteligencia artificial|modelo de lenguaje|llm|asistente de ia)\\b)",
    "(?:finge|finja|fingid|finjan|imagina que eres|imagine que es|simula|simule) (?:ser|que eres|que es"
    "|que sos)\\b",
    "(?:juega|juegue|asume|asuma|adopta|adopte|interpreta|interprete) el (?:papel|rol) de (?:<article> )?"
    "(?:<any_word>)?(?:chatgpt|gpt|ia|inteligencia artificial|modelo de lenguaje|llm|asistente de ia)\\b",
    "(?:tu|su) (?:nuev[oa]|verdader[oa]|únic[oa]|real|auténtic[oa]) (?:rol|papel|tarea|misión|objetivo"
    "|función|instrucción|trabajo|propósito) (?:es|será|consiste|:)",
    "<ai_addressee> (?:que )?(?:lee|lees|analiza|analizas|evalúa|evalúas|revisa|revisas|procesa|procesas"
    "|examina|examinas|filtra|filtras) (?:este|esta|el|la|mi) (?:cv|currículum|documento|perfil|candidatura"
    "|texto|solicitud)",
)

_PORTUGUESE: Final[_Vocabulary] = {
    "ignore": "ignore|ignora|ignorem|ignorar|esqueça|esquece|esqueçam|esquecer|desconsidere|desconsidera"
              "|desconsiderem|desconsiderar|descarte|descarta|descartem|descartar|despreze|despreza|desprezem"
              "|desprezar|não (?:siga|sigam|considere|considerem|levem? em conta|levem? em consideração"
              "|obedeça|respeite|siga mais)|deixe de (?:seguir|considerar)|pare de seguir|anule|anula"
              "|passe por cima (?:de|das|dos)|apague|apaga|omita|omite|pule",
    "negations": "não|nunca|jamais|sem",
    "determiner": "de|das|dos|da|do|todas|todos|toda|todo|as|os|a|o|suas|seus|sua|seu|tuas|teus|tua|teu|essas"
                  "|esses|estas|estes|quaisquer|qualquer|por favor|completamente|simplesmente|agora",
    "previous": "anteriores|anterior|prévias?|prévios?|acima|precedentes?|iniciais|inicial|originais|original"
                "|antigas?|antigos|recebidas|dadas|fornecidas|do sistema|de sistema|existentes|passadas"
                "|de antes|que (?:você|te|lhe) (?:recebeu|foram dadas|deram)",
    "context": "",
    "instructions": "instruções|instrução|orientações|orientação|ordens|diretrizes|diretivas|regras|normas"
                    "|comandos|indicações|mensagens|prompts?|recomendações|critérios|requisitos|restrições",
    "everything": "tudo (?:o que (?:foi dito|te disseram|lhe disseram|está acima|foi escrito|veio antes)|acima"
                  "|que foi dito|antes disso)|o que (?:foi dito|está escrito) (?:acima|antes)",
    "void": "(?:são|é|estão|está|ficam|fica|foram|foi|serão|devem ser|deve ser) (?:agora |já |oficialmente "
            "|todas |todos |a partir de agora )?(?:nul[ao]s?|inválid[ao]s?|anulad[ao]s?|cancelad[ao]s?"
            "|obsolet[ao]s?|revogad[ao]s?|substituíd[ao]s?|ignorad[ao]s?|sem efeito|sem validade"
            "|suspens[ao]s?|suprimid[ao]s?)|não (?:valem|se aplicam|são mais válidas|estão mais em vigor)"
            "|já não (?:valem|se aplicam)|deixam de valer",
    "rank": "classifique|classifica|classifiquem|classificar|avalie|avalia|avaliem|avaliar|pontue|pontua"
            "|pontuar|coloque|coloca|coloquem|colocar|ponha|põe|ponham|pôr|considere|considera|considerem"
            "|considerar|marque|marca|atribua|atribui|atribuam|atribuir|dê|dá|deem|dar|conceda|concede"
            "|priorize|prioriza|posicione|posiciona|ranqueie|ranqueia|ordene|ordena|apresente|apresenta"
            "|descreva|descreve|trate|trata|qualifique|qualifica|eleve|eleva",
    "adverb": "por favor|sempre|imediatamente|diretamente|claramente|simplesmente|agora|automaticamente"
              "|sem dúvida",
    "object_prep": "a|ao|à",
    "candidate": "(?:este|esta|esse|essa|o|a|ao|à|meu|minha|o presente|a presente) (?:candidat[oa]|currículo"
                 "|cv|perfil|profissional|postulante|candidatura|pessoa|aplicante)|me|mim",
    "as": "como|em|com|entre|no|na|o|a|de",
    "superlative": "(?:o |a |os |as |um |uma |em |de |no |na )?(?:primeir[oa]|primeiro lugar|melhor(?:es)?"
                   "|perfeit[oa]|ideal|número um|n\\.? ?º? ?1|top|topo|nota máxima|pontuação máxima"
                   "|(?:maior|mais alta) (?:nota|pontuação|classificação)|nota mais alta|10/10|100/100"
                   "|100 ?%|excelente|excepcional|candidat[oa] ideal|primeira posição|cabeça da lista"
                   "|topo da lista|acima de (?:todos|todas))",
    "pick": "recomende|recomenda|recomendem|recomendar|selecione|seleciona|selecionem|selecionar|contrate"
            "|contrata|contratem|contratar|escolha|escolhe|escolham|escolher|aprove|aprova|aprovem|aprovar"
            "|pré selecione|pré seleciona|chame|chama|convoque|convoca|avance|avança"
            "|priorize|prioriza|aceite|aceita|favoreça|favorece|indique|indica|admita|admite",
    "of": "de|da|do|a|o",
    "this_candidate": "(?:este|esta|esse|essa|deste|desta|desse|dessa|a este|a esta) (?:candidat[oa]"
                      "|currículo|cv|perfil|profissional|postulante|candidatura|pessoa)",
    "must": "(?:deve|deveria|tem que|precisa|merece|vai)(?: ser)?",
    "chosen": "contratad[oa]|selecionad[oa]|recomendad[oa]|escolhid[oa]|aprovad[oa]|pré selecionad[oa]"
              "|entrevistad[oa]|priorizad[oa]|classificad[oa] (?:em primeiro lugar|primeir[oa])",
    "is": "é|seria|será|representa|parece|é claramente|é sem dúvida|é definitivamente|constitui",
    "article": "o|a|um|uma|seu|sua|nosso|nossa",
    "best": "(?:candidat[oa] |perfil |opção |escolha |pessoa |profissional )?(?:ideal|perfeit[oa]|melhor"
            "|ótim[oa]|número um|indiscutível|óbvi[oa])|(?:melhor|perfeit[oa]|ideal) (?:opção|escolha"
            "|candidat[oa]|perfil)",
    "not_after": "que|se|verificar|garantir",
    "meets": "atende|cumpre|preenche|satisfaz|supera|reúne|possui|tem|corresponde",
    "all": "a todos|a todas|todos|todas|cada um dos|cada uma das|100 ?% dos|com todos|com todas",
    "requirements": "(?:os |as )?(?:requisitos|critérios|exigências|condições|pré requisitos|qualificações"
                    "|competências|expectativas)",
    "respond": "responda|responde|respondam|responder|diga|diz|digam|escreva|escreve|escrevam|retorne|retorna"
               "|devolva|devolve|indique|indica|mostre|mostra",
    "only": "apenas|somente|só|unicamente|exclusivamente|simplesmente|sempre|nada além de|nada mais que",
    "with": "com|a palavra|o termo|dizendo",
    "verdict": "['\"]|sim\\b|contratar\\b|contratad[oa]\\b|aprovad[oa]\\b|apt[oa]\\b|recomendad[oa]\\b"
               "|selecionad[oa]\\b|perfeit[oa]\\b|10/10|100/100",
    "dont_mention": "(?:não|nunca) (?:mencione|mencionem|mencionar|cite|citem|aponte|apontem|destaque"
                    "|destaquem|indique|indiquem|comente|comentem|fale|falem|inclua|incluam|sinalize"
                    "|sinalizem|considere|considerem|penalize|penalizem|critique|critiquem|relate|relatem"
                    "|registre)|sem (?:mencionar|citar|apontar|destacar|comentar)",
    "gaps": "lacunas?|intervalos?|períodos? (?:de inatividade|sem emprego|parado|de desemprego|sem trabalho)"
            "|interrupç(?:ão|ões)|fraquezas?|pontos fracos|falhas|buracos|gaps?|hiatos?|essas instruções"
            "|esta instrução|esta mensagem|desemprego|inatividade",
    "new": "nov[ao]s?|atualizad[ao]s?|verdadeir[ao]s?|reais|secret[ao]s?|importantes?|prioritári[ao]s?"
           "|urgentes?|ocult[ao]s?",
    "marker_noun": "instruções|instrução|ordens|orientações|diretrizes|diretivas|tarefas?|prompts?|comandos",
    "system_marker": "(?:mensagem|instrução|instruções|nota|aviso|orientação|prompt|ordem|comando)"
                   " (?:do|de|para o|para a|à|ao) (?:sistema|ia|assistente|administrador|modelo|chatbot)",
    "system_role": "sistema",
    "instruction_start": "você|tu|ignore|esqueça|novas?|a partir de agora|classifique|recomende"
                         "|este candidato|esta candidata|responda|as (?:instruções|regras|diretrizes)"
                         "|desconsidere",
    "note": "(?:nota|mensagem|aviso|atenção|lembrete|recado|informação) (?:para|à|ao)",
    "ai_addressee": "ias?|inteligências? artificia(?:l|is)|modelos? de linguagem|chatgpt|gpt|llms?|bots?"
                    "|robôs?|chatbots?|ats|algoritmos?|sistemas? automatizados?|assistentes? de ia"
                    "|software de (?:seleção|recrutamento)",
    "if_you_are": "se (?:você é|tu és|você for|for)",
    "material": "textos?|conteúdos?|contexto|mensagens?|informações",
    "this_is": "este é|esta é|aqui está|eis",
    "best_person": "(?:o |a )?(?:candidat[oa]|perfil|pessoa|profissional) (?:ideal|perfeit[oa])"
                   "|(?:o |a )?melhor (?:candidat[oa]|perfil|pessoa|profissional)",
    "reader": "leitores?|avaliadores?|revisores?|sistemas?|ferramentas?|modelos?",
    "assistant_label": "assistente|ia|chatgpt|gpt|modelo|bot",
    "affirmative": "sim|claro|com certeza|absolutamente|certamente|contratar|este candidato|esta candidata",
    "ai_model": "chatgpt|gpt(?: ?\\d\\w*)?|ia|inteligência artificial|modelo de linguagem|modelo de ia"
                "|assistente (?:de ia|virtual)|llm|chatbot|bot|robô|ats"
                "|sistema de (?:seleção|recrutamento) automatizado",
}
_PORTUGUESE_RULES: Final = (
    "(?:a partir de agora|de agora em diante|daqui em diante|desde agora|a partir deste momento),?"
    " (?:você|tu)\\b",
    "(?:você|tu) (?:agora|a partir de agora|de agora em diante|daqui em diante) (?:é|és|será|serás|vai ser"
    "|passa a ser|atua|age|deve|responde)\\b",
    "(?:agora|já) (?:você é|tu és)\\b",
    "(?:você é|tu és|você será) (?:agora )?(?:<article> )?(?:<any_word>)?<ai_model>\\b",
    "(?:aja|age|atue|atua|comporte se|comporta te|funcione|responda) (?:como|feito) (?:se (?:fosse|fosses"
    "|você fosse|tu fosses)\\b|(?:<article> )?(?:<any_word>)?(?:chatgpt|gpt|ia|inteligência artificial"
    "|modelo de linguagem|llm|assistente de ia)\\b)",
    "(?:finja|finge|finjam|imagine que (?:você é|é)|simule) (?:ser|que (?:você )?(?:é|és|era))\\b",
    "(?:assuma|assume|interprete|interpreta|faça|faz) o papel de (?:<article> )?(?:<any_word>)?(?:chatgpt|gpt"
    "|ia|inteligência artificial|modelo de linguagem|llm|assistente de ia)\\b",
    "(?:seu|sua|teu|tua) (?:nov[oa]|verdadeir[oa]|únic[oa]|real|principal) (?:papel|função|tarefa|missão"
    "|objetivo|trabalho|propósito|instrução) (?:é|será|consiste|:)",
    "<ai_addressee> (?:que )?(?:lê|lendo|analisa|analisando|avalia|avaliando|revisa|revisando|processa"
    "|processando|examina|examinando|filtra|filtrando) (?:este|esta|o|a|meu|minha) (?:cv|currículo"
    "|documento|perfil|candidatura|texto)",
)

_LANGUAGES: Final = (
    (_ENGLISH, _ENGLISH_RULES),
    (_GERMAN, _GERMAN_RULES),
    (_FRENCH, _FRENCH_RULES),
    (_SPANISH, _SPANISH_RULES),
    (_PORTUGUESE, _PORTUGUESE_RULES),
)
_PLACEHOLDER: Final = re.compile(r"<([a-z_]+)>")
_ESCAPE_OR_CHAR: Final = re.compile(r"\\.|.", re.DOTALL)
_OPTIONAL_WORDS: Final = frozenset({"context", "object_prep", "reader"})
_GUARDS: Final = frozenset({"negations", "not_after"})


def _fold_pattern(pattern: str) -> str:
    """Fold the literal letters of a pattern like the text (accents, case), leaving escapes as they are."""
    return _ESCAPE_OR_CHAR.sub(lambda m: m.group(0) if len(m.group(0)) > 1 else _fold_char(m.group(0)), pattern)


def _lookbehinds(words: str) -> str:
    """`(?<!word )` for each word: Python look-behinds need a fixed width, so one per word."""
    guards = []
    for word in _fold_pattern(words).split("|"):
        ending = "" if word.endswith("'") else _SPACE
        guards.append("(?<!" + re.escape(word).replace("\\ ", _SPACE) + ending + ")")
    return "".join(guards)


def _expand(rule: str, vocabulary: _Vocabulary) -> str | None:
    """A rule folded and filled from one language, spaces still spaces; None when that language has no words
    for one of its placeholders."""
    missing = False

    def fill(found: re.Match[str]) -> str:
        nonlocal missing
        name = found.group(1)
        if name == "any_word":
            return _ANY_WORD
        words = vocabulary.get(name)
        if words is None or (not words and name not in _OPTIONAL_WORDS):
            missing = True
            return ""
        if name in _GUARDS:
            return _lookbehinds(words)
        return f"(?:{_fold_pattern(words)})"

    expanded = _PLACEHOLDER.sub(fill, _fold_pattern(rule))
    return None if missing else expanded


def _alternatives() -> list[str]:
    """One alternative per rule group and language: the group's first element, then any of its endings."""
    alternatives = []
    for vocabulary, own_rules in _LANGUAGES:
        for lead, endings in (*_RULES, *((rule, ("",)) for rule in own_rules)):
            start = _expand(lead, vocabulary)
            ends = [end for end in (_expand(ending, vocabulary) for ending in endings) if end is not None]
            if start is not None and ends:
                alternatives.append(start + (f"(?:{'|'.join(ends)})" if ends != [""] else ""))
    return alternatives


# --- Where a rule may start --------------------------------------------------------------------------------
#
# Python's regex engine tries each of the hundred-odd alternatives at every word start, which would be most of
# the cost. So a first pass looks for the literal text some rule starts with (all of them, as one trie-shaped
# regex; a string is cut where the rule stops being a plain string, so the pass finds a superset), and the
# full pattern is tried only there.

_Variant = tuple[str, bool]  # text a pattern can start with; True when that text is all the pattern matches
_MAX_VARIANTS: Final = 200


def _extend(current: list[_Variant], following: list[_Variant]) -> list[_Variant]:
    """Each complete variant followed by each variant of the next element; past the limit, cut here."""
    extended = [(text + more, complete) for text, done in current if done for more, complete in following]
    extended += [variant for variant in current if not variant[1]]
    if len(extended) > _MAX_VARIANTS and any(text for text, _ in current):
        return [(text, False) for text, _ in current]
    return extended


def _variants(pattern: str, index: int = 0) -> tuple[list[_Variant], int]:
    """The variants of the alternatives from `index` to the closing parenthesis or the end, and where they end.

    Covers the syntax the rules use: groups, look-arounds (zero width), simple character classes, escapes and
    the quantifiers `?`, `*`, `+` and `{m,n}`; anything else cuts the variant short.
    """
    variants: list[_Variant] = []
    current: list[_Variant] = [("", True)]
    while index < len(pattern) and pattern[index] != ")":
        if pattern[index] == "|":
            variants += current
            current = [("", True)]
            index += 1
            continue
        element, index = _element(pattern, index)
        current = _extend(current, element)
    return variants + current, index


def _element(pattern: str, index: int) -> tuple[list[_Variant], int]:
    char = pattern[index]
    element: list[_Variant]
    if char == "(":
        look = pattern.startswith(("(?=", "(?!", "(?<=", "(?<!"), index)
        if pattern.startswith(("(?<=", "(?<!"), index):
            opening = index + 4
        elif pattern.startswith(("(?=", "(?!", "(?:"), index):
            opening = index + 3
        else:
            opening = index + 1
        inner, closing = _variants(pattern, opening)
        element = [("", True)] if look else inner
        index = closing + 1
    elif char == "[":
        closing = index + 1
        while pattern[closing] != "]":
            closing += 2 if pattern[closing] == "\\" else 1
        members = pattern[index + 1 : closing]
        simple = not members.startswith("^") and "\\" not in members and "-" not in members
        element = [(member, True) for member in members] if simple else [("", False)]
        index = closing + 1
    elif char == "\\":
        escaped = pattern[index + 1]
        if escaped == "x":
            element = [(chr(int(pattern[index + 2 : index + 4], 16)), True)]
            index += 4
        else:
            element = [("", True)] if escaped == "b" else [("", False)] if escaped.isalnum() else [(escaped, True)]
            index += 2
    else:
        element = [("", False)] if char in ".^$" else [(char, True)]
        index += 1
    if index < len(pattern) and pattern[index] in "?*+{":
        quantifier = pattern[index]
        index = pattern.index("}", index) + 1 if quantifier == "{" else index + 1
        if quantifier == "?":
            element = [*element, ("", True)]
        elif quantifier == "+":
            element = [(text, False) for text, _ in element]
        else:
            element = [("", False)]
    return element, index


def _rule_starts(alternatives: list[str]) -> list[str]:
    """The shortest literal starts of the rules: a start that extends another adds nothing to the search."""
    starts = sorted({text.rstrip() for alternative in alternatives for text, _ in _variants(alternative)[0]})
    if "" in starts:
        raise ValueError("a rule can start with anything; give it a literal first word")
    shortest: list[str] = []
    for start in starts:
        if not (shortest and start.startswith(shortest[-1])):
            shortest.append(start)
    return shortest


_TrieNode = dict[str, "_TrieNode"]


def _trie(words: list[str]) -> str:
    """One regex for many words, shared beginnings written once, so that the engine branches on a character."""
    root: _TrieNode = {}
    for word in words:
        node = root
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}
    return _trie_pattern(root)


def _trie_pattern(node: _TrieNode) -> str:
    branches = [(" " if char == " " else re.escape(char)) + _trie_pattern(child) for char, child in node.items()
                if char]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"
    if "" not in node:
        return body
    return f"(?:{body})?" if len(branches) == 1 else f"{body}?"


_MARKUP_ALTERNATIVES: Final = "|".join(markup.replace(" ", _GAP) for markup in _MARKUP)
_MARKUP_STARTS: Final = r"[<\[#]"
_WORD_START: Final = r"(?<![a-z0-9])"
# How far past a joined run of spaced-out letters a rule starting in it may reach.
_RULE_REACH: Final = 400


class _Patterns(NamedTuple):
    starts: re.Pattern[str]  # where a rule or markup can start
    screen: re.Pattern[str]  # the rules and the markup


@functools.cache
def _sources() -> tuple[str, str]:
    """The rules as one regex, and the trie of their literal starts."""
    sources = _alternatives()
    rules = "|".join(f"(?:{source.replace(' ', _GAP)})" for source in sources)
    return rules, _trie(_rule_starts(sources)).replace(" ", _GAP)


@functools.cache
def _at_word_starts() -> _Patterns:
    """Rules starting at the start of a word, markup anywhere. Compiled on first use: the check is asked for
    per request, and building it takes most of a second a process need not spend otherwise."""
    rules, starts = _sources()
    return _Patterns(starts=re.compile(f"{_MARKUP_STARTS}|{_WORD_START}(?={starts})"),
                     screen=re.compile(f"{_MARKUP_ALTERNATIVES}|{_WORD_START}(?:{rules})"))


@functools.cache
def _within_words() -> _Patterns:
    """Rules starting anywhere, for letters joined from spaced-out text, where the word breaks are unknown;
    compiled the first time such text comes."""
    rules, starts = _sources()
    return _Patterns(starts=re.compile(f"{_MARKUP_STARTS}|(?={starts})"),
                     screen=re.compile(f"{_MARKUP_ALTERNATIVES}|{rules}"))


# --- The check ----------------------------------------------------------------------------------------------


def check_prompt(raw_text: str, document: Document, level: str) -> PromptCheck:
    """Find instructions aimed at AI screeners in the visible and the hidden text.

    Positions and lines count in the raw text followed, from the next line on, by the hidden text: one line
    per line of hidden spans, spans that continue each other on a line joined as the extract stage joins
    visible ones. A detection whose line is beyond the raw text's last line is in hidden text.
    """
    detections = _screen(raw_text, position_offset=0, line_offset=0)
    hidden = _hidden_text(document.hidden)
    if hidden:
        detections += _screen(hidden, position_offset=len(raw_text) + 1, line_offset=raw_text.count("\n") + 1)
    return PromptCheck(passed=not detections, level=level, detections=detections)


_SAME_LINE_SHARE: Final = 0.5
_WORD_GAP_SHARE: Final = 0.1


def _hidden_text(hidden: list[HiddenText]) -> str:
    """Hidden spans in reading order: a span continuing the previous one on its line follows it directly (a
    zero-width character splits a PDF span in two), or after a space when the layout leaves a gap; any other
    span starts a new line, so that a sentence wrapped over lines reads on."""
    parts: list[str] = []
    previous: HiddenText | None = None
    for span in hidden:
        if previous is not None:
            parts.append(_separator(previous, span))
        parts.append(span.text)
        previous = span
    return "".join(parts)


def _separator(before: HiddenText, after: HiddenText) -> str:
    if before.page != after.page or before.bbox is None or after.bbox is None:
        return "\n"
    x0, y0, x1, y1 = before.bbox
    next_x0, next_y0, _, next_y1 = after.bbox
    height = min(y1 - y0, next_y1 - next_y0)
    overlap = min(y1, next_y1) - max(y0, next_y0)
    if height <= 0 or overlap < _SAME_LINE_SHARE * height or next_x0 < x0:
        return "\n"
    return "" if next_x0 - x1 <= _WORD_GAP_SHARE * height else " "


def _screen(text: str, position_offset: int, line_offset: int) -> list[PromptDetection]:
    normalised = _normalise(text)
    spans = _rule_spans(normalised)
    detections = []
    for found_start, found_end in spans:
        start = normalised.origin[found_start]
        end = normalised.origin[found_end - 1] + 1
        detections.append(
            PromptDetection(
                phrase=" ".join(text[start:end].split()),
                position=position_offset + start,
                line=line_offset + text.count("\n", 0, start) + 1,
                context=" ".join(text[max(0, start - CONTEXT_CHARS) : end + CONTEXT_CHARS].split()),
            )
        )
    return detections


def _rule_spans(normalised: _Normalised) -> list[tuple[int, int]]:
    """Where rules match in the normalised text, in order and without overlaps (as `finditer` would find them
    at word starts); then those starting inside joined spaced-out letters."""
    text = normalised.text
    spans = list(_matches(text, _at_word_starts(), 0, len(text), len(text)))
    for run_start, run_end in normalised.glued:
        reach = min(len(text), run_end + _RULE_REACH)
        for start, end in _matches(text, _within_words(), run_start, run_end, reach):
            if all(end <= other_start or start >= other_end for other_start, other_end in spans):
                spans.append((start, end))
    return sorted(spans)


def _matches(text: str, patterns: _Patterns, begin: int, end: int, reach: int) -> Iterator[tuple[int, int]]:
    """Matches of the screen starting from `begin` to `end` and ending by `reach`, tried only where a rule can
    start."""
    reached = begin
    for start in patterns.starts.finditer(text, begin, reach):
        if start.start() >= end:
            break
        if start.start() < reached:
            continue
        found = patterns.screen.match(text, start.start(), reach)
        if found:
            yield found.span()
            reached = found.end()
