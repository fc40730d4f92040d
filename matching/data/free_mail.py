"""Mailbox providers whose domain says nothing about the employer: two people at gmail.com are not colleagues."""

FREE_MAIL_DOMAINS: frozenset[str] = frozenset(
    {
        # international
        "gmail.com", "googlemail.com", "yahoo.com", "ymail.com", "rocketmail.com", "hotmail.com", "outlook.com",
        "live.com", "msn.com", "passport.com", "windowslive.com", "aol.com", "aim.com", "icloud.com", "me.com",
        "mac.com", "protonmail.com", "protonmail.ch", "proton.me", "pm.me", "tutanota.com", "tutanota.de",
        "tuta.io", "tutamail.com", "mail.com", "email.com", "usa.com", "gmx.com", "gmx.net", "zoho.com",
        "zohomail.com", "yandex.com", "yandex.ru", "ya.ru", "fastmail.com", "fastmail.fm", "hushmail.com",
        "hey.com", "inbox.com", "lycos.com", "mailfence.com", "runbox.com", "posteo.net", "duck.com",
        # German-speaking
        "web.de", "gmx.de", "gmx.at", "gmx.ch", "t-online.de", "freenet.de", "arcor.de", "posteo.de",
        "mailbox.org", "online.de", "email.de", "vodafone.de", "kabelmail.de", "1und1.de", "aon.at", "chello.at",
        "a1.net", "bluewin.ch", "hispeed.ch", "sunrise.ch", "swissonline.ch", "gmx.li",
        # France, Belgium, Luxembourg
        "orange.fr", "wanadoo.fr", "free.fr", "sfr.fr", "neuf.fr", "laposte.net", "club-internet.fr", "aliceadsl.fr",
        "numericable.fr", "bbox.fr", "skynet.be", "telenet.be", "voo.be", "proximus.be", "pt.lu",
        # Italy, Spain, Portugal
        "libero.it", "virgilio.it", "alice.it", "tin.it", "tiscali.it", "email.it", "fastwebnet.it", "inwind.it",
        "iol.it", "poste.it", "terra.es", "telefonica.net", "movistar.es", "ono.com", "sapo.pt", "iol.pt",
        "netcabo.pt",
        # Netherlands
        "ziggo.nl", "kpnmail.nl", "kpnplanet.nl", "home.nl", "planet.nl", "hetnet.nl", "casema.nl", "xs4all.nl",
        "upcmail.nl", "chello.nl",
        # United Kingdom, Ireland
        "btinternet.com", "btopenworld.com", "sky.com", "virginmedia.com", "blueyonder.co.uk", "ntlworld.com",
        "talktalk.net", "tiscali.co.uk", "o2.co.uk", "eircom.net", "iol.ie",
        # North America
        "comcast.net", "verizon.net", "att.net", "sbcglobal.net", "bellsouth.net", "cox.net", "charter.net",
        "earthlink.net", "optonline.net", "frontier.com", "juno.com", "netzero.net", "shaw.ca", "rogers.com",
        "sympatico.ca", "telus.net", "videotron.ca", "bell.net",
        # Australia, New Zealand
        "bigpond.com", "bigpond.net.au", "optusnet.com.au", "iinet.net.au", "tpg.com.au", "internode.on.net",
        "xtra.co.nz",
        # Japan, Korea, China
        "docomo.ne.jp", "ezweb.ne.jp", "au.com", "softbank.ne.jp", "i.softbank.jp", "nifty.com", "ocn.ne.jp",
        "biglobe.ne.jp", "so-net.ne.jp", "naver.com", "daum.net", "hanmail.net", "qq.com", "163.com", "126.com",
        "yeah.net", "sina.com", "sina.cn", "sohu.com", "foxmail.com", "aliyun.com",
        # Nordic countries
        "telia.com", "online.no", "broadpark.no", "jubii.dk", "ofir.dk", "mail.dk", "suomi24.fi", "luukku.com",
        "kolumbus.fi", "spray.se", "bredband.net",
        # Poland, Czechia, Eastern Europe
        "wp.pl", "o2.pl", "onet.pl", "onet.eu", "interia.pl", "poczta.fm", "op.pl", "tlen.pl", "gazeta.pl",
        "seznam.cz", "centrum.cz", "email.cz", "atlas.cz", "azet.sk", "centrum.sk", "mail.ru", "bk.ru", "list.ru",
        "inbox.ru", "rambler.ru", "ukr.net", "abv.bg", "freemail.hu", "citromail.hu",
        # India
        "rediffmail.com", "indiatimes.com", "sify.com",
    }
)  # fmt: skip

# Providers with a domain per country (yahoo.co.uk, hotmail.fr, gmx.at, live.com.au): matched on the first label
# when the rest of the domain is a public suffix such as "de", "co.uk" or "com.au".
FREE_MAIL_BRANDS: frozenset[str] = frozenset(
    {"yahoo", "ymail", "hotmail", "outlook", "live", "msn", "gmx", "aol", "yandex", "googlemail", "gmail", "icloud"}
)
