"""Word lists for finding people and speech tags in English prose.

Kept as data so the rules that use them stay short. Everything is lower case; callers
lower-case before looking up.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files

from audiobook.engines.base import Gender


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


def _genders(male: str, female: str, neutral: str = "") -> dict[str, Gender]:
    table = dict.fromkeys(neutral.split(), Gender.UNKNOWN)
    table.update(dict.fromkeys(male.split(), Gender.MALE))
    table.update(dict.fromkeys(female.split(), Gender.FEMALE))
    return table


# Verbs that introduce or tag speech, in every form a tag uses ("said", "says", "asks").
SPEECH_VERBS = _words(
    """
reiterate reiterated interpolate interpolated interject interjected ejaculate ejaculated
falter faltered
remonstrate remonstrated expostulate expostulated volunteer volunteered hazard hazarded
echo echoed exult exulted own owned jeer jeered mock mocked soothe soothed remind reminded
concede conceded explain explained inquire enquire demand interpose sob sobbed lisp lisped
stammer stammered bawl bawled howl howled chirp chirped trill trilled simper simpered
breathe breathed murmur murmured mutter muttered drawl drawled grunt grunted snarl snarled
scream screamed shout shouted whimper whimpered wail wailed admonish admonished counsel
counselled gasp gasped pipe piped prattle prattled babble babbled retort retorted rejoin"""
)
_MORE_SPEECH = _words(
    """
acknowledge acknowledged add added adds admit admits admitted agree agreed agrees announce
announced announces answer answered answers argue argued argues ask asked asks assent
assented assure assured assures bark barked barks beg began begged begin begins begs bellow
bellowed bellows blurt blurted blurts boast boasted boasts break breathe breathed breathes
broke cajole cajoled call called calls chant chanted chime chimed chuckle chuckled chuckles
coax coaxed command commanded commands complain complained complains conclude concluded
concludes confess confessed confesses continue continued continues correct corrected
corrects counter countered counters cried cries croak croaked croaks cry cut declare
declared declares demand demanded demands drawl drawled drawls enquire enquired enquires
entreat entreated exclaim exclaimed exclaims explain explained explains gasp gasped gasps
giggle giggled giggles go goes greet greeted greets groan groaned groans growl growled
growls grumble grumbled grumbles hiss hissed hisses implore implored inquire inquired
inquires insist insisted insists interpose interposed interrupt interrupted interrupts joke
joked jokes laugh laughed laughs lie lied lies moan moaned moans mumble mumbled mumbles
murmur murmured murmurs muse mused muses mutter muttered mutters note noted notes object
objected observe observed observes order ordered orders pant panted pants persist persisted
plead pleaded pleads promise promised promises prompt prompted prompts protest protested
protests purr purred purrs pursue pursued put quaver quavered queried queries query
question questioned quip quipped quips rasp rasped rasps reason reasoned recite recited
rejoin rejoined rejoins remark remarked remarks repeat repeated repeats replied replies
reply reply-ed respond responded responds resume resumed resumes retort retorted retorts
return returned roar roared roars said sang say says scoff scoffed scoffs scream screamed
screams shout shouted shouts shriek shrieked shrieks sigh sighed sighs sing sings snap
snapped snaps sneer sneered sneers sob sobbed sobs spat spit spits squeak squeaked squeaks
squeal squealed squeals stammer stammered stammers stutter stuttered stutters suggest
suggested suggests swear swears swore tease teased teases tell tells thunder thundered told
urge urged urges venture ventured ventures vow vowed wail wailed wails warn warned warns
went whisper whispered whispers yell yelled yells proclaim proclaimed proclaims comment
commented comments speculate speculated opine opined
saying asking answering replying continuing whispering repeating shouting muttering
murmuring exclaiming protesting insisting pleading
"""
)

SPEECH_VERBS = SPEECH_VERBS | _MORE_SPEECH

# Verbs that need a particle to tag speech ("went on", "broke in").
PARTICLE_VERBS = _words("break broke chime chimed cut go goes put went")

# Verbs that mark a thought rather than speech.
THOUGHT_VERBS = _words("think thinks thought wonder wondered wonders")

# Titles before a name, with the gender they imply (ranks and professions imply none).
HONORIFICS = _genders(
    male="""
baron brother count don duke earl emperor father herr king lord master mister monsieur mr
prince signor sir uncle
""",
    female="""
aunt baroness countess dame duchess frau fraulein lady madam madame mademoiselle miss mlle
mme mother mrs ms princess queen senora signora sister
""",
    neutral="""
admiral agent capt captain chief col colonel commander corporal detective doctor dr gen
general governor inspector judge lieutenant lt major nurse officer president private prof
professor rev reverend saint senator sergeant sgt st
""",
)

# Gendered titles a book uses alone as a name ("said Mademoiselle"), unlike "Mrs".
TITLES_ALONE = _words("madame mademoiselle monsieur mme mlle herr frau fraulein signor signora")

MALE_PRONOUNS = _words("he him his himself")
FEMALE_PRONOUNS = _words("she her hers herself")
SUBJECT_PRONOUNS = {"he": Gender.MALE, "she": Gender.FEMALE}

# Nouns that, after "the"/"a", describe a person: "the old man said".
PERSON_NOUNS = _genders(
    male="""
boy brother father fellow gentleman husband king lad man son uncle
""",
    female="""
aunt daughter girl girls lady lass maid mother queen sister wife woman
""",
    neutral="""
captain child doctor driver nurse officer pilot servant soldier stranger voice
""",
)

# Words that are never anybody's name, however they are capitalised.
FUNCTION_WORDS = _words(
    """
is was are were has had have did does do am be been being
a about after again ah ahh all alright also an and any aren't as at before both but by
can't couldn't didn't doesn't don't each eight either even every first five for four from
ha hadn't hasn't haven't he her here here's him his how i i'd i'll i'm i've if in indeed
into isn't it its just last let's maybe me my neither next nine no nor not now of off oh ok
okay on one only onto or our out over perhaps really second seven she shouldn't six so some
still sure ten that that's the their them then there there's these they this those three to
two up us wasn't we well weren't what what's when where which who whom whose why with
without won't wouldn't yes yet you your
"""
)

# Capitalised words that are not a character's name when found in the text (months,
# days, nationalities, "God"...). A name the user lists explicitly may still be one
# of these ("May", "Will").
COMMON_CAPITALISED = _words(
    """
will would can could shall should may might must
american april august avenue book british chapter chinese christ christmas dad damn
december dr earth east easter eastern english epilogue european february french friday
german god hall heaven hell house irish italian january japanese july june lake lane lord
ma'am madam mama march mars may miss mister mom monday moon mount mr mrs ms mum north
northern november ocean october papa part prologue river road russian saturday scottish sea
september sir sky south southern spanish street sun sunday thursday tuesday war wednesday
welsh west western world
"""
)

NOT_NAMES = FUNCTION_WORDS | COMMON_CAPITALISED

# Words that start a noun phrase naming nobody in particular: "someone said", "another captain".
INDEFINITE = _words(
    """
a an another anybody anyone everybody everyone many nobody one several some somebody someone
voice voices
"""
)


@cache
def first_names() -> dict[str, Gender]:
    """Bundled first-name list: lower-case name -> usual gender."""
    data = files("audiobook").joinpath("data/first_names.txt").read_text(encoding="utf-8")
    table: dict[str, Gender] = {}
    for line in data.splitlines():
        if not line or line.startswith("#"):
            continue
        name, _, code = line.partition("\t")
        table[name] = Gender.FEMALE if code == "f" else Gender.MALE
    return table
