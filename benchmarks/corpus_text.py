"""Distinct, multilingual post texts for the benchmark archives (`make_x_archive.py --corpus realistic`).

Why: an archive that repeats a few sentences lets the audit detect the language of a few hundred
thousand distinct texts instead of a million, so language detection looks cheap. Real ministry
accounts almost never repeat a post: each names people, places, dates and numbers. Here every post
is composed from sentence templates whose slots (officials, countries, cities, topics, events,
organisations, numbers, dates, times, years) are drawn per post, in 15 languages and 8 scripts, so
more than 98% of posts are distinct, as prose and not only through their t.co links.

Length follows what X allows and ministries write: short notices of 20-60 characters, one-sentence
posts, and posts of two to four sentences up to the 280-character limit, where a CJK character
counts twice (so Korean, Japanese and Chinese posts are shorter in characters). Some posts carry
an English translation after the local text, some emoji, some line breaks; hashtags, mentions and
links are added by the archive generator.
"""

from __future__ import annotations

import random
import string
from dataclasses import dataclass, field
from datetime import datetime, timedelta

LATIN_SURNAMES = ("Kim", "Lee", "Park", "Choi", "Jung", "Kang", "Cho", "Yoon", "Jang", "Lim", "Han", "Oh", "Seo",
                  "Shin", "Kwon", "Hwang")
LATIN_GIVEN = ("Min-jun", "Seo-yeon", "Ji-ho", "Ha-eun", "Do-yun", "Su-bin", "Jae-won", "Hye-jin", "Sung-min",
               "Young-ho")
EMOJI = ("🇰🇷", "🤝", "🌏", "📢", "🎉", "👏", "✨", "📸", "🕊️", "🙏", "💙", "🎬", "🍜", "📅", "➡️")


def latin_officials(titles: tuple[str, ...], locals_: tuple[str, ...] = ()) -> tuple[str, ...]:
    """Title + surname and title + full name for Korean names in Latin script, plus local full names."""
    names = LATIN_SURNAMES + tuple(f"{g} {s}" for s in LATIN_SURNAMES for g in LATIN_GIVEN) + locals_
    return tuple(f"{t} {n}" for t in titles for n in names)


def script_officials(titles: tuple[str, ...], surnames: tuple[str, ...], given: tuple[str, ...] = (),
                     pattern: str = "{title} {name}", given_sep: str = " ") -> tuple[str, ...]:
    """Officials in a non-Latin script: surnames alone and with given names, in the language's order."""
    names = surnames + tuple(f"{s}{given_sep}{g}" for s in surnames for g in given)
    return tuple(pattern.format(title=t, name=n) for t in titles for n in names)


@dataclass(frozen=True)
class Language:
    """One language's templates and vocabulary; `wide` languages count double against X's 280 limit.

    Template slots `official`, `country`, `city`, `topic`, `event` and `org` come from `vocab`;
    `n`, `date`, `time`, `year` and `phone` are drawn per post (Composer.fill).
    """

    code: str
    declared: str
    templates: tuple[str, ...]
    shorts: tuple[str, ...]
    closers: tuple[str, ...]
    vocab: dict[str, tuple[str, ...]]
    hashtags: tuple[str, ...]
    date: str
    months: tuple[str, ...] = ()
    wide: bool = False
    joiner: str = " "
    thousands: str = ","
    year_offset: int = 0
    template_slots: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        """Which slots each template uses, parsed once: filling only those keeps a post at ~10 µs."""
        for template in self.templates + self.shorts + self.closers:
            names = tuple(f for _, f, _, _ in string.Formatter().parse(template) if f)
            self.template_slots[template] = names


EN = Language(
    code="en", declared="en",
    templates=(
        "{official} met the Foreign Minister of {country} in {city} on {date} to discuss {topic}.",
        "Today {official} attended the {event} in {city}, together with delegates from {n} countries.",
        "Consular notice: the embassy will be closed on {date}. For emergencies, please call our duty phone {phone}.",
        "{official} reaffirmed our commitment to {topic} with {country} at the {org} meeting.",
        "More than {n} people joined the {event} at the embassy this weekend. Thank you all for coming!",
        "Applications for the {event} are open until {date}. Find out more on our website.",
        "We are deeply saddened by the news from {city} on {date}. Our thoughts are with the families of the victims.",
        "Our cooperation with {country} on {topic} has grown steadily since {year}.",
        "{official} delivered remarks on {topic} at the {org} session in {city} at {time}.",
        "Join us on {date} at {time} for a live Q&amp;A with {official} on {topic}.",
        "Students from {n} universities took part in the {event} held in {city}.",
        "Korea and {country} signed a memorandum of understanding on {topic} on {date}.",
    ),
    shorts=("Happening now: the {event} in {city}.", "Welcome to {city}, {official}!",
            "Live at {time}: {official} on {topic}.", "Save the date: {date}.", "{n} days to the {event}!"),
    closers=("Thank you!", "Stay tuned for more updates.", "See you there!", "Read the full statement below.",
             "Photos from the day:", "Please share.", "We look forward to working together."),
    vocab={
        "official": latin_officials(("Minister", "Vice Minister", "Ambassador", "Spokesperson", "Consul General",
                                     "Deputy Head of Mission"), ("Maria Garcia", "John Smith", "Priya Sharma")),
        "country": ("Japan", "France", "Germany", "Brazil", "Mexico", "Indonesia", "Malaysia", "Thailand",
                    "Vietnam", "India", "Saudi Arabia", "Egypt", "Kenya", "Canada", "Australia", "Spain",
                    "Poland", "Chile", "Nigeria", "the Philippines"),
        "city": ("Tokyo", "Paris", "Berlin", "São Paulo", "Mexico City", "Jakarta", "Kuala Lumpur", "Bangkok",
                 "Hanoi", "New Delhi", "Riyadh", "Cairo", "Nairobi", "Ottawa", "Canberra", "Madrid", "Warsaw",
                 "Santiago", "Seoul", "Busan", "London", "Washington"),
        "topic": ("climate change", "trade and investment", "supply chain resilience", "public health",
                  "cyber security", "clean energy", "digital innovation", "maritime security",
                  "cultural exchange", "education", "development cooperation", "nuclear non-proliferation",
                  "people-to-people ties", "food security", "disaster relief"),
        "event": ("Korean Film Festival", "K-pop Cover Dance Festival", "Korean Language Speech Contest",
                  "Hangul Day celebration", "business forum", "alumni reception", "Taekwondo demonstration",
                  "Korean food fair", "youth leaders forum", "investment seminar", "photo exhibition",
                  "National Foundation Day reception"),
        "org": ("UN", "ASEAN", "G20", "APEC", "OECD", "WHO", "UNESCO", "IAEA", "WTO"),
    },
    hashtags=("PublicDiplomacy", "ClimateAction", "KoreanWave", "Hallyu", "G20", "UNGA", "ASEAN", "Korea",
              "StudyInKorea"),
    date="{d} {M} {y}",
    months=("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
            "November", "December"),
)

KO = Language(
    code="ko", declared="ko", wide=True,
    templates=(
        "{official}, {date} {city}에서 {country} 외교장관과 {topic} 협력 방안 논의",
        "{date} {city}에서 열린 {event} 행사에 {n}명이 참석했습니다.",
        "[영사 안내] {date}은 공휴일로 대사관 민원 업무를 하지 않습니다. 긴급 상황 시 당직 전화({phone})로 연락 "
        "바랍니다.",
        "{org} 회의 계기 {official}, {country} 측과 {topic} 분야 협력 강화 합의",
        "우리 정부는 {date} {city}에서 발생한 재난으로 피해를 입은 분들께 깊은 위로의 뜻을 전합니다.",
        "{country} 측과의 {topic} 협력이 {year}년 이후 꾸준히 확대되고 있습니다.",
        "{date} {time}부터 {official} 주재로 {topic} 관련 온라인 설명회가 진행됩니다.",
        "{event} 참가 신청은 {date}까지입니다. 자세한 내용은 대사관 홈페이지를 참고해 주세요.",
        "한국과 {country} 정부는 {date} {topic} 분야 양해각서(MOU)를 체결했습니다.",
        "{official}, {org} 총회에서 {topic} 관련 기조연설",
        "올해로 {n}회째를 맞은 {event} 행사에 많은 관심과 참여 부탁드립니다.",
    ),
    shorts=("{event} 행사 현장 스케치", "{official}, {city} 도착", "{date} {time} 생중계 예정",
            "{city}에서 열린 {event}", "{n}명 참석 감사합니다!"),
    closers=("감사합니다.", "많은 관심 부탁드립니다!", "자세한 내용은 아래 링크를 참고하세요.",
             "앞으로도 많은 응원 바랍니다.", "함께해 주신 모든 분들께 감사드립니다."),
    vocab={
        "official": script_officials(("장관", "차관", "대사", "대변인", "총영사", "공사"),
                                     ("김", "이", "박", "최", "정", "강", "조", "윤", "장", "임", "한", "오"),
                                     ("민준", "서연", "지호", "하은", "도윤", "수빈", "재원", "혜진", "성민", "영호"),
                                     "{name} {title}", ""),
        "country": ("일본", "프랑스", "독일", "브라질", "멕시코", "인도네시아", "말레이시아", "태국", "베트남", "인도",
                    "사우디아라비아", "이집트", "케냐", "캐나다", "호주", "스페인", "폴란드", "칠레"),
        "city": ("도쿄", "파리", "베를린", "상파울루", "멕시코시티", "자카르타", "쿠알라룸푸르", "방콕", "하노이",
                 "뉴델리", "리야드", "카이로", "나이로비", "오타와", "캔버라", "마드리드", "바르샤바", "서울", "부산"),
        "topic": ("기후변화", "통상·투자", "공급망", "보건", "사이버안보", "청정에너지", "디지털 혁신", "해양안보",
                  "문화교류", "교육", "개발협력", "비확산", "인적교류", "식량안보", "재난구호"),
        "event": ("한국영화제", "K-팝 커버댄스 페스티벌", "한국어 말하기 대회", "한글날 기념", "비즈니스 포럼",
                  "동문 리셉션", "태권도 시범", "한식 축제", "청년 리더 포럼", "통상투자 세미나", "사진전",
                  "개천절 경축 리셉션"),
        "org": ("유엔", "아세안", "G20", "APEC", "OECD", "WHO", "유네스코", "IAEA"),
    },
    hashtags=("외교부", "대한민국", "공공외교", "K컬처", "한글날", "기후변화", "한류"),
    date="{y}년 {m}월 {d}일",
)

JA = Language(
    code="ja", declared="ja", wide=True, joiner="",
    templates=(
        "{official}は{date}、{city}で{country}の外務大臣と会談し、{topic}分野での協力について意見交換を行いました。",
        "{date}、{city}で{event}を開催し、約{n}名の方にご参加いただきました。",
        "【領事からのお知らせ】{date}は休館日のため、領事窓口業務を休止いたします。"
        "緊急の場合は代表電話（{phone}）までご連絡ください。",
        "{official}は{org}会合に出席し、{topic}に関する{country}との連携を確認しました。",
        "{date}に{city}で発生した災害により被害に遭われた皆様に心からお見舞い申し上げます。",
        "{year}年以降、{country}との{topic}分野における協力は着実に拡大しています。",
        "{date}{time}から、{official}による{topic}についてのオンライン講演会を行います。",
        "{event}の参加申込みは{date}までです。詳しくは大使館ホームページをご覧ください。",
        "韓国と{country}は{date}、{topic}分野の協力覚書に署名しました。",
        "第{n}回となる{event}に、ぜひ多くの皆様のご来場をお待ちしております。",
    ),
    shorts=("{event}の様子をお届けします", "{official}、{city}に到着", "{date}{time}からライブ配信",
            "{city}で{event}を開催", "ご参加いただいた{n}名の皆様、ありがとうございました！"),
    closers=("ありがとうございました。", "皆様のご参加をお待ちしております！", "詳しくは以下のリンクをご覧ください。",
             "今後ともよろしくお願いいたします。", "ぜひご覧ください！"),
    vocab={
        "official": script_officials(("大臣", "副大臣", "大使", "報道官", "総領事", "公使"),
                                     ("金", "李", "朴", "崔", "鄭", "姜", "趙", "尹", "張", "林", "韓", "呉",
                                      "田中", "佐藤", "鈴木", "高橋"), (), "{name}{title}"),
        "country": ("日本", "フランス", "ドイツ", "ブラジル", "メキシコ", "インドネシア", "マレーシア", "タイ",
                    "ベトナム", "インド", "サウジアラビア", "エジプト", "ケニア", "カナダ", "オーストラリア",
                    "スペイン", "ポーランド", "チリ"),
        "city": ("東京", "大阪", "パリ", "ベルリン", "サンパウロ", "ジャカルタ", "クアラルンプール", "バンコク",
                 "ハノイ", "ニューデリー", "リヤド", "カイロ", "ナイロビ", "オタワ", "キャンベラ", "マドリード",
                 "ソウル", "釜山", "福岡", "札幌"),
        "topic": ("気候変動", "貿易・投資", "サプライチェーン", "保健医療", "サイバーセキュリティ",
                  "クリーンエネルギー", "デジタル", "海洋安全保障", "文化交流", "教育", "開発協力", "不拡散",
                  "人的交流", "食料安全保障", "防災"),
        "event": ("韓国映画祭", "K-POPカバーダンスフェスティバル", "韓国語スピーチコンテスト", "ハングルの日記念行事",
                  "ビジネスフォーラム", "留学生同窓会", "テコンドー公演", "韓国料理フェア", "青年リーダーフォーラム",
                  "投資セミナー", "写真展", "開天節レセプション"),
        "org": ("国連", "ASEAN", "G20", "APEC", "OECD", "WHO", "ユネスコ", "IAEA"),
    },
    hashtags=("外交", "日韓交流", "韓国文化", "国際交流", "韓国語"),
    date="{y}年{m}月{d}日",
)

ZH = Language(
    code="zh", declared="zh", wide=True, joiner="",
    templates=(
        "{date}，{official}在{city}会见{country}外交部长，双方就{topic}领域合作交换了意见。",
        "{date}，{event}在{city}成功举办，约{n}名嘉宾出席。",
        "【领事提醒】{date}为公休日，使馆领事业务暂停办理。如遇紧急情况，请拨打值班电话{phone}。",
        "{official}出席{org}会议，表示愿同{country}加强{topic}合作。",
        "对{date}{city}灾害中的遇难者表示深切哀悼，向受灾民众致以诚挚慰问。",
        "自{year}年以来，我们与{country}在{topic}领域的合作不断深化。",
        "{date}{time}，{official}将就{topic}举行线上讲座，欢迎收看。",
        "{event}报名截止日期为{date}，详情请见使馆网站。",
        "{date}，韩国与{country}签署{topic}领域合作谅解备忘录。",
        "第{n}届{event}即将开幕，欢迎各界朋友踊跃参加！",
    ),
    shorts=("{event}精彩瞬间", "{official}抵达{city}", "{date}{time}直播", "{city}举办{event}",
            "感谢{n}位朋友的参与！"),
    closers=("谢谢大家！", "欢迎关注。", "详情请点击以下链接。", "期待与您相见！", "敬请期待！"),
    vocab={
        "official": script_officials(("部长", "副部长", "大使", "发言人", "总领事", "公使"),
                                     ("金", "李", "朴", "崔", "郑", "姜", "赵", "尹", "张", "林", "王", "刘", "陈",
                                      "杨"), ("民俊", "瑞妍", "智浩", "夏恩", "道允", "秀彬"), "{name}{title}", ""),
        "country": ("日本", "法国", "德国", "巴西", "墨西哥", "印度尼西亚", "马来西亚", "泰国", "越南", "印度",
                    "沙特阿拉伯", "埃及", "肯尼亚", "加拿大", "澳大利亚", "西班牙", "波兰", "智利"),
        "city": ("北京", "上海", "广州", "东京", "巴黎", "柏林", "圣保罗", "雅加达", "吉隆坡", "曼谷", "河内",
                 "新德里", "利雅得", "开罗", "内罗毕", "渥太华", "首尔", "釜山", "成都", "香港"),
        "topic": ("气候变化", "经贸投资", "供应链", "公共卫生", "网络安全", "清洁能源", "数字创新", "海洋安全",
                  "人文交流", "教育", "发展合作", "核不扩散", "民间交往", "粮食安全", "防灾减灾"),
        "event": ("韩国电影节", "K-POP翻跳大赛", "韩国语演讲比赛", "韩文日纪念活动", "商务论坛", "校友招待会",
                  "跆拳道表演", "韩餐美食节", "青年领袖论坛", "投资说明会", "摄影展", "开天节招待会"),
        "org": ("联合国", "东盟", "G20", "APEC", "经合组织", "世卫组织", "联合国教科文组织", "国际原子能机构"),
    },
    hashtags=("外交", "中韩交流", "韩国文化", "人文交流"),
    date="{y}年{m}月{d}日",
)

ES = Language(
    code="es", declared="es", thousands=".",
    templates=(
        "{official} se reunió con el canciller de {country} en {city} el {date} para hablar sobre {topic}.",
        "Hoy {official} participó en {event} en {city}, junto a delegados de {n} países.",
        "Aviso consular: la embajada permanecerá cerrada el {date}. Para emergencias, llame al teléfono de guardia "
        "{phone}.",
        "{official} destacó la cooperación con {country} sobre {topic} en la reunión de {org}.",
        "Más de {n} personas participaron en {event} en la embajada este fin de semana. ¡Gracias a todos!",
        "Las inscripciones para {event} están abiertas hasta el {date}. Más información en nuestra página web.",
        "Lamentamos profundamente la tragedia ocurrida en {city} el {date}. Nuestras condolencias a las familias de "
        "las víctimas.",
        "La cooperación con {country} sobre {topic} ha crecido de forma constante desde {year}.",
        "Corea y {country} firmaron el {date} un memorando de entendimiento sobre {topic}.",
        "Acompáñanos el {date} a las {time} en una sesión de preguntas y respuestas con {official}.",
    ),
    shorts=("En vivo: {event} en {city}.", "¡Bienvenido a {city}, {official}!",
            "A las {time}: {official} sobre {topic}.",
            "Reserva la fecha: {date}.", "¡Faltan {n} días para {event}!"),
    closers=("¡Gracias!", "Más información próximamente.", "¡Los esperamos!", "Lea el comunicado completo aquí.",
             "Fotos de la jornada:", "Seguimos trabajando juntos."),
    vocab={
        "official": latin_officials(("el ministro", "la viceministra", "el embajador", "la portavoz",
                                     "el cónsul general",
                                     "la consejera"), ("Ana Martínez", "Carlos Gómez")),
        "country": ("Japón", "Francia", "Alemania", "Brasil", "México", "Indonesia", "Malasia", "Tailandia", "Vietnam",
                    "India", "Arabia Saudita", "Egipto", "Kenia", "Canadá", "Australia", "España", "Polonia", "Chile",
                    "Colombia", "Perú"),
        "city": ("Tokio", "París", "Berlín", "São Paulo", "Ciudad de México", "Yakarta", "Kuala Lumpur", "Bangkok",
                 "Hanói", "Nueva Delhi", "Riad", "Nairobi", "Ottawa", "Canberra", "Madrid", "Varsovia", "Santiago",
                 "Seúl", "Busan", "Buenos Aires", "Lima", "Bogotá"),
        "topic": ("el cambio climático", "el comercio y la inversión", "las cadenas de suministro", "la salud pública",
                  "la ciberseguridad", "la energía limpia", "la innovación digital", "la seguridad marítima",
                  "el intercambio cultural", "la educación", "la cooperación al desarrollo", "la no proliferación",
                  "la seguridad alimentaria"),
        "event": ("el Festival de Cine Coreano", "el Festival de K-pop", "el Concurso de Oratoria en Coreano",
                  "la celebración del Día del Hangul", "el foro empresarial", "la recepción de exalumnos",
                  "la exhibición de taekwondo", "la feria gastronómica coreana", "el foro de jóvenes líderes",
                  "el seminario de inversión", "la exposición fotográfica"),
        "org": ("ONU", "ASEAN", "G20", "APEC", "OCDE", "OMS", "UNESCO"),
    },
    hashtags=("Corea", "CulturaCoreana", "DiplomaciaPública", "Hallyu", "CoreaDelSur"),
    date="{d} de {M} de {y}",
    months=("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre",
            "noviembre", "diciembre"),
)

FR = Language(
    code="fr", declared="fr", thousands="\u202f",
    templates=(
        "{official} a rencontré son homologue à {city} le {date} pour évoquer {topic}.",
        "Aujourd'hui, {official} a participé à l'ouverture de l'événement « {event} » à {city}, avec des délégués de "
        "{n} pays.",
        "Avis consulaire : l'ambassade sera fermée le {date}. En cas d'urgence, merci d'appeler la permanence au "
        "{phone}.",
        "{official} a réaffirmé la volonté de coopérer avec {country} sur {topic} lors de la réunion {org}.",
        "Plus de {n} personnes ont participé à l'événement « {event} » à l'ambassade ce week-end. Merci à tous !",
        "Les inscriptions pour « {event} » sont ouvertes jusqu'au {date}. Plus d'informations sur notre site.",
        "Nous sommes profondément attristés par le drame survenu à {city} le {date}. Nos pensées vont aux familles "
        "des victimes.",
        "Notre coopération avec {country} sur {topic} n'a cessé de se renforcer depuis {year}.",
        "La Corée et {country} ont signé le {date} un protocole d'accord sur {topic}.",
        "Rendez-vous le {date} à {time} pour une séance de questions-réponses avec {official}.",
    ),
    shorts=("En direct : « {event} » à {city}.", "Bienvenue à {city}, {official} !",
            "À {time} : {official} sur {topic}.",
            "À noter : le {date}.", "Plus que {n} jours avant « {event} » !"),
    closers=("Merci !", "Restez connectés.", "À bientôt !", "Lire la déclaration complète ici.", "Retour en images :",
             "Ensemble, continuons."),
    vocab={
        "official": latin_officials(("le ministre", "la vice-ministre", "l'ambassadeur", "la porte-parole",
                                     "le consul général", "la conseillère"), ("Claire Dubois", "Jean Martin")),
        "country": ("le Japon", "la France", "l'Allemagne", "le Brésil", "le Mexique", "l'Indonésie", "la Malaisie",
                    "la Thaïlande", "le Vietnam", "l'Inde", "l'Arabie saoudite", "l'Égypte", "le Kenya", "le Canada",
                    "l'Australie", "l'Espagne", "la Pologne", "le Chili", "le Sénégal", "la Belgique"),
        "city": ("Tokyo", "Paris", "Berlin", "São Paulo", "Mexico", "Jakarta", "Kuala Lumpur", "Bangkok", "Hanoï",
                 "New Delhi", "Riyad", "Nairobi", "Ottawa", "Canberra", "Madrid", "Varsovie", "Santiago", "Séoul",
                 "Busan", "Dakar", "Abidjan", "Genève", "Bruxelles", "Lyon"),
        "topic": ("le changement climatique", "le commerce et l'investissement", "les chaînes d'approvisionnement",
                  "la santé publique", "la cybersécurité", "l'énergie propre", "l'innovation numérique",
                  "la sécurité maritime", "les échanges culturels", "l'éducation", "la coopération au développement",
                  "la non-prolifération", "la sécurité alimentaire"),
        "event": ("Festival du film coréen", "K-pop Festival", "Concours d'éloquence en coréen", "Journée du Hangeul",
                  "Forum d'affaires", "Semaine de la gastronomie coréenne", "Forum des jeunes leaders",
                  "Séminaire sur l'investissement", "Exposition photographique", "Démonstration de taekwondo"),
        "org": ("du G20", "de l'ONU", "de l'ASEAN", "de l'OCDE", "de l'OMS", "de l'UNESCO", "de la Francophonie"),
    },
    hashtags=("Corée", "CultureCoréenne", "DiplomatiePublique", "Hallyu", "FranceCorée"),
    date="{d} {M} {y}",
    months=("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
            "novembre", "décembre"),
)

DE = Language(
    code="de", declared="de", thousands=".",
    templates=(
        "{official} traf am {date} in {city} den Außenminister von {country}, um über {topic} zu sprechen.",
        "Heute nahm {official} an der Veranstaltung „{event}“ in {city} teil, gemeinsam mit Delegierten aus {n} "
        "Ländern.",
        "Konsularischer Hinweis: Die Botschaft bleibt am {date} geschlossen. In Notfällen erreichen Sie uns über die "
        "Bereitschaftsnummer {phone}.",
        "{official} bekräftigte beim Treffen der {org} die Zusammenarbeit mit {country} im Bereich {topic}.",
        "Mehr als {n} Gäste besuchten am Wochenende die Veranstaltung „{event}“ in der Botschaft. Vielen Dank!",
        "Anmeldungen für „{event}“ sind bis zum {date} möglich. Weitere Informationen auf unserer Website.",
        "Wir sind tief betroffen von den Nachrichten aus {city} vom {date}. Unsere Gedanken sind bei den Familien der "
        "Opfer.",
        "Die Zusammenarbeit mit {country} im Bereich {topic} wächst seit {year} stetig.",
        "Korea und {country} haben am {date} eine Absichtserklärung über {topic} unterzeichnet.",
        "Am {date} um {time} Uhr beantwortet {official} live Ihre Fragen zu {topic}.",
    ),
    shorts=("Jetzt live: „{event}“ in {city}.", "Willkommen in {city}, {official}!",
            "Um {time} Uhr: {official} über {topic}.",
            "Termin vormerken: {date}.", "Noch {n} Tage bis „{event}“!"),
    closers=("Vielen Dank!", "Bleiben Sie dran.", "Wir freuen uns auf Sie!",
             "Die vollständige Erklärung finden Sie hier.",
             "Eindrücke vom Tag:", "Gemeinsam für die Zukunft."),
    vocab={
        "official": latin_officials(("Minister", "Vizeministerin", "Botschafter", "Sprecherin", "Generalkonsul",
                                     "Gesandte"), ("Anna Schmidt", "Thomas Müller")),
        "country": ("Japan", "Frankreich", "Deutschland", "Brasilien", "Mexiko", "Indonesien", "Malaysia", "Thailand",
                    "Vietnam", "Indien", "Saudi-Arabien", "Ägypten", "Kenia", "Kanada", "Australien", "Spanien",
                    "Polen",
                    "Chile", "Österreich"),
        "city": ("Tokio", "Paris", "Berlin", "Hamburg", "München", "Frankfurt", "Wien", "Zürich", "Jakarta", "Bangkok",
                 "Hanoi", "Neu-Delhi", "Riad", "Kairo", "Nairobi", "Ottawa", "Canberra", "Madrid", "Warschau", "Seoul",
                 "Busan"),
        "topic": ("Klimaschutz", "Handel und Investitionen", "Lieferketten", "Gesundheit", "Cybersicherheit",
                  "saubere Energie", "digitale Innovation", "maritime Sicherheit", "Kulturaustausch", "Bildung",
                  "Entwicklungszusammenarbeit", "Nichtverbreitung", "Ernährungssicherheit"),
        "event": ("Koreanisches Filmfestival", "K-Pop-Festival", "Koreanisch-Redewettbewerb", "Tag des Hangeul",
                  "Wirtschaftsforum", "Alumni-Empfang", "Taekwondo-Vorführung", "Koreanische Kulinarikwoche",
                  "Forum junger Führungskräfte", "Investitionsseminar", "Fotoausstellung"),
        "org": ("G20", "ASEAN", "OECD", "WHO", "UNESCO", "Vereinten Nationen", "OSZE"),
    },
    hashtags=("Korea", "Südkorea", "KoreanischeKultur", "Diplomatie", "Hallyu"),
    date="{d}. {M} {y}",
    months=("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November",
            "Dezember"),
)

PT = Language(
    code="pt", declared="pt", thousands=".",
    templates=(
        "{official} se reuniu em {city}, em {date}, com autoridades locais para discutir {topic}.",
        "Hoje, {official} participou do evento “{event}” em {city}, com delegados de {n} países.",
        "Aviso consular: a embaixada estará fechada em {date}. Em caso de emergência, ligue para o plantão consular: "
        "{phone}.",
        "{official} reafirmou a cooperação com {country} sobre {topic} durante a reunião {org}.",
        "Mais de {n} pessoas participaram do evento “{event}” na embaixada neste fim de semana. Obrigado a todos!",
        "As inscrições para o evento “{event}” estão abertas até {date}. Saiba mais em nosso site.",
        "Estamos profundamente consternados com as notícias de {city} em {date}. Nossos pensamentos estão com as "
        "famílias das vítimas.",
        "A cooperação com {country} sobre {topic} cresce de forma constante desde {year}.",
        "A Coreia e {country} assinaram em {date} um memorando de entendimento sobre {topic}.",
        "Participe em {date}, às {time}, de uma sessão de perguntas e respostas com {official}.",
    ),
    shorts=("Ao vivo: “{event}” em {city}.", "Bem-vindo a {city}, {official}!", "Às {time}: {official} sobre {topic}.",
            "Reserve a data: {date}.", "Faltam {n} dias para o evento “{event}”!"),
    closers=("Obrigado!", "Fiquem atentos às próximas novidades.", "Esperamos por vocês!", "Leia a nota completa aqui.",
             "Confira as fotos:", "Seguimos juntos."),
    vocab={
        "official": latin_officials(("o ministro", "a vice-ministra", "o embaixador", "a porta-voz", "o cônsul-geral",
                                     "a conselheira"), ("João Silva", "Ana Souza")),
        "country": ("o Japão", "a França", "a Alemanha", "o Brasil", "o México", "a Indonésia", "a Malásia",
                    "a Tailândia", "o Vietnã", "a Índia", "a Arábia Saudita", "o Egito", "o Quênia", "o Canadá",
                    "a Austrália", "a Espanha", "a Polônia", "o Chile", "Portugal", "Angola", "Moçambique"),
        "city": ("Tóquio", "Paris", "Berlim", "São Paulo", "Brasília", "Lisboa", "Jacarta", "Bangkok", "Hanói",
                 "Nova Délhi", "Riad", "Nairóbi", "Ottawa", "Camberra", "Madri", "Varsóvia", "Santiago", "Seul",
                 "Busan",
                 "Luanda", "Maputo", "Salvador"),
        "topic": ("as mudanças climáticas", "o comércio e o investimento", "as cadeias de suprimentos",
                  "a saúde pública",
                  "a segurança cibernética", "a energia limpa", "a inovação digital", "a segurança marítima",
                  "o intercâmbio cultural", "a educação", "a cooperação para o desenvolvimento",
                  "a segurança alimentar"),
        "event": ("Festival de Cinema Coreano", "Festival de K-pop", "Concurso de Oratória em Coreano", "Dia do Hangul",
                  "Fórum Empresarial", "Recepção de Ex-alunos", "Apresentação de Taekwondo",
                  "Semana da Culinária Coreana",
                  "Fórum de Jovens Líderes", "Seminário de Investimentos", "Exposição Fotográfica"),
        "org": ("do G20", "da ONU", "da OCDE", "da OMS", "da UNESCO", "do Mercosul", "da CPLP"),
    },
    hashtags=("Coreia", "CulturaCoreana", "BrasilCoreia", "Hallyu"),
    date="{d} de {M} de {y}",
    months=("janeiro", "fevereiro", "março", "abril", "maio", "junho", "julho", "agosto", "setembro", "outubro",
            "novembro", "dezembro"),
)

RU = Language(
    code="ru", declared="ru", thousands=" ",
    templates=(
        "{date} в {city} {official} провёл переговоры с министром иностранных дел {country} по вопросам {topic}.",
        "Сегодня {official} принял участие в мероприятии «{event}» в {city} вместе с делегатами из {n} стран.",
        "Консульское уведомление: {date} посольство не работает. В экстренных случаях звоните по дежурному телефону "
        "{phone}.",
        "На заседании {org} {official} подтвердил готовность к сотрудничеству с партнёрами из {country} в области "
        "{topic}.",
        "Более {n} человек посетили мероприятие «{event}» в посольстве в эти выходные. Спасибо всем!",
        "Заявки на участие в мероприятии «{event}» принимаются до {date}. Подробности на нашем сайте.",
        "Глубоко скорбим в связи с трагедией в {city} {date}. Выражаем соболезнования семьям погибших.",
        "С {year} года сотрудничество с партнёрами из {country} в области {topic} неуклонно расширяется.",
        "{date} представители Кореи и {country} подписали меморандум о взаимопонимании в области {topic}.",
        "{date} в {time} {official} ответит на ваши вопросы в прямом эфире.",
    ),
    shorts=("Прямой эфир: «{event}» в {city}.", "Сегодня в {city}: «{event}».", "{date} в {time} — прямой эфир.",
            "До мероприятия «{event}» осталось {n} дней!", "Спасибо всем {n} участникам!"),
    closers=("Спасибо!", "Следите за новостями.", "Ждём вас!", "Полный текст заявления по ссылке.", "Фоторепортаж:",
             "Вместе мы сильнее."),
    vocab={
        "official": script_officials(("министр", "заместитель министра", "посол", "официальный представитель МИД",
                                      "генеральный консул", "советник"),
                                     ("Ким", "Ли", "Пак", "Чхве", "Чон", "Кан", "Чо", "Юн", "Чан", "Лим", "Хан", "О"),
                                     ("Мин Джун", "Со Ён", "Джи Хо", "Ха Ын", "До Юн", "Су Бин")),
        "country": ("Японии", "Франции", "Германии", "Бразилии", "Мексики", "Индонезии", "Малайзии", "Таиланда",
                    "Вьетнама", "Индии", "Саудовской Аравии", "Египта", "Кении", "Канады", "Австралии", "Испании",
                    "Польши", "Казахстана", "Узбекистана", "Монголии"),
        "city": ("Токио", "Париже", "Берлине", "Москве", "Санкт-Петербурге", "Владивостоке", "Джакарте", "Бангкоке",
                 "Ханое", "Нью-Дели", "Эр-Рияде", "Каире", "Найроби", "Оттаве", "Мадриде", "Варшаве", "Сеуле", "Пусане",
                 "Алматы", "Ташкенте"),
        "topic": ("изменения климата", "торговли и инвестиций", "цепочек поставок", "здравоохранения",
                  "кибербезопасности", "чистой энергетики", "цифровых инноваций", "морской безопасности",
                  "культурного обмена", "образования", "содействия развитию", "нераспространения",
                  "продовольственной безопасности"),
        "event": ("Фестиваль корейского кино", "K-pop фестиваль", "Конкурс ораторского мастерства на корейском языке",
                  "День хангыля", "Деловой форум", "Приём для выпускников", "Показательные выступления по тхэквондо",
                  "Неделя корейской кухни", "Форум молодых лидеров", "Инвестиционный семинар", "Фотовыставка"),
        "org": ("ООН", "АСЕАН", "G20", "АТЭС", "ОЭСР", "ВОЗ", "ЮНЕСКО", "МАГАТЭ", "ШОС"),
    },
    hashtags=("Корея", "Россия", "КорейскаяКультура", "Дипломатия"),
    date="{d} {M} {y} г.",
    months=("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября", "ноября",
            "декабря"),
)

AR = Language(
    code="ar", declared="ar",
    templates=(
        "التقى {official} بوزير خارجية {country} في {city} يوم {date} لبحث التعاون في مجال {topic}.",
        "شارك {official} اليوم في {event} في {city} بحضور مندوبين من {n} دولة.",
        "تنبيه قنصلي: ستُغلق السفارة يوم {date}. في الحالات الطارئة يرجى الاتصال برقم الطوارئ {phone}.",
        "أكد {official} خلال اجتماع {org} على تعزيز التعاون مع {country} في مجال {topic}.",
        "حضر أكثر من {n} شخص {event} في السفارة نهاية هذا الأسبوع. شكراً لكم جميعاً!",
        "التسجيل في {event} مفتوح حتى {date}. لمزيد من المعلومات يرجى زيارة موقعنا.",
        "نتقدم بخالص التعازي لأسر ضحايا الحادث الأليم في {city} يوم {date}.",
        "يشهد التعاون مع {country} في مجال {topic} نمواً مطرداً منذ عام {year}.",
        "وقّعت كوريا و{country} يوم {date} مذكرة تفاهم في مجال {topic}.",
        "انضموا إلينا يوم {date} الساعة {time} في جلسة أسئلة وأجوبة مع {official}.",
    ),
    shorts=("مباشر: {event} في {city}", "أهلاً بكم في {city}", "{date} الساعة {time} بث مباشر",
            "باقي {n} يوماً على {event}!", "شكراً لـ{n} مشارك!"),
    closers=("شكراً لكم!", "تابعونا لمزيد من التحديثات.", "بانتظاركم!", "اقرأ البيان كاملاً عبر الرابط.",
             "صور من الفعالية:", "معاً نحو المستقبل."),
    vocab={
        "official": script_officials(("الوزير", "نائب الوزير", "السفير", "المتحدث الرسمي", "القنصل العام", "المستشار"),
                                     ("كيم", "لي", "بارك", "تشوي", "جونغ", "كانغ", "تشو", "يون", "هان", "أوه"),
                                     ("مين جون", "سو يون", "جي هو", "ها أون")),
        "country": ("اليابان", "فرنسا", "ألمانيا", "البرازيل", "المكسيك", "إندونيسيا", "ماليزيا", "تايلاند", "فيتنام",
                    "الهند", "المملكة العربية السعودية", "مصر", "كينيا", "كندا", "أستراليا", "إسبانيا",
                    "الإمارات العربية المتحدة", "قطر", "الكويت", "الأردن"),
        "city": ("طوكيو", "باريس", "برلين", "جاكرتا", "بانكوك", "نيودلهي", "الرياض", "جدة", "القاهرة", "الإسكندرية",
                 "دبي", "أبوظبي", "الدوحة", "عمّان", "مسقط", "سيول", "بوسان", "نيروبي", "مدريد"),
        "topic": ("تغير المناخ", "التجارة والاستثمار", "سلاسل الإمداد", "الصحة العامة", "الأمن السيبراني",
                  "الطاقة النظيفة", "الابتكار الرقمي", "الأمن البحري", "التبادل الثقافي", "التعليم",
                  "التعاون الإنمائي", "عدم الانتشار النووي", "الأمن الغذائي"),
        "event": ("مهرجان الفيلم الكوري", "مهرجان الكيبوب", "مسابقة الخطابة باللغة الكورية", "احتفال يوم الهانغول",
                  "منتدى الأعمال", "حفل استقبال الخريجين", "عرض التايكوندو", "أسبوع المطبخ الكوري",
                  "منتدى القادة الشباب", "ندوة الاستثمار", "معرض الصور"),
        "org": ("الأمم المتحدة", "آسيان", "مجموعة العشرين", "منظمة الصحة العالمية", "اليونسكو",
                "منظمة التعاون الاقتصادي والتنمية", "مجلس التعاون الخليجي"),
    },
    hashtags=("كوريا", "السعودية", "الدبلوماسية_العامة", "السفارة_الكورية"),
    date="{d} {M} {y}",
    months=("يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر",
            "ديسمبر"),
)

HI = Language(
    code="hi", declared="hi",
    templates=(
        "{official} ने {date} को {city} में {country} के विदेश मंत्री से मुलाकात की और {topic} पर सहयोग पर चर्चा की।",
        "आज {official} ने {city} में {event} में भाग लिया, जिसमें {n} देशों के प्रतिनिधि शामिल हुए।",
        "कांसुलर सूचना: {date} को दूतावास बंद रहेगा। आपात स्थिति में कृपया हेल्पलाइन {phone} पर संपर्क करें।",
        "{org} की बैठक में {official} ने {country} के साथ {topic} के क्षेत्र में सहयोग बढ़ाने की प्रतिबद्धता दोहराई।",
        "इस सप्ताहांत दूतावास में आयोजित {event} में {n} से अधिक लोगों ने भाग लिया। आप सभी का धन्यवाद!",
        "{event} के लिए पंजीकरण {date} तक खुला है। अधिक जानकारी के लिए हमारी वेबसाइट देखें।",
        "{date} को {city} में हुई दुखद घटना से हम बहुत दुखी हैं। पीड़ितों के परिवारों के प्रति हमारी गहरी संवेदनाएँ।",
        "{year} से {country} के साथ {topic} के क्षेत्र में हमारा सहयोग लगातार बढ़ रहा है।",
        "कोरिया और {country} ने {date} को {topic} पर एक समझौता ज्ञापन पर हस्ताक्षर किए।",
        "{date} को {time} बजे {official} के साथ सीधे प्रश्नोत्तर सत्र में शामिल हों।",
    ),
    shorts=("लाइव: {city} में {event}", "{city} में आपका स्वागत है!", "{date} को {time} बजे लाइव",
            "{event} में केवल {n} दिन बाकी!", "{n} प्रतिभागियों का धन्यवाद!"),
    closers=("धन्यवाद!", "नई जानकारी के लिए जुड़े रहें।", "हम आपका इंतज़ार करेंगे!", "पूरा बयान यहाँ पढ़ें।",
             "कार्यक्रम की झलकियाँ:", "मिलकर आगे बढ़ें।"),
    vocab={
        "official": script_officials(("मंत्री", "उप मंत्री", "राजदूत", "प्रवक्ता", "महावाणिज्य दूत", "परामर्शदाता"),
                                     ("किम", "ली", "पार्क", "चोई", "जंग", "कांग", "चो", "यून", "हान", "शर्मा", "वर्मा"),
                                     ("मिन जुन", "सो यॉन", "जी हो", "हा उन")),
        "country": ("जापान", "फ़्रांस", "जर्मनी", "ब्राज़ील", "मेक्सिको", "इंडोनेशिया", "मलेशिया", "थाईलैंड", "वियतनाम",
                    "भारत", "सऊदी अरब", "मिस्र", "केन्या", "कनाडा", "ऑस्ट्रेलिया", "स्पेन", "नेपाल", "बांग्लादेश",
                    "श्रीलंका"),
        "city": ("नई दिल्ली", "मुंबई", "चेन्नई", "कोलकाता", "बेंगलुरु", "हैदराबाद", "टोक्यो", "पेरिस", "बर्लिन",
                 "जकार्ता", "बैंकॉक", "हनोई", "रियाद", "काहिरा", "सियोल", "बुसान", "काठमांडू", "ढाका"),
        "topic": ("जलवायु परिवर्तन", "व्यापार और निवेश", "आपूर्ति श्रृंखला", "सार्वजनिक स्वास्थ्य", "साइबर सुरक्षा",
                  "स्वच्छ ऊर्जा", "डिजिटल नवाचार", "समुद्री सुरक्षा", "सांस्कृतिक आदान-प्रदान", "शिक्षा",
                  "विकास सहयोग", "खाद्य सुरक्षा"),
        "event": ("कोरियाई फ़िल्म महोत्सव", "के-पॉप महोत्सव", "कोरियाई भाषा भाषण प्रतियोगिता", "हांगुल दिवस समारोह",
                  "व्यापार मंच", "पूर्व छात्र स्वागत समारोह", "ताइक्वांडो प्रदर्शन", "कोरियाई खाद्य महोत्सव",
                  "युवा नेतृत्व मंच", "निवेश संगोष्ठी", "फ़ोटो प्रदर्शनी"),
        "org": ("संयुक्त राष्ट्र", "आसियान", "जी20", "विश्व स्वास्थ्य संगठन", "यूनेस्को", "ब्रिक्स"),
    },
    hashtags=("भारत_कोरिया", "कोरिया", "सांस्कृतिक_आदान_प्रदान"),
    date="{d} {M} {y}",
    months=("जनवरी", "फ़रवरी", "मार्च", "अप्रैल", "मई", "जून", "जुलाई", "अगस्त", "सितंबर", "अक्टूबर", "नवंबर",
            "दिसंबर"),
)

TH = Language(
    code="th", declared="th", year_offset=543,
    templates=(
        "เมื่อวันที่ {date} {official} ได้พบหารือกับรัฐมนตรีว่าการกระทรวงการต่างประเทศ{country} ที่{city} "
        "เกี่ยวกับความร่วมมือด้าน{topic}",
        "วันนี้ {official} ได้เข้าร่วม{event} ที่{city} โดยมีผู้แทนจาก {n} ประเทศเข้าร่วม",
        "ประกาศกงสุล: สถานเอกอัครราชทูตจะปิดทำการในวันที่ {date} กรณีฉุกเฉินโปรดติดต่อหมายเลขโทรศัพท์ฉุกเฉิน {phone}",
        "{official} ได้ยืนยันความร่วมมือกับ{country}ด้าน{topic} ในการประชุม{org}",
        "ขอขอบคุณผู้เข้าร่วมกว่า {n} คนที่มาร่วม{event} ณ สถานเอกอัครราชทูตเมื่อสุดสัปดาห์ที่ผ่านมา",
        "เปิดรับสมัคร{event} ถึงวันที่ {date} ดูรายละเอียดเพิ่มเติมได้ที่เว็บไซต์ของสถานเอกอัครราชทูต",
        "ขอแสดงความเสียใจอย่างสุดซึ้งต่อครอบครัวผู้เสียชีวิตจากเหตุการณ์ที่{city} เมื่อวันที่ {date}",
        "ความร่วมมือกับ{country}ด้าน{topic}ได้ขยายตัวอย่างต่อเนื่องตั้งแต่ปี {year}",
        "เกาหลีและ{country}ได้ลงนามบันทึกความเข้าใจด้าน{topic} เมื่อวันที่ {date}",
        "ร่วมพูดคุยสดกับ{official} ในวันที่ {date} เวลา {time} น.",
    ),
    shorts=("ถ่ายทอดสด: {event} ที่{city}", "ยินดีต้อนรับสู่{city}", "วันที่ {date} เวลา {time} น.",
            "อีก {n} วันจะถึง{event}!", "ขอบคุณผู้เข้าร่วม {n} คน!"),
    closers=("ขอบคุณครับ", "ติดตามข่าวสารได้ที่นี่", "แล้วพบกันนะคะ!", "อ่านแถลงการณ์ฉบับเต็มได้ที่ลิงก์",
             "ภาพบรรยากาศ:",
             "ร่วมมือกันเพื่ออนาคต"),
    vocab={
        "official": script_officials(("รัฐมนตรี", "รัฐมนตรีช่วย", "เอกอัครราชทูต", "โฆษก", "กงสุลใหญ่", "ที่ปรึกษา"),
                                     ("คิม", "ลี", "ปาร์ค", "ชเว", "จอง", "คัง", "โจ", "ยุน", "ฮัน"),
                                     ("มินจุน", "ซอยอน", "จีโฮ", "ฮาอึน")),
        "country": ("ญี่ปุ่น", "ฝรั่งเศส", "เยอรมนี", "บราซิล", "เม็กซิโก", "อินโดนีเซีย", "มาเลเซีย", "ไทย",
                    "เวียดนาม",
                    "อินเดีย", "ซาอุดีอาระเบีย", "อียิปต์", "เคนยา", "แคนาดา", "ออสเตรเลีย", "สเปน", "ลาว", "กัมพูชา",
                    "เมียนมา", "สิงคโปร์"),
        "city": ("กรุงเทพฯ", "เชียงใหม่", "ภูเก็ต", "ขอนแก่น", "โตเกียว", "ปารีส", "เบอร์ลิน", "จาการ์ตา",
                 "กัวลาลัมเปอร์",
                 "ฮานอย", "นิวเดลี", "โซล", "ปูซาน", "เวียงจันทน์", "พนมเปญ", "สิงคโปร์"),
        "topic": ("การเปลี่ยนแปลงสภาพภูมิอากาศ", "การค้าและการลงทุน", "ห่วงโซ่อุปทาน", "สาธารณสุข", "ความมั่นคงไซเบอร์",
                  "พลังงานสะอาด", "นวัตกรรมดิจิทัล", "ความมั่นคงทางทะเล", "การแลกเปลี่ยนทางวัฒนธรรม", "การศึกษา",
                  "ความร่วมมือเพื่อการพัฒนา", "ความมั่นคงทางอาหาร"),
        "event": ("เทศกาลภาพยนตร์เกาหลี", "เทศกาลเคป็อป", "การประกวดสุนทรพจน์ภาษาเกาหลี", "งานฉลองวันฮันกึล",
                  "เวทีธุรกิจ", "งานเลี้ยงรับรองศิษย์เก่า", "การแสดงเทควันโด", "เทศกาลอาหารเกาหลี",
                  "เวทีผู้นำเยาวชน", "สัมมนาการลงทุน", "นิทรรศการภาพถ่าย"),
        "org": ("สหประชาชาติ", "อาเซียน", "G20", "เอเปค", "องค์การอนามัยโลก", "ยูเนสโก"),
    },
    hashtags=("เกาหลี", "ไทยเกาหลี", "วัฒนธรรมเกาหลี"),
    date="{d} {M} {y}",
    months=("มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน", "กรกฎาคม", "สิงหาคม", "กันยายน",
            "ตุลาคม", "พฤศจิกายน", "ธันวาคม"),
)

VI = Language(
    code="vi", declared="vi", thousands=".",
    templates=(
        "{official} đã hội đàm với Bộ trưởng Ngoại giao {country} tại {city} vào {date} về hợp tác trong lĩnh vực "
        "{topic}.",
        "Hôm nay, {official} đã tham dự {event} tại {city} cùng đại biểu đến từ {n} quốc gia.",
        "Thông báo lãnh sự: Đại sứ quán sẽ nghỉ làm việc vào {date}. Trường hợp khẩn cấp, vui lòng gọi đường dây nóng "
        "{phone}.",
        "Tại hội nghị {org}, {official} khẳng định cam kết tăng cường hợp tác với {country} về {topic}.",
        "Hơn {n} người đã tham gia {event} tại Đại sứ quán vào cuối tuần qua. Xin cảm ơn tất cả mọi người!",
        "Hạn đăng ký tham gia {event} là {date}. Thông tin chi tiết xem tại trang web của chúng tôi.",
        "Chúng tôi xin gửi lời chia buồn sâu sắc tới gia đình các nạn nhân trong thảm họa tại {city} {date}.",
        "Hợp tác với {country} trong lĩnh vực {topic} không ngừng phát triển kể từ năm {year}.",
        "Hàn Quốc và {country} đã ký bản ghi nhớ hợp tác về {topic} vào {date}.",
        "Mời các bạn theo dõi buổi giao lưu trực tuyến với {official} lúc {time} {date}.",
    ),
    shorts=("Trực tiếp: {event} tại {city}", "Chào mừng đến {city}!", "{time} {date}: phát trực tiếp",
            "Còn {n} ngày nữa đến {event}!", "Cảm ơn {n} bạn đã tham gia!"),
    closers=("Xin cảm ơn!", "Hãy theo dõi để cập nhật thông tin.", "Hẹn gặp lại các bạn!",
             "Xem toàn văn tuyên bố tại đây.",
             "Một số hình ảnh:", "Cùng nhau hướng tới tương lai."),
    vocab={
        "official": latin_officials(("Bộ trưởng", "Thứ trưởng", "Đại sứ", "Người phát ngôn", "Tổng Lãnh sự",
                                     "Tham tán"),
                                    ("Nguyễn Văn An", "Trần Thị Mai", "Lê Minh Tuấn", "Phạm Thu Hà")),
        "country": ("Nhật Bản", "Pháp", "Đức", "Brazil", "Mexico", "Indonesia", "Malaysia", "Thái Lan", "Việt Nam",
                    "Ấn Độ",
                    "Ả Rập Xê Út", "Ai Cập", "Kenya", "Canada", "Úc", "Tây Ban Nha", "Lào", "Campuchia", "Singapore"),
        "city": ("Hà Nội", "Thành phố Hồ Chí Minh", "Đà Nẵng", "Hải Phòng", "Cần Thơ", "Tokyo", "Paris", "Berlin",
                 "Jakarta",
                 "Bangkok", "New Delhi", "Seoul", "Busan", "Viêng Chăn", "Phnôm Pênh"),
        "topic": ("biến đổi khí hậu", "thương mại và đầu tư", "chuỗi cung ứng", "y tế công cộng", "an ninh mạng",
                  "năng lượng sạch", "đổi mới sáng tạo số", "an ninh hàng hải", "giao lưu văn hóa", "giáo dục",
                  "hợp tác phát triển", "an ninh lương thực"),
        "event": ("Liên hoan phim Hàn Quốc", "Lễ hội K-pop", "Cuộc thi hùng biện tiếng Hàn", "Lễ kỷ niệm Ngày Hangeul",
                  "Diễn đàn doanh nghiệp", "Tiệc chiêu đãi cựu sinh viên", "Biểu diễn Taekwondo",
                  "Lễ hội ẩm thực Hàn Quốc", "Diễn đàn lãnh đạo trẻ", "Hội thảo đầu tư", "Triển lãm ảnh"),
        "org": ("Liên Hợp Quốc", "ASEAN", "G20", "APEC", "WHO", "UNESCO", "Mekong - Hàn Quốc"),
    },
    hashtags=("HànQuốc", "VietNam", "VănHóaHànQuốc"),
    date="ngày {d} tháng {m} năm {y}",
)

ID = Language(
    code="id", declared="in", thousands=".",
    templates=(
        "{official} bertemu dengan Menteri Luar Negeri {country} di {city} pada {date} untuk membahas kerja sama di "
        "bidang {topic}.",
        "Hari ini {official} menghadiri {event} di {city} bersama para delegasi dari {n} negara.",
        "Pemberitahuan konsuler: Kedutaan Besar tutup pada {date}. Dalam keadaan darurat, silakan hubungi nomor piket "
        "kami di {phone}.",
        "Dalam pertemuan {org}, {official} menegaskan komitmen untuk memperkuat kerja sama dengan {country} di bidang "
        "{topic}.",
        "Lebih dari {n} orang menghadiri {event} di Kedutaan Besar akhir pekan ini. Terima kasih atas partisipasinya!",
        "Pendaftaran {event} dibuka hingga {date}. Informasi lengkap dapat dilihat di situs web kami.",
        "Kami turut berduka cita atas musibah yang terjadi di {city} pada {date}. Doa kami bersama keluarga para "
        "korban.",
        "Kerja sama dengan {country} di bidang {topic} terus berkembang sejak tahun {year}.",
        "Korea dan {country} menandatangani nota kesepahaman di bidang {topic} pada {date}.",
        "Saksikan sesi tanya jawab langsung bersama {official} pada {date} pukul {time} WIB.",
    ),
    shorts=("Siaran langsung: {event} di {city}", "Selamat datang di {city}!", "{date} pukul {time} WIB",
            "{n} hari lagi menuju {event}!", "Terima kasih kepada {n} peserta!"),
    closers=("Terima kasih!", "Nantikan informasi selanjutnya.", "Sampai jumpa!", "Baca pernyataan lengkapnya di sini.",
             "Dokumentasi kegiatan:", "Bersama menuju masa depan."),
    vocab={
        "official": latin_officials(("Menteri", "Wakil Menteri", "Duta Besar", "Juru Bicara", "Konsul Jenderal",
                                     "Atase"),
                                    ("Budi Santoso", "Siti Rahmawati", "Agus Wijaya", "Dewi Lestari")),
        "country": ("Jepang", "Prancis", "Jerman", "Brasil", "Meksiko", "Indonesia", "Malaysia", "Thailand", "Vietnam",
                    "India", "Arab Saudi", "Mesir", "Kenya", "Kanada", "Australia", "Spanyol", "Singapura", "Filipina"),
        "city": ("Jakarta", "Surabaya", "Bandung", "Medan", "Yogyakarta", "Denpasar", "Makassar", "Tokyo", "Paris",
                 "Berlin", "Bangkok", "Hanoi", "New Delhi", "Seoul", "Busan", "Singapura"),
        "topic": ("perubahan iklim", "perdagangan dan investasi", "rantai pasok", "kesehatan masyarakat",
                  "keamanan siber",
                  "energi bersih", "inovasi digital", "keamanan maritim", "pertukaran budaya", "pendidikan",
                  "kerja sama pembangunan", "ketahanan pangan"),
        "event": ("Festival Film Korea", "Festival K-Pop", "Lomba Pidato Bahasa Korea", "Perayaan Hari Hangeul",
                  "Forum Bisnis", "Resepsi Alumni", "Pertunjukan Taekwondo", "Festival Kuliner Korea",
                  "Forum Pemimpin Muda", "Seminar Investasi", "Pameran Foto"),
        "org": ("PBB", "ASEAN", "G20", "APEC", "WHO", "UNESCO"),
    },
    hashtags=("Korea", "Indonesia", "KoreaIndonesia", "BudayaKorea"),
    date="{d} {M} {y}",
    months=("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
            "November", "Desember"),
)

MS = Language(
    code="ms", declared="in",
    templates=(
        "{official} telah mengadakan pertemuan dengan Menteri Luar Negeri {country} di {city} pada {date} bagi "
        "membincangkan kerjasama dalam bidang {topic}.",
        "Hari ini {official} telah menghadiri {event} di {city} bersama perwakilan dari {n} buah negara.",
        "Makluman konsular: Kedutaan akan ditutup pada {date}. Sekiranya berlaku kecemasan, sila hubungi talian "
        "bertugas kami di {phone}.",
        "Dalam mesyuarat {org}, {official} menegaskan komitmen untuk mengukuhkan kerjasama dengan {country} dalam "
        "bidang {topic}.",
        "Seramai {n} orang telah menyertai {event} di Kedutaan pada hujung minggu lalu. Terima kasih atas sokongan "
        "anda!",
        "Pendaftaran untuk {event} dibuka sehingga {date}. Maklumat lanjut boleh didapati di laman web kami.",
        "Kami mengucapkan takziah kepada keluarga mangsa tragedi di {city} pada {date}.",
        "Kerjasama dengan {country} dalam bidang {topic} terus berkembang sejak tahun {year}.",
        "Korea dan {country} telah menandatangani memorandum persefahaman dalam bidang {topic} pada {date}.",
        "Saksikan sesi soal jawab secara langsung bersama {official} pada {date} jam {time}.",
    ),
    shorts=("Siaran langsung: {event} di {city}", "Selamat datang ke {city}!", "{date} jam {time}",
            "{n} hari lagi ke {event}!", "Terima kasih kepada {n} peserta!"),
    closers=("Terima kasih!", "Nantikan maklumat seterusnya.", "Jumpa lagi!", "Baca kenyataan penuh di sini.",
             "Gambar sekitar majlis:", "Bersama ke arah masa depan."),
    vocab={
        "official": latin_officials(("Menteri", "Timbalan Menteri", "Duta Besar", "Jurucakap", "Konsul Jeneral",
                                     "Atase"),
                                    ("Ahmad Faizal", "Nurul Huda", "Siti Aminah", "Muhammad Hafiz")),
        "country": ("Jepun", "Perancis", "Jerman", "Brazil", "Mexico", "Indonesia", "Malaysia", "Thailand", "Vietnam",
                    "India", "Arab Saudi", "Mesir", "Kenya", "Kanada", "Australia", "Sepanyol", "Singapura", "Brunei"),
        "city": ("Kuala Lumpur", "Putrajaya", "Johor Bahru", "Pulau Pinang", "Kota Kinabalu", "Kuching", "Melaka",
                 "Tokyo",
                 "Paris", "Berlin", "Jakarta", "Bangkok", "Seoul", "Busan", "Singapura"),
        "topic": ("perubahan iklim", "perdagangan dan pelaburan", "rantaian bekalan", "kesihatan awam",
                  "keselamatan siber", "tenaga bersih", "inovasi digital", "keselamatan maritim", "pertukaran budaya",
                  "pendidikan", "kerjasama pembangunan", "keselamatan makanan"),
        "event": ("Festival Filem Korea", "Festival K-Pop", "Pertandingan Pidato Bahasa Korea", "Sambutan Hari Hangeul",
                  "Forum Perniagaan", "Majlis Resepsi Alumni", "Persembahan Taekwondo", "Festival Makanan Korea",
                  "Forum Pemimpin Muda", "Seminar Pelaburan", "Pameran Foto"),
        "org": ("PBB", "ASEAN", "G20", "APEC", "WHO", "UNESCO"),
    },
    hashtags=("Korea", "Malaysia", "KoreaMalaysia", "BudayaKorea"),
    date="{d} {M} {y}",
    months=("Januari", "Februari", "Mac", "April", "Mei", "Jun", "Julai", "Ogos", "September", "Oktober", "November",
            "Disember"),
)

LANGUAGES: dict[str, Language] = {
    lang.code: lang for lang in (KO, EN, JA, ZH, ES, FR, DE, PT, RU, AR, HI, TH, VI, ID, MS)
}

MINISTRY_MIX = {"ko": 28, "en": 24, "ja": 6, "zh": 6, "es": 5, "fr": 4, "ar": 4, "ru": 3, "de": 3, "id": 3, "ms": 2,
                "th": 3, "hi": 3, "vi": 3, "pt": 3}
"""A ministry's global account: mostly Korean and English, then the languages of its missions."""


def embassy_mix(host_language: str) -> dict[str, int]:
    """An embassy posts in the host country's language, Korean and English, and now and then another."""
    mix = dict.fromkeys(LANGUAGES, 1)  # 15 x 1: the "now and then another"
    mix["ko"] += 30
    mix["en"] += 25
    mix[host_language] += 40
    return mix


@dataclass(frozen=True)
class Draft:
    """A post's text before the archive adds entities: its true language, X's `lang` and the prose."""

    lang: str
    declared: str
    text: str
    prose: str


class Composer:
    """Composes one account's posts from its language mix; all randomness comes from the caller's rng."""

    def __init__(self, mix: dict[str, int]) -> None:
        self.languages = [LANGUAGES[code] for code in mix]
        total = 0
        self.cumulative: list[int] = []
        for weight in mix.values():
            total += weight
            self.cumulative.append(total)

    def post(self, rng: random.Random, when: datetime) -> Draft:
        """One post: 0.5% emoji only, else 1-4 sentences within a drawn length budget, maybe translated."""
        if rng.random() < 0.005:
            text = "".join(rng.choice(EMOJI) for _ in range(rng.randint(1, 3)))
            return Draft("und", "und", text, text)
        lang = rng.choices(self.languages, cum_weights=self.cumulative)[0]
        budget = self.budget(rng)
        prose = self.prose(rng, lang, when, budget)
        if lang.code != "en" and rng.random() < 0.06:
            english = self.sentence(rng, EN, EN.templates, when)
            if weighted(lang, prose) + len(english) + 2 <= 250:
                prose = f"{prose}\n\n{english}"
        text = prose
        if rng.random() < 0.15:
            text += " " + "".join(rng.choice(EMOJI) for _ in range(rng.randint(1, 2)))
        return Draft(lang.code, lang.declared, text, prose)

    def hashtag(self, rng: random.Random, lang: str) -> str:
        """A hashtag in the post's language (English ones for emoji-only posts)."""
        return rng.choice(LANGUAGES.get(lang, EN).hashtags)

    def long_text(self, rng: random.Random, lang: str, start: str, when: datetime) -> str:
        """A note tweet (long post): the tweet's text followed by 600-2,000 characters more."""
        language = LANGUAGES.get(lang, EN)
        pieces = [start]
        size, target = len(start), rng.randint(600, 2000) // (2 if language.wide else 1)
        while size < target:
            piece = self.sentence(rng, language, language.templates, when)
            pieces.append(piece)
            size += len(piece) + 1
        return ("\n\n" if rng.random() < 0.5 else language.joiner or " ").join(pieces)

    @staticmethod
    def budget(rng: random.Random) -> int:
        """The post's length in X's weighted characters: many short and medium posts, a quarter near the limit."""
        roll = rng.random()
        if roll < 0.3:
            return rng.randint(30, 120)
        if roll < 0.75:
            return rng.randint(120, 220)
        return rng.randint(220, 250)

    def prose(self, rng: random.Random, lang: Language, when: datetime, budget: int) -> str:
        """A short notice (12% of posts) or a template sentence, up to two more that fit, maybe a closer."""
        first_pool = lang.shorts if rng.random() < 0.12 else lang.templates
        sentences = [self.sentence(rng, lang, first_pool, when)]
        size = weighted(lang, sentences[0])
        while len(sentences) < 3:
            piece = self.sentence(rng, lang, lang.templates, when)
            if size + weighted(lang, piece) + 1 > budget:
                break
            sentences.append(piece)
            size += weighted(lang, piece) + 1
        if rng.random() < 0.4:
            closer = rng.choice(lang.closers)
            if size + weighted(lang, closer) + 1 <= budget:
                sentences.append(closer)
        joiner = ("\n\n" if rng.random() < 0.5 else "\n") if rng.random() < 0.2 else lang.joiner
        return joiner.join(sentences)

    def sentence(self, rng: random.Random, lang: Language, pool: tuple[str, ...], when: datetime) -> str:
        """A template with its slots drawn; the first letter capitalised (for "l'ambassadeur ..." openings)."""
        template = rng.choice(pool)
        names = lang.template_slots[template]
        if not names:
            return template
        text = template.format_map({name: self.fill(rng, lang, name, when) for name in names})
        return text[:1].upper() + text[1:]

    @staticmethod
    def fill(rng: random.Random, lang: Language, name: str, when: datetime) -> str:
        """One slot's value: vocabulary, or a number, date, time or year near the post's date."""
        if name in lang.vocab:
            return rng.choice(lang.vocab[name])
        if name == "n":  # log-uniform 3 to 5,000: attendance, editions, countries, days to go
            return f"{int(10 ** rng.uniform(0.5, 3.7)):,}".replace(",", lang.thousands)
        if name == "phone":
            return f"+82-2-{rng.randint(2000, 9999)}-{rng.randint(1000, 9999)}"
        if name == "date":
            day = when + timedelta(days=rng.randint(-20, 45))
            month = lang.months[day.month - 1] if lang.months else ""
            return lang.date.format(d=day.day, m=day.month, M=month, y=day.year + lang.year_offset)
        if name == "time":
            return f"{rng.randint(8, 20)}:{rng.choice(('00', '15', '30', '45'))}"
        if name == "year":
            return str(rng.randint(1962, when.year) + lang.year_offset)
        raise KeyError(f"unknown slot {name!r}")


def weighted(lang: Language, text: str) -> int:
    """Length as X counts it (approximately): CJK characters count twice."""
    return 2 * len(text) if lang.wide else len(text)
