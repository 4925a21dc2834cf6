"""Word lists for conflict matching: mail providers whose domain says nothing about the company, and the words
that name a kind of company rather than a company."""

from __future__ import annotations

FREE_MAIL_DOMAINS: frozenset[str] = frozenset(
    # Consumer mailbox providers: an address there says nothing about the customer's company.
    """
    gmail.com googlemail.com outlook.com outlook.fr outlook.de hotmail.com hotmail.co.uk hotmail.fr hotmail.de
    hotmail.it hotmail.es live.com live.co.uk live.fr msn.com yahoo.com yahoo.co.uk yahoo.fr yahoo.de yahoo.es
    yahoo.it yahoo.ca yahoo.com.au yahoo.co.in yahoo.co.jp ymail.com rocketmail.com icloud.com me.com mac.com
    aol.com aim.com proton.me protonmail.com protonmail.ch pm.me gmx.de gmx.net gmx.com gmx.at gmx.ch web.de
    t-online.de freenet.de mail.com email.com yandex.ru yandex.com ya.ru mail.ru bk.ru inbox.ru list.ru rambler.ru
    qq.com 163.com 126.com yeah.net sina.com sohu.com aliyun.com naver.com daum.net hanmail.net zoho.com
    zohomail.com fastmail.com fastmail.fm tutanota.com tuta.io hushmail.com hey.com duck.com orange.fr wanadoo.fr
    free.fr laposte.net sfr.fr libero.it virgilio.it btinternet.com comcast.net verizon.net att.net sbcglobal.net
    bellsouth.net cox.net rediffmail.com seznam.cz wp.pl o2.pl interia.pl onet.pl uol.com.br bol.com.br
    """.split()
)

# Words that name a kind of company rather than a company: never a blocking key on their own (a key made of one
# would fetch thousands of unrelated rows), and skipped when looking for a name's first significant token.
GENERIC_WORDS: frozenset[str] = frozenset(
    """
    the a an and of for at on in by to de del della des du da do dos di la le les el los las der die das den und
    et von van
    group groupe gruppe grupo holding holdings company companies corporate corporation enterprise enterprises
    industries industrial industry international intl global worldwide world national united general universal
    partners partner associates ventures capital investments investment management trading traders trade
    resources products brands tech technology technologies technik software systems system solutions solution
    services service consulting consultants consultancy digital data cloud network networks net web online
    internet it info information computer computers computing communications telecom telecommunications media
    labs lab innovation innovations innovative advanced integrated smart analytics security ai app apps mobile
    electronics engineering design marketing interactive creative studio studios agency health healthcare
    medical pharma pharmaceuticals bank financial finance insurance energy power logistics transport food foods
    retail store stores shop properties realty real estate construction manufacturing automotive motors auto home
    homes hotel hotels education america american americas usa us uk eu europe european euro asia asian pacific
    atlantic africa african latin university college school hospital clinic city county state department dept
    ministry government bureau institute foundation association society center centre council club office
    authority first new one
    """.split()
)

# --- Multinational customers (matching.multinational) ---------------------------------------------------------

# Country and region words that pycountry's catalogues lack: endonyms, short forms and the regions a group's
# local entities are named after ("Brand Nippon KK", "Brand UK Ltd", "Brand EMEA", "Marca do Brasil").
COUNTRY_WORDS: frozenset[str] = frozenset(
    phrase.strip()
    for phrase in """
    uk; gb; usa; us; uae; ksa; america; americas; britain; great britain; england; scotland; holland; korea;
    south korea; nippon; nihon; japan; helvetia; schweiz; suisse; svizzera; osterreich; nederland; belgie; danmark;
    norge; sverige; suomi; polska; cesko; ceska republika; magyarorszag; romania; turkiye; hellas; eesti; latvija;
    lietuva; slovensko; hrvatska; srbija; eire; bharat; zhongguo; hanguk; iberia; iberica; espanola; italiana;
    italiano; francaise; deutsche; portuguesa; mexicana; brasileira; argentina; chilena; colombiana; peruana;
    canadian; australian; australasia; anz; nordic; nordics; scandinavia; benelux; dach; emea; apac; latam; amer;
    asean; mena; europe; european; europa; eu; asia; asia pacific; north america; south america; latin america;
    central america; middle east; africa; middle east and africa
    """.split(";")
)

# Country names that are also given names, surnames or common words: "Michael Jordan Ltd" is not a Jordanian
# entity of "Michael". Never dropped from a name.
NOT_COUNTRY_WORDS: frozenset[str] = frozenset(
    """
    man chad jordan georgia georgie jersey guernsey guinea niger maurice mauricio maurizio salomon salvador granada
    grenada christmas norfolk island oma mali cocos kokos gana benim barem chili lao dominica dominique guadalupe
    reunion montserrat monserrate samoa tonga togo
    """.split()
)

# Words that say which part of a group an entity is rather than which group: dropped from a name's end (and a
# group word from its start: "Grupo Bimbo") before names are compared as one group.
GROUP_WORDS: frozenset[str] = frozenset(
    """
    group groupe gruppe grupo gruppo groep grupa holding holdings international intl global worldwide
    グループ ホールディングス ホールディング インターナショナル グローバル
    """.split()
)

# Japan's names in Japanese script, as a local entity's name ends (ブランドジャパン合同会社, ブランド日本): kana.py sets
# them apart from the name they are glued to, and the core drops them like "Japan" in "Brand Japan KK".
JAPANESE_COUNTRY_WORDS: frozenset[str] = frozenset("ジャパン ニッポン ニホン 日本".split())

# Words that, once a country word is gone, name an industry rather than a company: "Air France" and "Air India"
# share "air", "Banco do Brasil" and "Banco de Mexico" share "banco". A core made only of these (or of
# GENERIC_WORDS) joins nothing.
SECTOR_WORDS: frozenset[str] = frozenset(
    """
    air airline airlines airways aero aviation airport airports radio tele tv television post poste posten posta
    correos correios rail railway railways bahn ferrovie banco banca banque bancorp telekom oil gas petroleum
    petroleo petroleos mining steel cement water sport sports royal state federal central republic
    """.split()
)

# Country codes sold as vanity suffixes: a second-level name there (acme.io, acme.ai) is no country site. Under
# a country's own second level (acme.com.co) it still is one.
VANITY_COUNTRY_CODES: frozenset[str] = frozenset(
    "io ai co me tv cc ly gg fm to ws sh ac la vc nu tk so st is im".split()
)
# The suffixes a group's worldwide site uses beside its country sites.
GLOBAL_SUFFIXES: frozenset[str] = frozenset("com net org biz info".split())
