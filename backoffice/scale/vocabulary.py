"""The words that made-up partners and applications are built from.

Plausible rather than real: the countries and cities are real places, so that the directory's
grouping by country and the search behave as with real content, but every institution, person
and website is invented (websites on the reserved `.example` domain, e-mails on example.org).
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class CountryProfile:
    code: str
    # How often partners are in this country, relative to the others.
    weight: int
    # The country's letters in Erasmus codes ("B" in "B BRUXEL04"); None outside the programme.
    erasmus_prefix: str | None
    cities: tuple[str, ...]
    # The language an agreement there recommends (a code of PORTAL_MOBILITY_LANGUAGES).
    language: str
    # (region, share of the country's partners): regions that matter to the site (Québec has a
    # destination of its own); partners elsewhere in the country have no region.
    regions: tuple[tuple[str, float], ...] = ()


COUNTRIES: tuple[CountryProfile, ...] = (
    CountryProfile(
        "BE", 8, "B", ("Bruxelles", "Liège", "Namur", "Charleroi", "Mons", "Louvain-la-Neuve"), "fr"
    ),
    CountryProfile("DE", 8, "D", ("Berlin", "Hambourg", "Munich", "Cologne", "Würzburg", "Leipzig"), "de"),
    CountryProfile("IT", 7, "I", ("Rome", "Milan", "Parme", "Bologne", "Turin", "Naples", "Padoue"), "it"),
    CountryProfile("ES", 7, "E", ("Madrid", "Barcelone", "Valence", "Séville", "Bilbao", "Grenade"), "es"),
    CountryProfile("PT", 5, "P", ("Lisbonne", "Porto", "Coimbra", "Braga", "Faro"), "pt"),
    CountryProfile("NL", 4, "NL", ("Amsterdam", "Rotterdam", "Utrecht", "Groningue", "Nimègue"), "nl"),
    CountryProfile("CH", 3, "CH", ("Genève", "Lausanne", "Fribourg", "Neuchâtel", "Sion"), "fr"),
    CountryProfile("LU", 1, "LUX", ("Luxembourg", "Esch-sur-Alzette"), "fr"),
    CountryProfile("PL", 3, "PL", ("Varsovie", "Cracovie", "Gdańsk", "Wrocław"), "en"),
    CountryProfile("RO", 3, "RO", ("Bucarest", "Cluj-Napoca", "Iași", "Timișoara"), "fr"),
    CountryProfile("FI", 2, "SF", ("Helsinki", "Tampere", "Turku"), "en"),
    CountryProfile("SE", 2, "S", ("Stockholm", "Göteborg", "Malmö"), "en"),
    CountryProfile("DK", 2, "DK", ("Copenhague", "Aarhus", "Odense"), "en"),
    CountryProfile("IE", 2, "IRL", ("Dublin", "Cork", "Galway"), "en"),
    CountryProfile("AT", 2, "A", ("Vienne", "Graz", "Salzbourg"), "de"),
    CountryProfile("CZ", 2, "CZ", ("Prague", "Brno", "Olomouc"), "en"),
    CountryProfile("GR", 2, "G", ("Athènes", "Thessalonique", "Patras"), "en"),
    CountryProfile("HU", 1, "HU", ("Budapest", "Szeged"), "en"),
    CountryProfile("LT", 1, "LT", ("Vilnius", "Kaunas"), "en"),
    CountryProfile("NO", 1, "N", ("Oslo", "Bergen"), "en"),
    CountryProfile(
        "FR",
        6,
        "F",
        ("Paris", "Lyon", "Rennes", "Lille", "Nantes", "Strasbourg", "Rouen", "Marseille"),
        "fr",
        (("Île-de-France", 0.3), ("Bretagne", 0.2), ("Hauts-de-France", 0.2), ("Grand Est", 0.3)),
    ),
    CountryProfile(
        "CA",
        7,
        None,
        ("Montréal", "Québec", "Sherbrooke", "Trois-Rivières", "Gatineau", "Saguenay", "Rimouski"),
        "fr",
        (("Québec", 0.8), ("Ontario", 0.1), ("Nouveau-Brunswick", 0.1)),
    ),
    CountryProfile("SN", 2, None, ("Dakar", "Saint-Louis", "Thiès"), "fr"),
    CountryProfile("MA", 2, None, ("Rabat", "Casablanca", "Fès", "Marrakech"), "fr"),
    CountryProfile("TN", 1, None, ("Tunis", "Sfax", "Sousse"), "fr"),
    CountryProfile("BJ", 1, None, ("Cotonou", "Porto-Novo"), "fr"),
    CountryProfile("VN", 1, None, ("Hanoï", "Hô-Chi-Minh-Ville"), "en"),
    CountryProfile("BR", 1, None, ("São Paulo", "Porto Alegre", "Recife"), "pt"),
    CountryProfile("CL", 1, None, ("Santiago", "Valparaíso"), "es"),
)

# People and places an institution may be named after.
PATRONS: tuple[str, ...] = (
    "Saint-Louis",
    "Sainte-Marie",
    "Jean-Monnet",
    "Robert-Schuman",
    "Marie-Curie",
    "Victor-Hugo",
    "Simone-Veil",
    "Janusz-Korczak",
    "Maria-Montessori",
    "Paulo-Freire",
    "Jane-Addams",
    "Mary-Richmond",
    "Alice-Salomon",
    "Henri-Dunant",
    "Don-Bosco",
    "Vincent-de-Paul",
    "Louise-Michel",
    "Nelson-Mandela",
    "Albert-Schweitzer",
    "Érasme",
    "Comenius",
    "Pestalozzi",
    "Fernand-Deligny",
    "Françoise-Dolto",
    "Célestin-Freinet",
    "Germaine-Tillion",
    "Olympe-de-Gouges",
    "Abbé-Pierre",
    "Geneviève-de-Gaulle",
    "Lucie-Aubrac",
)

# (French, English) name patterns per institution kind (Institution.Kind values).
NAME_PATTERNS: dict[str, tuple[tuple[str, str], ...]] = {
    "university": (
        ("Université de {city}", "University of {city}"),
        ("Université {patron} de {city}", "{patron} University, {city}"),
        ("Université catholique de {city}", "Catholic University of {city}"),
        ("Université des sciences appliquées de {city}", "{city} University of Applied Sciences"),
    ),
    "haute_ecole": (
        ("Haute école {patron}", "{patron} University College"),
        ("Haute école de travail social de {city}", "{city} School of Social Work"),
        ("Haute école sociale et pédagogique de {city}", "{city} College of Social Pedagogy"),
    ),
    "social_work_institute": (
        ("Institut de travail social de {city}", "{city} Institute of Social Work"),
        ("École de service social {patron}", "{patron} School of Social Work"),
        (
            "Institut de formation en intervention sociale {patron}",
            "{patron} Institute of Social Intervention",
        ),
    ),
    "child_protection": (
        ("Centre jeunesse de {city}", "{city} Youth Centre"),
        ("Service de protection de l’enfance de {city}", "{city} Child Protection Service"),
        ("Fondation {patron} pour l’enfance", "{patron} Children’s Foundation"),
    ),
    "other": (
        ("Association {patron}", "{patron} Association"),
        ("Centre social {patron} de {city}", "{patron} Community Centre, {city}"),
        ("Maison des solidarités de {city}", "{city} House of Solidarity"),
    ),
}

# How often each kind occurs among partners.
KIND_WEIGHTS: dict[str, int] = {
    "university": 30,
    "haute_ecole": 20,
    "social_work_institute": 25,
    "child_protection": 15,
    "other": 10,
}

DESCRIPTIONS: tuple[str, ...] = (
    "Forme des travailleurs sociaux et accueille chaque année des étudiants en stage ou en période d’études.",
    "Propose des terrains de stage en protection de l’enfance, en insertion et en accompagnement du handicap.",
    "Partenaire pour les mobilités d’études et les missions d’enseignement des formateurs.",
    "Accueille des professionnels pour des échanges de pratiques et des semaines de formation.",
    "Dispense des formations en éducation spécialisée, en service social et en animation socioculturelle.",
)

AGREEMENT_SCOPES: tuple[str, ...] = (
    "Échanges d’étudiants pour des périodes d’études et de stage, et missions d’enseignement des formateurs.",
    "Accueil réciproque de stagiaires en travail social et échanges de pratiques entre professionnels.",
    "Mobilités d’études des étudiants et formations des personnels, dans les deux sens.",
    "Stages des étudiants en éducation spécialisée et en service social auprès des services du partenaire.",
)

# (French, English) names of the thematic networks that partners may belong to.
NETWORK_NAMES: tuple[tuple[str, str], ...] = (
    ("Réseau européen de formation en travail social", "European Social Work Education Network"),
    ("Alliance francophone pour la protection de l’enfance", "Francophone Child Protection Alliance"),
    ("Réseau méditerranéen de l’intervention sociale", "Mediterranean Social Intervention Network"),
    ("Consortium nordique de pédagogie sociale", "Nordic Social Pedagogy Consortium"),
    ("Réseau international des écoles d’éducateurs", "International Network of Schools for Educators"),
    ("Partenariat Afrique de l’Ouest – Normandie", "West Africa – Normandy Partnership"),
    ("Réseau ibérique et latino-américain du travail social", "Ibero-Latin American Social Work Network"),
    ("Collectif européen de l’animation socioculturelle", "European Community Education Collective"),
)

GIVEN_NAMES: tuple[str, ...] = (
    "Camille",
    "Léa",
    "Manon",
    "Chloé",
    "Inès",
    "Sarah",
    "Jade",
    "Emma",
    "Louise",
    "Zoé",
    "Lucas",
    "Hugo",
    "Thomas",
    "Théo",
    "Nathan",
    "Yanis",
    "Maxime",
    "Antoine",
    "Mehdi",
    "Amadou",
    "Aïcha",
    "Fatou",
    "Nour",
    "Élise",
    "Mathilde",
    "Margaux",
    "Julien",
    "Quentin",
    "Anaïs",
    "Romane",
)

FAMILY_NAMES: tuple[str, ...] = (
    "Martin",
    "Bernard",
    "Dubois",
    "Thomas",
    "Robert",
    "Richard",
    "Petit",
    "Durand",
    "Leroy",
    "Moreau",
    "Simon",
    "Laurent",
    "Lefebvre",
    "Michel",
    "Garcia",
    "David",
    "Bertrand",
    "Roux",
    "Vincent",
    "Fournier",
    "Morel",
    "Girard",
    "Lemaire",
    "Lebrun",
    "Marchand",
    "Diallo",
    "Benali",
    "Nguyen",
    "Le Goff",
    "Lecomte",
)

MOTIVATION_SENTENCES: tuple[str, ...] = (
    "Je souhaite découvrir d’autres manières d’accompagner les familles et les enfants.",
    "Ce stage me permettrait de comparer les politiques sociales de deux pays.",
    "Je veux améliorer mon niveau de langue dans un contexte professionnel.",
    "Le projet de service de cette structure correspond à mon mémoire de fin d’études.",
    "Une expérience à l’étranger enrichirait ma pratique d’éducateur ou d’éducatrice.",
    "J’aimerais travailler auprès de publics migrants et comprendre leur parcours.",
    "Cette mobilité prolonge les échanges de pratiques engagés avec l’équipe partenaire.",
    "Je souhaite partager ensuite ce que j’aurai appris avec ma promotion.",
)

# Comments that staff leave with a status change, sometimes shown to the applicant.
STAFF_COMMENTS: tuple[str, ...] = (
    "Dossier complet.",
    "Entretien de motivation passé.",
    "Avis favorable de l’équipe pédagogique.",
    "Places déjà attribuées pour cette destination.",
    "Convention de stage signée par le partenaire.",
)

# (French, English, direction, audience, mobility types): the kinds of calls a year brings.
CALL_KINDS: tuple[tuple[str, str, str, str, tuple[str, ...]], ...] = (
    (
        "Mobilités sortantes des étudiants",
        "Outgoing student mobility",
        "outgoing",
        "students",
        ("student_studies", "student_traineeship"),
    ),
    (
        "Missions et formations des personnels à l’étranger",
        "Staff teaching and training abroad",
        "outgoing",
        "staff",
        ("staff_teaching", "staff_training"),
    ),
    (
        "Accueil d’étudiants internationaux",
        "Incoming international students",
        "incoming",
        "students",
        ("student_studies", "student_traineeship"),
    ),
    (
        "Mobilités de courte durée pour tous",
        "Short mobility for everyone",
        "outgoing",
        "everyone",
        ("student_traineeship", "staff_training"),
    ),
)

# Distinguishes the calls of one kind in the same academic year.
CALL_ROUNDS: tuple[tuple[str, str], ...] = (
    ("session principale", "main round"),
    ("session complémentaire", "additional round"),
    ("Europe", "Europe"),
    ("Amériques", "Americas"),
    ("Afrique", "Africa"),
    ("session de printemps", "spring round"),
)

# Our programmes, when the database has none yet (the seed fixtures normally bring them):
# (code, name, short name, level).
PROGRAMMES: tuple[tuple[str, str, str, int], ...] = (
    ("DEASS", "Diplôme d’État d’assistant de service social", "assistants de service social", 6),
    ("DEES", "Diplôme d’État d’éducateur spécialisé", "éducateurs spécialisés", 6),
    ("DEEJE", "Diplôme d’État d’éducateur de jeunes enfants", "éducateurs de jeunes enfants", 6),
    ("DEME", "Diplôme d’État de moniteur-éducateur", "moniteurs-éducateurs", 4),
    ("CAFERUIS", "Certificat d’aptitude aux fonctions d’encadrement", "cadres intermédiaires", 6),
    ("DEIS", "Diplôme d’État d’ingénierie sociale", "ingénieurs sociaux", 7),
)
