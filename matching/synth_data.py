"""Tables for the synthetic customer generator (``matching.synth``): names, places, formats and spelling variants.

Lists run from the most to the least common entry; the generator weights them by rank, so a few names, streets
and cities dominate as they do in real customer bases. Words are separated by spaces; an underscore inside a
word stands for a space ("van_der_Berg"). Japanese entries are in Hepburn romaji with macrons, which the
generator renders as "Satō", "Sato", "Satou" or "Satoh" the way different systems do.
"""

from dataclasses import dataclass


def _words(text: str) -> tuple[str, ...]:
    return tuple(word.replace("_", " ") for word in text.split())


@dataclass(frozen=True)
class City:
    name: str
    variants: tuple[str, ...]  # other spellings systems use: exonyms, ASCII forms, short forms, districts
    region: str
    region_variants: tuple[str, ...]
    postcodes: str  # "80331-81929" (a numeric range, optionally "/step"), or prefixes "SW1A EC1A"
    areas: tuple[str, ...]  # landline area codes without the trunk prefix
    weight: int


def _cities(text: str) -> tuple[City, ...]:
    cities = []
    for line in text.strip().splitlines():
        name, variants, region, region_variants, postcodes, areas, weight = (part.strip() for part in line.split("|"))
        cities.append(
            City(
                name=name,
                variants=tuple(v for v in variants.split(",") if v),
                region=region,
                region_variants=tuple(v for v in region_variants.split(",") if v),
                postcodes=postcodes,
                areas=tuple(areas.split()) or ("",),
                weight=int(weight),
            )
        )
    return tuple(cities)


@dataclass(frozen=True)
class Country:
    code: str
    lang: str
    weight: int  # share of customers
    currency: str
    calling: str
    trunk: str  # national trunk prefix ("0"), empty where numbers are dialled without one
    nsn: int  # digits of a landline number after the trunk prefix (area code + subscriber)
    local: str  # the national way of writing a number: {t} trunk, {a} area code, {s} grouped subscriber
    groups: tuple[int, ...]  # subscriber digit groups, counted from the right
    sep: str  # between subscriber groups
    mobile: tuple[str, ...]  # mobile prefixes, written where an area code goes
    mobile_nsn: int
    postfmt: str  # digits | se | pl | jp | nl | gb | ca | ie
    number_first: bool  # "12 rue de la Paix" rather than "Hauptstraße 12"
    tld: str
    tax: str  # which tax-ID scheme the generator uses
    cities: tuple[City, ...]
    streets: tuple[str, ...]
    first_m: tuple[str, ...]
    first_f: tuple[str, ...]
    last: tuple[str, ...]
    forms: tuple[tuple[str, int], ...]  # legal forms and how common each is; "" is a sole trader's name alone
    freemail: tuple[tuple[str, int], ...]
    po_box: str  # a post-office box line; {n} is its number


def _weighted(text: str) -> tuple[tuple[str, int], ...]:
    pairs = []
    for item in text.split():
        word, weight = item.rsplit(":", 1)
        pairs.append(("" if word == "-" else word.replace("_", " "), int(weight)))
    return tuple(pairs)


DE = Country(
    code="DE",
    lang="de",
    weight=18,
    currency="EUR",
    calling="49",
    trunk="0",
    nsn=10,
    local="{t}{a} {s}",
    groups=(),
    sep="",
    mobile=_words("151 152 157 160 170 171 172 173 175 176 177 178 179"),
    mobile_nsn=11,
    postfmt="digits",
    number_first=False,
    tld="de",
    tax="de",
    cities=_cities("""
        Berlin|Berlin-Mitte,Berlin-Charlottenburg,Berlin-Kreuzberg|Berlin|BE|10115-14199|30|36
        Hamburg|Hamburg-Altona,Hamburg-Harburg|Hamburg|HH|20095-22769|40|18
        München|Munich,Muenchen,Munchen|Bayern|BY,Bavaria|80331-81929|89|15
        Köln|Cologne,Koeln,Koln|Nordrhein-Westfalen|NW,NRW,North Rhine-Westphalia|50667-51149|221|11
        Frankfurt am Main|Frankfurt,Frankfurt a.M.,Frankfurt/Main,Frankfurt a. M.|Hessen|HE,Hesse|60306-60599|69|8
        Stuttgart|Stuttgart-Vaihingen|Baden-Württemberg|BW,Baden-Wuerttemberg|70173-70629|711|6
        Düsseldorf|Duesseldorf,Dusseldorf|Nordrhein-Westfalen|NW,NRW|40210-40629|211|6
        Leipzig||Sachsen|SN,Saxony|04103-04357|341|6
        Dortmund||Nordrhein-Westfalen|NW,NRW|44135-44388|231|6
        Essen||Nordrhein-Westfalen|NW,NRW|45127-45359|201|6
        Bremen||Bremen|HB|28195-28779|421|5
        Dresden||Sachsen|SN,Saxony|01067-01328|351|5
        Hannover|Hanover|Niedersachsen|NI,Lower Saxony|30159-30669|511|5
        Nürnberg|Nuremberg,Nuernberg,Nurnberg|Bayern|BY,Bavaria|90402-90491|911|5
        Bonn|Bonn-Bad Godesberg|Nordrhein-Westfalen|NW,NRW|53111-53229|228|3
        Münster|Muenster,Munster|Nordrhein-Westfalen|NW,NRW|48143-48167|251|3
        Mannheim||Baden-Württemberg|BW|68159-68309|621|3
        Karlsruhe||Baden-Württemberg|BW|76131-76229|721|3
        Augsburg||Bayern|BY|86150-86199|821|3
        Freiburg im Breisgau|Freiburg,Freiburg i. Br.,Freiburg i.Br.|Baden-Württemberg|BW|79098-79117|761|2
        Mainz||Rheinland-Pfalz|RP,Rhineland-Palatinate|55116-55131|6131|2
        Kiel||Schleswig-Holstein|SH|24103-24159|431|2
        Rostock||Mecklenburg-Vorpommern|MV|18055-18147|381|2
        Erfurt||Thüringen|TH,Thuringia,Thueringen|99084-99099|361|2
        Wiesbaden||Hessen|HE|65183-65207|611|2
        Regensburg||Bayern|BY|93047-93059|941|1
        Frankfurt (Oder)|Frankfurt/Oder,Frankfurt an der Oder,Frankfurt|Brandenburg|BB|15230-15236|335|1
        Neustadt an der Weinstraße|Neustadt,Neustadt a.d.W.|Rheinland-Pfalz|RP|67433-67435|6321|1
        Neustadt bei Coburg|Neustadt|Bayern|BY|96465-96465|9568|1
    """),
    streets=_words(
        "Hauptstraße Bahnhofstraße Dorfstraße Schulstraße Gartenstraße Bergstraße Lindenstraße Kirchstraße "
        "Waldstraße Ringstraße Friedrichstraße Goethestraße Schillerstraße Mozartstraße Poststraße "
        "Industriestraße Am_Markt Marktplatz Lindenallee Kaiser-Wilhelm-Straße Karl-Marx-Straße "
        "Friedrich-Ebert-Straße Berliner_Allee Münchener_Straße Hansaring Kurfürstendamm Königsallee "
        "Schloßstraße Am_Hafen Robert-Bosch-Straße Gewerbestraße Carl-Benz-Straße Mühlenweg Rosenweg Birkenweg "
        "Sankt-Georg-Straße Kantstraße Leipziger_Platz Im_Gewerbepark Heinrich-Heine-Straße"
    ),
    first_m=_words(
        "Thomas Michael Andreas Stefan Peter Klaus Wolfgang Jürgen Frank Christian Markus Daniel Alexander "
        "Martin Jan Tobias Sebastian Lukas Felix Maximilian Johannes Matthias Uwe Dieter Günter Hans-Peter "
        "Karl-Heinz Jonas Leon Paul Niklas Florian Dirk Bernd Torsten Ralf Friedrich Josef Wilhelm Benjamin"
    ),
    first_f=_words(
        "Sabine Andrea Petra Claudia Susanne Monika Julia Katharina Anna Laura Lena Sarah Stefanie Nicole "
        "Birgit Ursula Christine Anja Melanie Sandra Lea Marie Sophie Hannah Anna-Lena Karin Renate Heike "
        "Elisabeth Johanna Gabriele Margarete Christina Daniela Michaela Barbara"
    ),
    last=_words(
        "Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Schäfer Koch Bauer Richter "
        "Klein Wolf Schröder Neumann Schwarz Zimmermann Braun Krüger Hofmann Hartmann Lange Schmitt Werner "
        "Schmitz Krause Meier Lehmann Schmid Schulze Maier Köhler Herrmann König Walter Mayer Huber Kaiser Fuchs "
        "Peters Lang Scholz Möller Weiß Jung Hahn Vogel Yılmaz Kaya Nowak"  # noqa: RUF001 - Turkish dotless i
    ),
    forms=_weighted("GmbH:50 GmbH_&_Co._KG:14 AG:5 KG:4 e.K.:8 UG_(haftungsbeschränkt):6 OHG:3 GbR:4 e.V.:2"),
    freemail=_weighted(
        "gmail.com:28 gmx.de:20 web.de:18 t-online.de:12 outlook.de:5 yahoo.de:4 icloud.com:4 gmx.net:5"
    ),
    po_box="Postfach {n}",
)

AT = Country(
    code="AT",
    lang="de",
    weight=4,
    currency="EUR",
    calling="43",
    trunk="0",
    nsn=10,
    local="{t}{a} {s}",
    groups=(),
    sep="",
    mobile=_words("650 660 664 676 680 681 688 699"),
    mobile_nsn=10,
    postfmt="digits",
    number_first=False,
    tld="at",
    tax="at",
    cities=_cities("""
        Wien|Vienna,Wien-Favoriten,Vienne|Wien|W,Vienna|1010-1230/10|1|20
        Graz||Steiermark|Stmk.,Styria|8010-8063|316|4
        Linz||Oberösterreich|OÖ,Upper Austria,Oberoesterreich|4020-4040|732|3
        Salzburg||Salzburg|Sbg.|5020-5026|662|2
        Innsbruck||Tirol|T,Tyrol|6020-6080|512|2
        Klagenfurt am Wörthersee|Klagenfurt,Klagenfurt am Woerthersee|Kärnten|Ktn.,Carinthia|9020-9073|463|1
        St. Pölten|Sankt Pölten,St. Poelten,St Polten|Niederösterreich|NÖ,Lower Austria|3100-3109|2742|1
        Villach||Kärnten|Ktn.|9500-9524|4242|1
        Wels||Oberösterreich|OÖ|4600-4600|7242|1
    """),
    streets=_words(
        "Hauptstraße Mariahilfer_Straße Kärntner_Straße Landstraßer_Hauptstraße Wiener_Straße Bahnhofstraße "
        "Herrengasse Schulgasse Kirchengasse Ringstraße Linzer_Straße Grazer_Straße Industriestraße Dorfplatz "
        "Praterstraße Favoritenstraße Josefstädter_Straße Schönbrunner_Straße Landstraße Hauptplatz"
    ),
    first_m=_words(
        "Josef Franz Johann Karl Gerhard Herbert Helmut Manfred Wolfgang Christian Thomas Michael Andreas Stefan "
        "Markus Lukas David Tobias Florian Alexander Maximilian Elias Jakob Simon Georg"
    ),
    first_f=_words(
        "Maria Anna Elisabeth Monika Sabine Andrea Claudia Christina Katharina Barbara Sandra Martina Julia Lisa "
        "Sarah Hannah Lena Sophie Theresa Johanna Eva Birgit Petra Karin Ingrid"
    ),
    last=_words(
        "Gruber Huber Bauer Wagner Müller Pichler Steiner Moser Mayer Hofer Leitner Berger Fuchs Eder Fischer "
        "Schmid Winkler Weber Schwarz Maier Schneider Reiter Mayr Schmidt Wimmer Egger Brunner Lang Baumgartner "
        "Auer Binder Lechner Wolf Wallner Aigner Ebner Koller Lehner Haas Schuster"
    ),
    forms=_weighted("GmbH:60 KG:8 OG:6 AG:4 e.U.:10 GmbH_&_Co_KG:6"),
    freemail=_weighted("gmx.at:20 gmail.com:30 aon.at:12 chello.at:8 yahoo.com:4 outlook.com:6 a1.net:6"),
    po_box="Postfach {n}",
)

CH = Country(
    code="CH",
    lang="de",
    weight=4,
    currency="CHF",
    calling="41",
    trunk="0",
    nsn=9,
    local="{t}{a} {s}",
    groups=(2, 2, 3),
    sep=" ",
    mobile=_words("76 77 78 79"),
    mobile_nsn=9,
    postfmt="digits",
    number_first=False,
    tld="ch",
    tax="ch",
    cities=_cities("""
        Zürich|Zurich,Zuerich,Zurigo|Zürich|ZH,Zurich|8001-8057|44|8
        Genève|Geneva,Genf,Geneve,Ginevra|Genève|GE,Geneva|1201-1209|22|5
        Basel|Bâle,Basle|Basel-Stadt|BS|4001-4059|61|4
        Bern|Berne|Bern|BE|3001-3027|31|4
        Lausanne||Vaud|VD,Waadt|1003-1018|21|3
        Luzern|Lucerne|Luzern|LU|6003-6015|41|2
        St. Gallen|Sankt Gallen,St Gallen|St. Gallen|SG|9000-9016|71|2
        Lugano||Ticino|TI,Tessin|6900-6917|91|2
        Winterthur||Zürich|ZH|8400-8411|52|2
        Zug||Zug|ZG|6300-6304|41|1
    """),
    streets=_words(
        "Bahnhofstrasse Hauptstrasse Dorfstrasse Seestrasse Kirchgasse Industriestrasse Zürcherstrasse "
        "Bernstrasse Rue_du_Rhône Rue_de_Lausanne Avenue_de_la_Gare Route_de_Genève Via_Nassa Via_Cantonale "
        "Schulhausstrasse Poststrasse Gewerbestrasse Limmatquai Marktgasse Rennweg"
    ),
    first_m=_words(
        "Daniel Peter Thomas Hans Martin Christian Andreas Marco Stefan Michael Markus Urs Beat Bruno Reto Luca "
        "Noah Leon Jean Pierre Nicolas David Simon Lukas Matteo Samuel"
    ),
    first_f=_words(
        "Maria Anna Ursula Sandra Ruth Elisabeth Monika Daniela Nicole Claudia Barbara Christine Verena Laura "
        "Sara Lea Mia Emma Julia Céline Sophie Chantal Nathalie Isabelle"
    ),
    last=_words(
        "Müller Meier Schmid Keller Weber Huber Schneider Meyer Steiner Fischer Gerber Brunner Baumann Frei "
        "Zimmermann Moser Widmer Wyss Graf Roth Suter Baumgartner Bachmann Studer Bühler Berger Kälin Lüthi "
        "Rochat Favre Bernasconi Rossi Blanc Morel Lehmann Bolliger Ammann Hofer Sutter Kuhn"
    ),
    forms=_weighted("AG:45 GmbH:35 SA:8 Sàrl:6 -:3 Genossenschaft:3"),
    freemail=_weighted("bluewin.ch:25 gmail.com:30 gmx.ch:12 hotmail.com:8 sunrise.ch:6 outlook.com:5"),
    po_box="Postfach {n}",
)

FR = Country(
    code="FR",
    lang="fr",
    weight=9,
    currency="EUR",
    calling="33",
    trunk="0",
    nsn=9,
    local="{t}{a} {s}",
    groups=(2, 2, 2, 2),
    sep=" ",
    mobile=_words("6 7"),
    mobile_nsn=9,
    postfmt="digits",
    number_first=True,
    tld="fr",
    tax="fr",
    cities=_cities("""
        Paris|Paris 8e,Paris 15e,PARIS CEDEX|Île-de-France|IDF,Ile-de-France|75001-75020|1|25
        Marseille|Marseilles|Provence-Alpes-Côte d'Azur|PACA|13001-13016|4|8
        Lyon|Lyons|Auvergne-Rhône-Alpes|ARA,Auvergne-Rhone-Alpes|69001-69009|4|7
        Toulouse||Occitanie|OCC|31000-31500|5|5
        Nice||Provence-Alpes-Côte d'Azur|PACA|06000-06300|4|4
        Nantes||Pays de la Loire|PDL|44000-44300|2|4
        Strasbourg|Straßburg,Strassburg|Grand Est|GES|67000-67200|3|3
        Montpellier||Occitanie|OCC|34000-34090|4|3
        Bordeaux||Nouvelle-Aquitaine|NAQ|33000-33800|5|3
        Lille||Hauts-de-France|HDF|59000-59800|3|3
        Rennes||Bretagne|BRE,Brittany|35000-35700|2|2
        Saint-Étienne|St-Etienne,Saint-Etienne,St Etienne|Auvergne-Rhône-Alpes|ARA|42000-42100|4|2
        Boulogne-Billancourt|Boulogne|Île-de-France|IDF|92100-92100|1|2
    """),
    streets=_words(
        "rue_de_la_République rue_Victor_Hugo avenue_des_Champs-Élysées boulevard_Haussmann rue_de_Rivoli "
        "rue_de_la_Paix avenue_Jean_Jaurès rue_Nationale place_de_la_Gare rue_du_Faubourg_Saint-Honoré "
        "rue_Pasteur avenue_Foch boulevard_Voltaire rue_de_la_Liberté rue_du_Général_de_Gaulle "
        "chemin_des_Vignes allée_des_Tilleuls impasse_des_Lilas rue_Gambetta quai_de_la_Loire route_de_Lyon "
        "rue_Saint-Michel"
    ),
    first_m=_words(
        "Jean Pierre Michel Philippe Alain Nicolas Christophe Patrick Daniel Thierry Laurent Éric Frédéric "
        "Stéphane David Julien Sébastien Olivier François Jean-Pierre Jean-Luc Jean-Claude Louis Hugo Lucas Théo "
        "Mathieu Antoine Guillaume Benoît"
    ),
    first_f=_words(
        "Marie Nathalie Isabelle Sylvie Catherine Françoise Valérie Christine Monique Sandrine Sophie Céline "
        "Stéphanie Aurélie Julie Camille Emma Léa Chloé Manon Anne Hélène Élodie Marie-Claire Marie-France "
        "Caroline Émilie Claire Pauline Véronique"
    ),
    last=_words(
        "Martin Bernard Thomas Petit Robert Richard Durand Dubois Moreau Laurent Simon Michel Lefebvre Leroy Roux "
        "David Bertrand Morel Fournier Girard Bonnet Dupont Lambert Fontaine Rousseau Vincent Muller Lefèvre Faure "
        "André Mercier Blanc Guérin Boyer Garnier Chevalier François Legrand Gauthier Garcia Perrin Robin Clément "
        "Morin Nicolas Henry Roussel Mathieu Masson Le_Gall Le_Roux Da_Silva"
    ),
    forms=_weighted("SARL:35 SAS:30 SA:8 EURL:8 SASU:10 SNC:3 SCI:6"),
    freemail=_weighted("orange.fr:22 gmail.com:28 free.fr:14 laposte.net:8 sfr.fr:8 hotmail.fr:10 wanadoo.fr:6"),
    po_box="BP {n}",
)

IT = Country(
    code="IT",
    lang="it",
    weight=7,
    currency="EUR",
    calling="39",
    trunk="",
    nsn=10,
    local="{a} {s}",
    groups=(4, 4),
    sep=" ",
    mobile=_words("320 328 329 333 335 338 339 340 347 348 349 366 380 389 392"),
    mobile_nsn=10,
    postfmt="digits",
    number_first=False,
    tld="it",
    tax="it",
    cities=_cities("""
        Roma|Rome|Lazio|RM|00118-00199|06|15
        Milano|Milan|Lombardia|MI,Lombardy|20121-20162|02|15
        Napoli|Naples|Campania|NA|80121-80147|081|6
        Torino|Turin|Piemonte|TO,Piedmont|10121-10156|011|6
        Palermo||Sicilia|PA,Sicily|90121-90151|091|4
        Bologna||Emilia-Romagna|BO|40121-40141|051|4
        Firenze|Florence|Toscana|FI,Tuscany|50121-50145|055|4
        Genova|Genoa|Liguria|GE|16121-16167|010|3
        Bari||Puglia|BA,Apulia|70121-70132|080|2
        Venezia|Venice,Mestre|Veneto|VE|30121-30176|041|2
        Verona||Veneto|VR|37121-37142|045|2
        Padova|Padua|Veneto|PD|35121-35143|049|2
    """),
    streets=_words(
        "Via_Roma Via_Garibaldi Via_Mazzini Corso_Vittorio_Emanuele_II Via_Dante Piazza_del_Duomo Via_Cavour "
        "Viale_della_Repubblica Via_Verdi Via_Marconi Corso_Italia Via_XX_Settembre Via_Nazionale "
        "Piazza_Garibaldi Via_Matteotti Via_San_Giovanni Via_dei_Mille Viale_Europa Via_Manzoni Via_Venezia"
    ),
    first_m=_words(
        "Giuseppe Giovanni Antonio Mario Luigi Francesco Angelo Vincenzo Pietro Salvatore Carlo Franco Domenico "
        "Bruno Paolo Michele Giorgio Marco Andrea Alessandro Luca Matteo Lorenzo Stefano Roberto Davide Simone "
        "Federico Gianluca Pierpaolo"
    ),
    first_f=_words(
        "Maria Anna Giuseppina Rosa Angela Giovanna Teresa Lucia Carmela Caterina Francesca Giulia Chiara Sara "
        "Martina Alessandra Laura Valentina Elena Silvia Federica Paola Sofia Aurora Alice Elisa Barbara Roberta "
        "Antonella Simona"
    ),
    last=_words(
        "Rossi Russo Ferrari Esposito Bianchi Romano Colombo Ricci Marino Greco Bruno Gallo Conti De_Luca Mancini "
        "Costa Giordano Rizzo Lombardi Moretti Barbieri Fontana Santoro Mariani Rinaldi Caruso Ferrara Galli "
        "Martini Leone Longo Gentile Martinelli Vitale Lombardo Serra Coppola De_Santis D'Angelo Marchetti Parisi "
        "Villa Conte Ferraro Ferri Fabbri Bianco Marini Grasso Valentini Messina"
    ),
    forms=_weighted("S.r.l.:55 S.p.A.:10 S.n.c.:10 S.a.s.:10 S.r.l.s.:8 Soc._Coop.:3"),
    freemail=_weighted("libero.it:18 gmail.com:30 virgilio.it:10 alice.it:8 hotmail.it:10 tiscali.it:6 yahoo.it:6"),
    po_box="Casella Postale {n}",
)

ES = Country(
    code="ES",
    lang="es",
    weight=6,
    currency="EUR",
    calling="34",
    trunk="",
    nsn=9,
    local="{a} {s}",
    groups=(2, 2, 3),
    sep=" ",
    mobile=_words("600 606 610 616 620 626 630 636 646 650 655 660 666 670 680 690 699"),
    mobile_nsn=9,
    postfmt="digits",
    number_first=False,
    tld="es",
    tax="es",
    cities=_cities("""
        Madrid||Comunidad de Madrid|M,MD,Madrid|28001-28055|91|18
        Barcelona||Cataluña|B,CT,Catalunya,Catalonia|08001-08042|93|14
        Valencia|València|Comunidad Valenciana|V,VC,Comunitat Valenciana|46001-46026|96|6
        Sevilla|Seville|Andalucía|SE,AN,Andalucia,Andalusia|41001-41020|95|5
        Zaragoza|Saragossa|Aragón|Z,AR,Aragon|50001-50018|976|3
        Málaga|Malaga|Andalucía|MA,AN,Andalucia|29001-29018|95|3
        Bilbao|Bilbo|País Vasco|BI,PV,Euskadi,Pais Vasco|48001-48015|94|3
        Murcia||Región de Murcia|MU|30001-30012|968|2
        Palma|Palma de Mallorca|Illes Balears|PM,IB,Islas Baleares|07001-07015|971|2
        Las Palmas de Gran Canaria|Las Palmas|Canarias|GC,CN,Islas Canarias|35001-35019|928|2
        Valladolid||Castilla y León|VA,CL|47001-47015|983|1
        A Coruña|La Coruña,Coruña,A Coruna|Galicia|C,GA|15001-15011|981|1
    """),
    streets=_words(
        "Calle_Mayor Calle_Real Gran_Vía Avenida_de_la_Constitución Calle_de_Alcalá Paseo_de_la_Castellana "
        "Plaza_Mayor Calle_San_Juan Avenida_de_Andalucía Calle_Nueva Calle_de_Serrano Avenida_Diagonal "
        "Carrer_de_Balmes Calle_del_Sol Calle_de_la_Iglesia Avenida_de_España Calle_Cervantes Calle_del_Carmen "
        "Rambla_de_Catalunya Calle_de_Goya"
    ),
    first_m=_words(
        "Antonio José Manuel Francisco David Juan Javier José_Antonio Daniel José_Luis Carlos Jesús Alejandro "
        "Miguel José_Manuel Rafael Pedro Ángel Pablo Sergio Fernando Jorge Luis Alberto Juan_Carlos Álvaro "
        "Adrián Diego Hugo Mario Raúl Enrique Ramón Vicente Ignacio"
    ),
    first_f=_words(
        "María Carmen Ana_María Isabel María_Pilar Laura Josefa María_Dolores Cristina Marta Lucía María_Teresa "
        "Elena Sara Paula Ana Rosa Raquel Pilar Concepción Manuela Mercedes Julia Beatriz Silvia Nuria Irene "
        "Patricia Andrea Rocío Alba"
    ),
    last=_words(
        "García González Rodríguez Fernández López Martínez Sánchez Pérez Gómez Martín Jiménez Ruiz Hernández "
        "Díaz Moreno Muñoz Álvarez Romero Alonso Gutiérrez Navarro Torres Domínguez Vázquez Ramos Gil Ramírez "
        "Serrano Blanco Molina Morales Suárez Ortega Delgado Castro Ortiz Rubio Marín Sanz Núñez Iglesias Medina "
        "Garrido Cortés Castillo Santos Lozano Guerrero Cano Prieto"
    ),
    forms=_weighted("S.L.:60 S.A.:12 S.L.U.:12 S.Coop.:3 S.L.L.:3 C.B.:5"),
    freemail=_weighted("gmail.com:35 hotmail.com:18 hotmail.es:10 yahoo.es:8 telefonica.net:6 outlook.es:8"),
    po_box="Apartado de Correos {n}",
)

NL = Country(
    code="NL",
    lang="nl",
    weight=5,
    currency="EUR",
    calling="31",
    trunk="0",
    nsn=9,
    local="{t}{a}-{s}",
    groups=(4, 3),
    sep=" ",
    mobile=_words("6"),
    mobile_nsn=9,
    postfmt="nl",
    number_first=False,
    tld="nl",
    tax="nl",
    cities=_cities("""
        Amsterdam|Amsterdam-Zuidoost|Noord-Holland|NH,North Holland|1011-1109|20|12
        Rotterdam||Zuid-Holland|ZH,South Holland|3011-3089|10|8
        Den Haag|'s-Gravenhage,The Hague,s-Gravenhage|Zuid-Holland|ZH|2491-2597|70|6
        Utrecht||Utrecht|UT|3511-3585|30|5
        Eindhoven||Noord-Brabant|NB,North Brabant|5611-5658|40|3
        Groningen||Groningen|GR|9711-9747|50|3
        Tilburg||Noord-Brabant|NB|5011-5049|13|2
        Almere|Almere-Stad|Flevoland|FL|1311-1363|36|2
        Breda||Noord-Brabant|NB|4811-4841|76|2
        Nijmegen||Gelderland|GE|6511-6546|24|2
        's-Hertogenbosch|Den Bosch,s-Hertogenbosch,'s Hertogenbosch|Noord-Brabant|NB|5211-5237|73|2
        Haarlem||Noord-Holland|NH|2011-2037|23|2
    """),
    streets=_words(
        "Kerkstraat Dorpsstraat Stationsweg Hoofdstraat Molenweg Schoolstraat Julianastraat Wilhelminastraat "
        "Beatrixlaan Kalverstraat Damrak Herengracht Prinsengracht Keizersgracht Parallelweg Industrieweg "
        "Marktplein Nieuwe_Binnenweg Lange_Voorhout Oranjelaan Van_Baerlestraat"
    ),
    first_m=_words(
        "Jan Johannes Peter Hendrik Cornelis Willem Gerrit Dirk Kees Pieter Bas Tim Thomas Daan Sem Lucas Levi "
        "Finn Jeroen Mark Martijn Sander Ruud Joost Bram Wouter Erik Stefan Niels Rob"
    ),
    first_f=_words(
        "Maria Anna Johanna Cornelia Elisabeth Wilhelmina Petra Marieke Sanne Lisa Emma Julia Sophie Fleur Eva "
        "Anouk Lotte Iris Linda Monique Ingrid Esther Femke Sara Anne Annemarie Inge Marloes Kim Mirjam"
    ),
    last=_words(
        "de_Jong Jansen de_Vries van_den_Berg van_Dijk Bakker Janssen Visser Smit Meijer de_Boer Mulder de_Groot "
        "Bos Vos Peters Hendriks van_Leeuwen Dekker Brouwer de_Wit Dijkstra Smits de_Graaf van_der_Meer "
        "van_der_Linden Kok Jacobs de_Haan Vermeulen van_den_Heuvel van_der_Veen van_den_Broek de_Bruijn "
        "de_Bruin van_der_Heijden Schouten van_Beek Willems van_Vliet van_de_Ven Hoekstra Maas Verhoeven Koster "
        "van_Dam van_der_Wal Prins Blom Huisman"
    ),
    forms=_weighted("B.V.:65 V.O.F.:10 N.V.:4 -:10 Stichting:5 Coöperatie_U.A.:2"),
    freemail=_weighted("gmail.com:30 hotmail.com:15 ziggo.nl:12 kpnmail.nl:10 outlook.com:8 xs4all.nl:5 live.nl:6"),
    po_box="Postbus {n}",
)

GB = Country(
    code="GB",
    lang="en",
    weight=10,
    currency="GBP",
    calling="44",
    trunk="0",
    nsn=10,
    local="{t}{a} {s}",
    groups=(4, 4),
    sep=" ",
    mobile=_words("7700 7711 7722 7400 7450 7500 7540 7800 7810 7900 7911 7950"),
    mobile_nsn=10,
    postfmt="gb",
    number_first=True,
    tld="co.uk",
    tax="gb",
    cities=_cities("""
        London|City of London,Westminster|Greater London|England,LND|EC1A EC2M WC2H W1D SW1A SW3 SE1 E14 N1|20|30
        Birmingham||West Midlands|England,WMD|B1 B2 B3 B4 B5 B15|121|7
        Manchester|Salford|Greater Manchester|England,MAN|M1 M2 M3 M4 M13 M15|161|6
        Leeds||West Yorkshire|England,LDS|LS1 LS2 LS6 LS11|113|4
        Glasgow||Scotland|Glasgow City,GLG|G1 G2 G3 G12 G41|141|4
        Edinburgh||Scotland|City of Edinburgh,EDH|EH1 EH2 EH3 EH8 EH12|131|3
        Liverpool||Merseyside|England,LIV|L1 L2 L3 L8 L17|151|3
        Bristol||City of Bristol|Avon,England,BST|BS1 BS2 BS8 BS16|117|3
        Sheffield||South Yorkshire|England,SHF|S1 S2 S10 S11|114|3
        Cardiff|Caerdydd|Wales|South Glamorgan,CRF|CF10 CF11 CF14 CF24|29|2
        Belfast||Northern Ireland|County Antrim,BFS|BT1 BT2 BT7 BT9|28|2
        Newcastle upon Tyne|Newcastle,Newcastle-upon-Tyne|Tyne and Wear|England,NET|NE1 NE2 NE4 NE6|191|2
        Newcastle-under-Lyme|Newcastle,Newcastle under Lyme|Staffordshire|England,STS|ST5|1782|1
        Cambridge||Cambridgeshire|England,CAM|CB1 CB2 CB3 CB4|1223|1
        Oxford||Oxfordshire|England,OXF|OX1 OX2 OX3 OX4|1865|1
    """),
    streets=_words(
        "High_Street Station_Road Main_Street Church_Lane Park_Road London_Road Victoria_Road Green_Lane "
        "Manor_Road Church_Street Queen_Street King_Street Mill_Lane The_Green Baker_Street Oxford_Street "
        "Regent_Street Elm_Grove Kingsway Albert_Road Broadway St_John's_Road Riverside_Drive Grosvenor_Square "
        "Park_Avenue"
    ),
    first_m=_words(
        "David John Michael Paul Andrew Mark James Richard Peter Robert Stephen Christopher Ian Simon Thomas "
        "William Daniel Matthew Anthony Steven Oliver Jack Harry George Charlie Alexander Edward Benjamin Gareth "
        "Neil"
    ),
    first_f=_words(
        "Susan Sarah Margaret Elizabeth Patricia Karen Helen Julie Emma Claire Catherine Nicola Rachel Jennifer "
        "Victoria Rebecca Louise Amanda Joanne Samantha Olivia Amelia Isla Sophie Charlotte Lucy Hannah Emily "
        "Katherine Jessica"
    ),
    last=_words(
        "Smith Jones Williams Taylor Brown Davies Evans Wilson Thomas Johnson Roberts Robinson Thompson Wright "
        "Walker White Edwards Hughes Green Hall Lewis Harris Clarke Patel Jackson Wood Turner Martin Cooper Hill "
        "Ward Morris Moore Clark Lee King Baker Harrison Morgan Allen James Scott Phillips Watson Davis Parker "
        "Price Bennett Young Griffiths Mitchell Kelly Cook Carter Richardson Bailey Collins Bell Shaw Murphy "
        "Miller Cox Richards Khan Marshall Anderson McDonald MacDonald O'Brien"
    ),
    forms=_weighted("Ltd:70 Limited:12 PLC:3 LLP:6"),
    freemail=_weighted(
        "gmail.com:30 hotmail.co.uk:15 yahoo.co.uk:10 btinternet.com:10 outlook.com:8 sky.com:6 icloud.com:5"
    ),
    po_box="PO Box {n}",
)

IE = Country(
    code="IE",
    lang="en",
    weight=2,
    currency="EUR",
    calling="353",
    trunk="0",
    nsn=8,
    local="({t}{a}) {s}",
    groups=(4, 3),
    sep=" ",
    mobile=_words("83 85 86 87 89"),
    mobile_nsn=9,
    postfmt="ie",
    number_first=True,
    tld="ie",
    tax="ie",
    cities=_cities("""
        Dublin|Baile Átha Cliath,Dublin 2,Dublin 4|County Dublin|Co. Dublin,Co Dublin|D01 D02 D04 D08 D12 D15|1|20
        Cork|Corcaigh,Cork City|County Cork|Co. Cork,Cork|T12 T23|21|6
        Galway|Gaillimh|County Galway|Co. Galway,Galway|H91|91|3
        Limerick|Luimneach|County Limerick|Co. Limerick|V94|61|3
        Waterford||County Waterford|Co. Waterford|X91|51|2
        Drogheda||County Louth|Co. Louth,Louth|A92|41|1
        Kilkenny||County Kilkenny|Co. Kilkenny|R95|56|1
    """),
    streets=_words(
        "Main_Street O'Connell_Street Grafton_Street Church_Road Dame_Street Patrick_Street Harcourt_Street "
        "Baggot_Street Pearse_Street Shop_Street Castle_Street Eyre_Square Dublin_Road Strand_Road "
        "St_Stephen's_Green Abbey_Street Parnell_Square Dawson_Street"
    ),
    first_m=_words(
        "Seán Patrick Michael John James Declan Ciarán Conor Cian Liam Darragh Eoin Niall Brian Kevin Paul David "
        "Thomas Daniel Jack Cathal Colm Dónal Pádraig Eamon Fergal Aidan Ronan Shane Barry"
    ),
    first_f=_words(
        "Mary Siobhán Aoife Niamh Ciara Sinéad Orla Áine Emma Sarah Aisling Róisín Caoimhe Gráinne Deirdre Bríd "
        "Catherine Anne Margaret Fiona Clodagh Sorcha Laura Grace Saoirse Máire Eimear Ruth Louise Sharon"
    ),
    last=_words(
        "Murphy Kelly O'Sullivan Walsh Smith O'Brien Byrne Ryan O'Connor O'Neill O'Reilly Doyle McCarthy "
        "Gallagher O'Doherty Kennedy Lynch Murray Quinn Moore McLoughlin O'Carroll Connolly Daly O'Connell "
        "Wilson Dunne Brennan Burke Collins Campbell Clarke Fitzgerald Maguire Nolan Flynn O'Callaghan "
        "O'Donnell Duffy Mahony Boyle Healy Sweeney Hayes Kavanagh Power McGrath Moran Brady"
    ),
    forms=_weighted("Ltd:65 Limited:10 DAC:8 PLC:3 Teoranta:2 CLG:4"),
    freemail=_weighted("gmail.com:35 eircom.net:15 hotmail.com:15 yahoo.ie:8 outlook.com:8 icloud.com:5"),
    po_box="PO Box {n}",
)

US = Country(
    code="US",
    lang="en",
    weight=14,
    currency="USD",
    calling="1",
    trunk="",
    nsn=10,
    local="({a}) {s}",
    groups=(4, 3),
    sep="-",
    mobile=(),
    mobile_nsn=10,
    postfmt="digits",
    number_first=True,
    tld="com",
    tax="us",
    cities=_cities("""
        New York|New York City,NYC,Manhattan,NEW YORK|New York|NY|10001-10282|212 646 917 718|20
        Los Angeles|LA,L.A.|California|CA,Calif.|90001-90089|213 310 323|14
        Chicago||Illinois|IL,Ill.|60601-60661|312 773|10
        Houston||Texas|TX,Tex.|77001-77099|713 281 832|8
        Phoenix||Arizona|AZ,Ariz.|85001-85054|602|5
        Philadelphia|Phila.,Philly|Pennsylvania|PA,Penn.|19102-19154|215 267|5
        San Antonio||Texas|TX|78201-78266|210|4
        San Diego||California|CA|92101-92154|619 858|4
        Dallas||Texas|TX|75201-75287|214 469 972|4
        San Jose||California|CA|95110-95139|408|3
        Austin||Texas|TX|78701-78759|512|3
        Seattle||Washington|WA,Wash.|98101-98199|206|3
        Boston||Massachusetts|MA,Mass.|02108-02137|617 857|3
        Denver||Colorado|CO,Colo.|80201-80239|303 720|3
        Miami||Florida|FL,Fla.|33101-33299|305 786|3
        Atlanta||Georgia|GA|30301-30399|404 678 470|3
        Saint Louis|St. Louis,St Louis|Missouri|MO|63101-63199|314|2
        Minneapolis||Minnesota|MN,Minn.|55401-55488|612|2
        Detroit||Michigan|MI,Mich.|48201-48288|313|2
        Portland||Oregon|OR,Ore.|97201-97239|503 971|2
        Portland||Maine|ME|04101-04109|207|1
        Springfield||Illinois|IL|62701-62712|217|1
        Springfield||Massachusetts|MA|01101-01119|413|1
        Springfield||Missouri|MO|65801-65810|417|1
        Paris||Texas|TX|75460-75462|903|1
    """),
    streets=_words(
        "Main_Street Oak_Street Maple_Avenue Park_Avenue Washington_Street Broadway Second_Street Third_Avenue "
        "Elm_Street Lake_Street Pine_Street Cedar_Lane Sunset_Boulevard Market_Street Madison_Avenue "
        "Lincoln_Avenue Jefferson_Street Church_Street Highland_Drive Ridge_Road Wall_Street "
        "Peachtree_Street_Northeast Michigan_Avenue Commerce_Drive Industrial_Parkway West_42nd_Street "
        "North_Main_Street South_Street"
    ),
    first_m=_words(
        "James John Robert Michael William David Richard Joseph Thomas Charles Christopher Daniel Matthew Anthony "
        "Mark Donald Steven Paul Andrew Joshua Kenneth Kevin Brian George Timothy Ronald Edward Jason Jeffrey Ryan "
        "Jose Carlos Luis"
    ),
    first_f=_words(
        "Mary Patricia Jennifer Linda Elizabeth Barbara Susan Jessica Sarah Karen Lisa Nancy Betty Margaret "
        "Sandra Ashley Kimberly Emily Donna Michelle Carol Amanda Dorothy Melissa Deborah Stephanie Rebecca Sharon "
        "Laura Cynthia Maria Ana"
    ),
    last=_words(
        "Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez Gonzalez Wilson "
        "Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson White Harris Sanchez Clark Ramirez Lewis "
        "Robinson Walker Young Allen King Wright Scott Torres Nguyen Hill Flores Green Adams Nelson Baker Hall "
        "Rivera Campbell Mitchell Carter Roberts Kim Patel Cohen O'Connor"
    ),
    forms=_weighted("Inc.:45 LLC:35 Corp.:8 Co.:4 LP:3 LLP:3 PC:2"),
    freemail=_weighted("gmail.com:40 yahoo.com:15 hotmail.com:8 outlook.com:8 aol.com:6 icloud.com:8 comcast.net:5"),
    po_box="PO Box {n}",
)

CA = Country(
    code="CA",
    lang="en",
    weight=4,
    currency="CAD",
    calling="1",
    trunk="",
    nsn=10,
    local="({a}) {s}",
    groups=(4, 3),
    sep="-",
    mobile=(),
    mobile_nsn=10,
    postfmt="ca",
    number_first=True,
    tld="ca",
    tax="ca",
    cities=_cities("""
        Toronto|North York,Etobicoke,Scarborough|Ontario|ON,Ont.|M5V M4W M5H M6K M4Y M5A|416 647 437|15
        Montréal|Montreal|Québec|QC,Quebec,PQ|H2X H3A H3B H2Y H4C|514 438|10
        Vancouver||British Columbia|BC,B.C.|V5K V6B V6E V6Z|604 778|7
        Calgary||Alberta|AB,Alta.|T2P T2R T3A|403 587|5
        Edmonton||Alberta|AB,Alta.|T5J T5K T6E|780|4
        Ottawa||Ontario|ON|K1A K1P K1R K2P|613 343|4
        Winnipeg||Manitoba|MB,Man.|R3B R3C|204|2
        Québec|Quebec City,Québec City,Ville de Québec,Quebec|Québec|QC,Quebec|G1K G1R|418|2
        Hamilton||Ontario|ON|L8P L8R|905 289|2
        London||Ontario|ON|N6A N6B|519|1
        Halifax||Nova Scotia|NS,N.S.|B3H B3J|902|1
    """),
    streets=_words(
        "Main_Street King_Street_West Queen_Street_East Yonge_Street Bay_Street rue_Sainte-Catherine "
        "boulevard_René-Lévesque Bloor_Street_West Dundas_Street Granville_Street Robson_Street Jasper_Avenue "
        "Portage_Avenue Wellington_Street rue_Saint-Denis Sparks_Street Barrington_Street Elgin_Street"
    ),
    first_m=_words(
        "Michael David John Robert James Daniel Jean Pierre Marc Luc Christopher Matthew Ryan Kevin Brian Andrew "
        "Mathieu François Éric Liam Noah Ethan Benjamin William Alexandre Olivier Gabriel Samuel Nathan Jacob"
    ),
    first_f=_words(
        "Jennifer Sarah Marie Julie Nathalie Stéphanie Mélanie Jessica Amanda Emily Emma Olivia Chloé Léa "
        "Isabelle Sophie Karen Lisa Michelle Catherine Geneviève Josée Caroline Linda Susan Ashley Megan "
        "Alexandra Charlotte Ava"
    ),
    last=_words(
        "Smith Brown Tremblay Martin Roy Wilson Macdonald Gagnon Johnson Taylor Côté Campbell Anderson Leblanc "
        "Lee Jones White Williams Miller Thompson Gauthier Young Bouchard Scott Morin Lavoie Fortin Gagné Ouellet "
        "Pelletier Bélanger Lévesque Bergeron Leclerc Girard Simard Boucher Caron Beaulieu Cloutier Dubé Poirier "
        "Fournier Lapointe Singh Wong Chen Li Patel Nguyen"
    ),
    forms=_weighted("Inc.:55 Ltd.:20 Corp.:10 Ltée:5 Limited:5 LLP:3"),
    freemail=_weighted("gmail.com:38 hotmail.com:14 yahoo.ca:8 outlook.com:8 rogers.com:8 shaw.ca:6 videotron.ca:5"),
    po_box="PO Box {n}",
)

AU = Country(
    code="AU",
    lang="en",
    weight=4,
    currency="AUD",
    calling="61",
    trunk="0",
    nsn=9,
    local="({t}{a}) {s}",
    groups=(4, 4),
    sep=" ",
    mobile=_words("400 401 402 403 404 405 406 407 408 409 410 411 412 413 414 415 416 417 418 419 420 421"),
    mobile_nsn=9,
    postfmt="digits",
    number_first=True,
    tld="com.au",
    tax="au",
    cities=_cities("""
        Sydney|Sydney CBD,North Sydney,Parramatta|New South Wales|NSW|2000-2234|2|16
        Melbourne|Melbourne CBD,South Melbourne|Victoria|VIC,Vic.|3000-3207|3|15
        Brisbane||Queensland|QLD,Qld|4000-4179|7|8
        Perth||Western Australia|WA|6000-6199|8|7
        Adelaide||South Australia|SA|5000-5199|8|5
        Canberra||Australian Capital Territory|ACT|2600-2617|2|2
        Gold Coast|Surfers Paradise|Queensland|QLD|4217-4230|7|2
        Newcastle||New South Wales|NSW|2300-2308|2|2
        Hobart||Tasmania|TAS,Tas.|7000-7019|3|1
        Darwin||Northern Territory|NT|0800-0832|8|1
    """),
    streets=_words(
        "George_Street Pitt_Street Collins_Street Bourke_Street Queen_Street King_Street Elizabeth_Street "
        "Flinders_Street Hay_Street Murray_Street Adelaide_Street Parramatta_Road Victoria_Parade Beach_Road "
        "Church_Street High_Street Pacific_Highway Chapel_Street Swanston_Street The_Esplanade Oxford_Street"
    ),
    first_m=_words(
        "David Michael John Peter Paul Andrew Mark Robert James Matthew Daniel Christopher Jack William Oliver "
        "Noah Thomas Joshua Benjamin Lachlan Liam Jacob Ryan Luke Nathan Brendan Craig Scott Shane Darren"
    ),
    first_f=_words(
        "Susan Margaret Jennifer Karen Michelle Lisa Sarah Jessica Emma Emily Olivia Charlotte Chloe Sophie Ruby "
        "Mia Amelia Hannah Rebecca Kylie Nicole Rachel Kate Julie Helen Amanda Melissa Natalie Tracey Leanne"
    ),
    last=_words(
        "Smith Jones Williams Brown Wilson Taylor Johnson White Martin Anderson Thompson Nguyen Thomas Walker "
        "Harris Lee Ryan Robinson Kelly King Davis Wright Evans Roberts Green Hall Wood Jackson Clarke Patel Khan "
        "Lewis James Phillips Mitchell Turner Hughes O'Brien Murphy Campbell Scott Young Cooper Morris Ward Singh "
        "Wang Chen Tran"
    ),
    forms=_weighted("Pty_Ltd:75 Ltd:8 Pty._Limited:5 Trust:4 Partnership:3"),
    freemail=_weighted(
        "gmail.com:35 bigpond.com:15 hotmail.com:12 outlook.com:8 optusnet.com.au:8 yahoo.com.au:8 icloud.com:6"
    ),
    po_box="PO Box {n}",
)

SE = Country(
    code="SE",
    lang="sv",
    weight=3,
    currency="SEK",
    calling="46",
    trunk="0",
    nsn=9,
    local="{t}{a}-{s}",
    groups=(2, 2, 3),
    sep=" ",
    mobile=_words("70 72 73 76 79"),
    mobile_nsn=9,
    postfmt="se",
    number_first=False,
    tld="se",
    tax="se",
    cities=_cities("""
        Stockholm|Solna,Södermalm|Stockholms län|AB,Stockholm County,Stockholms lan|11120-11869|8|12
        Göteborg|Gothenburg,Goteborg,Goeteborg|Västra Götalands län|O,Vastra Gotaland|41101-41879|31|7
        Malmö|Malmo,Malmoe|Skåne län|M,Skane|21111-21774|40|5
        Uppsala||Uppsala län|C,Uppsala lan|75220-75757|18|3
        Västerås|Vasteras,Vaesteraas|Västmanlands län|U|72210-72481|21|2
        Örebro|Orebro,Oerebro|Örebro län|T|70210-70382|19|2
        Linköping|Linkoping,Linkoeping|Östergötlands län|E|58221-58937|13|2
        Helsingborg|Hälsingborg|Skåne län|M|25220-25669|42|2
    """),
    streets=_words(
        "Storgatan Drottninggatan Kungsgatan Sveavägen Vasagatan Kyrkogatan Järnvägsgatan Skolgatan "
        "Östra_Hamngatan Birger_Jarlsgatan Hamngatan Industrivägen Strandvägen Södra_vägen Nygatan "
        "Trädgårdsgatan Stortorget Götgatan Ringvägen"
    ),
    first_m=_words(
        "Lars Mikael Anders Johan Karl Per Erik Peter Jan Thomas Daniel Fredrik Hans Andreas Stefan Mats Magnus "
        "Mattias Jonas Oskar Lucas William Hugo Elias Alexander Liam Nils Björn Gustav Sven"
    ),
    first_f=_words(
        "Anna Maria Margareta Elisabeth Eva Kristina Birgitta Karin Marie Ingrid Sara Emma Christina Lena "
        "Kerstin Sofia Linnéa Elin Ida Maja Alice Ella Astrid Wilma Ebba Åsa Ulla Annika Helena Malin"
    ),
    last=_words(
        "Andersson Johansson Karlsson Nilsson Eriksson Larsson Olsson Persson Svensson Gustafsson Pettersson "
        "Jonsson Jansson Hansson Bengtsson Jönsson Lindberg Jakobsson Magnusson Olofsson Lindström Lindqvist "
        "Lindgren Axelsson Berg Bergström Lundberg Lind Lundgren Lundqvist Mattsson Berglund Fredriksson "
        "Sandberg Henriksson Forsberg Sjöberg Wallin Ali Mohamed Engström Eklund Danielsson Håkansson"
    ),
    forms=_weighted("AB:75 HB:8 KB:5 -:8 Ek._för.:2"),
    freemail=_weighted("gmail.com:35 hotmail.com:15 telia.com:12 outlook.com:8 yahoo.se:6 live.se:8 icloud.com:6"),
    po_box="Box {n}",
)

DK = Country(
    code="DK",
    lang="da",
    weight=2,
    currency="DKK",
    calling="45",
    trunk="",
    nsn=8,
    local="{s}",
    groups=(2, 2, 2, 2),
    sep=" ",
    mobile=_words("20 21 22 23 24 25 26 27 28 29 30 31 40 41 42 50 51 52 53 60 61"),
    mobile_nsn=8,
    postfmt="digits",
    number_first=False,
    tld="dk",
    tax="dk",
    cities=_cities("""
        København|Copenhagen,Kobenhavn,Koebenhavn,København K|Region Hovedstaden|Hovedstaden|1050-2450|33 35 38|14
        Aarhus|Århus,Arhus,Aarhus C|Region Midtjylland|Central Denmark,Midtjylland|8000-8270|86 87 89|6
        Odense|Odense C|Region Syddanmark|Southern Denmark,Syddanmark|5000-5270|63 65 66|4
        Aalborg|Ålborg|Region Nordjylland|North Denmark,Nordjylland|9000-9220|96 98|3
        Esbjerg||Region Syddanmark|Syddanmark|6700-6715|75 76|2
        Frederiksberg|Frederiksberg C|Region Hovedstaden|Hovedstaden|1800-2000|33 38|2
        Kolding||Region Syddanmark|Syddanmark|6000-6000|75 76|1
    """),
    streets=_words(
        "Vestergade Østergade Nørregade Søndergade Strøget Bredgade Kongensgade Jernbanegade Algade Skolevej "
        "Industrivej Amagerbrogade Nørrebrogade Vesterbrogade H.C._Andersens_Boulevard Strandvejen Kirkevej "
        "Åboulevarden Toldbodgade"
    ),
    first_m=_words(
        "Peter Jens Lars Michael Henrik Thomas Søren Jan Niels Christian Martin Anders Morten Jesper Mads Rasmus "
        "Hans Per Kim Ole Poul Frederik William Noah Oscar Lucas Carl Victor Emil Mikkel"
    ),
    first_f=_words(
        "Anne Kirsten Mette Hanne Susanne Anna Lene Maria Marianne Inge Karen Lone Bente Camilla Louise Pia "
        "Charlotte Tina Gitte Jette Emma Ida Freja Clara Sofie Laura Mathilde Alberte Julie Signe"
    ),
    last=_words(
        "Nielsen Jensen Hansen Pedersen Andersen Christensen Larsen Sørensen Rasmussen Jørgensen Petersen Madsen "
        "Kristensen Olsen Thomsen Christiansen Poulsen Johansen Møller Mortensen Knudsen Jakobsen Jacobsen "
        "Mikkelsen Olesen Frederiksen Laursen Henriksen Lund Schmidt Eriksen Holm Kristiansen Nørgaard Clausen"
    ),
    forms=_weighted("ApS:60 A/S:20 I/S:5 IVS:5 -:8"),
    freemail=_weighted("gmail.com:35 hotmail.com:15 mail.dk:10 live.dk:8 outlook.dk:6 yahoo.dk:5 jubii.dk:3"),
    po_box="Postboks {n}",
)

PL = Country(
    code="PL",
    lang="pl",
    weight=5,
    currency="PLN",
    calling="48",
    trunk="",
    nsn=9,
    local="{a} {s}",
    groups=(2, 2, 3),
    sep=" ",
    mobile=_words("500 501 502 503 505 509 510 512 530 600 601 602 603 604 660 661 690 691 720 730 790 880 885"),
    mobile_nsn=9,
    postfmt="pl",
    number_first=False,
    tld="pl",
    tax="pl",
    cities=_cities("""
        Warszawa|Warsaw,Warschau,Warszawa-Mokotów|mazowieckie|Masovian,Mazowieckie,MZ|00001-04999|22|15
        Kraków|Krakow,Cracow,Krakau|małopolskie|Lesser Poland,malopolskie,MA|30001-31999|12|7
        Łódź|Lodz|łódzkie|lodzkie,LD|90001-94999|42|5
        Wrocław|Wroclaw,Breslau|dolnośląskie|Lower Silesian,dolnoslaskie,DS|50001-54999|71|5
        Poznań|Poznan,Posen|wielkopolskie|Greater Poland,WP|60001-61999|61|5
        Gdańsk|Gdansk,Danzig|pomorskie|Pomeranian,PM|80001-80999|58|4
        Szczecin|Stettin|zachodniopomorskie|West Pomeranian,ZP|70001-71999|91|3
        Katowice|Kattowitz|śląskie|Silesian,slaskie,SL|40001-40999|32|3
        Bydgoszcz||kujawsko-pomorskie|KP|85001-85999|52|2
        Lublin||lubelskie|LU|20001-20999|81|2
    """),
    streets=_words(
        "ul._Marszałkowska ul._Piotrkowska ul._Długa ul._Mickiewicza ul._Słowackiego ul._Kościuszki "
        "ul._Jana_Pawła_II al._Jerozolimskie ul._Floriańska ul._Świętojańska pl._Grunwaldzki ul._Polna "
        "ul._Leśna ul._Ogrodowa ul._Kwiatowa ul._Szkolna ul._Lipowa ul._Sienkiewicza ul._Wolska "
        "al._Niepodległości"
    ),
    first_m=_words(
        "Piotr Krzysztof Andrzej Tomasz Jan Paweł Michał Marcin Stanisław Jakub Adam Marek Łukasz Grzegorz "
        "Mateusz Wojciech Mariusz Dariusz Zbigniew Jerzy Maciej Rafał Kamil Józef Robert Kacper Szymon Bartosz "
        "Antoni Filip"
    ),
    first_f=_words(
        "Anna Maria Katarzyna Małgorzata Agnieszka Barbara Ewa Krystyna Magdalena Elżbieta Joanna Aleksandra "
        "Zofia Monika Teresa Danuta Natalia Julia Karolina Marta Beata Dorota Halina Jadwiga Janina Alicja Hanna "
        "Zuzanna Maja Wiktoria"
    ),
    last=_words(
        "Nowak Kowalski Wiśniewski Wójcik Kowalczyk Kamiński Lewandowski Zieliński Szymański Woźniak Dąbrowski "
        "Kozłowski Jankowski Mazur Wojciechowski Kwiatkowski Krawczyk Kaczmarek Piotrowski Grabowski Zając "
        "Pawłowski Michalski Król Wieczorek Jabłoński Wróbel Nowakowski Majewski Olszewski Stępień Malinowski "
        "Jaworski Adamczyk Dudek Nowicki Pawlak Górski Witkowski Walczak Sikora Baran Rutkowski Michalak"
    ),
    forms=_weighted("Sp._z_o.o.:65 S.A.:8 Sp.k.:8 Sp.j.:8 s.c.:6"),
    freemail=_weighted("gmail.com:30 wp.pl:18 onet.pl:14 interia.pl:10 o2.pl:10 op.pl:6 poczta.fm:4"),
    po_box="skr. poczt. {n}",
)

JP = Country(
    code="JP",
    lang="ja",
    weight=3,
    currency="JPY",
    calling="81",
    trunk="0",
    nsn=9,
    local="{t}{a}-{s}",
    groups=(4, 4),
    sep="-",
    mobile=_words("70 80 90"),
    mobile_nsn=10,
    postfmt="jp",
    number_first=True,
    tld="co.jp",
    tax="jp",
    cities=_cities("""
        Chiyoda-ku|Chiyoda,Tokyo,Chiyoda-ku Tokyo|Tokyo|Tokyo-to,Tōkyō|1000001-1020094|3|6
        Minato-ku|Minato,Tokyo|Tokyo|Tokyo-to|1050001-1080075|3|6
        Shinjuku-ku|Shinjuku,Tokyo|Tokyo|Tokyo-to|1600001-1690075|3|5
        Shibuya-ku|Shibuya,Tokyo|Tokyo|Tokyo-to|1500001-1510073|3|4
        Osaka|Ōsaka,Osaka-shi|Osaka|Osaka-fu,Ōsaka|5300001-5590034|6|8
        Yokohama|Yokohama-shi|Kanagawa|Kanagawa-ken|2200001-2470075|45|6
        Nagoya|Nagoya-shi|Aichi|Aichi-ken|4500001-4680077|52|5
        Sapporo|Sapporo-shi|Hokkaido|Hokkaidō|0600001-0650045|11|3
        Fukuoka|Fukuoka-shi|Fukuoka|Fukuoka-ken|8100001-8190167|92|3
        Kobe|Kōbe,Kobe-shi|Hyogo|Hyōgo,Hyogo-ken|6500001-6580085|78|3
        Kyoto|Kyōto,Kyoto-shi|Kyoto|Kyōto,Kyoto-fu|6000001-6068555|75|3
        Kawasaki|Kawasaki-shi|Kanagawa|Kanagawa-ken|2100001-2160035|44|2
        Sendai|Sendai-shi|Miyagi|Miyagi-ken|9800001-9893212|22|2
    """),
    streets=_words(
        "Marunouchi Otemachi Ginza Nihonbashi Akasaka Roppongi Nishi-Shinjuku Shibuya Ebisu Umeda Namba "
        "Honmachi Sakae Meieki Minatomirai Tenjin Hakata Kanda Soto-Kanda Shiba Kojimachi Toranomon"
    ),
    first_m=_words(
        "Hiroshi Takashi Kenji Makoto Satoshi Takeshi Kazuki Daisuke Yūki Shōta Haruto Ren Sōta Yūto Kenta "
        "Tetsuya Masahiro Akira Ichirō Naoki Ryō Kōji Shinji Yūsuke Tomohiro Hideki Takumi Minato Riku Osamu"
    ),
    first_f=_words(
        "Yōko Keiko Yūko Tomoko Akiko Naoko Mayumi Kumiko Yumi Sachiko Emi Ai Yui Haruka Misaki Sakura Hina Yuna "
        "Aoi Mei Rina Kaori Megumi Noriko Junko Michiko Asuka Mai Nanami Ayaka"
    ),
    last=_words(
        "Satō Suzuki Takahashi Tanaka Watanabe Itō Yamamoto Nakamura Kobayashi Katō Yoshida Yamada Sasaki "
        "Yamaguchi Saitō Matsumoto Inoue Kimura Hayashi Shimizu Yamazaki Mori Abe Ikeda Hashimoto Yamashita "
        "Ishikawa Nakajima Maeda Fujita Ogawa Gotō Okada Hasegawa Murakami Kondō Ishii Sakamoto Endō Aoki Fujii "
        "Nishimura Fukuda Ōta Miura Fujiwara Okamoto Matsuda Nakagawa Ōno"
    ),
    forms=_weighted("Kabushiki_Kaisha:70 Gōdō_Kaisha:20 Yūgen_Kaisha:10"),
    freemail=_weighted("gmail.com:30 yahoo.co.jp:25 docomo.ne.jp:10 ezweb.ne.jp:8 icloud.com:10 outlook.jp:6"),
    po_box="P.O. Box {n}",
)

COUNTRIES: tuple[Country, ...] = (DE, AT, CH, FR, IT, ES, NL, GB, IE, US, CA, AU, SE, DK, PL, JP)

# Names of people living in any of the countries above whose families came from elsewhere, by origin: about one
# person in ten draws from here, so "Mohammed Ali" or "Wei Zhang" turn up in Hamburg and Leeds alike.
DIASPORA: tuple[tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]], ...] = (
    (
        _words("Mehmet Mustafa Ahmet Ali Hüseyin Hasan Murat Emre"),
        _words("Ayşe Fatma Elif Zeynep Emine Hatice Merve"),
        _words("Yılmaz Kaya Demir Şahin Çelik Öztürk Aydın Arslan Doğan"),  # noqa: RUF001 - Turkish dotless i
    ),
    (
        _words("Mohammed Ahmed Ali Omar Yusuf Ibrahim Hassan Khaled Karim"),
        _words("Fatima Aisha Mariam Layla Nour Amira Yasmin"),
        _words("Ahmed Hassan Ibrahim Ali Mansour Haddad Khalil Saleh Nasser"),
    ),
    (
        _words("Raj Arjun Amit Rahul Sanjay Vikram Imran"),
        _words("Priya Anjali Sunita Pooja Neha Aisha"),
        _words("Patel Singh Kumar Sharma Shah Khan Hussain Gupta"),
    ),
    (
        _words("Wei Jun Lei Hao Ming Jian"),
        _words("Mei Xin Li Na Fang Yan Jing"),
        _words("Wang Li Zhang Chen Liu Yang Huang"),
    ),
    (_words("Minh Duc Tuan Hung Nam"), _words("Linh Lan Huong Thao Mai"), _words("Nguyen Tran Le Pham Hoang Vu")),
    (
        _words("Ji-hoon Min-jun Sung-min Dong-hyun"),
        _words("Ji-woo Seo-yeon Min-ji Eun-ji"),
        _words("Kim Lee Park Choi Jung"),
    ),
    (
        _words("Dmitri Sergei Andrei Oleksandr Mykola Ivan"),
        _words("Olga Natalia Irina Svetlana Oksana Tetiana"),
        _words("Kovalenko Shevchenko Bondarenko Melnyk Kravchenko Tkachenko"),
    ),
    (
        _words("Andrei Ion Mihai Alexandru Gheorghe"),
        _words("Maria Elena Ioana Andreea Mihaela"),
        _words("Popescu Ionescu Popa Dumitru Stan Constantin"),
    ),
    (
        _words("João José António Pedro Paulo Tiago"),
        _words("Ana Maria Beatriz Joana Mariana"),
        _words("Silva Santos Ferreira Pereira Oliveira Costa Rodrigues Martins"),
    ),
)
# Family name first in the culture of origin, so systems disagree about which part is the given name.
FAMILY_FIRST = frozenset(
    _words("Wang Li Zhang Chen Liu Yang Huang Nguyen Tran Le Pham Hoang Vu Kim Lee Park Choi Jung")
)

# Other romanisations of the same name, as different clerks and platforms write them.
TRANSLITERATIONS: dict[str, tuple[str, ...]] = {
    "Mohammed": ("Mohamed", "Muhammad", "Mohammad", "Mohamad", "Muhammed"),
    "Ahmed": ("Ahmad", "Ahmet"),
    "Yusuf": ("Youssef", "Yousef", "Yusef"),
    "Hussain": ("Hussein", "Husain", "Hossain"),
    "Hassan": ("Hasan",),
    "Omar": ("Umar", "Omer"),
    "Ibrahim": ("Ebrahim", "Ibragim"),
    "Dmitri": ("Dmitry", "Dmitriy", "Dimitri"),
    "Sergei": ("Sergey", "Sergej"),
    "Andrei": ("Andrey", "Andrej"),
    "Oleksandr": ("Olexandr", "Aleksandr", "Alexander"),
    "Natalia": ("Natalya", "Nataliya"),
    "Irina": ("Iryna",),
    "Svetlana": ("Swetlana",),
    "Oksana": ("Oxana",),
    "Mykola": ("Nikolai", "Mikola"),
    "Tetiana": ("Tatiana", "Tatjana"),
    "Melnyk": ("Melnik", "Melnyk"),
    "Khaled": ("Khalid", "Chaled"),
    "Hüseyin": ("Huseyin", "Hussein"),
    "Shevchenko": ("Schewtschenko", "Chevtchenko"),
    "Kovalenko": ("Kowalenko",),
    "Ji-hoon": ("Jihoon", "Ji Hoon"),
    "Min-jun": ("Minjun", "Min Jun"),
    "Ji-woo": ("Jiwoo", "Ji Woo"),
    "Seo-yeon": ("Seoyeon", "Seo Yeon"),
    "Tran": ("Trần",),
    "Nguyen": ("Nguyễn",),
    "Mariam": ("Maryam", "Miriam"),
    "Aisha": ("Ayesha", "Aicha"),
}

# Informal forms people give support desks, and that clerks copy from e-mail signatures.
NICKNAMES: dict[str, tuple[str, ...]] = {
    "William": ("Bill", "Will", "Billy", "Liam"),
    "Robert": ("Bob", "Rob", "Bobby", "Robbie"),
    "Richard": ("Rick", "Rich", "Dick", "Richie"),
    "James": ("Jim", "Jimmy", "Jamie"),
    "John": ("Jack", "Johnny"),
    "Michael": ("Mike", "Mick", "Micha"),
    "Christopher": ("Chris",),
    "Christian": ("Chris",),
    "Nicholas": ("Nick",),
    "Nicolas": ("Nico",),
    "Thomas": ("Tom", "Tommy"),
    "Joseph": ("Joe", "Joey"),
    "Daniel": ("Dan", "Danny"),
    "Anthony": ("Tony",),
    "Edward": ("Ed", "Ted", "Eddie"),
    "Matthew": ("Matt",),
    "Andrew": ("Andy", "Drew"),
    "Benjamin": ("Ben",),
    "Alexander": ("Alex", "Sascha", "Xander"),
    "Stephen": ("Steve",),
    "Steven": ("Steve",),
    "Timothy": ("Tim",),
    "Kenneth": ("Ken", "Kenny"),
    "Jeffrey": ("Jeff",),
    "Joshua": ("Josh",),
    "Charles": ("Charlie", "Chuck"),
    "Elizabeth": ("Liz", "Beth", "Betty", "Eliza", "Lisa"),
    "Margaret": ("Maggie", "Meg", "Peggy"),
    "Katherine": ("Kate", "Kathy", "Katie"),
    "Catherine": ("Cathy", "Kate"),
    "Jennifer": ("Jen", "Jenny"),
    "Patricia": ("Pat", "Patty", "Trish"),
    "Susan": ("Sue", "Susie"),
    "Rebecca": ("Becky", "Becca"),
    "Victoria": ("Vicky", "Tori"),
    "Samantha": ("Sam",),
    "Deborah": ("Debbie", "Deb"),
    "Kimberly": ("Kim",),
    "Johannes": ("Hans", "Johann", "Jo"),
    "Wolfgang": ("Wolf",),
    "Friedrich": ("Fritz",),
    "Josef": ("Sepp", "Joe"),
    "Maximilian": ("Max",),
    "Sebastian": ("Basti",),
    "Stefanie": ("Steffi",),
    "Christine": ("Tina", "Christl"),
    "Christina": ("Tina",),
    "Katharina": ("Kathi", "Katja"),
    "Elisabeth": ("Lisa", "Sissi", "Elli"),
    "Margarete": ("Grete", "Gretel"),
    "Gabriele": ("Gabi",),
    "Barbara": ("Babsi", "Babs"),
    "Karl-Heinz": ("Kalle", "K.-H."),
    "Hans-Peter": ("HP", "Hans"),
    "Giuseppe": ("Beppe", "Peppe", "Pino"),
    "Francesco": ("Franco", "Cecco"),
    "Giovanni": ("Gianni", "Nanni"),
    "Salvatore": ("Totò", "Salvo"),
    "Alessandro": ("Sandro", "Ale"),
    "Giuseppina": ("Pina",),
    "Francisco": ("Paco", "Pancho", "Curro"),
    "José": ("Pepe",),
    "Ignacio": ("Nacho",),
    "Manuel": ("Manolo",),
    "Enrique": ("Quique",),
    "Alejandro": ("Álex",),
    "Concepción": ("Concha",),
    "María Dolores": ("Lola",),
    "Josefa": ("Pepa",),
    "Jesús": ("Chus",),
    "Katarzyna": ("Kasia",),
    "Małgorzata": ("Gosia",),
    "Aleksandra": ("Ola",),
    "Wojciech": ("Wojtek",),
    "Joanna": ("Asia",),
    "Krzysztof": ("Krzysiek",),
    "Karl": ("Kalle",),
    "Lars": ("Lasse",),
    "Frédéric": ("Fred",),
    "Jean-Pierre": ("JP", "Jean"),
    "Jean-Claude": ("Jean",),
    "Cornelis": ("Kees",),
    "Johanna": ("Hanna",),
    "Hendrik": ("Henk",),
    "Pieter": ("Piet",),
    "Seán": ("Sean",),
    "Pádraig": ("Paddy", "Pat"),
    "Patrick": ("Paddy", "Pat"),
}

# Given names that differ from another person's by one or two letters, usually the other sex's form.
NEAR_NAMES: dict[str, tuple[str, ...]] = {
    "Daniel": ("Daniela", "Danielle"),
    "Christian": ("Christina", "Christiane"),
    "Jan": ("Jana", "Janne"),
    "Paul": ("Paula", "Pauline"),
    "Michael": ("Michaela", "Michelle"),
    "Andreas": ("Andrea",),
    "Stefan": ("Stefanie",),
    "Karl": ("Karla", "Carl"),
    "Mario": ("Maria", "Marion"),
    "Francesco": ("Francesca",),
    "Giovanni": ("Giovanna",),
    "Antonio": ("Antonia",),
    "Jean": ("Jeanne",),
    "Louis": ("Louise", "Luis"),
    "Robert": ("Roberta", "Roberto"),
    "Alexander": ("Alexandra",),
    "Simon": ("Simone",),
    "Anna": ("Anne", "Ann", "Hanna"),
    "Maria": ("Marie", "Mario"),
    "Sara": ("Sarah",),
    "Julia": ("Julie", "Julian"),
    "Peter": ("Petra", "Pieter"),
    "Erik": ("Erika", "Eric"),
    "Luca": ("Lucas", "Lukas"),
    "Emma": ("Emmi",),
    "Lena": ("Lene", "Leni"),
    "Jens": ("Jonas",),
    "Nicole": ("Nicola", "Nicolas"),
    "Carlos": ("Carla",),
    "Marc": ("Mark", "Marco"),
}

# Japanese long vowels: the macron, as typed on an ASCII keyboard, in passport Hepburn, or in wāpuro.
LONG_VOWELS: dict[str, tuple[str, ...]] = {"ō": ("o", "ou", "oh"), "ū": ("u", "uu"), "Ō": ("O", "Oo", "Oh")}

# Trades by language: the second word of most company names.
TRADES: dict[str, tuple[str, ...]] = {
    "de": _words(
        "Logistik Spedition Bau Haustechnik Elektrotechnik Maschinenbau Metallbau Stahlbau Holzbau Werkzeugbau "
        "Anlagenbau Medizintechnik Umwelttechnik Handelsgesellschaft Handel Immobilien Verwaltung Software "
        "Systemhaus Consulting Beratung Personalservice Gebäudereinigung Versicherungsmakler Druck Verpackung "
        "Kunststofftechnik Automation Energie Solartechnik Lebensmittel Getränke Reisen Fahrzeugtechnik Dental"
    ),
    "en": _words(
        "Logistics Engineering Construction Consulting Software Foods Plumbing Electrical Holdings Solutions "
        "Services Systems Manufacturing Trading Industries Technologies Supplies Distribution Properties "
        "Healthcare Medical Pharmaceuticals Laboratories Associates Brothers Group Partners International "
        "Enterprises Energy Automotive Packaging Interiors Security Analytics Marketing Media Design Freight "
        "Textiles Metals Plastics Electronics Management Development Corporation Company"
    ),
    "fr": _words(
        "Transports Bâtiment Conseil Informatique Distribution Services Industries Logistique Électricité "
        "Plomberie Immobilier Ingénierie Construction Technologies Solutions Systèmes Négoce Matériaux "
        "Emballages Énergie Environnement Nettoyage Sécurité Communication Voyages Alimentation Médical"
    ),
    "it": _words(
        "Trasporti Costruzioni Impianti Informatica Alimentari Servizi Logistica Edilizia Elettronica Meccanica "
        "Tessile Consulenze Sistemi Soluzioni Distribuzione Commerciale Industrie Immobiliare Arredamenti "
        "Ingegneria Energia Ambiente Farmaceutici Tecnologie Spedizioni Carpenteria Metalmeccanica Plastica"
    ),
    "es": _words(
        "Transportes Construcciones Servicios Distribuciones Informática Logística Ingeniería Consultores "
        "Instalaciones Inmobiliaria Alimentación Comercial Industrias Sistemas Soluciones Energía Montajes "
        "Suministros Telecomunicaciones Asesores Reformas Electricidad Mantenimiento Seguridad Hostelería"
    ),
    "nl": _words(
        "Transport Bouw Installatietechniek Advies Techniek Logistiek Handel Vastgoed Groep Holding Software "
        "Consultancy Elektrotechniek Metaalbewerking Verpakkingen Schoonmaak Beveiliging Zorg Automatisering "
        "Grondverzet Installaties Dienstverlening Machinebouw Energie Infra"
    ),
    "sv": _words(
        "Bygg Transport Konsult Teknik Elektriska Fastigheter Logistik Service Handel Maskin Data System Industri "
        "Verkstad Miljö Energi Måleri Städ Plåt Rör Säkerhet Design Invest Förvaltning"
    ),
    "da": _words(
        "Byg Transport Rådgivning VVS Teknik Ejendomme Logistik Service Handel Maskiner Data Systemer Industri "
        "El Energi Miljø Rengøring Entreprise Invest Design Consult Tømrer Maler Autoværksted"
    ),
    "pl": _words(
        "Budownictwo Transport Usługi Handel Technika Logistyka Instalacje Informatyka Doradztwo Nieruchomości "
        "Inżynieria Spedycja Produkcja Dystrybucja Systemy Serwis Energetyka Elektro Metal Automatyka Meble "
        "Opakowania Ochrona Consulting"
    ),
    "ja": _words(
        "Shōji Kōgyō Seisakusho Denki Kensetsu Un'yu Sangyō Shōkai Butsuryū Yakuhin Shokuhin Kikai Gomu Seikō "
        "Tsūshō Kasei Giken Denshi Kōki Tekkō Jidōsha Fudōsan Kaihatsu Sekkei Hanbai"
    ),
}
# Share of names in a language that put the trade before the owner ("Transports Martin", "Costruzioni Rossi").
TRADE_FIRST: dict[str, float] = {"fr": 0.6, "it": 0.7, "es": 0.7, "pl": 0.5}

# Small businesses: {s} a surname, {f} a given name, {c} the city. Fixed names recur in many cities.
SHOPS: dict[str, tuple[str, ...]] = {
    "de": (
        "Autohaus {s}",
        "Bäckerei {s}",
        "Metzgerei {s}",
        "Elektro {s}",
        "Malerbetrieb {s}",
        "Schreinerei {s}",
        "Zahnarztpraxis Dr. {s}",
        "{s}-Apotheke",
        "Gasthaus {s}",
        "Hotel {s}",
        "Optik {s}",
        "Sanitär {s}",
        "Steuerberatung {s}",
        "Kanzlei {s} & Partner",
        "Physiotherapie {s}",
        "Fahrschule {s}",
        "Stadtwerke {c}",
        "Hotel zur Post",
        "Apotheke am Markt",
        "Gasthof zum Löwen",
        "Stadt-Apotheke",
    ),
    "en": (
        "{s} Plumbing",
        "{s}'s Bakery",
        "{s} Motors",
        "{s} Dental Practice",
        "{s} & Sons",
        "{s} Family Pharmacy",
        "{c} Dental Care",
        "{c} Auto Repair",
        "The {s} Agency",
        "{s} Law Group",
        "{s} Accounting",
        "{s} Roofing",
        "{c} Veterinary Clinic",
        "The Red Lion",
        "The Royal Oak",
        "Main Street Pharmacy",
        "City Dental",
    ),
    "fr": (
        "Boulangerie {s}",
        "Garage {s}",
        "Pharmacie {s}",
        "Cabinet {s}",
        "Menuiserie {s}",
        "Transports {s}",
        "Plomberie {s}",
        "Boucherie {s}",
        "Hôtel de la Gare",
        "Café du Commerce",
        "Pharmacie Centrale",
        "Pharmacie de la Mairie",
    ),
    "it": (
        "Farmacia {s}",
        "Ristorante da {f}",
        "Autofficina {s}",
        "Studio {s}",
        "Panificio {s}",
        "Impresa Edile {s}",
        "Trattoria {s}",
        "Studio Legale {s}",
        "Ferramenta {s}",
        "Farmacia Centrale",
        "Bar Sport",
    ),
    "es": (
        "Farmacia {s}",
        "Talleres {s}",
        "Panadería {s}",
        "Construcciones {s}",
        "Clínica Dental {s}",
        "Bar {f}",
        "Asesoría {s}",
        "Transportes {s}",
        "Farmacia Central",
        "Restaurante El Puerto",
    ),
    "nl": (
        "Bakkerij {s}",
        "Autobedrijf {s}",
        "Installatiebedrijf {s}",
        "Tandartspraktijk {s}",
        "Apotheek {c}",
        "Schildersbedrijf {s}",
        "Bouwbedrijf {s}",
        "Transportbedrijf {s}",
        "Café De Zwaan",
    ),
    "sv": ("{s} Bygg", "{s}s Bil", "{s} Måleri", "{s}s Bageri", "Tandläkare {s}", "{c} Elektriska", "{s} & Söner"),
    "da": ("{s} Byg", "{s}s Bageri", "Tandlæge {s}", "{s} VVS", "{s} El-service", "{s} & Søn", "Apoteket {c}"),
    "pl": (
        "Piekarnia {s}",
        "Auto Serwis {s}",
        "Kancelaria {s}",
        "Zakład Usługowy {s}",
        "Gabinet Stomatologiczny {s}",
        "Firma Budowlana {s}",
        "Hurtownia {s}",
        "Apteka Centralna",
    ),
    "ja": ("{s} Shōten", "{s} Iin", "{s} Shika", "{s} Yakkyoku", "{c} Un'yu"),
}

# Brand words companies are named after, in every country.
STEMS = _words(
    "Acme Apex Atlas Beacon Summit Nova Orion Vertex Zenith Polaris Aurora Alpha Omega Delta Sigma Titan Helios "
    "Vega Sirius Phoenix Falcon Eagle Condor Lynx Fox Wolf Bear Lion Blue Green Red Silver Golden Royal Central "
    "United Global Euro Nordic Alpine Baltic Atlantic Pacific Continental Metro Urban Smart Prime Premier First "
    "Star Sun Sky Ocean River Lake Forest Oak Maple Cedar Pine Birch Rock Stone Iron Steel Copper Crystal Diamond "
    "Pearl Ruby Emerald Quantum Fusion Vector Matrix Nexus Vision Horizon Pinnacle Keystone Landmark Pioneer "
    "Frontier Liberty Heritage Legacy Crown Empire Castle Bridge Harbor Anchor Compass Meridian Trident Arrow "
    "Spark Bright Swift Rapid Express Direct Allied Standard National Coastal Highland Valley Meadow"
)
# Made-up brands: a prefix and a suffix ("Infotec", "Medisoft").
BRAND_HEADS = _words(
    "Inno Tech Medi Agri Bio Data Info Net Pro Servi Tele Trans Uni Euro Inter Omni Nord Multi Eco Hydro Therm "
    "Elektro Auto Aero Geo Logi Opti Digi Ener"
)
BRAND_TAILS = _words("tec tronic soft med com lab net plan log vest sys tex mark fix line con tel ware form ix ica on")

# Surname building blocks by language: the long tail after the common surnames.
SURNAME_PARTS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "de": (
        _words(
            "Acker Bach Berg Brand Busch Eich Feld Fried Gold Grün Hart Hof Holz Kirch Kling Korn Lang Lind Mohr "
            "Ober Rosen Schön Stein Stroh Wald Weiß Wolf Zimmer Sonnen Eber"
        ),
        _words("mann er meier huber berger hofer bauer feld hardt ke stein müller wald hagen dorf bach"),
    ),
    "en": (
        _words(
            "Ash Black Brad Brook Car Cole Craw Fair Fox Green Hart Hay Kings Lang Mar New Pen Red Ry Shel Stan "
            "Wal West White Whit Wood"
        ),
        _words("ley ton ford field wood worth well by ham more son man er ridge land"),
    ),
    "fr": (
        _words("Du De Le La Des Beau Bon Mal"),
        _words(
            "bois pont mont val champ moulin fort chêne pré lac roc mas bourg château four marais puy vergne jardin "
            "rivière fontaine noyer verger"
        ),
    ),
    "it": (
        _words("Bel Bian Cap Car Cas Fer Gal Lom Mar Mon Pel Ros Sal Ser Val Zan Tor Bor"),
        _words("lini etti otti ucci ello elli ardi ani oni ini one ato esi"),
    ),
    "es": (
        _words("Villa Monte Castro Valle Torre Fuente Casa Campo Sierra Puerto Vega Ribera"),
        _words("lobos verde nueva alta real blanca mayor rubia seca llana franca viejo hermosa"),
    ),
    "nl": (
        _words("van_de van_der van_den de ter van _ _ _"),
        _words("Berg Dijk Veen Bos Brink Meer Heuvel Laan Wal Beek Vliet Leeuwen Hoek Kamp Linden Horst Pol"),
    ),
    "sv": (
        _words("Berg Lind Sjö Ek Holm Dahl Ny Sand Lund Ström Fors Björk Hed Öst Wall Alm"),
        _words("berg ström qvist gren lund man ander blad holm dahl sson mark"),
    ),
    "da": (
        _words("Bech Dal Hol Kjær Lund Møl Nør Skov Stor Vest Øster Vinter Brand"),
        _words("gaard holm ler bech strup rup berg sen lund sted"),
    ),
    "pl": (
        _words("Bor Dąbr Gór Kaczm Kowal Lis Mazur Pawl Sob Wiśn Zaj Kwiat Krawcz Grab Jank Wol Bar"),
        _words("ski czyk ewicz owski iak ek ecki ko"),
    ),
    "ja": (
        _words("Aki Fuji Hashi Hira Ishi Kawa Kita Kuro Matsu Miya Mori Naka Nishi Oga Saka Shima Taka Tani Yama"),
        _words("da ta kawa moto mura no shita guchi zaki hara oka saki uchi ki gawa"),
    ),
}

AND_WORD: dict[str, str] = {
    "de": "und",
    "en": "and",
    "fr": "et",
    "it": "e",
    "es": "y",
    "nl": "en",
    "sv": "och",
    "da": "og",
    "pl": "i",
    "ja": "and",
}
FAMILY_BUSINESS: dict[str, tuple[str, ...]] = {
    "de": ("Söhne", "Partner", "Sohn"),
    "en": ("Sons", "Partners", "Co"),
    "fr": ("Fils", "Associés"),
    "it": ("Figli", "Soci"),
    "es": ("Hijos", "Asociados"),
    "nl": ("Zonen", "Partners"),
    "sv": ("Söner", "Partners"),
    "da": ("Søn", "Sønner"),
    "pl": ("Synowie", "Wspólnicy"),
    "ja": ("Sons",),
}
BILLING_LOCAL: dict[str, tuple[str, ...]] = {
    "de": _words("rechnung buchhaltung info kontakt einkauf office rechnungen"),
    "en": _words("accounts billing info finance ap accountspayable office invoices"),
    "fr": _words("comptabilite facturation contact info compta"),
    "it": _words("amministrazione info fatture contabilita"),
    "es": _words("administracion facturacion info contabilidad"),
    "nl": _words("administratie facturen info boekhouding"),
    "sv": _words("ekonomi faktura info"),
    "da": _words("bogholderi faktura info"),
    "pl": _words("ksiegowosc faktury biuro info"),
    "ja": _words("info keiri soumu"),
}
SUPPORT_LOCAL = _words("it helpdesk support service admin office info technik edv")
DUMMY_EMAILS = _words("noemail@noemail.com none@none.com no@email.com keine@email.de na@na.com test@test.com x@x.com")
DUMMY_PHONES = ("0000000000", "n/a", "-", "+49 000 000000", "123456", "000-000-0000", "unknown")
DUMMY_TAX_IDS = ("n/a", "N/A", "-", "0", "PENDING", "beantragt", "tbd", "000000000")

# Salutations and titles a name field sometimes carries: (male, female, academic).
TITLES: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "de": (("Herr", "Hr."), ("Frau", "Fr."), ("Dr.", "Prof. Dr.", "Dipl.-Ing.")),
    "en": (("Mr", "Mr."), ("Mrs", "Ms", "Ms.", "Miss"), ("Dr", "Dr.", "Prof.")),
    "fr": (("M.", "Monsieur"), ("Mme", "Madame"), ("Dr", "Me")),
    "it": (("Sig.",), ("Sig.ra",), ("Dott.", "Ing.", "Avv.")),
    "es": (("Sr.", "D."), ("Sra.", "Dña."), ("Dr.",)),
    "nl": (("Dhr.",), ("Mevr.",), ("Dr.", "Ir.", "Mr.")),
    "sv": ((), (), ("Dr.",)),
    "da": ((), (), ("Dr.",)),
    "pl": (("Pan",), ("Pani",), ("Dr", "mgr inż.")),
    "ja": ((), (), ("Dr.",)),
}

# Second address lines: {n} a small number, {L} a letter, {name} a person.
UNITS: dict[str, tuple[str, ...]] = {
    "de": ("{n}. OG", "{n}. Etage", "Hinterhaus", "Aufgang {L}", "c/o {name}", "Haus {L}", "Gebäude {n}", "Top {n}"),
    "en": ("Flat {n}", "Apt {n}", "Suite {n}00", "Unit {n}", "Floor {n}", "Building {L}", "c/o {name}"),
    "fr": ("Bâtiment {L}", "{n}e étage", "Appt {n}", "Résidence Les Tilleuls", "c/o {name}"),
    "it": ("Scala {L}", "Interno {n}", "Piano {n}", "c/o {name}"),
    "es": ("{n}º {L}", "Piso {n}", "Planta {n}", "Bajo", "Local {n}"),
    "nl": ("{n}e verdieping", "Unit {n}", "t.a.v. {name}"),
    "sv": ("lgh 1{n}0{n}", "{n} tr", "c/o {name}"),
    "da": ("{n}. th.", "{n}. tv.", "st. th.", "{n}. sal"),
    "pl": ("m. {n}", "lok. {n}", "piętro {n}"),
    "ja": ("{name} Building {n}F", "Room {n}0{n}", "{n}F"),
}
DEPARTMENTS: dict[str, tuple[str, ...]] = {
    "de": ("Buchhaltung", "Einkauf", "Kreditorenbuchhaltung", "Zentrale"),
    "en": ("Accounts Payable", "Purchasing", "Head Office", "Finance Dept"),
    "fr": ("Comptabilité", "Service Achats", "Siège"),
    "it": ("Amministrazione", "Ufficio Acquisti", "Sede"),
    "es": ("Contabilidad", "Compras", "Oficina Central"),
    "nl": ("Crediteurenadministratie", "Inkoop", "Hoofdkantoor"),
    "sv": ("Ekonomiavdelningen", "Inköp"),
    "da": ("Bogholderi", "Indkøb"),
    "pl": ("Księgowość", "Dział Zakupów"),
    "ja": ("Keiri-bu", "Head Office"),
}

# How legal forms are also written; "" in a variant list would mean "left out", which the generator does itself.
FORM_VARIANTS: dict[str, tuple[str, ...]] = {
    "GmbH": ("G.m.b.H.", "Gmbh", "GMBH", "Ges.m.b.H.", "Gesellschaft mit beschränkter Haftung", "mbH"),
    "GmbH & Co. KG": ("GmbH & Co KG", "GmbH u. Co. KG", "GmbH&Co.KG", "GmbH + Co. KG", "KG"),
    "GmbH & Co KG": ("GmbH & Co. KG", "GmbH u. Co KG", "KG"),
    "AG": ("Aktiengesellschaft", "A.G."),
    "KG": ("Kommanditgesellschaft",),
    "e.K.": ("e. K.", "eK", "e.Kfm."),
    "UG (haftungsbeschränkt)": ("UG", "UG (haftungsbeschraenkt)", "UG haftungsbeschränkt"),
    "OHG": ("oHG", "offene Handelsgesellschaft"),
    "OG": ("Offene Gesellschaft",),
    "e.U.": ("eU",),
    "e.V.": ("eV", "e. V."),
    "SA": ("S.A.", "AG"),
    "Sàrl": ("Sarl", "SARL", "GmbH"),
    "SARL": ("S.A.R.L.", "Sarl", "S.à r.l."),
    "SAS": ("S.A.S.", "Sas"),
    "SASU": ("S.A.S.U.", "SAS"),
    "EURL": ("E.U.R.L.",),
    "S.r.l.": ("Srl", "SRL", "S.R.L.", "s.r.l."),
    "S.r.l.s.": ("Srls", "S.R.L.S.", "S.r.l."),
    "S.p.A.": ("SpA", "SPA", "S.P.A.", "Spa"),
    "S.n.c.": ("Snc", "S.N.C.", "& C. S.n.c."),
    "S.a.s.": ("Sas", "S.A.S.", "& C. S.a.s."),
    "S.L.": ("SL", "S.L", "Sociedad Limitada", "S.R.L."),
    "S.L.U.": ("SLU", "S.L.", "Sociedad Limitada Unipersonal"),
    "S.A.": ("SA", "S.A", "Sociedad Anónima"),
    "B.V.": ("BV", "B.V", "bv"),
    "N.V.": ("NV",),
    "V.O.F.": ("VOF", "vof"),
    "Ltd": ("Ltd.", "Limited", "LTD", "ltd"),
    "Limited": ("Ltd", "Ltd.", "LIMITED"),
    "PLC": ("plc", "Plc", "Public Limited Company"),
    "LLP": ("L.L.P.",),
    "Inc.": ("Inc", "Incorporated", "INC"),
    "LLC": ("L.L.C.", "Llc", "LLC."),
    "Corp.": ("Corp", "Corporation"),
    "Co.": ("Co", "Company"),
    "Ltd.": ("Ltd", "Limited"),
    "Ltée": ("Ltee", "Limitée"),
    "Pty Ltd": ("Pty. Ltd.", "PTY LTD", "Proprietary Limited", "Pty Limited"),
    "Pty. Limited": ("Pty Ltd", "Pty. Ltd."),
    "AB": ("Aktiebolag", "Aktiebolaget", "(publ)"),
    "ApS": ("Aps", "APS"),
    "A/S": ("AS", "A.S."),
    "Sp. z o.o.": ("sp. z o.o.", "Sp.z o.o.", "Sp z oo", "Spółka z ograniczoną odpowiedzialnością", "SP. Z O.O."),
    "Sp.k.": ("sp.k.", "Spółka Komandytowa"),
    "Sp.j.": ("sp.j.", "Spółka Jawna"),
    "Kabushiki Kaisha": ("K.K.", "KK", "Co., Ltd.", "Corporation", "Inc."),
    "Gōdō Kaisha": ("G.K.", "GK", "LLC", "Godo Kaisha"),
    "Yūgen Kaisha": ("Y.K.", "Ltd.", "Yugen Kaisha"),
    "DAC": ("D.A.C.", "Designated Activity Company"),
    "CLG": ("Company Limited by Guarantee",),
}

# Word-level variants of company names: abbreviations and, for Japanese, the English names firms also use.
NAME_VARIANTS: dict[str, tuple[str, ...]] = {
    "International": ("Intl", "Int'l", "Intl."),
    "Manufacturing": ("Mfg", "Mfg."),
    "Engineering": ("Eng.", "Engg"),
    "Technologies": ("Tech", "Technology"),
    "Services": ("Svcs", "Service"),
    "Solutions": ("Sol.", "Solution"),
    "Systems": ("Sys.", "System"),
    "Industries": ("Ind.", "Industry"),
    "Associates": ("Assoc.", "Assocs"),
    "Brothers": ("Bros", "Bros."),
    "Company": ("Co", "Co."),
    "Corporation": ("Corp", "Corp."),
    "Holdings": ("Hldgs", "Holding"),
    "Management": ("Mgmt",),
    "Distribution": ("Dist.", "Distr."),
    "Laboratories": ("Labs", "Lab"),
    "Pharmaceuticals": ("Pharma",),
    "Electrical": ("Elec.", "Electric"),
    "Construction": ("Constr.",),
    "Development": ("Dev.",),
    "Partners": ("Ptnrs",),
    "Saint": ("St", "St."),
    "Sankt": ("St.",),
    "Handelsgesellschaft": ("Handelsges.", "HG"),
    "Verwaltung": ("Verw.", "Verwaltungs"),
    "Immobilien": ("Immob.",),
    "Elektrotechnik": ("E-Technik", "Elektrotech."),
    "Gebäudereinigung": ("Gebäudereinig.", "Reinigung"),
    "Versicherungsmakler": ("Vers.-Makler",),
    "Zahnarztpraxis": ("Zahnarzt", "Praxis"),
    "Steuerberatung": ("StB", "Steuerberater"),
    "Physiotherapie": ("Physio",),
    "Costruzioni": ("Costr.",),
    "Trasporti": ("Trasp.",),
    "Construcciones": ("Const.", "Construc."),
    "Transportes": ("Transp.",),
    "Distribuciones": ("Distrib.",),
    "Instalaciones": ("Instal.",),
    "Servicios": ("Serv.",),
    "Transports": ("Transp.", "Tpts"),
    "Installatietechniek": ("Install.techniek", "Installatie"),
    "Shōji": ("Trading", "Shoji", "Shouji"),
    "Kōgyō": ("Industries", "Kogyo", "Kougyou", "Industrial"),
    "Denki": ("Electric",),
    "Kensetsu": ("Construction",),
    "Un'yu": ("Transport", "Unyu"),
    "Sangyō": ("Industries", "Sangyo"),
    "Seisakusho": ("Works", "Mfg."),
    "Shōten": ("Shoten", "Store"),
    "Yakuhin": ("Pharmaceutical",),
    "Shokuhin": ("Foods",),
    "Butsuryū": ("Logistics", "Butsuryu"),
}

# Street-name variants by language: whole words, then word endings ("Hauptstraße" -> "Hauptstr.").
STREET_WORDS: dict[str, dict[str, tuple[str, ...]]] = {
    "de": {"Straße": ("Str.", "Strasse", "Str"), "Platz": ("Pl.",), "Sankt": ("St.",)},
    "en": {
        "Street": ("St", "St.", "Str"),
        "Road": ("Rd", "Rd."),
        "Avenue": ("Ave", "Av", "Ave."),
        "Boulevard": ("Blvd", "Blvd."),
        "Drive": ("Dr", "Dr."),
        "Lane": ("Ln",),
        "Square": ("Sq",),
        "Parkway": ("Pkwy",),
        "Highway": ("Hwy",),
        "Parade": ("Pde",),
        "North": ("N", "N."),
        "South": ("S", "S."),
        "East": ("E",),
        "West": ("W", "W."),
        "Northeast": ("NE",),
        "Second": ("2nd",),
        "Third": ("3rd",),
        "Saint": ("St",),
        "St": ("Saint", "St."),
        "rue": ("r.", "Rue"),
        "boulevard": ("boul.", "bd"),
    },
    "fr": {
        "rue": ("r.", "Rue", "RUE"),
        "avenue": ("av.", "ave", "Av.", "Avenue"),
        "boulevard": ("bd", "bld", "boul.", "Bd"),
        "place": ("pl.", "Place"),
        "chemin": ("ch.", "chem."),
        "allée": ("all.", "allee"),
        "route": ("rte", "Rte"),
        "impasse": ("imp.",),
        "quai": ("qu.",),
        "Saint-Honoré": ("St-Honoré", "St Honoré"),
        "Saint-Michel": ("St-Michel",),
        "Général": ("Gal", "Gén.", "General"),
    },
    "it": {
        "Via": ("V.", "via"),
        "Piazza": ("P.zza", "P.za", "Pza"),
        "Corso": ("C.so",),
        "Viale": ("V.le",),
        "Vittorio": ("V.",),
        "San": ("S.",),
    },
    "es": {
        "Calle": ("C/", "c/", "Cl.", "C."),
        "Avenida": ("Avda.", "Av.", "Avda"),
        "Plaza": ("Pza.", "Pl.", "Plz."),
        "Paseo": ("Pº", "Po."),
        "Carrer": ("C/", "c/"),
        "Rambla": ("Rbla.",),
    },
    "nl": {"Van": ("van",)},
    "sv": {"vägen": ("v.", "vagen")},
    "da": {"Boulevard": ("Blvd.", "Boul.")},
    "pl": {"ul.": ("ulica", "UL.", "Ul."), "al.": ("aleja", "Al."), "pl.": ("plac", "Pl.")},
    "ja": {},
}
STREET_ENDINGS: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {
    "de": (("straße", ("str.", "strasse", "str", "Str.")), ("strasse", ("str.", "straße")), ("platz", ("pl.",))),
    "nl": (("straat", ("str.", "str")), ("laan", ("ln",)), ("plein", ("pl.",)), ("weg", ("wg.",))),
    "sv": (("gatan", ("g.", "gt.", "gata")), ("vägen", ("v.", "vagen", "väg"))),
    "da": (("gade", ("g.",)), ("vej", ("v.",))),
}
