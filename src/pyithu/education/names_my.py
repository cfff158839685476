"""Burmese names of the seed paper's appendix 3 institutions and degree programmes, and of
the demo schools: used by the demo and by the data migration that fills ``name_my`` on rows
made before these names existed. Latin award acronyms stay in ``Programme.award``."""

from __future__ import annotations

INSTITUTIONS = {
    "Myanma Nway Oo University": "မြန်မာ့နွေဦး တက္ကသိုလ်",
    "Wunzin Online University": "ဝန်ဇင် အွန်လိုင်း တက္ကသိုလ်",
    "Spring Normal University": "နွေဦး ပညာရေး တက္ကသိုလ်",
    "University of Teaching": "သင်ကြားရေး တက္ကသိုလ်",
    "Technological-Related Interim University Councils Network": (
        "နည်းပညာ တက္ကသိုလ်များ ကြားကာလ ကောင်စီ ကွန်ရက်"
    ),
    "Dawei Technological University": "ထားဝယ် နည်းပညာ တက္ကသိုလ်",
    "Loikaw Technological University": "လွိုင်ကော် နည်းပညာ တက္ကသိုလ်",
    "National University of Computer Studies (NUCS)": "အမျိုးသား ကွန်ပျူတာ တက္ကသိုလ်",
    "Forestry and Agricultural University – Yezin": "ရေဆင်း သစ်တောနှင့် စိုက်ပျိုးရေး တက္ကသိုလ်",
    "University of Traditional Medicine": "တိုင်းရင်းဆေး တက္ကသိုလ်",
    "University of Medicine 1 – Yangon": "ဆေးတက္ကသိုလ် (၁) ရန်ကုန်",
    "University of Medicine – Mandalay": "ဆေးတက္ကသိုလ် မန္တလေး",
    "University of Medicine 2 – Yangon": "ဆေးတက္ကသိုလ် (၂) ရန်ကုန်",
    "University of Medicine – Taungyi": "ဆေးတက္ကသိုလ် တောင်ကြီး",
    "University of Dental Medicine": "သွားဘက်ဆိုင်ရာ ဆေးတက္ကသိုလ်",
    "University of Nursing – Yangon": "သူနာပြု တက္ကသိုလ် ရန်ကုန်",
    "University of Nursing – Mandalay": "သူနာပြု တက္ကသိုလ် မန္တလေး",
}

PROGRAMMES = {
    "Bachelor of Arts – B.A": "ဝိဇ္ဇာဘွဲ့",
    "Bachelor of Science – B.Sc": "သိပ္ပံဘွဲ့",
    "Bachelor of Laws – LLB": "ဥပဒေဘွဲ့",
    "Bachelor of Agricultural Science – B.Agr.Sc": "စိုက်ပျိုးရေး သိပ္ပံဘွဲ့",
    "Bachelor of Economics (Economics) – BEcon (Eco)": "စီးပွားရေးဘွဲ့ (ဘောဂဗေဒ)",
    "Bachelor of Economics (Statistics) – BEcon (Stats)": "စီးပွားရေးဘွဲ့ (စာရင်းအင်း)",
    "Bachelor of Business Administration – BBA": "စီးပွားရေး စီမံခန့်ခွဲမှုဘွဲ့",
    "Bachelor of Population Studies – BPS": "လူဦးရေ ပညာဘွဲ့",
    "Bachelor of Commerce – Bcom": "ကူးသန်းရောင်းဝယ်ရေးဘွဲ့",
    "Bachelor of Accounting – BAct": "စာရင်းကိုင်ဘွဲ့",
    "Bachelor of Public Administration – BPA": "ပြည်သူ့ အုပ်ချုပ်ရေးဘွဲ့",
    "Bachelor of Development Studies – BDevS": "ဖွံ့ဖြိုးရေး ပညာဘွဲ့",
    "Bachelor of Education – B.Ed (Early Childhood)": "ပညာရေးဘွဲ့ (မူကြို)",
    "Bachelor of Education – B.Ed (Primary)": "ပညာရေးဘွဲ့ (မူလတန်း)",
    "Bachelor of Education – B.Ed (Lower Secondary)": "ပညာရေးဘွဲ့ (အလယ်တန်း)",
    "Bachelor of Education – B.Ed (Upper Secondary)": "ပညာရေးဘွဲ့ (အထက်တန်း)",
    "Bachelor of Engineering – B.E.": "အင်ဂျင်နီယာဘွဲ့",
    "B.C.Sc": "ကွန်ပျူတာ သိပ္ပံဘွဲ့",
    "B.C.Tech": "ကွန်ပျူတာ နည်းပညာဘွဲ့",
    "Bachelor of Science in Forestry": "သစ်တော သိပ္ပံဘွဲ့",
    "Bachelor of Environmental Science": "ပတ်ဝန်းကျင် သိပ္ပံဘွဲ့",
    "Bachelor of Myanmar Traditional Medicine – B.M.T.M": "မြန်မာ့ တိုင်းရင်းဆေးပညာဘွဲ့",
    "Bachelor of Medicine, Bachelor of Surgery (MBBS)": "ဆေးပညာဘွဲ့",
    "Bachelor of Dental Surgery (BDS)": "သွားဘက်ဆိုင်ရာ ဆေးပညာဘွဲ့",
    "Bachelor of Nursing (B.N.Sc)": "သူနာပြု သိပ္ပံဘွဲ့",
}

SCHOOLS = {
    "Spring Online Basic Education School": "နွေဦး အွန်လိုင်း အခြေခံပညာကျောင်း",
    "Chin Hills Online High School": "ချင်းတောင် အွန်လိုင်း အထက်တန်းကျောင်း",
    "Sagaing Federal Primary School": "စစ်ကိုင်း ဖက်ဒရယ် မူလတန်းကျောင်း",
    "Kachin Online Middle School": "ကချင် အွန်လိုင်း အလယ်တန်းကျောင်း",
    **INSTITUTIONS,
}
