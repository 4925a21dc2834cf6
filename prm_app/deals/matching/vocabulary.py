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
